import type { PagerDutyChangeEvent, PagerDutyLink } from './event.js'

/**
 * The shape of a freeze transition as `@slokit/budget`'s freeze controller records it
 * (`FreezeTransition`), declared here structurally so this package needs no dependency on budget:
 * pass its transitions as they are.
 */
export interface FreezeTransitionLike {
  readonly service: string
  /** `entered`, `left`, `cause_added`, `cause_removed`, `override_set`, `override_cleared`, `override_expired`. */
  readonly kind: string
  readonly atMs: number
  readonly reason: string
  /** Whether the service is frozen after the transition. */
  readonly frozen: boolean
  readonly sloId?: string | undefined
  readonly by?: string | undefined
}

/** Options of {@link changeEventFor} and {@link deploymentChangeEvent}. */
export interface ChangeEventOptions {
  /** `payload.source`; the service by default. */
  readonly source?: string | undefined
  /** Extra links, e.g. to the budget dashboard. */
  readonly links?: readonly PagerDutyLink[] | undefined
}

/**
 * The change event for a deployment-freeze transition: it shows on the PagerDuty service's
 * timeline next to the incidents, so a responder sees that deploys were frozen (or unfrozen) and
 * why. The summary is `<service>: <reason>`; the transition's kind, state, SLO and author go in
 * `custom_details`. Takes `@slokit/budget` `FreezeTransition`s structurally.
 *
 * @example
 * ```ts
 * for (const transition of await freezes.apply(decisions)) {
 *   await pagerduty.sendChangeEvent(changeEventFor(transition))
 * }
 * ```
 */
export function changeEventFor(
  transition: FreezeTransitionLike,
  options: ChangeEventOptions = {},
): PagerDutyChangeEvent {
  return {
    payload: {
      // The freeze controller writes its reasons for people ("deployments frozen: budget below 25%").
      summary: `${transition.service}: ${transition.reason}`,
      source: options.source ?? transition.service,
      timestamp: new Date(transition.atMs).toISOString(),
      custom_details: {
        service: transition.service,
        transition: transition.kind,
        frozen: transition.frozen,
        reason: transition.reason,
        ...(transition.sloId === undefined ? {} : { slo: transition.sloId }),
        ...(transition.by === undefined ? {} : { by: transition.by }),
      },
    },
    ...(options.links === undefined || options.links.length === 0 ? {} : { links: options.links }),
  }
}

/** A deployment, as a host's CD pipeline knows it. */
export interface Deployment {
  readonly service: string
  readonly version?: string | undefined
  readonly environment?: string | undefined
  /** When it happened (epoch ms); PagerDuty uses the time it receives the event when missing. */
  readonly atMs?: number | undefined
  /** Who or what deployed (a person, a pipeline). */
  readonly by?: string | undefined
  /** The pipeline run or release page. */
  readonly url?: string | undefined
  /** The summary to show; `Deployed <service> <version> to <environment>` by default. */
  readonly summary?: string | undefined
  /** Anything else worth showing (commit, change type, ticket). */
  readonly details?: Readonly<Record<string, unknown>> | undefined
}

/**
 * The change event for a deployment: a deploy marker on the service's PagerDuty timeline.
 *
 * @example
 * ```ts
 * await pagerduty.sendChangeEvent(
 *   deploymentChangeEvent({ service: 'checkout', version: 'v1.42.0', environment: 'production', url: runUrl }),
 * )
 * ```
 */
export function deploymentChangeEvent(
  deployment: Deployment,
  options: ChangeEventOptions = {},
): PagerDutyChangeEvent {
  const version = deployment.version === undefined ? '' : ` ${deployment.version}`
  const environment = deployment.environment === undefined ? '' : ` to ${deployment.environment}`
  const links: PagerDutyLink[] = [
    ...(deployment.url === undefined ? [] : [{ href: deployment.url, text: 'Deployment' }]),
    ...(options.links ?? []),
  ]
  return {
    payload: {
      summary: deployment.summary ?? `Deployed ${deployment.service}${version}${environment}`,
      source: options.source ?? deployment.service,
      ...(deployment.atMs === undefined ? {} : { timestamp: new Date(deployment.atMs).toISOString() }),
      custom_details: {
        service: deployment.service,
        ...(deployment.version === undefined ? {} : { version: deployment.version }),
        ...(deployment.environment === undefined ? {} : { environment: deployment.environment }),
        ...(deployment.by === undefined ? {} : { by: deployment.by }),
        ...deployment.details,
      },
    },
    ...(links.length === 0 ? {} : { links }),
  }
}
