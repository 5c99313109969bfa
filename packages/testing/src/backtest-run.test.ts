import { alertsSectionSchema } from '@slokit/alerting'
import { DAY_MS, type EventPoint, HOUR_MS, MINUTE_MS, parseSlo } from '@slokit/core'
import { MemorySource } from '@slokit/testing'
import { backtestAlerts, significantEvents } from '@slokit/testing/alerts'
import { describe, expect, it } from 'vitest'

const start = Date.UTC(2026, 9, 1)
const slo = parseSlo({
  id: 'api-availability',
  service: 'api',
  sli: { id: 'api-requests', kind: 'availability', measurement: { type: 'ratio' } },
  objective: '99.9%',
  window: '30d',
})

/** One point a minute, 1000 requests each, with the error ratio `errors(t)`. */
function minutes(days: number, errors: (t: number) => number): EventPoint[] {
  return Array.from({ length: (days * DAY_MS) / MINUTE_MS }, (_, i) => {
    const t = start + i * MINUTE_MS
    return { t, good: 1000 - Math.round(1000 * errors(t)), total: 1000 }
  })
}
const within = (t: number, fromMs: number, lengthMs: number) =>
  t >= start + fromMs && t < start + fromMs + lengthMs

describe('significantEvents', () => {
  // 1000 requests a minute: a 30-day budget of 0.001 × 1000 × 43,200 = 43,200 bad requests.
  const points = minutes(2, (t) => {
    if (within(t, 10 * HOUR_MS, HOUR_MS)) return 0.1 // 6,000 bad: 13.9 % of the budget
    if (within(t, 20 * HOUR_MS, 10 * MINUTE_MS)) return 0.005 // 50 bad: 0.12 %
    if (within(t, 30 * HOUR_MS, 20 * MINUTE_MS) || within(t, 30 * HOUR_MS + 40 * MINUTE_MS, 20 * MINUTE_MS))
      return 0.05 // 2 × 1,000 bad, 20 min apart
    return 0
  })
  const series = { kind: 'events' as const, resolutionMs: MINUTE_MS, points }

  it('finds stretches burning faster than allowed that spend at least 2 % of the budget, merging close ones', () => {
    expect(significantEvents(slo, series)).toEqual([
      { sloId: slo.id, startMs: start + 10 * HOUR_MS, endMs: start + 11 * HOUR_MS },
      { sloId: slo.id, startMs: start + 30 * HOUR_MS, endMs: start + 31 * HOUR_MS },
    ])
  })

  it('takes the thresholds as options', () => {
    expect(significantEvents(slo, series, { minBudgetSpent: 0.001 })).toHaveLength(3)
    // Unmerged, each 20-minute half spends 2.3 % on its own.
    expect(
      significantEvents(slo, series, { mergeGapMs: 10 * MINUTE_MS }).map(
        (e) => (e.endMs - e.startMs) / MINUTE_MS,
      ),
    ).toEqual([60, 20, 20])
    expect(significantEvents(slo, series, { minBudgetSpent: 0.2 })).toEqual([])
  })

  it('counts each value of a threshold SLI as one event, bad when it misses the threshold', () => {
    const latency = parseSlo({
      id: 'api-latency',
      service: 'api',
      sli: {
        id: 'api-latency',
        kind: 'latency',
        measurement: { type: 'threshold', comparison: '<=', threshold: 300 },
      },
      objective: '99%',
      window: '1d',
    })
    const values = Array.from({ length: 1440 }, (_, i) => ({
      t: start + i * MINUTE_MS,
      value: i >= 600 && i < 630 ? 900 : 100,
    }))
    // 30 slow minutes of a day: 208 % of a 1 % budget (14.4 minutes).
    expect(significantEvents(latency, { kind: 'values', resolutionMs: MINUTE_MS, points: values })).toEqual([
      { sloId: latency.id, startMs: start + 600 * MINUTE_MS, endMs: start + 630 * MINUTE_MS },
    ])
  })
})

describe('backtestAlerts', () => {
  it('scores the SRE Workbook rules over data: the outage pages within minutes, nothing else fires', async () => {
    const outage = 4 * DAY_MS + 6 * HOUR_MS
    const source = new MemorySource({ name: 'export', resolutionMs: MINUTE_MS }).addEvents(
      'api-requests',
      minutes(6, (t) => (within(t, outage, HOUR_MS) ? 1 : 0.0002)),
    )
    const result = await backtestAlerts({
      slos: [slo],
      alerts: alertsSectionSchema.parse({ rules: [{ name: 'burn', type: 'burn_rate' }] }),
      source,
      range: { startMs: start + 3 * DAY_MS, endMs: start + 6 * DAY_MS },
    })
    expect(result.events).toEqual([
      { sloId: slo.id, startMs: start + outage, endMs: start + outage + HOUR_MS },
    ])
    expect(result.evaluations).toBe((3 * DAY_MS) / (5 * MINUTE_MS) + 1)
    const page = result.scores.find((s) => s.tier === 'page')
    expect(page).toMatchObject({ precision: 1, recall: 1, falsePositives: 0, missed: 0 })
    // 52 s of theory, rounded up to the next 5-minute evaluation.
    expect(page?.detectionTimeMs?.max).toBe(5 * MINUTE_MS)
    // Every notification went to the recorder: routes are ignored, nothing leaves the process.
    expect(new Set(result.notifications.map((n) => n.channel))).toEqual(new Set(['backtest']))
  })
})
