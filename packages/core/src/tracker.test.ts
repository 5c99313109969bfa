import {
  type Clock,
  createSloTracker,
  DAY_MS,
  type EventPoint,
  evaluateSlo,
  HOUR_MS,
  type Logger,
  MINUTE_MS,
  parseSlo,
  SlokitError,
  type SloSpecInput,
  type ValuePoint,
} from '@slokit/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const start = Date.UTC(2026, 2, 1)

function clockAt(ms: number): Clock & { set(ms: number): void } {
  let now = ms
  return {
    now: () => now,
    set: (next) => {
      now = next
    },
  }
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = []
  const ignore = () => {}
  return {
    warnings,
    debug: ignore,
    info: ignore,
    error: ignore,
    warn: (message) => void warnings.push(message),
  }
}

const availability: SloSpecInput = {
  id: 'api-availability',
  service: 'api',
  sli: { id: 'api-requests', kind: 'availability', measurement: { type: 'ratio' } },
  objective: '99.9%',
  window: '30d',
}

const latency: SloSpecInput = {
  id: 'api-latency',
  service: 'api',
  sli: {
    id: 'api-latency',
    kind: 'latency',
    measurement: { type: 'threshold', aggregation: 'p99', comparison: '<=', threshold: 300 },
  },
  objective: '99%',
  window: '1d',
  budgetingMethod: 'timeslices',
  timeslice: { length: '1m' },
}

describe('createSloTracker', () => {
  it('1,000,000 events with 500 bad over 30 days: SLI 0.9995, half the 99.9 % budget left', () => {
    const clock = clockAt(start)
    const tracker = createSloTracker({ slos: [availability], clock })
    const recorder = tracker.recorder('api-availability')
    for (let i = 0; i < 1_000_000; i++) {
      recorder.record(i % 2000 !== 0, start + Math.floor((i * (30 * DAY_MS - HOUR_MS)) / 1_000_000))
    }
    clock.set(start + 30 * DAY_MS - HOUR_MS)
    const status = tracker.status('api-availability')
    expect(status.counts).toEqual({ good: 999_500, total: 1_000_000 })
    expect(status.sli).toBe(0.9995)
    expect(status.budget).toEqual({
      allowed: 1000,
      spent: 500,
      consumed: 0.5,
      remaining: 0.5,
      allowedMs: null,
      remainingMs: null,
    })
    expect(status.data.state).toBe('ok')
  })

  it('counts an event recorded at the evaluation instant', () => {
    const clock = clockAt(start)
    const tracker = createSloTracker({ slos: [availability], clock })
    tracker.record('api-availability', false)
    expect(tracker.status('api-availability').counts).toEqual({ good: 0, total: 1 })
  })

  it('accepts batched counts', () => {
    const tracker = createSloTracker({ slos: [availability], clock: clockAt(start) })
    tracker.record('api-availability', { good: 98, total: 100 })
    expect(tracker.status('api-availability').sli).toBe(0.98)
  })

  it('reports how little data a young tracker stands on', () => {
    const clock = clockAt(start)
    const tracker = createSloTracker({ slos: [availability], clock })
    tracker.record('api-availability', true)
    clock.set(start + 2 * MINUTE_MS)
    const status = tracker.status('api-availability')
    expect(status.sli).toBe(1)
    expect(status.data.state).toBe('partial')
    expect(status.data.coverage).toBeCloseTo(2 / (30 * 24 * 60), 12)
  })

  it('has no data, not a perfect SLI, before any event', () => {
    const tracker = createSloTracker({ slos: [availability], clock: clockAt(start) })
    const status = tracker.status('api-availability')
    expect(status.sli).toBeNull()
    expect(status.met).toBeNull()
    expect(status.data.state).toBe('no_data')
  })

  it('agrees with evaluateSlo on the same events (occurrences)', () => {
    const slo = parseSlo(availability)
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ minute: fc.integer({ min: 0, max: 6 * 60 - 1 }), good: fc.nat(20), bad: fc.nat(5) }),
          {
            maxLength: 60,
          },
        ),
        (raw) => {
          const clock = clockAt(start)
          const tracker = createSloTracker({ slos: [slo], clock })
          const byMinute = new Map<number, EventPoint>()
          for (const r of [...raw].sort((a, b) => a.minute - b.minute)) {
            const t = start + r.minute * MINUTE_MS
            tracker.record(slo.id, { good: r.good, total: r.good + r.bad }, t)
            const prev = byMinute.get(t) ?? { t, good: 0, total: 0 }
            byMinute.set(t, { t, good: prev.good + r.good, total: prev.total + r.good + r.bad })
          }
          const now = start + 6 * HOUR_MS
          const fromTracker = tracker.status(slo.id, now)
          const fromSeries = evaluateSlo(
            slo,
            { kind: 'events', resolutionMs: MINUTE_MS, points: [...byMinute.values()] },
            { now },
          )
          expect(fromTracker.sli).toBe(fromSeries.sli)
          expect(fromTracker.budget).toEqual(fromSeries.budget)
          expect(fromTracker.burnRates).toEqual(fromSeries.burnRates)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('agrees with evaluateSlo on the same values (timeslices, p99)', () => {
    const slo = parseSlo(latency)
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            offsetMs: fc.integer({ min: 0, max: 3 * HOUR_MS }),
            value: fc.integer({ min: 1, max: 600 }),
          }),
          {
            maxLength: 400,
          },
        ),
        (raw) => {
          const tracker = createSloTracker({ slos: [slo], clock: clockAt(start) })
          const points: ValuePoint[] = [...raw]
            .sort((a, b) => a.offsetMs - b.offsetMs)
            .map((r) => ({ t: start + r.offsetMs, value: r.value }))
          for (const p of points) tracker.observe(slo.id, p.value, p.t)
          const now = start + 3 * HOUR_MS + 30_000
          const fromTracker = tracker.status(slo.id, now)
          const fromSeries = evaluateSlo(slo, { kind: 'values', points }, { now })
          expect(fromTracker.counts).toEqual(fromSeries.counts)
          expect(fromTracker.budget).toEqual(fromSeries.budget)
          expect(fromTracker.burnRates).toEqual(fromSeries.burnRates)
        },
      ),
      { numRuns: 100 },
    )
  })

  it('books a timeslice when it ends and applies the noData policy to silent slices', () => {
    const clock = clockAt(start)
    const tracker = createSloTracker({
      slos: [
        { ...latency, id: 'ignore', sli: { ...latency.sli, noData: 'ignore' } },
        { ...latency, id: 'bad', sli: { ...latency.sli, noData: 'bad' } },
      ],
      clock,
    })
    for (const id of ['ignore', 'bad']) {
      tracker.observe(id, 100, start + 10_000) // slice 0: good
      tracker.observe(id, 900, start + 70_000) // slice 1: bad
    }
    clock.set(start + 5 * MINUTE_MS) // slices 2–4 saw nothing
    expect(tracker.status('ignore').counts).toEqual({ good: 1, total: 2 })
    expect(tracker.status('bad').counts).toEqual({ good: 1, total: 5 })
  })

  it('keeps ratio_timeslices as the mean of slice ratios', () => {
    const tracker = createSloTracker({
      slos: [
        { ...availability, objective: 0.5, budgetingMethod: 'ratio_timeslices', timeslice: { length: '1m' } },
      ],
      clock: clockAt(start + 3 * MINUTE_MS),
    })
    tracker.record('api-availability', { good: 1, total: 1 }, start + 3 * MINUTE_MS)
    tracker.record('api-availability', { good: 50, total: 100 }, start + 4 * MINUTE_MS)
    expect(tracker.status('api-availability', start + 5 * MINUTE_MS).sli).toBe(0.75)
  })

  it('answers calendar windows from the period start', () => {
    const clock = clockAt(Date.UTC(2026, 2, 31, 23))
    const tracker = createSloTracker({ slos: [{ ...availability, window: { calendar: 'month' } }], clock })
    tracker.record('api-availability', false) // March
    clock.set(Date.UTC(2026, 3, 1, 1))
    tracker.record('api-availability', true) // April
    const status = tracker.status('api-availability')
    expect(status.counts).toEqual({ good: 1, total: 1 })
    expect(status.range).toMatchObject({ startMs: Date.UTC(2026, 3, 1), periodEndMs: Date.UTC(2026, 4, 1) })
  })

  it('never throws on the recording path: drops, counts and warns once per SLO and reason', () => {
    const logger = recordingLogger()
    const tracker = createSloTracker({ slos: [availability, latency], clock: clockAt(start), logger })
    tracker.record('nope', true)
    tracker.record('nope', true)
    tracker.observe('api-availability', 12)
    tracker.record('api-latency', true)
    tracker.record('api-availability', { good: 5, total: 3 })
    tracker.record('api-availability', true, Number.NaN)
    tracker.observe('api-latency', Number.POSITIVE_INFINITY)
    tracker.recorder('missing').record(true)
    tracker.record('api-availability', true, start - 40 * DAY_MS)
    expect(tracker.dropped()).toEqual({ unknown_slo: 3, wrong_method: 2, invalid_value: 3, too_old: 1 })
    expect(logger.warnings).toHaveLength(7)
    expect(logger.warnings[0]).toBe(
      '[slokit/core] tracker dropped an event for SLO "nope": no SLO with this id is tracked',
    )
    expect(tracker.status('api-availability').counts.total).toBe(0)
  })

  it('drops events for a timeslice that was already booked', () => {
    const tracker = createSloTracker({ slos: [latency], clock: clockAt(start) })
    tracker.observe('api-latency', 100, start + 2 * MINUTE_MS)
    tracker.observe('api-latency', 100, start + 10)
    expect(tracker.dropped().too_old).toBe(1)
  })

  it('throws UNKNOWN_SLO when asked for a status it does not track', () => {
    const tracker = createSloTracker({ slos: [availability], clock: clockAt(start) })
    expect(() => tracker.status('nope')).toThrow(SlokitError)
    expect(() => tracker.status('nope')).toThrow(/no SLO "nope"/)
  })

  it('validates SLO inputs at creation and rejects duplicate ids', () => {
    expect(() => createSloTracker({ slos: [{ ...availability, objective: 2 }] })).toThrow(/Invalid SLO/)
    expect(() => createSloTracker({ slos: [availability, availability] })).toThrow(/given twice/)
  })

  it('remaining budget never rises when only bad events are added', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 200 }),
        fc.integer({ min: 1, max: 50 }),
        (outcomes, extraBad) => {
          const clock = clockAt(start)
          const tracker = createSloTracker({ slos: [availability], clock })
          for (const [i, ok] of outcomes.entries()) tracker.record('api-availability', ok, start + i * 1000)
          clock.set(start + outcomes.length * 1000)
          const before = tracker.status('api-availability')
          for (let i = 0; i < extraBad; i++) tracker.record('api-availability', false)
          const after = tracker.status('api-availability')
          // Up to rounding: 2 bad of 2 and 34 bad of 34 both leave exactly −999.
          expect(after.budget!.remaining).toBeLessThanOrEqual(
            before.budget!.remaining + 1e-12 * Math.abs(before.budget!.remaining),
          )
          if (after.sli !== null) expect(after.sli).toBeGreaterThanOrEqual(0)
        },
      ),
    )
  })

  it('stays within 64 KiB per SLO at a 30-day window', () => {
    const tracker = createSloTracker({ slos: [availability], clock: clockAt(start) })
    expect(tracker.memoryBytes('api-availability')).toBeLessThanOrEqual(64 * 1024)
  })
})
