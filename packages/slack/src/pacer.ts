import { type Clock, SlokitError, systemClock } from '@slokit/core'

/** Options of {@link SlackPacer}. */
export interface SlackPacerOptions {
  /** Least time between two messages to one destination. Default 1000 (Slack: about 1 msg/s). */
  readonly minIntervalMs?: number
  readonly clock?: Clock
}

/** A {@link SlackPacer.reserve} answer: go after `waitMs`, or do not send before `retryAfterMs`. */
export type PacerSlot =
  | { readonly waitMs: number; readonly retryAfterMs?: undefined }
  | { readonly retryAfterMs: number; readonly reason: 'paced' | 'rate_limited'; readonly waitMs?: undefined }

interface Lane {
  /** The earliest time the next message may go. */
  nextAtMs: number
  /** Set by a 429: nothing goes to this destination before it. */
  holdUntilMs: number
}

/**
 * Client-side pacing per destination (a webhook, or a token and channel): messages at least
 * `minIntervalMs` apart, and none at all until a 429's `Retry-After` has passed — Slack disables
 * apps that keep sending after a 429. One pacer per process can be shared by several notifiers,
 * so two channels configured with the same webhook are paced together. Keys are opaque hashes,
 * never secrets.
 *
 * It only computes times; the notifier waits with its injected `sleep`, so tests never sleep.
 */
export class SlackPacer {
  readonly minIntervalMs: number
  readonly #clock: Clock
  readonly #lanes = new Map<string, Lane>()

  /** @throws `SlokitError` `INVALID_ARGUMENT` when `minIntervalMs` is negative or not finite. */
  constructor(options: SlackPacerOptions = {}) {
    const minIntervalMs = options.minIntervalMs ?? 1000
    if (!(Number.isFinite(minIntervalMs) && minIntervalMs >= 0)) {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `[slokit/slack] SlackPacer: \`minIntervalMs\` must be a finite number >= 0, got ${minIntervalMs}.`,
      )
    }
    this.minIntervalMs = minIntervalMs
    this.#clock = options.clock ?? systemClock
  }

  #lane(key: string): Lane {
    let lane = this.#lanes.get(key)
    if (lane === undefined) {
      lane = { nextAtMs: Number.NEGATIVE_INFINITY, holdUntilMs: Number.NEGATIVE_INFINITY }
      this.#lanes.set(key, lane)
    }
    return lane
  }

  /**
   * Takes the next slot of `key`'s lane and says how long to wait for it. When the destination is
   * held after a 429, or the slot is more than `maxWaitMs` away, no slot is taken and the answer is
   * `retryAfterMs`: hand the message back to the outbox rather than wait.
   */
  reserve(key: string, maxWaitMs: number): PacerSlot {
    const now = this.#clock.now()
    const lane = this.#lane(key)
    if (lane.holdUntilMs > now) return { retryAfterMs: lane.holdUntilMs - now, reason: 'rate_limited' }
    const at = Math.max(now, lane.nextAtMs)
    if (at - now > maxWaitMs) return { retryAfterMs: at - now, reason: 'paced' }
    lane.nextAtMs = at + this.minIntervalMs
    return { waitMs: at - now }
  }

  /** How long `key` is still held after a 429 (0 when it is not). */
  heldForMs(key: string): number {
    const lane = this.#lanes.get(key)
    return lane === undefined ? 0 : Math.max(0, lane.holdUntilMs - this.#clock.now())
  }

  /** Holds `key` for `ms` from now: after a 429, nothing goes there before `Retry-After` has passed. */
  hold(key: string, ms: number): void {
    const lane = this.#lane(key)
    const until = this.#clock.now() + ms
    lane.holdUntilMs = Math.max(lane.holdUntilMs, until)
    lane.nextAtMs = Math.max(lane.nextAtMs, until)
  }
}
