// Test doubles shared by the PagerDuty tests: fake time, a capturing logger and a stand-in for the
// engine's outbox.
import type { DeliveryResult, Notification, Notifier } from '@slokit/alerting'
import type { Clock, Logger } from '@slokit/core'

/** A clock that moves only when told. */
export class FakeClock implements Clock {
  #nowMs: number
  constructor(startMs = Date.UTC(2026, 10, 20, 14, 5)) {
    this.#nowMs = startMs
  }
  now(): number {
    return this.#nowMs
  }
  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error(`a clock never runs backwards (advance ${ms})`)
    this.#nowMs += ms
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
 * What the engine's outbox will do, reduced to its rules: on a retryable failure wait
 * `retryAfterMs` or an exponential backoff from `backoffMs` (30 s in production, a fake wait here)
 * and try again, at most `maxAttempts` times; a failure is kept (dead-lettered), never dropped.
 */
export async function deliverLikeOutbox(
  notifier: Notifier,
  notification: Notification,
  options: { clock: FakeClock; maxAttempts: number; backoffMs: number },
): Promise<{ results: DeliveryResult[]; waitsMs: number[]; delivered: boolean; kept: boolean }> {
  const results: DeliveryResult[] = []
  const waitsMs: number[] = []
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    const result = await notifier.send(notification)
    results.push(result)
    if (result.ok) return { results, waitsMs, delivered: true, kept: false }
    if (!result.retryable || attempt === options.maxAttempts) break
    const wait = Math.max(result.retryAfterMs ?? 0, options.backoffMs * 2 ** (attempt - 1))
    waitsMs.push(wait)
    options.clock.advance(wait)
  }
  return { results, waitsMs, delivered: false, kept: true }
}
