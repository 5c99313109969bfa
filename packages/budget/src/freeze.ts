import { type Clock, formatDuration, systemClock } from '@slokit/core'
import type { PolicyDecision } from './evaluate-policy.js'
import {
  type FreezeCause,
  type FreezeOverride,
  type FreezeSnapshot,
  type FreezeStore,
  type FreezeTransition,
  MemoryFreezeStore,
  type ServiceFreezeRecord,
} from './freeze-store.js'

/** A service's freeze state now. */
export interface ServiceFreeze {
  readonly service: string
  readonly frozen: boolean
  /** Change types allowed through while frozen (all while not). */
  readonly allow: readonly string[] | 'all'
  readonly causes: readonly FreezeCause[]
  readonly override: FreezeOverride | null
  readonly frozenSinceMs: number | null
}

/** Whether a change may ship, and why. */
export interface ChangeVerdict {
  readonly allowed: boolean
  readonly reason: string
}

/** Options of {@link createFreezeController}. */
export interface FreezeControllerOptions {
  /** Where state survives restarts; in memory by default. */
  readonly store?: FreezeStore | undefined
  readonly clock?: Clock | undefined
  /** History kept, newest last; older transitions are dropped. Default 10,000. */
  readonly maxHistory?: number | undefined
}

/** Turns policy decisions into per-service freeze state with hysteresis, overrides and history. */
export interface FreezeController {
  /**
   * Applies decisions: a decision asking for a freeze adds its SLO as a cause; a cause leaves
   * only once its SLO's budget is back above the cause's `unfreezeAbove` (hysteresis), never on a
   * decision without data. Returns the transitions, including `left` with the recovery that
   * ended the freeze. `now` defaults to the clock.
   */
  apply(decisions: readonly PolicyDecision[], now?: number): Promise<FreezeTransition[]>
  /** A manual freeze (`frozen: true`) or unfreeze that wins over policies until it expires or is cleared. */
  override(
    service: string,
    override: {
      frozen: boolean
      by: string
      reason: string
      expiresAtMs?: number | null
      allow?: readonly string[]
    },
  ): Promise<FreezeTransition[]>
  /** Ends a manual override. */
  clearOverride(service: string, by: string, reason: string): Promise<FreezeTransition[]>
  state(service: string): Promise<ServiceFreeze>
  /** Every service with freeze state. */
  states(): Promise<ServiceFreeze[]>
  /** Whether a change of `changeType` may ship to `service` now. */
  isAllowed(service: string, changeType?: string): Promise<ChangeVerdict>
  /** The transitions recorded, oldest first, for one service or all. */
  history(service?: string): Promise<FreezeTransition[]>
}

const pct = (ratio: number) => `${Number((ratio * 100).toFixed(2))}%`
const EMPTY: ServiceFreezeRecord = { causes: [], override: null, frozenSinceMs: null }

/**
 * Creates a freeze controller. Operations are serialised, and every change is saved to the store
 * before the call resolves.
 *
 * @example
 * ```ts
 * const freezes = createFreezeController({ store: new FileFreezeStore('.slokit/freeze.json') })
 * for (const t of await freezes.apply(decisions)) log.info(t.reason)
 * await freezes.isAllowed('checkout', 'feature') // { allowed: false, reason: 'checkout is frozen: …' }
 * ```
 */
export function createFreezeController(options: FreezeControllerOptions = {}): FreezeController {
  const store = options.store ?? new MemoryFreezeStore()
  const clock = options.clock ?? systemClock
  const maxHistory = options.maxHistory ?? 10_000
  let snapshot: FreezeSnapshot | undefined
  let queue: Promise<unknown> = Promise.resolve()

  // One operation at a time: load, change, save.
  const exclusive = <T>(
    operation: (current: FreezeSnapshot) => { next: FreezeSnapshot; result: T } | { result: T },
  ): Promise<T> => {
    const run = queue.then(async () => {
      snapshot ??= (await store.load()) ?? { version: 1, services: {}, history: [] }
      const expired = expireOverrides(snapshot, clock.now())
      const outcome = operation(expired.snapshot)
      const next = 'next' in outcome ? outcome.next : expired.snapshot
      if (next !== snapshot) {
        const trimmed =
          next.history.length > maxHistory ? { ...next, history: next.history.slice(-maxHistory) } : next
        await store.save(trimmed)
        snapshot = trimmed
      }
      return outcome.result
    })
    queue = run.catch(() => {})
    return run
  }

  const view = (service: string, record: ServiceFreezeRecord): ServiceFreeze => ({
    service,
    frozen: isFrozen(record),
    allow: allowOf(record),
    causes: record.causes,
    override: record.override,
    frozenSinceMs: record.frozenSinceMs,
  })

  return {
    apply(decisions, at) {
      return exclusive((current) => {
        const now = at ?? clock.now()
        const services: Record<string, ServiceFreezeRecord> = { ...current.services }
        const transitions: FreezeTransition[] = []
        for (const decision of decisions) {
          const before = services[decision.service] ?? EMPTY
          const existing = before.causes.find((c) => c.sloId === decision.sloId)
          let causes = before.causes
          if (decision.freeze !== null) {
            const reason = `${decision.sloId}: ${decision.reasons.join('; ')}`
            const cause: FreezeCause = {
              sloId: decision.sloId,
              policy: decision.policy,
              sinceMs: existing?.sinceMs ?? now,
              allow: [...decision.freeze.allow],
              unfreezeAbove: Math.max(decision.freeze.unfreezeAbove, existing?.unfreezeAbove ?? 0),
              reason,
            }
            causes = [...causes.filter((c) => c.sloId !== decision.sloId), cause]
            if (existing === undefined) {
              transitions.push(transition(decision.service, 'cause_added', now, reason, decision.sloId))
            }
          } else if (
            existing !== undefined &&
            decision.budgetRemaining !== null &&
            decision.budgetRemaining >= existing.unfreezeAbove
          ) {
            causes = causes.filter((c) => c.sloId !== decision.sloId)
            transitions.push(
              transition(
                decision.service,
                'cause_removed',
                now,
                `${decision.sloId}: budget recovered to ${pct(decision.budgetRemaining)} (above ${pct(existing.unfreezeAbove)}) after ${formatDuration(Math.max(1000, Math.round((now - existing.sinceMs) / 1000) * 1000))} frozen`,
                decision.sloId,
              ),
            )
          }
          if (causes === before.causes) continue
          const after = settle(before, { ...before, causes }, now)
          services[decision.service] = after
          transitions.push(...frozenChange(decision.service, before, after, now, transitions))
        }
        if (transitions.length === 0) return { result: [] }
        const next = { ...current, services, history: [...current.history, ...stamp(transitions, services)] }
        return { next, result: stamp(transitions, services) }
      })
    },

    override(service, override) {
      return exclusive((current) => {
        const now = clock.now()
        const before = current.services[service] ?? EMPTY
        const record: FreezeOverride = {
          frozen: override.frozen,
          by: override.by,
          reason: override.reason,
          sinceMs: now,
          expiresAtMs: override.expiresAtMs ?? null,
          allow: [...(override.allow ?? ['fix', 'rollback'])],
        }
        const until =
          record.expiresAtMs === null ? '' : ` until ${new Date(record.expiresAtMs).toISOString()}`
        const set = transition(
          service,
          'override_set',
          now,
          `${override.frozen ? 'frozen' : 'unfrozen'} by ${override.by}${until}: ${override.reason}`,
          undefined,
          override.by,
        )
        const after = settle(before, { ...before, override: record }, now)
        const all = [set, ...frozenChange(service, before, after, now, [set])]
        const services = { ...current.services, [service]: after }
        return {
          next: { ...current, services, history: [...current.history, ...stamp(all, services)] },
          result: stamp(all, services),
        }
      })
    },

    clearOverride(service, by, reason) {
      return exclusive((current) => {
        const before = current.services[service]
        if (before?.override == null) return { result: [] }
        const now = clock.now()
        const cleared = transition(
          service,
          'override_cleared',
          now,
          `override cleared by ${by}: ${reason}`,
          undefined,
          by,
        )
        const after = settle(before, { ...before, override: null }, now)
        const all = [cleared, ...frozenChange(service, before, after, now, [cleared])]
        const services = { ...current.services, [service]: after }
        return {
          next: { ...current, services, history: [...current.history, ...stamp(all, services)] },
          result: stamp(all, services),
        }
      })
    },

    state(service) {
      return exclusive((current) => ({ result: view(service, current.services[service] ?? EMPTY) }))
    },

    states() {
      return exclusive((current) => ({
        result: Object.entries(current.services).map(([service, record]) => view(service, record)),
      }))
    },

    isAllowed(service, changeType) {
      return exclusive<ChangeVerdict>((current) => {
        const record = current.services[service] ?? EMPTY
        if (!isFrozen(record)) return { result: { allowed: true, reason: `${service} is not frozen` } }
        const allow = allowOf(record) as readonly string[]
        const why =
          record.override?.frozen === true
            ? `frozen by ${record.override.by}: ${record.override.reason}`
            : record.causes.map((c) => c.reason).join('; ')
        if (changeType !== undefined && allow.includes(changeType)) {
          return {
            result: {
              allowed: true,
              reason: `${service} is frozen (${why}), but ${changeType} changes are allowed`,
            },
          }
        }
        const allowed = allow.length > 0 ? `only ${allow.join(', ')} changes may ship` : 'no changes may ship'
        return { result: { allowed: false, reason: `${service} is frozen (${why}): ${allowed}` } }
      })
    },

    history(service) {
      return exclusive((current) => ({
        result: current.history.filter((t) => service === undefined || t.service === service),
      }))
    },
  }
}

function isFrozen(record: ServiceFreezeRecord): boolean {
  return record.override !== null ? record.override.frozen : record.causes.length > 0
}

function allowOf(record: ServiceFreezeRecord): readonly string[] | 'all' {
  if (!isFrozen(record)) return 'all'
  if (record.override?.frozen === true) return record.override.allow
  // The strictest of the causes: a change must be allowed by every one.
  const [first, ...rest] = record.causes
  return (first?.allow ?? []).filter((type) => rest.every((c) => c.allow.includes(type)))
}

function settle(before: ServiceFreezeRecord, after: ServiceFreezeRecord, now: number): ServiceFreezeRecord {
  const was = isFrozen(before)
  const is = isFrozen(after)
  return { ...after, frozenSinceMs: is ? (was ? before.frozenSinceMs : now) : null }
}

function frozenChange(
  service: string,
  before: ServiceFreezeRecord,
  after: ServiceFreezeRecord,
  now: number,
  why: readonly FreezeTransition[],
): FreezeTransition[] {
  const was = isFrozen(before)
  const is = isFrozen(after)
  if (was === is) return []
  const reason = why.filter((t) => t.service === service).at(-1)?.reason ?? ''
  return [
    transition(
      service,
      is ? 'entered' : 'left',
      now,
      is ? `deployments frozen: ${reason}` : `deployments unfrozen: ${reason}`,
    ),
  ]
}

function transition(
  service: string,
  kind: FreezeTransition['kind'],
  atMs: number,
  reason: string,
  sloId?: string,
  by?: string,
): FreezeTransition {
  return { service, kind, atMs, reason, sloId, by, frozen: false }
}

// Fill in `frozen` (the state after each transition) once the records are final.
function stamp(
  transitions: readonly FreezeTransition[],
  services: Readonly<Record<string, ServiceFreezeRecord>>,
): FreezeTransition[] {
  return transitions.map((t) => ({
    ...t,
    frozen: t.kind === 'entered' ? true : t.kind === 'left' ? false : isFrozen(services[t.service] ?? EMPTY),
  }))
}

function expireOverrides(snapshot: FreezeSnapshot, now: number): { snapshot: FreezeSnapshot } {
  let services: Record<string, ServiceFreezeRecord> | undefined
  const transitions: FreezeTransition[] = []
  for (const [service, record] of Object.entries(snapshot.services)) {
    const expiresAt = record.override?.expiresAtMs
    if (expiresAtMs(expiresAt) && (expiresAt as number) <= now) {
      services ??= { ...snapshot.services }
      const expired = transition(
        service,
        'override_expired',
        expiresAt as number,
        `override by ${record.override?.by} expired: ${record.override?.reason}`,
        undefined,
        record.override?.by,
      )
      const after = settle(record, { ...record, override: null }, expiresAt as number)
      services[service] = after
      transitions.push(expired, ...frozenChange(service, record, after, expiresAt as number, [expired]))
    }
  }
  if (services === undefined) return { snapshot }
  return {
    snapshot: { ...snapshot, services, history: [...snapshot.history, ...stamp(transitions, services)] },
  }
}

function expiresAtMs(value: number | null | undefined): value is number {
  return typeof value === 'number'
}
