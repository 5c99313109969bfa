// The error-budget policy scenario of issue #4, driven with the simulator and FakeClock. It lives
// here because @slokit/testing may use every package in its tests, while the packages it depends
// on (budget, through the engine) may not depend on it.
import { createFreezeController, evaluatePolicy, policiesSectionSchema } from '@slokit/budget'
import { createSloTracker, DAY_MS, HOUR_MS, parseSlo } from '@slokit/core'
import { FakeClock, simulateTraffic } from '@slokit/testing'
import { describe, expect, it } from 'vitest'

const policy = policiesSectionSchema.parse({
  tiers: {
    critical: [
      {
        name: 'notify',
        when: { budgetRemainingBelow: 0.5 },
        actions: [{ notify: { channels: ['slack-sre'] } }],
      },
      {
        name: 'freeze',
        when: { budgetRemainingBelow: 0.25 },
        actions: [{ freeze_deployments: { allow: ['fix', 'rollback'], unfreezeAbove: 0.4 } }],
      },
    ],
  },
}).tiers.critical!

describe('an error-budget policy through an incident', () => {
  it('drives a service through an incident: notify, freeze, fixes only, recovery, unfreeze', async () => {
    // 99.9 % over 7 days; 0.02 % baseline errors; a 2-hour incident at 10 % errors on day 8 that
    // spends the whole budget (≈ 690 bad requests against ≈ 605 allowed).
    const weekly = parseSlo({
      id: 'checkout-availability',
      service: 'checkout',
      priority: 'critical',
      sli: { id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio' } },
      objective: '99.9%',
      window: '7d',
    })
    const start = Date.UTC(2026, 9, 1)
    const clock = new FakeClock(start)
    const tracker = createSloTracker({ slos: [weekly], clock })
    const freezes = createFreezeController({ clock })
    const traffic = simulateTraffic({
      seed: 7,
      startMs: start,
      durationMs: 17 * DAY_MS,
      requestsPerMinute: 60,
      errorRate: 0.0002,
      incidents: [{ startMs: start + 8 * DAY_MS, durationMs: 2 * HOUR_MS, errorRate: 0.1 }],
    })
    const notified: string[] = []
    const verdicts: Array<[number, string, boolean]> = []
    let nextHour = start + HOUR_MS
    for (const step of traffic.steps()) {
      for (let i = 0; i < step.requests; i++)
        tracker.record(
          weekly.id,
          step.errorFlags[i] === 0,
          step.startMs + ((i + 0.5) * (step.endMs - step.startMs)) / step.requests,
        )
      if (step.endMs < nextHour) continue
      clock.set(nextHour)
      nextHour += HOUR_MS
      if (clock.now() < start + 7 * DAY_MS) continue // let the window fill first
      const decision = evaluatePolicy('critical', policy, weekly, tracker.status(weekly.id))
      for (const action of decision.actions)
        if (action.type === 'notify') notified.push(`${(clock.now() - start) / HOUR_MS}h`)
      await freezes.apply([decision])
      if (clock.now() === start + 8 * DAY_MS + 3 * HOUR_MS) {
        verdicts.push(
          [3, 'fix', (await freezes.isAllowed('checkout', 'fix')).allowed],
          [3, 'feature', (await freezes.isAllowed('checkout', 'feature')).allowed],
        )
      }
    }
    const history = await freezes.history('checkout')
    expect(history.map((t) => t.kind)).toEqual(['cause_added', 'entered', 'cause_removed', 'left'])
    const [, entered, , left] = history
    // Frozen during the incident, and unfrozen when it left the 7-day window, 7 days later.
    expect((entered!.atMs - start) / HOUR_MS).toBeGreaterThanOrEqual(8 * 24)
    expect((entered!.atMs - start) / HOUR_MS).toBeLessThanOrEqual(8 * 24 + 2)
    expect((left!.atMs - start) / HOUR_MS).toBeGreaterThanOrEqual(15 * 24)
    expect(left!.reason).toMatch(
      /^deployments unfrozen: checkout-availability: budget recovered to \d+(\.\d+)?% \(above 40%\)/,
    )
    expect(entered!.reason).toMatch(/budget remaining -?\d+(\.\d+)?% < 25%/)
    expect(verdicts).toEqual([
      [3, 'fix', true],
      [3, 'feature', false],
    ])
    expect(notified.length).toBeGreaterThan(0)
    expect(Number.parseInt(notified[0] as string, 10)).toBeGreaterThanOrEqual(8 * 24)
  }, 60_000)
})
