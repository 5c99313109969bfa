import {
  DAY_MS,
  type EventPoint,
  evaluateSlo,
  HOUR_MS,
  MINUTE_MS,
  parseSlo,
  SlokitError,
  type SloSpecInput,
  sliceRule,
  type ValuePoint,
} from '@slokit/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const now = Date.UTC(2026, 5, 30, 12, 0)

const availability: SloSpecInput = {
  id: 'api-availability',
  service: 'api',
  sli: { id: 'api-requests', kind: 'availability', measurement: { type: 'ratio' } },
  objective: '99.9%',
  window: '30d',
}

const latencySli = (
  aggregation: 'p99' | 'avg' | 'min' | 'max' | 'sum' | 'rate' | 'p50',
  threshold = 300,
) => ({
  id: 'api-latency',
  kind: 'latency' as const,
  measurement: { type: 'threshold' as const, aggregation, comparison: '<=' as const, threshold },
})

/** `total` events spread over every minute of `[start, end)`, `bad` of them in the minutes listed. */
function perMinute(
  start: number,
  end: number,
  total: number,
  badAt: Map<number, number> = new Map(),
): EventPoint[] {
  const minutes = Math.round((end - start) / MINUTE_MS)
  const points: EventPoint[] = []
  let given = 0
  for (let i = 0; i < minutes; i++) {
    const n = Math.floor(((i + 1) * total) / minutes) - given
    given += n
    const t = start + i * MINUTE_MS
    points.push({ t, good: n - (badAt.get(t) ?? 0), total: n })
  }
  return points
}

describe('evaluateSlo — occurrences', () => {
  it('99.9 % over 30 days, 1,000,000 events with 500 bad: SLI 0.9995, half the budget spent', () => {
    const slo = parseSlo(availability)
    const start = now - 30 * DAY_MS
    const bad = new Map([[start + 10 * DAY_MS, 500]])
    const points = perMinute(start, now, 1_000_000, bad)
    expect(points.reduce((s, p) => s + p.total, 0)).toBe(1_000_000)

    const status = evaluateSlo(slo, { kind: 'events', resolutionMs: MINUTE_MS, points }, { now })

    expect(status.sli).toBe(0.9995)
    expect(status.met).toBe(true)
    expect(status.counts).toEqual({ good: 999_500, total: 1_000_000 })
    expect(status.budget).toEqual({
      allowed: 1000,
      spent: 500,
      consumed: 0.5,
      remaining: 0.5,
      allowedMs: null,
      remainingMs: null,
    })
    expect(status.data).toEqual({ state: 'ok', coverage: 1, lastDataMs: now, reason: null })
    expect(status.range.startMs).toBe(start)
  })

  it('with 0 events the SLI is null (no data), never 100 %, and no budget is spent', () => {
    const slo = parseSlo(availability)
    const status = evaluateSlo(slo, { kind: 'events', resolutionMs: MINUTE_MS, points: [] }, { now })
    expect(status.sli).toBeNull()
    expect(status.met).toBeNull()
    expect(status.budget).toEqual({
      allowed: 0,
      spent: 0,
      consumed: 0,
      remaining: 1,
      allowedMs: null,
      remainingMs: null,
    })
    expect(status.burnRates.every((b) => b.burnRate === null)).toBe(true)
    expect(status.data).toMatchObject({ state: 'no_data', coverage: 0, reason: 'no data in the window' })
  })

  it('measured zero traffic is no data too, with a different reason', () => {
    const slo = parseSlo(availability)
    const points = perMinute(now - 30 * DAY_MS, now, 0)
    const status = evaluateSlo(slo, { kind: 'events', resolutionMs: MINUTE_MS, points }, { now })
    expect(status.sli).toBeNull()
    expect(status.data).toMatchObject({ state: 'no_data', coverage: 1, reason: 'no events in the window' })
  })

  it('an overspent budget goes negative and is not clamped', () => {
    const slo = parseSlo(availability)
    const points = [{ t: now - HOUR_MS, good: 997, total: 1000 }]
    const status = evaluateSlo(
      slo,
      { kind: 'events', resolutionMs: MINUTE_MS, points },
      { now, minCoverage: 0 },
    )
    expect(status.sli).toBe(0.997)
    expect(status.met).toBe(false)
    expect(status.budget?.consumed).toBeCloseTo(3, 12)
    expect(status.budget?.remaining).toBeCloseTo(-2, 12)
  })

  it('a constant 1 % error rate burns a 99.9 % budget at 10× in every window', () => {
    const slo = parseSlo(availability)
    const points = perMinute(now - 30 * DAY_MS, now, 30 * 24 * 60 * 100).map((p) => ({
      ...p,
      good: p.total - 1,
    }))
    const status = evaluateSlo(slo, { kind: 'events', resolutionMs: MINUTE_MS, points }, { now })
    expect(status.burnRates.map((b) => b.windowMs / MINUTE_MS)).toEqual([5, 30, 60, 120, 360, 1440, 4320])
    for (const reading of status.burnRates) expect(reading.burnRate).toBeCloseTo(10, 9)
  })

  it('reports burn rates for the windows asked for', () => {
    const slo = parseSlo(availability)
    const points = [
      { t: now - 20 * MINUTE_MS, good: 100, total: 100 },
      { t: now - 2 * MINUTE_MS, good: 90, total: 100 },
    ]
    const status = evaluateSlo(
      slo,
      { kind: 'events', resolutionMs: MINUTE_MS, points },
      {
        now,
        burnRateWindowsMs: [5 * MINUTE_MS, HOUR_MS],
      },
    )
    expect(status.burnRates).toEqual([
      { windowMs: 5 * MINUTE_MS, burnRate: 100, good: 90, total: 100 },
      { windowMs: HOUR_MS, burnRate: 50, good: 190, total: 200 },
    ])
  })

  it('counts threshold observations that meet the threshold', () => {
    const slo = parseSlo({ ...availability, sli: latencySli('p99', 300), objective: 0.9 })
    const points: ValuePoint[] = [120, 250, 300, 301, 900].map((value, i) => ({
      t: now - (i + 1) * MINUTE_MS,
      value,
    }))
    const status = evaluateSlo(slo, { kind: 'values', points }, { now, minCoverage: 0 })
    expect(status.counts).toEqual({ good: 3, total: 5 })
    expect(status.sli).toBe(0.6)
  })

  it('marks data stale when the newest point is old, and partial when it covers little', () => {
    const slo = parseSlo(availability)
    const stale = evaluateSlo(
      slo,
      {
        kind: 'events',
        resolutionMs: MINUTE_MS,
        points: perMinute(now - 30 * DAY_MS, now - HOUR_MS, 10_000),
      },
      { now },
    )
    expect(stale.data).toMatchObject({
      state: 'stale',
      reason: 'newest data is 1h old',
      lastDataMs: now - HOUR_MS,
    })
    expect(stale.sli).toBe(1) // still computed: the reader decides with `data.state`

    const recent = evaluateSlo(
      slo,
      { kind: 'events', resolutionMs: MINUTE_MS, points: perMinute(now - 2 * MINUTE_MS, now, 1000) },
      { now },
    )
    expect(recent.data.state).toBe('partial')
    expect(recent.data.coverage).toBeCloseTo(2 / (30 * 24 * 60), 12)
    expect(recent.data.reason).toBe('data covers 0.00463% of the window')
  })

  it('tolerates points out of order', () => {
    const slo = parseSlo(availability)
    const points = [
      { t: now - 2 * MINUTE_MS, good: 90, total: 100 },
      { t: now - 20 * MINUTE_MS, good: 100, total: 100 },
    ]
    const status = evaluateSlo(
      slo,
      { kind: 'events', resolutionMs: MINUTE_MS, points },
      { now, burnRateWindowsMs: [5 * MINUTE_MS] },
    )
    expect(status.burnRates[0]?.total).toBe(100)
    expect(status.counts.total).toBe(200)
  })

  it('rejects a series of the wrong kind', () => {
    const slo = parseSlo(availability)
    expect(() => evaluateSlo(slo, { kind: 'values', points: [] }, { now })).toThrow(SlokitError)
    expect(() => evaluateSlo(slo, { kind: 'values', points: [] }, { now })).toThrow(
      /needs a series of kind "events"/,
    )
  })

  it('calendar windows count from the period start', () => {
    const slo = parseSlo({ ...availability, window: { calendar: 'month', timeZone: 'UTC' } })
    const points = [
      { t: Date.UTC(2026, 4, 31, 23, 59), good: 0, total: 50 }, // May: outside the June window
      { t: Date.UTC(2026, 5, 1, 0, 0), good: 99, total: 100 },
    ]
    const status = evaluateSlo(
      slo,
      { kind: 'events', resolutionMs: MINUTE_MS, points },
      { now, minCoverage: 0 },
    )
    expect(status.counts).toEqual({ good: 99, total: 100 })
    expect(status.range).toMatchObject({ startMs: Date.UTC(2026, 5, 1), periodEndMs: Date.UTC(2026, 6, 1) })
  })

  it('SLI stays within [0, 1] and remaining budget never rises when only bad events are added', () => {
    const slo = parseSlo(availability)
    const minute = fc.integer({ min: 1, max: 30 * 24 * 60 })
    const point = fc.record({ minute, good: fc.nat(1000), bad: fc.nat(1000) })
    fc.assert(
      fc.property(
        fc.array(point, { maxLength: 40 }),
        minute,
        fc.integer({ min: 1, max: 1000 }),
        (raw, at, extraBad) => {
          const byMinute = new Map<number, EventPoint>()
          for (const r of raw) {
            const t = now - r.minute * MINUTE_MS
            const prev = byMinute.get(t) ?? { t, good: 0, total: 0 }
            byMinute.set(t, { t, good: prev.good + r.good, total: prev.total + r.good + r.bad })
          }
          const series = (points: Map<number, EventPoint>) => ({
            kind: 'events' as const,
            resolutionMs: MINUTE_MS,
            points: [...points.values()].sort((a, b) => a.t - b.t),
          })
          const before = evaluateSlo(slo, series(byMinute), { now })
          const t = now - at * MINUTE_MS
          const prev = byMinute.get(t) ?? { t, good: 0, total: 0 }
          byMinute.set(t, { t, good: prev.good, total: prev.total + extraBad })
          const after = evaluateSlo(slo, series(byMinute), { now })
          for (const s of [before, after]) {
            if (s.sli !== null) {
              expect(s.sli).toBeGreaterThanOrEqual(0)
              expect(s.sli).toBeLessThanOrEqual(1)
            }
          }
          expect(after.budget!.remaining).toBeLessThanOrEqual(before.budget!.remaining)
        },
      ),
    )
  })
})

describe('evaluateSlo — timeslices', () => {
  const sliced = (aggregation: Parameters<typeof latencySli>[0], extra: Partial<SloSpecInput> = {}) =>
    parseSlo({
      ...availability,
      sli: latencySli(aggregation),
      budgetingMethod: 'timeslices',
      timeslice: { length: '1m' },
      ...extra,
    })

  it('99.9 % of a 30-day window is 43.2 minutes of budget', () => {
    const status = evaluateSlo(sliced('p99'), { kind: 'values', points: [] }, { now })
    expect(status.budget?.allowedMs).toBe(43.2 * MINUTE_MS)
    expect(status.budget?.allowed).toBe(43.2)
  })

  it('judges each slice by its nearest-rank p99 and spends budget per bad slice', () => {
    const slo = sliced('p99')
    const points: ValuePoint[] = []
    // Slice A: 100 values, one above 300 ms → p99 is the 99th value (≤ 300) → good.
    for (let i = 0; i < 100; i++)
      points.push({ t: now - 3 * MINUTE_MS + i * 100, value: i === 0 ? 5000 : 100 })
    // Slice B: 100 values, two above → p99 is above 300 ms → bad.
    for (let i = 0; i < 100; i++) points.push({ t: now - 2 * MINUTE_MS + i * 100, value: i < 2 ? 5000 : 100 })
    // The slice starting at `now` is still open half a minute later and is not judged yet.
    points.push({ t: now + 10_000, value: 9999 })
    const status = evaluateSlo(slo, { kind: 'values', points }, { now: now + 30_000, minCoverage: 0 })
    expect(status.counts).toEqual({ good: 1, total: 2 })
    expect(status.sli).toBe(0.5)
    expect(status.budget).toMatchObject({
      spent: 1,
      allowedMs: 43.2 * MINUTE_MS,
      remainingMs: 42.2 * MINUTE_MS,
    })
    expect(status.budget?.consumed).toBeCloseTo(1 / 43.2, 12)
  })

  it.each([
    ['avg', [100, 200, 700], 300, false], // avg 333
    ['avg', [100, 200, 500], 300, true], // avg 266
    ['max', [100, 200, 301], 300, false],
    ['min', [301, 400, 900], 300, false],
    ['min', [299, 400, 900], 300, true],
    ['sum', [100, 100, 100], 300, true],
    ['sum', [100, 100, 101], 300, false],
    ['rate', [6000, 12000], 300, true], // 18000 per 60 s = 300/s
    ['rate', [6000, 12001], 300, false],
    ['p50', [100, 100, 900, 900], 300, true], // nearest rank: 2nd of 4 = 100
    ['p50', [100, 900, 900, 900], 300, false],
  ] as const)('%s of %j against ≤ %d is good: %s', (aggregation, values, threshold, good) => {
    const slo = parseSlo({
      ...availability,
      sli: latencySli(aggregation, threshold),
      budgetingMethod: 'timeslices',
      timeslice: { length: '1m' },
    })
    const points = values.map((value, i) => ({ t: now - MINUTE_MS + i, value }))
    const status = evaluateSlo(slo, { kind: 'values', points }, { now, minCoverage: 0 })
    expect(status.counts).toEqual({ good: good ? 1 : 0, total: 1 })
  })

  it('percentile verdicts agree with a sorted nearest-rank percentile', () => {
    const percentiles = { p50: 50, p90: 90, p95: 95, p99: 99 } as const
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 300 }),
        fc.constantFrom('p50', 'p90', 'p95', 'p99' as const),
        fc.constantFrom('<=', '<', '>=', '>' as const),
        fc.integer({ min: 0, max: 1000 }),
        (values, aggregation, comparison, threshold) => {
          const slo = parseSlo({
            ...availability,
            sli: {
              id: 'x',
              kind: 'latency',
              measurement: { type: 'threshold', aggregation, comparison, threshold },
            },
            budgetingMethod: 'timeslices',
            timeslice: { length: '1m' },
          })
          const rule = sliceRule(slo)
          let a = rule.initial
          for (const v of values) a += rule.contribution(v)
          const sorted = [...values].sort((x, y) => x - y)
          const rank = Math.ceil((percentiles[aggregation] / 100) * sorted.length)
          const p = sorted[rank - 1] as number
          const expected = {
            '<=': p <= threshold,
            '<': p < threshold,
            '>=': p >= threshold,
            '>': p > threshold,
          }[comparison]
          expect(rule.good(a, values.length)).toBe(expected)
        },
      ),
      { numRuns: 500 },
    )
  })

  it.each([
    ['ignore', { good: 1, total: 1 }],
    ['good', { good: 3, total: 3 }],
    ['bad', { good: 1, total: 3 }],
  ] as const)('slices without data follow the noData policy: %s', (noData, counts) => {
    const slo = parseSlo({
      ...availability,
      window: '3m',
      sli: { ...latencySli('avg'), noData },
      budgetingMethod: 'timeslices',
      timeslice: { length: '1m' },
    })
    const points = [{ t: now - 3 * MINUTE_MS, value: 100 }]
    const status = evaluateSlo(
      slo,
      { kind: 'values', points },
      { now, burnRateWindowsMs: [], minCoverage: 0 },
    )
    expect(status.counts).toEqual(counts)
  })

  it('a ratio SLI under timeslices counts slices whose good ratio reaches the slice objective', () => {
    const slo = parseSlo({
      ...availability,
      budgetingMethod: 'timeslices',
      timeslice: { length: '1m', objective: '95%' },
    })
    const points = [
      { t: now - 3 * MINUTE_MS, good: 95, total: 100 }, // good
      { t: now - 2 * MINUTE_MS, good: 94, total: 100 }, // bad
      { t: now - 1 * MINUTE_MS, good: 0, total: 0 }, // no traffic: ignored
    ]
    const status = evaluateSlo(
      slo,
      { kind: 'events', resolutionMs: MINUTE_MS, points },
      { now, minCoverage: 0 },
    )
    expect(status.counts).toEqual({ good: 1, total: 2 })
  })

  it('ratio_timeslices is the mean of per-slice ratios, not the event ratio', () => {
    const slo = parseSlo({
      ...availability,
      objective: 0.5,
      budgetingMethod: 'ratio_timeslices',
      timeslice: { length: '1m' },
    })
    const points = [
      { t: now - 2 * MINUTE_MS, good: 1, total: 1 }, // ratio 1
      { t: now - 1 * MINUTE_MS, good: 50, total: 100 }, // ratio 0.5
    ]
    const status = evaluateSlo(
      slo,
      { kind: 'events', resolutionMs: MINUTE_MS, points },
      { now, minCoverage: 0 },
    )
    expect(status.sli).toBe(0.75) // events would say 51/101
    expect(status.budget).toMatchObject({ allowed: 1, spent: 0.5, consumed: 0.5, remaining: 0.5 })
  })

  it('a calendar-month timeslices budget is measured against the whole month', () => {
    const slo = sliced('p99', { window: { calendar: 'month', timeZone: 'UTC' } })
    const status = evaluateSlo(slo, { kind: 'values', points: [] }, { now })
    expect(status.budget?.allowedMs).toBe(0.001 * 30 * DAY_MS) // June has 30 days
  })
})

describe('evaluateSlo — budget corrections (exclusions)', () => {
  const maintenance = {
    startMs: now - 3 * HOUR_MS,
    endMs: now - 2 * HOUR_MS,
    reason: 'database failover drill',
  }

  it('leaves excluded events out of the SLI and the budget, and says what it left out', () => {
    const slo = parseSlo(availability)
    const points = [
      { t: now - 4 * HOUR_MS, good: 1000, total: 1000 },
      { t: now - 3 * HOUR_MS, good: 500, total: 1000 }, // inside the drill
      { t: now - HOUR_MS, good: 999, total: 1000 },
    ]
    const status = evaluateSlo(
      slo,
      { kind: 'events', resolutionMs: HOUR_MS, points },
      { now, minCoverage: 0, exclusions: [maintenance] },
    )
    expect(status.counts).toEqual({ good: 1999, total: 2000 })
    expect(status.sli).toBe(0.9995)
    expect(status.excluded).toEqual({ good: 500, total: 1000, ranges: [maintenance] })
    const without = evaluateSlo(
      slo,
      { kind: 'events', resolutionMs: HOUR_MS, points },
      { now, minCoverage: 0 },
    )
    expect(without.counts.total).toBe(3000)
    expect(without.excluded).toBeNull()
  })

  it('neither counts nor charges timeslices inside an exclusion, and shrinks the time budget', () => {
    const slo = parseSlo({
      ...availability,
      window: '1d',
      sli: latencySli('max'),
      budgetingMethod: 'timeslices',
      timeslice: { length: '1h' },
    })
    const points = [
      { t: now - 4 * HOUR_MS, value: 100 },
      { t: now - 3 * HOUR_MS, value: 5000 }, // a bad hour, inside the drill
      { t: now - 2 * HOUR_MS, value: 100 },
    ]
    const status = evaluateSlo(
      slo,
      { kind: 'values', resolutionMs: HOUR_MS, points },
      { now, minCoverage: 0, exclusions: [maintenance] },
    )
    expect(status.counts).toEqual({ good: 2, total: 2 })
    expect(status.budget?.allowedMs).toBeCloseTo(0.001 * 23 * HOUR_MS, 6)
    expect(status.excluded).toMatchObject({ total: 1, ranges: [maintenance] })
  })

  it('ignores exclusions that do not touch the window', () => {
    const slo = parseSlo(availability)
    const old = { startMs: now - 40 * DAY_MS, endMs: now - 39 * DAY_MS, reason: 'last quarter' }
    const status = evaluateSlo(
      slo,
      { kind: 'events', resolutionMs: MINUTE_MS, points: [] },
      { now, exclusions: [old] },
    )
    expect(status.excluded).toBeNull()
  })
})
