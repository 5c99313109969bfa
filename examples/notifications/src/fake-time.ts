import { MINUTE_MS } from '@slokit/core'
import type { Engine } from '@slokit/engine'
import type { FakeClock } from '@slokit/testing'

/** What {@link runOnFakeTime} did. */
export interface FakeTimeRun {
  /** Evaluations (`engine.tick()`), one per `evaluationIntervalMs`. */
  readonly ticks: number
  /** Outbox drains between evaluations, for retries that fell due. */
  readonly drains: number
}

/**
 * Drives an engine on fake time up to `untilMs`, as `engine.start()` would on real time: an
 * evaluation at every multiple of `evaluationIntervalMs`, and in between an outbox drain whenever
 * a retry falls due (so a `Retry-After: 5` is retried five seconds later, not at the next
 * evaluation). Time only moves here — and in the Slack pacing `sleep`, which advances the same
 * clock.
 *
 * @throws `Error` when the outbox says a notification is due but a drain sends nothing and time
 * cannot move (the engine's own loop would spin there).
 */
export async function runOnFakeTime(
  engine: Engine,
  clock: FakeClock,
  untilMs: number,
  evaluationIntervalMs: number = MINUTE_MS,
): Promise<FakeTimeRun> {
  let ticks = 0
  let drains = 0
  let nextTickAt = Math.ceil(clock.now() / evaluationIntervalMs) * evaluationIntervalMs
  for (;;) {
    const dueAt = await engine.outbox.nextDueAtMs()
    const evaluate = dueAt === null || nextTickAt <= dueAt
    const at = evaluate ? nextTickAt : dueAt
    if (at > untilMs) break
    if (at > clock.now()) clock.set(at)
    if (evaluate) {
      await engine.tick()
      ticks += 1
      nextTickAt += evaluationIntervalMs
    } else {
      const attempts = await engine.outbox.drain()
      drains += 1
      if (attempts.length === 0 && at <= clock.now() && (await engine.outbox.nextDueAtMs()) === dueAt) {
        throw new Error(
          `the outbox reports a notification due at ${new Date(dueAt).toISOString()}, but draining at ${new Date(clock.now()).toISOString()} sends nothing`,
        )
      }
    }
  }
  if (untilMs > clock.now()) clock.set(untilMs)
  return { ticks, drains }
}
