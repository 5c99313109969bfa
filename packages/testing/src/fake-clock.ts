import { type Clock, SlokitError } from '@slokit/core'

/**
 * A {@link Clock} that only moves when a test moves it. Hand it to anything that takes a clock
 * (`createSloTracker`, the engine, …) and drive time with {@link FakeClock.advance} instead of
 * sleeping.
 *
 * @example
 * ```ts
 * const clock = new FakeClock(Date.UTC(2026, 0, 1))
 * const tracker = createSloTracker({ slos: [slo], clock })
 * tracker.record('api-availability', true)
 * clock.advance(5 * MINUTE_MS)
 * tracker.status('api-availability').evaluatedAtMs // 2026-01-01T00:05:00Z
 * ```
 */
export class FakeClock implements Clock {
  private currentMs: number

  /**
   * @param startMs The initial time, epoch milliseconds; 2026-01-01T00:00:00Z by default.
   * @throws `SlokitError` `INVALID_ARGUMENT` when `startMs` is not a finite number.
   */
  constructor(startMs: number = Date.UTC(2026, 0, 1)) {
    if (!Number.isFinite(startMs)) {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `[slokit/testing] new FakeClock(startMs): \`startMs\` must be a finite epoch time in ms, got ${startMs}.`,
      )
    }
    this.currentMs = startMs
  }

  /** The current fake time, epoch milliseconds. */
  now(): number {
    return this.currentMs
  }

  /**
   * Moves time forward by `ms` and returns the new time.
   * @throws `SlokitError` `INVALID_ARGUMENT` when `ms` is negative or not finite.
   */
  advance(ms: number): number {
    if (!(Number.isFinite(ms) && ms >= 0)) {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `[slokit/testing] FakeClock.advance(ms): \`ms\` must be a finite number >= 0, got ${ms}.`,
        { hint: 'a clock never runs backwards; build a new FakeClock to start over' },
      )
    }
    this.currentMs += ms
    return this.currentMs
  }

  /**
   * Jumps to the time `ms` (epoch milliseconds), which may equal but not precede the current time.
   * @throws `SlokitError` `INVALID_ARGUMENT` when `ms` is not finite or lies in the past.
   */
  set(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= this.currentMs)) {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `[slokit/testing] FakeClock.set(ms): \`ms\` must be a finite time >= now (${this.currentMs}), got ${ms}.`,
        { hint: 'a clock never runs backwards; build a new FakeClock to start over' },
      )
    }
    this.currentMs = ms
  }
}
