/**
 * The source of "now" for everything time-dependent in slokit. Inject a clock instead of calling
 * `Date.now()`, so tests can drive time with a fake one (`FakeClock` in `@slokit/testing`).
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number
}

/** The wall clock of the host (`Date.now()`). */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() })
