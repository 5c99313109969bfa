// The example of docs/testing.md, kept as a test so the page cannot drift from the code.
import { createSloTracker, DAY_MS, HOUR_MS } from '@slokit/core'
import { FakeClock, simulateTraffic } from '@slokit/testing'
import { expect, it } from 'vitest'

it('a 2-hour outage at 10 % errors spends about a fifth of a 99.9 % budget', () => {
  const start = Date.UTC(2026, 0, 1)
  const clock = new FakeClock(start)
  const tracker = createSloTracker({
    clock,
    slos: [
      {
        id: 'api',
        service: 'api',
        objective: '99.9%',
        window: '30d',
        sli: { id: 'api-requests', kind: 'availability', measurement: { type: 'ratio' } },
      },
    ],
  })
  const traffic = simulateTraffic({
    seed: 1,
    startMs: start,
    durationMs: 30 * DAY_MS,
    requestsPerMinute: 60,
    errorRate: 0,
    incidents: [{ startMs: start + 10 * DAY_MS, durationMs: 2 * HOUR_MS, errorRate: 0.1 }],
  })
  traffic.feed(tracker, { availability: 'api' })
  clock.set(traffic.endMs)
  expect(tracker.status('api').budget?.remaining).toBeCloseTo(0.8, 1)
})
