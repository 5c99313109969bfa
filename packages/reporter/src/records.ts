/**
 * What a report reads from `@slokit/budget` and `@slokit/alerting`, declared here as the minimal
 * structural types: their `PolicyDecision`, `FreezeTransition` and `AlertSummary` fit as they are,
 * and the reporter depends on `@slokit/core` alone.
 */

/** A policy decision (`PolicyDecision` of `@slokit/budget` fits). */
export interface PolicyDecisionRecord {
  readonly sloId: string
  readonly service: string
  readonly policy: string
  readonly evaluatedAtMs: number
  /** `alert` when a step matched, `ok` when none did, `unknown` without data. */
  readonly state: 'ok' | 'alert' | 'unknown'
  readonly actions: readonly { readonly type: string }[]
  readonly reasons: readonly string[]
  readonly message: string
}

/** A change of a service's deployment freeze (`FreezeTransition` of `@slokit/budget` fits). */
export interface FreezeTransitionRecord {
  readonly service: string
  /** `entered`, `left`, `cause_added`, `cause_removed`, `override_set`, `override_cleared`, `override_expired`. */
  readonly kind: string
  readonly atMs: number
  readonly reason: string
  readonly sloId?: string | undefined
  readonly by?: string | undefined
  /** Whether the service is frozen after the transition. */
  readonly frozen: boolean
}

/** An alert (`AlertSummary` of `@slokit/alerting` fits); one record per transition is fine. */
export interface AlertRecord {
  /** Stable across the transitions of one alert. */
  readonly alertId: string
  readonly rule: string
  readonly sloId: string
  readonly service: string
  readonly severity: string
  readonly state: 'firing' | 'resolved'
  readonly title: string
  readonly startsAtMs: number
  /** When it resolved; `null` while firing. */
  readonly endsAtMs: number | null
}
