import { DAY_MS, HOUR_MS, MINUTE_MS, WindowedCounter } from '@slokit/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const base = Date.UTC(2026, 0, 10)

describe('WindowedCounter', () => {
  it('sums over the buckets whose start lies in the range', () => {
    const counter = new WindowedCounter(WindowedCounter.levelsFor(HOUR_MS))
    counter.add(base + 10, 1, 1)
    counter.add(base + MINUTE_MS + 5, 0, 1)
    counter.add(base + 2 * MINUTE_MS, 1, 1)
    expect(counter.sum(base, base + 3 * MINUTE_MS)).toEqual({ a: 2, b: 3 })
    expect(counter.sum(base + 1, base + 3 * MINUTE_MS)).toEqual({ a: 1, b: 2 }) // the first bucket starts before
    expect(counter.sum(base, base + MINUTE_MS)).toEqual({ a: 1, b: 1 })
  })

  it('the 1 h sum equals the sum of its twelve 5-minute sums, at any time and with any traffic', () => {
    const events = fc.array(
      fc.record({ offsetMs: fc.integer({ min: 0, max: 3 * DAY_MS }), good: fc.boolean() }),
      {
        maxLength: 300,
      },
    )
    fc.assert(
      fc.property(events, fc.integer({ min: 0, max: 3 * DAY_MS }), (raw, nowOffset) => {
        const counter = new WindowedCounter(WindowedCounter.levelsFor(30 * DAY_MS))
        const sorted = [...raw].sort((x, y) => x.offsetMs - y.offsetMs)
        for (const e of sorted) counter.add(base + e.offsetMs, e.good ? 1 : 0, 1)
        const now = base + Math.max(nowOffset, sorted.at(-1)?.offsetMs ?? 0)
        const hour = counter.sum(now - HOUR_MS, now)
        let a = 0
        let b = 0
        for (let i = 0; i < 12; i++) {
          const part = counter.sum(now - (i + 1) * 5 * MINUTE_MS, now - i * 5 * MINUTE_MS)
          a += part.a
          b += part.b
        }
        expect(hour).toEqual({ a, b })
      }),
      { numRuns: 300 },
    )
  })

  it('is exact to the minute for windows up to 6 hours (against a brute-force count)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 * HOUR_MS - 1 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 6 * 60 }),
        (offsets, windowMinutes) => {
          const counter = new WindowedCounter(WindowedCounter.levelsFor(30 * DAY_MS))
          const sorted = [...offsets].sort((x, y) => x - y)
          for (const o of sorted) counter.add(base + o, 1, 1)
          const now = base + 6 * HOUR_MS
          const start = now - windowMinutes * MINUTE_MS
          const expected = sorted.filter(
            (o) => Math.floor((base + o) / MINUTE_MS) * MINUTE_MS >= start,
          ).length
          expect(counter.sum(start, now).b).toBe(expected)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('counts events that arrive out of order exactly like sorted ones', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ offsetMs: fc.integer({ min: 0, max: 2 * DAY_MS }), good: fc.boolean() }), {
          maxLength: 200,
        }),
        fc.integer({ min: 1, max: 2 * 24 * 60 }),
        (events, windowMinutes) => {
          const sorted = new WindowedCounter(WindowedCounter.levelsFor(3 * DAY_MS))
          const shuffled = new WindowedCounter(WindowedCounter.levelsFor(3 * DAY_MS))
          for (const e of [...events].sort((x, y) => x.offsetMs - y.offsetMs))
            sorted.add(base + e.offsetMs, e.good ? 1 : 0, 1)
          for (const e of events) shuffled.add(base + e.offsetMs, e.good ? 1 : 0, 1)
          const now = base + 2 * DAY_MS
          const start = now - windowMinutes * MINUTE_MS
          // Arrival order changes which level holds an event, so sums can differ only at the
          // coarse start edge; windows inside the minute level match exactly.
          if (windowMinutes <= 6 * 60)
            expect(shuffled.sum(start, now + 1)).toEqual(sorted.sum(start, now + 1))
          expect(shuffled.sum(0, now + 1)).toEqual(sorted.sum(0, now + 1))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('stays exact past 2^44 events (cumulative sums are rebased)', () => {
    const counter = new WindowedCounter(WindowedCounter.levelsFor(HOUR_MS))
    const big = 2 ** 40
    for (let minute = 0; minute < 400; minute++) counter.add(base + minute * MINUTE_MS, big, big + 1)
    const now = base + 399 * MINUTE_MS
    expect(counter.sum(now - 10 * MINUTE_MS, now + 1)).toEqual({ a: 11 * big, b: 11 * (big + 1) }) // minutes 389–399
  })

  it('keeps every event exactly once as it ages through the levels', () => {
    const counter = new WindowedCounter(WindowedCounter.levelsFor(30 * DAY_MS))
    const start = base
    let total = 0
    // One event every 7 minutes for 29 days, so data crosses all three levels.
    for (let t = start; t < start + 29 * DAY_MS; t += 7 * MINUTE_MS) {
      counter.add(t, 1, 1)
      total++
    }
    const now = start + 29 * DAY_MS
    expect(counter.sum(start, now + 1).b).toBe(total)
    // Windows that start on an hour boundary are exact at every level.
    const since = start + 10 * DAY_MS
    const expected = Math.ceil((now - since) / (7 * MINUTE_MS))
    expect(Math.abs(counter.sum(since, now + 1).b - expected)).toBeLessThanOrEqual(1)
  })

  it('files late events into the coarser level that holds their time, and drops what is too old', () => {
    const counter = new WindowedCounter(WindowedCounter.levelsFor(DAY_MS))
    counter.add(base + 12 * HOUR_MS, 1, 1)
    expect(counter.add(base + 2 * HOUR_MS, 0, 1)).toBe(true) // older than the minute level, inside the 5-minute one
    expect(counter.sum(base, base + DAY_MS)).toEqual({ a: 1, b: 2 })
    expect(counter.add(base - 3 * DAY_MS, 0, 1)).toBe(false)
  })

  it('forgets everything after a long silence', () => {
    const counter = new WindowedCounter(WindowedCounter.levelsFor(DAY_MS))
    counter.add(base, 1, 1)
    counter.add(base + 10 * DAY_MS, 0, 1)
    expect(counter.sum(0, base + 11 * DAY_MS)).toEqual({ a: 0, b: 1 })
  })

  it('holds a 30-day window in about 31 KiB', () => {
    const counter = new WindowedCounter(WindowedCounter.levelsFor(30 * DAY_MS))
    expect(counter.byteLength).toBe((361 + 865 + 722) * 2 * 8 + 3 * 6 * 8) // rings + level headers
  })

  it('rejects levels that do not nest', () => {
    expect(() => new WindowedCounter([])).toThrow(RangeError)
    expect(
      () =>
        new WindowedCounter([
          { resolutionMs: 7 * MINUTE_MS, slots: 10 },
          { resolutionMs: HOUR_MS, slots: 10 },
        ]),
    ).toThrow(/multiple/)
  })
})
