// Test doubles shared by the Slack tests: fake time, a capturing logger and a stand-in for the
// engine's outbox.
import type { DeliveryResult, Notification, Notifier } from '@slokit/alerting'
import type { Clock, Logger } from '@slokit/core'
import type { Sleep } from '../slack-notifier.js'

export const START_MS = Date.UTC(2026, 10, 20, 14, 5)

/** A clock that moves only when told (a few lines, so these tests depend on no other package's test doubles). */
export class FakeClock implements Clock {
  #nowMs: number
  constructor(startMs = START_MS) {
    this.#nowMs = startMs
  }
  now(): number {
    return this.#nowMs
  }
  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error(`a clock never runs backwards (advance ${ms})`)
    this.#nowMs += ms
  }
  set(ms: number): void {
    if (!(ms >= this.#nowMs)) throw new Error(`a clock never runs backwards (set ${ms})`)
    this.#nowMs = ms
  }
}

/** A fake clock and a `sleep` that moves it instead of waiting; `sleeps` lists every wait asked for. */
export function fakeTime(startMs = START_MS): { clock: FakeClock; sleep: Sleep; sleeps: number[] } {
  const clock = new FakeClock(startMs)
  const sleeps: number[] = []
  const sleep: Sleep = async (ms, signal) => {
    if (signal?.aborted) throw signal.reason
    sleeps.push(ms)
    clock.advance(ms)
  }
  return { clock, sleep, sleeps }
}

/**
 * Sleeps that wait until the test releases them, in time order, moving the clock to each one's
 * end: concurrent sends under fake time.
 */
export function manualTimers(clock: FakeClock): {
  sleep: Sleep
  pending: () => number
  releaseNext: () => void
} {
  const waiting: Array<{ atMs: number; resolve: () => void }> = []
  return {
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason)
        waiting.push({ atMs: clock.now() + ms, resolve })
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true })
      }),
    pending: () => waiting.length,
    releaseNext: () => {
      waiting.sort((a, b) => a.atMs - b.atMs)
      const next = waiting.shift()
      if (next === undefined) throw new Error('no sleep is pending')
      if (clock.now() < next.atMs) clock.set(next.atMs)
      next.resolve()
    },
  }
}

export interface LogLine {
  readonly level: keyof Logger
  readonly message: string
  readonly fields: Readonly<Record<string, unknown>> | undefined
}

/** A logger that keeps every line; `text()` is everything it was told, serialised. */
export function captureLogger(): { logger: Logger; lines: LogLine[]; text: () => string } {
  const lines: LogLine[] = []
  const at =
    (level: keyof Logger) =>
    (message: string, fields?: Readonly<Record<string, unknown>>): void =>
      void lines.push({ level, message, fields })
  return {
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    lines,
    text: () => JSON.stringify(lines),
  }
}

/**
 * What the engine's outbox will do, reduced to its rules: try, and on a retryable failure wait
 * `retryAfterMs` (or `backoffMs`) and try again, at most `maxAttempts` times; a failure that is not
 * retryable, or the last one, is kept (dead-lettered) rather than dropped.
 */
export async function deliverLikeOutbox(
  notifier: Notifier,
  notification: Notification,
  options: { sleep: Sleep; maxAttempts: number; backoffMs?: number },
): Promise<{ results: DeliveryResult[]; delivered: boolean; kept: boolean }> {
  const results: DeliveryResult[] = []
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    const result = await notifier.send(notification)
    results.push(result)
    if (result.ok) return { results, delivered: true, kept: false }
    if (!result.retryable || attempt === options.maxAttempts) break
    await options.sleep(result.retryAfterMs ?? (options.backoffMs ?? 1000) * 2 ** (attempt - 1))
  }
  return { results, delivered: false, kept: true }
}
