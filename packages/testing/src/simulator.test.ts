import { createSloTracker, DAY_MS, HOUR_MS, MINUTE_MS, parseSli, SlokitError } from '@slokit/core'
import {
  FakeClock,
  MemorySource,
  simulateTraffic,
  type TrafficOptions,
  type TrafficStep,
} from '@slokit/testing'
import { describe, expect, it, vi } from 'vitest'

const T0 = Date.UTC(2026, 0, 1)

const collect = (options: TrafficOptions): TrafficStep[] => [...simulateTraffic(options).steps()]

/** Errors, requests and latencies of the steps inside `[fromMs, toMs)`. */
function within(steps: readonly TrafficStep[], fromMs: number, toMs: number) {
  let requests = 0
  let errors = 0
  const latencies: number[] = []
  for (const step of steps) {
    if (step.startMs < fromMs || step.endMs > toMs) continue
    requests += step.requests
    errors += step.errors
    latencies.push(...step.latenciesMs)
  }
  return { requests, errors, latencies }
}

/** The nearest-rank quantile `q` of `values`. */
function quantile(values: number[], q: number): number {
  const sorted = Float64Array.from(values).sort()
  return sorted[Math.ceil(q * sorted.length) - 1]!
}

describe('simulateTraffic', () => {
  describe('determinism', () => {
    const options: TrafficOptions = {
      seed: 7,
      startMs: T0,
      durationMs: 6 * HOUR_MS,
      requestsPerMinute: 30,
      incidents: [{ startMs: T0 + HOUR_MS, durationMs: 30 * MINUTE_MS, errorRate: 0.3, latencyFactor: 2 }],
    }

    it('gives identical steps for the same seed, on every call', () => {
      const first = collect(options)
      expect(collect(options)).toEqual(first)
      // A second run of the same simulation object replays the same traffic too.
      const simulation = simulateTraffic(options)
      expect([...simulation.steps()]).toEqual([...simulation.steps()])
    })

    it('gives different traffic for a different seed', () => {
      const a = collect(options)
      const b = collect({ ...options, seed: 8 })
      expect(b.map((s) => s.requests)).not.toEqual(a.map((s) => s.requests))
      expect(b[0]!.latenciesMs).not.toEqual(a[0]!.latenciesMs)
    })

    it('never reads the wall clock', () => {
      const now = vi.spyOn(Date, 'now').mockImplementation(() => {
        throw new Error('Date.now() called')
      })
      try {
        const simulation = simulateTraffic(options)
        simulation.totals()
        simulation.events()
        simulation.latencyValues()
      } finally {
        now.mockRestore()
      }
    })
  })

  describe('steps', () => {
    it('cover [startMs, startMs + durationMs) without gaps, the last one shorter when needed', () => {
      const steps = collect({
        seed: 1,
        startMs: T0,
        durationMs: 10 * MINUTE_MS + 30_000,
        requestsPerMinute: 10,
      })
      expect(steps).toHaveLength(11)
      expect(steps[0]!.startMs).toBe(T0)
      for (let i = 1; i < steps.length; i++) expect(steps[i]!.startMs).toBe(steps[i - 1]!.endMs)
      expect(steps.at(-1)!.endMs).toBe(T0 + 10 * MINUTE_MS + 30_000)
      expect(steps.at(-1)!.endMs - steps.at(-1)!.startMs).toBe(30_000)
    })

    it('hold one latency and one error flag per request, errors counted among the requests', () => {
      const steps = collect({
        seed: 3,
        startMs: T0,
        durationMs: HOUR_MS,
        requestsPerMinute: 100,
        errorRate: 0.1,
      })
      for (const step of steps) {
        expect(step.latenciesMs).toHaveLength(step.requests)
        expect(step.errorFlags).toHaveLength(step.requests)
        expect(step.errorFlags.reduce((sum, flag) => sum + flag, 0)).toBe(step.errors)
        expect(step.errors).toBeLessThanOrEqual(step.requests)
        for (const latency of step.latenciesMs) expect(latency).toBeGreaterThan(0)
      }
    })

    it('are empty for a zero duration and have no requests at zero traffic', () => {
      expect(collect({ seed: 1, startMs: T0, durationMs: 0, requestsPerMinute: 60 })).toEqual([])
      const silent = collect({ seed: 1, startMs: T0, durationMs: HOUR_MS, requestsPerMinute: 0 })
      expect(silent).toHaveLength(60)
      expect(silent.every((s) => s.requests === 0)).toBe(true)
    })
  })

  describe('statistics (tolerances are 5 standard deviations of the estimate, so no seed is cherry-picked)', () => {
    it('long-run error rate matches errorRate for several seeds', () => {
      for (const seed of [1, 2, 3]) {
        const { requests, errors } = simulateTraffic({
          seed,
          startMs: T0,
          durationMs: 7 * DAY_MS,
          requestsPerMinute: 60,
          errorRate: 0.001,
        }).totals()
        // Errors ~ Binomial(n, p): sd = sqrt(n p (1 − p)) ≈ 24.6 for n ≈ 604 800.
        const sd = Math.sqrt(requests * 0.001 * 0.999)
        expect(Math.abs(errors - requests * 0.001)).toBeLessThan(5 * sd)
      }
    })

    it('total requests match requestsPerMinute over whole days (the daily swing averages out)', () => {
      const { requests } = simulateTraffic({
        seed: 4,
        startMs: T0,
        durationMs: 7 * DAY_MS,
        requestsPerMinute: 60,
      }).totals()
      // A sum of Poisson counts: variance = mean = 604 800, sd ≈ 778.
      const expected = 7 * 24 * 60 * 60
      expect(Math.abs(requests - expected)).toBeLessThan(5 * Math.sqrt(expected))
    })

    it('request counts are Poisson: mean and variance per step both equal the expected count', () => {
      for (const rpm of [1, 600]) {
        const days = rpm === 1 ? 10 : 1
        const counts = collect({
          seed: 5,
          startMs: T0,
          durationMs: days * DAY_MS,
          requestsPerMinute: rpm,
          dailyAmplitude: 0,
        }).map((s) => s.requests)
        const n = counts.length
        const mean = counts.reduce((a, b) => a + b, 0) / n
        const variance = counts.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)
        // sd of the mean: sqrt(λ/n); sd of the sample variance of a Poisson: sqrt((λ + 2λ²)/n).
        expect(Math.abs(mean - rpm)).toBeLessThan(5 * Math.sqrt(rpm / n))
        expect(Math.abs(variance - rpm)).toBeLessThan(5 * Math.sqrt((rpm + 2 * rpm * rpm) / n))
      }
    })

    it('latencies follow the lognormal with the configured median and p99', () => {
      const { latencies } = within(
        collect({
          seed: 6,
          startMs: T0,
          durationMs: DAY_MS,
          requestsPerMinute: 120,
          latency: { medianMs: 80, p99Ms: 400 },
        }),
        T0,
        T0 + DAY_MS,
      )
      // Sample quantile: relative sd ≈ σ·sqrt(q(1−q)/n)/φ(z_q), with σ = ln(5)/2.326 ≈ 0.69 and
      // n ≈ 172 800: 0.2 % at the median, 0.6 % at p99. Bounds: 5 sd.
      expect(Math.abs(quantile(latencies, 0.5) / 80 - 1)).toBeLessThan(0.011)
      expect(Math.abs(quantile(latencies, 0.99) / 400 - 1)).toBeLessThan(0.032)
    })

    it('traffic peaks at peakHourUtc with the configured amplitude', () => {
      for (const peakHourUtc of [15, 3.5]) {
        const steps = collect({
          seed: 9,
          startMs: T0,
          durationMs: 7 * DAY_MS,
          requestsPerMinute: 60,
          dailyAmplitude: 0.5,
          peakHourUtc,
        })
        // First Fourier coefficient of the counts over the time of day: its phase is the peak
        // time and 2|S|/N the amplitude. Noise in S is ~sqrt(N/2) ≈ 550 against |S| ≈ 151 200,
        // so the phase is good to ~0.004 rad (0.015 h) and the amplitude to ~0.002.
        let re = 0
        let im = 0
        let total = 0
        for (const step of steps) {
          const angle = (2 * Math.PI * (((step.startMs + step.endMs) / 2) % DAY_MS)) / DAY_MS
          re += step.requests * Math.cos(angle)
          im += step.requests * Math.sin(angle)
          total += step.requests
        }
        const peakHour = ((Math.atan2(im, re) / (2 * Math.PI)) * 24 + 24) % 24
        expect(Math.abs(peakHour - peakHourUtc)).toBeLessThan(0.1)
        expect(Math.abs((2 * Math.hypot(re, im)) / total - 0.5)).toBeLessThan(0.02)
      }
    })

    it('the default daily curve peaks at 15:00 UTC and is 30 % above the mean there', () => {
      const steps = collect({ seed: 2, startMs: T0, durationMs: 14 * DAY_MS, requestsPerMinute: 100 })
      // Hour-long bins centred on each full hour, so the bin at the peak is symmetric around it.
      const bins = new Array<number>(24).fill(0)
      for (const step of steps) bins[Math.round((step.startMs % DAY_MS) / HOUR_MS) % 24]! += step.requests
      expect(bins.indexOf(Math.max(...bins))).toBe(15)
      expect(bins.indexOf(Math.min(...bins))).toBe(3)
      // Mean of 1 + 0.3·cos over a centred hour: 1 + 0.3·sinc(π/24) ≈ 1.2991; sd of a bin ≈ 0.7 %.
      const mean = bins.reduce((a, b) => a + b, 0) / 24
      expect(Math.abs(bins[15]! / mean - 1.2991)).toBeLessThan(0.035)
    })
  })

  describe('incidents', () => {
    const base: TrafficOptions = {
      seed: 11,
      startMs: T0,
      durationMs: DAY_MS,
      requestsPerMinute: 60,
      errorRate: 0.001,
    }
    const incident = { startMs: T0 + 10 * HOUR_MS, durationMs: 2 * HOUR_MS, errorRate: 0.2, latencyFactor: 3 }

    it('show the incident error rate inside the window and the baseline outside', () => {
      const steps = collect({ ...base, incidents: [incident] })
      const inside = within(steps, incident.startMs, incident.startMs + incident.durationMs)
      // ~7 200 requests at p = 0.2: sd of the rate = sqrt(0.16/7 200) ≈ 0.0047.
      expect(Math.abs(inside.errors / inside.requests - 0.2)).toBeLessThan(
        5 * Math.sqrt(0.16 / inside.requests),
      )
      const before = within(steps, T0, incident.startMs)
      expect(before.errors / before.requests).toBeLessThan(0.005)
    })

    it('multiply latencies by latencyFactor inside the window', () => {
      const steps = collect({ ...base, incidents: [incident] })
      const baseline = collect(base)
      const end = incident.startMs + incident.durationMs
      const slow = within(steps, incident.startMs, end).latencies
      const normal = within(baseline, incident.startMs, end).latencies
      expect(slow).toHaveLength(normal.length)
      for (const [i, latency] of slow.entries()) expect(latency).toBeCloseTo(3 * normal[i]!, 9)
    })

    it('leave traffic outside the window identical to the same seed without the incident', () => {
      const steps = collect({ ...base, incidents: [incident] })
      const baseline = collect(base)
      expect(steps.map((s) => s.requests)).toEqual(baseline.map((s) => s.requests))
      const outside = (s: TrafficStep) =>
        s.endMs <= incident.startMs || s.startMs >= incident.startMs + incident.durationMs
      expect(steps.filter(outside)).toEqual(baseline.filter(outside))
    })

    it('apply from the exact millisecond they start, also mid-step', () => {
      const start = T0 + 30_000
      const [first] = collect({
        seed: 1,
        startMs: T0,
        durationMs: MINUTE_MS,
        requestsPerMinute: 600,
        dailyAmplitude: 0,
        errorRate: 0,
        incidents: [{ startMs: start, durationMs: MINUTE_MS, errorRate: 1 }],
      })
      const step = first!
      for (let i = 0; i < step.requests; i++) {
        const atMs = step.startMs + Math.floor(((2 * i + 1) * MINUTE_MS) / (2 * step.requests))
        expect(step.errorFlags[i]).toBe(atMs >= start ? 1 : 0)
      }
    })

    it('where they overlap, the highest error rate and latency factor apply', () => {
      const window = { startMs: T0, durationMs: HOUR_MS }
      const options: TrafficOptions = { ...base, durationMs: HOUR_MS, errorRate: 0 }
      const overlapping = collect({
        ...options,
        incidents: [
          { ...window, errorRate: 1, latencyFactor: 2 },
          { ...window, errorRate: 0.5, latencyFactor: 5 },
        ],
      })
      const plain = collect(options)
      const totals = within(overlapping, T0, T0 + HOUR_MS)
      expect(totals.errors).toBe(totals.requests)
      expect(overlapping[0]!.latenciesMs[0]).toBeCloseTo(5 * plain[0]!.latenciesMs[0]!, 9)
    })
  })

  describe('events()', () => {
    const simulation = simulateTraffic({
      seed: 21,
      startMs: T0,
      durationMs: 2 * HOUR_MS,
      requestsPerMinute: 20,
      errorRate: 0.05,
    })

    it('gives one point per step with good = requests − errors', () => {
      const steps = [...simulation.steps()]
      expect(simulation.events()).toEqual(
        steps.map((s) => ({ t: s.startMs, good: s.requests - s.errors, total: s.requests })),
      )
    })

    it('aggregates into larger buckets without losing events', () => {
      const minute = simulation.events()
      const fiveMinutes = simulation.events(5 * MINUTE_MS)
      expect(fiveMinutes).toHaveLength(24)
      fiveMinutes.forEach((point, k) => {
        const parts = minute.slice(5 * k, 5 * k + 5)
        expect(point.t).toBe(T0 + k * 5 * MINUTE_MS)
        expect(point.total).toBe(parts.reduce((sum, p) => sum + p.total, 0))
        expect(point.good).toBe(parts.reduce((sum, p) => sum + p.good, 0))
      })
      const totals = simulation.totals()
      expect(simulation.events(7 * MINUTE_MS).reduce((sum, p) => sum + p.total, 0)).toBe(totals.requests)
    })

    it('keeps buckets without traffic as measured zeros', () => {
      const silent = simulateTraffic({
        seed: 1,
        startMs: T0,
        durationMs: 10 * MINUTE_MS,
        requestsPerMinute: 0,
      })
      expect(silent.events()).toHaveLength(10)
      expect(silent.events().every((p) => p.total === 0 && p.good === 0)).toBe(true)
    })

    it('feeds a MemorySource whose answers match the simulation', async () => {
      const source = new MemorySource().addEvents('requests', simulation.events())
      const sli = parseSli({ id: 'requests', kind: 'availability', measurement: { type: 'ratio' } })
      const series = await source.query(sli, { startMs: simulation.startMs, endMs: simulation.endMs })
      const totals = simulation.totals()
      expect(series.points.reduce((sum, p) => sum + ('total' in p ? p.total : 0), 0)).toBe(totals.requests)
    })

    it('rejects a non-positive bucket', () => {
      expect(() => simulation.events(0)).toThrow(/bucketMs/)
    })
  })

  describe('latencyValues()', () => {
    it('gives every request latency at its time, sorted, inside its step', () => {
      const simulation = simulateTraffic({
        seed: 5,
        startMs: T0,
        durationMs: 30 * MINUTE_MS,
        requestsPerMinute: 40,
      })
      const values = simulation.latencyValues()
      const steps = [...simulation.steps()]
      expect(values.map((v) => v.value)).toEqual(steps.flatMap((s) => [...s.latenciesMs]))
      let index = 0
      for (const step of steps) {
        for (let i = 0; i < step.requests; i++, index++) {
          expect(values[index]!.t).toBeGreaterThanOrEqual(step.startMs)
          expect(values[index]!.t).toBeLessThan(step.endMs)
          if (index > 0) expect(values[index]!.t).toBeGreaterThanOrEqual(values[index - 1]!.t)
        }
      }
    })
  })

  describe('feed()', () => {
    it('records every request in time order, spread evenly within its step', () => {
      const simulation = simulateTraffic({
        seed: 8,
        startMs: T0,
        durationMs: 5 * MINUTE_MS,
        requestsPerMinute: 12,
      })
      const records: Array<[string, unknown, number | undefined]> = []
      const observations: Array<[string, number, number | undefined]> = []
      const totals = simulation.feed(
        {
          record: (id, outcome, atMs) => records.push([id, outcome, atMs]),
          observe: (id, value, atMs) => observations.push([id, value, atMs]),
        },
        { availability: 'avail', latency: 'lat' },
      )
      const steps = [...simulation.steps()]
      expect(totals).toEqual(simulation.totals())
      expect(records).toHaveLength(totals.requests)
      expect(observations).toHaveLength(totals.requests)
      const expected = steps.flatMap((step) =>
        Array.from({ length: step.requests }, (_, i) => ({
          atMs: step.startMs + Math.floor(((2 * i + 1) * (step.endMs - step.startMs)) / (2 * step.requests)),
          ok: step.errorFlags[i] === 0,
          latency: step.latenciesMs[i],
        })),
      )
      expect(records).toEqual(expected.map((e) => ['avail', e.ok, e.atMs]))
      expect(observations).toEqual(expected.map((e) => ['lat', e.latency, e.atMs]))
    })

    it('feeds 30 days at 60 requests per minute (2.6 M requests) into a tracker, counts intact', () => {
      const simulation = simulateTraffic({
        seed: 1,
        startMs: T0,
        durationMs: 30 * DAY_MS,
        requestsPerMinute: 60,
      })
      const tracker = createSloTracker({
        clock: new FakeClock(T0),
        slos: [
          {
            id: 'api-availability',
            service: 'api',
            objective: '99.9%',
            window: '30d',
            sli: { id: 'api-requests', kind: 'availability', measurement: { type: 'ratio' } },
          },
          {
            id: 'api-latency',
            service: 'api',
            objective: '95%',
            window: '30d',
            sli: {
              id: 'api-latency',
              kind: 'latency',
              measurement: { type: 'threshold', comparison: '<=', threshold: 200 },
            },
          },
        ],
      })
      const totals = simulation.feed(tracker, { availability: 'api-availability', latency: 'api-latency' })
      expect(totals.requests).toBeGreaterThan(2_500_000)
      const availability = tracker.status('api-availability', simulation.endMs)
      expect(availability.counts).toEqual({ good: totals.requests - totals.errors, total: totals.requests })
      // Default latency: median 50 ms, p99 250 ms, so P(latency <= 200 ms) = Φ(ln 4 / σ) ≈ 0.9775.
      const latency = tracker.status('api-latency', simulation.endMs)
      expect(latency.counts.total).toBe(totals.requests)
      expect(Math.abs((latency.sli ?? 0) - 0.9775)).toBeLessThan(0.001)
      expect(tracker.dropped()).toEqual({ unknown_slo: 0, wrong_method: 0, invalid_value: 0, too_old: 0 })
    })

    it('records nothing for targets that are left out', () => {
      const record = vi.fn()
      const observe = vi.fn()
      const simulation = simulateTraffic({
        seed: 1,
        startMs: T0,
        durationMs: MINUTE_MS,
        requestsPerMinute: 60,
      })
      expect(simulation.feed({ record, observe }, {})).toEqual(simulation.totals())
      expect(record).not.toHaveBeenCalled()
      expect(observe).not.toHaveBeenCalled()
    })
  })

  describe('feedSteps()', () => {
    it('records one step at a time into every target, yielding each step end after its requests', () => {
      const simulation = simulateTraffic({
        seed: 8,
        startMs: T0,
        durationMs: 5 * MINUTE_MS,
        requestsPerMinute: 12,
      })
      const seen: Array<[string, number]> = []
      const recorder = {
        record: (id: string, _ok: unknown, atMs?: number) => seen.push([id, atMs!]),
        observe: (id: string, _value: number, atMs?: number) => seen.push([id, atMs!]),
      }
      const steps = simulation.feedSteps(recorder, [
        { availability: 'a', latency: 'l' },
        { availability: 'b' },
      ])
      const ends: number[] = []
      let next = steps.next()
      while (next.done !== true) {
        const endMs = next.value
        // Everything recorded so far happened before the step's end, and the whole step is in.
        expect(seen.every(([, atMs]) => atMs < endMs)).toBe(true)
        ends.push(endMs)
        next = steps.next()
      }
      expect(next.value).toEqual(simulation.totals())
      expect(ends).toEqual([1, 2, 3, 4, 5].map((m) => T0 + m * MINUTE_MS))
      const requests = simulation.totals().requests
      for (const id of ['a', 'l', 'b']) expect(seen.filter(([s]) => s === id)).toHaveLength(requests)
    })
  })

  describe('options', () => {
    const valid: TrafficOptions = { seed: 1, startMs: T0, durationMs: HOUR_MS, requestsPerMinute: 60 }
    const cases: Array<[string, Partial<TrafficOptions>]> = [
      ['seed', { seed: 0.5 }],
      ['startMs', { startMs: Number.NaN }],
      ['durationMs', { durationMs: -1 }],
      ['stepMs', { stepMs: 0 }],
      ['requestsPerMinute', { requestsPerMinute: -5 }],
      ['dailyAmplitude', { dailyAmplitude: 1.5 }],
      ['peakHourUtc', { peakHourUtc: 24 }],
      ['errorRate', { errorRate: 2 }],
      ['latency.medianMs', { latency: { medianMs: 0, p99Ms: 10 } }],
      ['latency.p99Ms', { latency: { medianMs: 100, p99Ms: 50 } }],
      ['incidents[0]`.errorRate', { incidents: [{ startMs: T0, durationMs: 1, errorRate: -0.1 }] }],
      [
        'incidents[1]`.latencyFactor',
        {
          incidents: [
            { startMs: T0, durationMs: 1 },
            { startMs: T0, durationMs: 1, latencyFactor: 0 },
          ],
        },
      ],
      ['incidents[0]`.durationMs', { incidents: [{ startMs: T0, durationMs: Number.POSITIVE_INFINITY }] }],
    ]

    it.each(cases)('rejects an invalid `%s` with INVALID_ARGUMENT naming it', (option, override) => {
      let error: unknown
      try {
        simulateTraffic({ ...valid, ...override })
      } catch (caught) {
        error = caught
      }
      expect(error).toBeInstanceOf(SlokitError)
      expect((error as SlokitError).code).toBe('INVALID_ARGUMENT')
      expect((error as SlokitError).message).toContain(option)
      expect((error as SlokitError).message).toMatch(/^\[slokit\/testing\] simulateTraffic\(options\)/)
    })

    it('allows equal median and p99 (constant latency)', () => {
      const [step] = collect({ ...valid, latency: { medianMs: 100, p99Ms: 100 } })
      expect([...step!.latenciesMs].every((l) => l === 100)).toBe(true)
    })
  })
})
