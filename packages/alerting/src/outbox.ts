import { type Clock, type Logger, noopLogger, systemClock } from '@slokit/core'
import type { DeliveryResult, Notification, Notifier } from './notification.js'
import { MemoryOutboxStore, type OutboxEntry, type OutboxStore } from './outbox-store.js'

/** Retry settings of the outbox. */
export interface RetryPolicy {
  /** Delay before the first retry; 1 s by default. */
  readonly initialDelayMs: number
  /** The delay doubles up to this; 5 minutes by default. */
  readonly maxDelayMs: number
  /** A notification still failing this long after it was written is dead-lettered; 24 h by default. */
  readonly maxAgeMs: number
  /** Each delay is drawn from [delay × (1 − jitter), delay]; 0.5 by default (spreads retries out). */
  readonly jitter: number
}

/** One attempt to deliver a notification, as the outbox reports it. */
export interface DeliveryAttempt {
  readonly entry: OutboxEntry
  readonly result: DeliveryResult
}

/** Options of {@link createOutbox}. */
export interface OutboxOptions {
  /** Notifiers by channel name. */
  readonly notifiers: Readonly<Record<string, Notifier>>
  /** Durable by default in production: pass a `FileOutboxStore`. In memory when left out. */
  readonly store?: OutboxStore | undefined
  readonly clock?: Clock | undefined
  readonly retry?: Partial<RetryPolicy> | undefined
  /** Abandon a send that takes longer than this (it counts as a retryable failure); 30 s by default. */
  readonly sendTimeoutMs?: number | undefined
  /** Random numbers in [0, 1) for jitter; `Math.random` by default (inject for tests). */
  readonly random?: (() => number) | undefined
  readonly logger?: Logger | undefined
  /** Told about every attempt (delivered, retrying or dead). */
  readonly onAttempt?: ((attempt: DeliveryAttempt) => void) | undefined
}

/**
 * The durable outbox between alerting and notifiers. Every notification is written to the store
 * before it is sent; `drain()` sends what is due, retries retryable failures with exponential
 * backoff and jitter (never sooner than a notifier's `retryAfterMs`), and dead-letters what cannot
 * be delivered with the reason. Per alert (dedup key) and channel, notifications go out in order:
 * a resolve never overtakes its firing. Each notification id is accepted once, ever — across
 * restarts too, with a durable store.
 *
 * Delivery is at least once at the edge: a process killed after a notifier succeeded but before
 * the outcome was written sends that one notification again on restart. Notifiers pass the
 * notification id as an idempotency key (PagerDuty's dedup key makes a repeated trigger harmless).
 */
export interface Outbox {
  /**
   * Writes notifications durably, due at `now` (default: the clock); ids already known are
   * ignored. Resolves with how many were new, once written.
   */
  enqueue(notifications: readonly Notification[], now?: number): Promise<number>
  /** Sends every notification due at `now`; resolves with the attempts made. */
  drain(now?: number): Promise<DeliveryAttempt[]>
  /** When the next pending notification is due, or `null` when none is pending. */
  nextDueAtMs(): Promise<number | null>
  /** Entries by status. */
  entries(status?: OutboxEntry['status']): Promise<OutboxEntry[]>
  /** Channels a notifier marked gone for good (revoked webhook, archived channel). */
  disabledChannels(): ReadonlyMap<string, string>
  /**
   * Forgets delivered and dead entries created before `beforeMs`, in memory and in the store (when
   * it can compact): housekeeping, so a long-running outbox does not grow without end. A
   * forgotten id would be accepted again, so keep more than notifications are ever repeated for
   * (a day at least). Pending entries are always kept. Resolves with how many were forgotten.
   */
  compact(beforeMs: number): Promise<number>
}

const DEFAULT_RETRY: RetryPolicy = {
  initialDelayMs: 1000,
  maxDelayMs: 300_000,
  maxAgeMs: 86_400_000,
  jitter: 0.5,
}

/**
 * Creates an outbox. Entries are loaded from the store on first use, so pending notifications
 * written before a crash are sent after the restart.
 *
 * @example
 * ```ts
 * const outbox = createOutbox({ notifiers: { 'slack-sre': slack }, store: new FileOutboxStore('.slokit/outbox.jsonl') })
 * await outbox.enqueue(notifications)
 * await outbox.drain()
 * ```
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const store = options.store ?? new MemoryOutboxStore()
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? noopLogger
  const random = options.random ?? Math.random
  const retry = { ...DEFAULT_RETRY, ...options.retry }
  const disabled = new Map<string, string>()
  let entries: Map<string, OutboxEntry> | undefined
  let order = 0
  let queue: Promise<unknown> = Promise.resolve()

  const load = async (): Promise<Map<string, OutboxEntry>> => {
    if (entries === undefined) {
      entries = new Map((await store.load()).map((e) => [e.id, e]))
      for (const e of entries.values()) order = Math.max(order, e.order + 1)
    }
    return entries
  }
  const exclusive = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run)
    queue = next.catch(() => {})
    return next
  }
  const save = async (entry: OutboxEntry): Promise<void> => {
    await store.put(entry)
    ;(await load()).set(entry.id, entry)
  }
  const delay = (attempts: number, result: DeliveryResult): number => {
    const base = Math.min(retry.maxDelayMs, retry.initialDelayMs * 2 ** Math.max(0, attempts - 1))
    const jittered = base * (1 - retry.jitter * random())
    return Math.max(jittered, result.retryAfterMs ?? 0)
  }

  const attempt = async (entry: OutboxEntry, now: number): Promise<DeliveryAttempt> => {
    const channel = entry.notification.channel
    const notifier = options.notifiers[channel]
    let result: DeliveryResult
    if (disabled.has(channel)) {
      result = {
        ok: false,
        retryable: false,
        error: `channel ${channel} is disabled: ${disabled.get(channel)}`,
      }
    } else if (notifier === undefined) {
      result = { ok: false, retryable: false, error: `no notifier for channel ${channel}` }
    } else {
      const timeoutMs = options.sendTimeoutMs ?? 30_000
      const signal = AbortSignal.timeout(timeoutMs)
      try {
        // The notifier gets the signal; a notifier that ignores it is abandoned all the same, so
        // one stuck send cannot hold up every other delivery.
        result = await Promise.race([
          notifier.send(entry.notification, { signal }),
          new Promise<DeliveryResult>((resolve) =>
            signal.addEventListener(
              'abort',
              () =>
                resolve({
                  ok: false,
                  retryable: true,
                  error: `${notifier.name}: no answer within ${timeoutMs} ms`,
                }),
              { once: true },
            ),
          ),
        ])
      } catch (error) {
        // Notifiers should resolve; one that throws is treated as a transient failure.
        result = {
          ok: false,
          retryable: true,
          error: `${notifier.name} threw: ${error instanceof Error ? error.message : String(error)}`,
        }
      }
    }
    const attempts = entry.attempts + 1
    let next: OutboxEntry
    if (result.ok) {
      next = {
        ...entry,
        status: 'delivered',
        attempts,
        deliveredAtMs: now,
        lastError: null,
        externalId: result.externalId ?? null,
      }
    } else {
      if (result.disableDestination === true && !disabled.has(channel)) {
        disabled.set(channel, result.error ?? 'the destination is gone')
        logger.error(`[slokit/alerting] channel ${channel} disabled: ${result.error ?? ''}`, { channel })
      }
      const expired = now - entry.createdAtMs >= retry.maxAgeMs
      if (result.retryable && !expired && result.disableDestination !== true) {
        next = {
          ...entry,
          attempts,
          nextAttemptAtMs: now + delay(attempts, result),
          lastError: result.error ?? 'failed',
        }
      } else {
        const why =
          result.retryable && expired
            ? `gave up after ${attempts} attempts: ${result.error ?? 'failed'}`
            : (result.error ?? 'failed')
        next = { ...entry, status: 'dead', attempts, lastError: why }
        logger.error(`[slokit/alerting] notification ${entry.id} dead-lettered: ${why}`, {
          id: entry.id,
          channel,
        })
      }
    }
    await save(next)
    const outcome = { entry: next, result }
    options.onAttempt?.(outcome)
    return outcome
  }

  return {
    enqueue: (notifications, at) =>
      exclusive(async () => {
        const current = await load()
        const now = at ?? clock.now()
        let added = 0
        for (const notification of notifications) {
          if (current.has(notification.id)) continue
          await save({
            id: notification.id,
            notification,
            status: 'pending',
            attempts: 0,
            nextAttemptAtMs: now,
            createdAtMs: now,
            lastError: null,
            deliveredAtMs: null,
            externalId: null,
            order: order++,
          })
          added++
        }
        return added
      }),

    drain: (at) =>
      exclusive(async () => {
        const now = at ?? clock.now()
        const attempts: DeliveryAttempt[] = []
        for (const entry of sendable([...(await load()).values()])) {
          if (entry.nextAttemptAtMs <= now) attempts.push(await attempt(entry, now))
        }
        return attempts
      }),

    nextDueAtMs: () =>
      exclusive(async () => {
        // Only entries drain() may send count: one queued behind an older entry waits for it.
        let next: number | null = null
        for (const e of sendable([...(await load()).values()]))
          next = next === null ? e.nextAttemptAtMs : Math.min(next, e.nextAttemptAtMs)
        return next
      }),

    entries: (status) =>
      exclusive(async () =>
        [...(await load()).values()]
          .filter((e) => status === undefined || e.status === status)
          .sort((a, b) => a.order - b.order),
      ),

    disabledChannels: () => disabled,

    compact: (beforeMs) =>
      exclusive(async () => {
        const current = await load()
        let forgotten = 0
        for (const [id, entry] of current) {
          if (entry.status !== 'pending' && entry.createdAtMs < beforeMs) {
            current.delete(id)
            forgotten++
          }
        }
        // Inside exclusive(): no put can interleave with the store's rewrite.
        if (forgotten > 0) await store.compact?.(beforeMs)
        return forgotten
      }),
  }
}

/** The ordering lanes of a notification: one per alert it carries (or its dedup key), on its channel. */
function lanesOf(notification: Notification): string[] {
  const keys =
    notification.alerts.length > 0 ? notification.alerts.map((a) => a.alertId) : [notification.dedupKey]
  return keys.map((key) => `${key}|${notification.channel}`)
}

/**
 * The pending entries that may be sent now or when due, oldest first. Order is kept per alert
 * and channel: an entry may go only when no older pending entry shares an alert with it on its
 * channel. A grouped notification is in the lane of every alert it carries, so a resolve never
 * overtakes the group firing that announced it.
 */
function sendable(entries: readonly OutboxEntry[]): OutboxEntry[] {
  const pending = entries.filter((e) => e.status === 'pending').sort((a, b) => a.order - b.order)
  const busy = new Set<string>()
  const heads: OutboxEntry[] = []
  for (const entry of pending) {
    const lanes = lanesOf(entry.notification)
    if (lanes.every((lane) => !busy.has(lane))) heads.push(entry)
    for (const lane of lanes) busy.add(lane)
  }
  return heads
}
