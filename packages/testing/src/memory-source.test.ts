import { parseSli, type SliSeries, SlokitError } from '@slokit/core'
import { MemorySource } from '@slokit/testing'
import { describeSliSourceContract } from '@slokit/testing/vitest'
import { describe, expect, it } from 'vitest'

const T0 = Date.UTC(2026, 0, 1)
const MIN = 60_000

const requests = parseSli({ id: 'requests', kind: 'availability', measurement: { type: 'ratio' } })
const latency = parseSli({
  id: 'latency',
  kind: 'latency',
  measurement: { type: 'threshold', comparison: '<=', threshold: 300, unit: 'ms' },
})
const unknown = parseSli({ id: 'unknown', kind: 'availability', measurement: { type: 'ratio' } })

const hour = { startMs: T0, endMs: T0 + 60 * MIN }

function filled(): MemorySource {
  return new MemorySource()
    .addEvents('requests', [
      { t: T0 + 2 * MIN, good: 50, total: 60 },
      { t: T0, good: 98, total: 100 },
      { t: T0 + MIN, good: 0, total: 0 },
    ])
    .addValues('latency', [
      { t: T0 + MIN, value: 120 },
      { t: T0, value: 80 },
      { t: T0 + MIN, value: 95 },
    ])
}

/** Settles `promise` and returns what it rejected with; fails when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<SlokitError> {
  const error = await promise.then(
    () => expect.fail('expected the query to reject'),
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(SlokitError)
  return error as SlokitError
}

/** Whether `promise` has settled once pending callbacks have run. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false
  promise.then(
    () => {
      settled = true
    },
    () => {
      settled = true
    },
  )
  await new Promise((resolve) => setImmediate(resolve))
  return settled
}

describeSliSourceContract('MemorySource', () => ({
  source: filled(),
  ratio: { sli: requests, range: hour, expected: { good: 148, total: 160 } },
  threshold: { sli: latency, range: hour, expectedCount: 3 },
  empty: { sli: requests, range: { startMs: T0 + 60 * MIN, endMs: T0 + 120 * MIN } },
  unknownSli: unknown,
}))

describe('MemorySource', () => {
  it('is named "memory" with one-minute resolution by default', () => {
    const source = new MemorySource()
    expect(source.name).toBe('memory')
    expect(source.resolutionMs).toBe(60_000)
    const custom = new MemorySource({ name: 'scripted', resolutionMs: 10_000 })
    expect(custom.name).toBe('scripted')
    expect(custom.resolutionMs).toBe(10_000)
  })

  it('rejects an empty name or a non-positive resolution at construction', () => {
    expect(() => new MemorySource({ name: ' ' })).toThrow(/`name`/)
    expect(() => new MemorySource({ resolutionMs: 0 })).toThrow(/`resolutionMs`/)
  })

  it('answers events sorted by time, only those in [startMs, endMs)', async () => {
    const source = filled()
    const series = await source.query(requests, { startMs: T0 + MIN, endMs: T0 + 2 * MIN })
    expect(series).toEqual({
      kind: 'events',
      resolutionMs: 60_000,
      points: [{ t: T0 + MIN, good: 0, total: 0 }],
    })
    const all = await source.query(requests, hour)
    expect(all.points.map((p) => p.t)).toEqual([T0, T0 + MIN, T0 + 2 * MIN])
  })

  it('answers values for a threshold SLI, sorted and keeping values that share a time', async () => {
    const series = await filled().query(latency, hour)
    expect(series).toEqual({
      kind: 'values',
      resolutionMs: 60_000,
      points: [
        { t: T0, value: 80 },
        { t: T0 + MIN, value: 120 },
        { t: T0 + MIN, value: 95 },
      ],
    })
  })

  it('sums events added at the same time', async () => {
    const source = new MemorySource().addEvents('requests', [{ t: T0, good: 1, total: 2 }])
    source.addEvents('requests', [{ t: T0, good: 3, total: 3 }])
    expect((await source.query(requests, hour)).points).toEqual([{ t: T0, good: 4, total: 5 }])
  })

  it('returns fresh copies: changing an answer or the added points does not change stored data', async () => {
    const points = [{ t: T0, good: 1, total: 1 }]
    const source = new MemorySource().addEvents('requests', points)
    points[0]!.good = 0
    const first = await source.query(requests, hour)
    ;(first.points as unknown as Array<{ good: number }>)[0]!.good = 99
    ;(first.points as unknown[]).push({ t: T0 + MIN, good: 1, total: 1 })
    expect((await source.query(requests, hour)).points).toEqual([{ t: T0, good: 1, total: 1 }])
  })

  it('rejects an SLI it has no data for with UNKNOWN_SLO, and answers a known one without data in range empty', async () => {
    const source = filled()
    expect((await rejection(source.query(unknown, hour))).code).toBe('UNKNOWN_SLO')
    const later = { startMs: T0 + 600 * MIN, endMs: T0 + 660 * MIN }
    expect(await source.query(requests, later)).toEqual({ kind: 'events', resolutionMs: 60_000, points: [] })
    // Adding an empty list makes an SLI known, with no data yet.
    source.addEvents('unknown', [])
    expect((await source.query(unknown, hour)).points).toEqual([])
  })

  it('forgets data with clear(), for one SLI or all', async () => {
    const source = filled()
    source.clear('requests')
    expect((await rejection(source.query(requests, hour))).code).toBe('UNKNOWN_SLO')
    expect((await source.query(latency, hour)).points).toHaveLength(3)
    source.clear()
    expect((await rejection(source.query(latency, hour))).code).toBe('UNKNOWN_SLO')
  })

  it('refuses invalid points and mixing events and values for one SLI', () => {
    const source = new MemorySource()
    expect(() => source.addEvents('requests', [{ t: T0, good: 2, total: 1 }])).toThrow(/0 <= good <= total/)
    expect(() => source.addEvents('requests', [{ t: Number.NaN, good: 0, total: 1 }])).toThrow(SlokitError)
    expect(() => source.addValues('latency', [{ t: T0, value: Number.POSITIVE_INFINITY }])).toThrow(/finite/)
    source.addEvents('requests', [{ t: T0, good: 1, total: 1 }])
    expect(() => source.addValues('requests', [{ t: T0, value: 1 }])).toThrow(/already holds events/)
  })

  it('rejects a query whose SLI type does not match the stored data, or an inverted range', async () => {
    const source = new MemorySource().addValues('requests', [{ t: T0, value: 1 }])
    const mismatch = await rejection(source.query(requests, hour))
    expect(mismatch.code).toBe('INVALID_ARGUMENT')
    expect(mismatch.hint).toMatch(/addEvents/)
    expect((await rejection(filled().query(requests, { startMs: T0 + 1, endMs: T0 }))).code).toBe(
      'INVALID_ARGUMENT',
    )
  })

  it('logs every query, failed ones included', async () => {
    const source = filled()
    await source.query(requests, hour)
    await source.query(unknown, { startMs: 1, endMs: 2 }).catch(() => {})
    expect(source.queries).toEqual([
      { sliId: 'requests', range: hour },
      { sliId: 'unknown', range: { startMs: 1, endMs: 2 } },
    ])
  })

  describe('scripted faults', () => {
    it('failNext() rejects the next query with SOURCE_FAILED, then answers again', async () => {
      const source = filled().failNext()
      const error = await rejection(source.query(requests, hour))
      expect(error.code).toBe('SOURCE_FAILED')
      expect(error.message).toMatch(/\[slokit\/testing\] MemorySource "memory"/)
      expect((await source.query(requests, hour)).points).toHaveLength(3)
    })

    it('failNext(error, times) rejects that many queries with the given error, queued in call order', async () => {
      const first = new Error('first')
      const second = new SlokitError('SOURCE_TIMEOUT', 'slow')
      const source = filled().failNext(first).failNext(second, 2)
      await expect(source.query(requests, hour)).rejects.toBe(first)
      await expect(source.query(requests, hour)).rejects.toBe(second)
      await expect(source.query(latency, hour)).rejects.toBe(second)
      await expect(source.query(requests, hour)).resolves.toMatchObject({ kind: 'events' })
      expect(() => source.failNext(undefined, 0)).toThrow(/`times`/)
    })

    it('hang() keeps queries pending until their signal aborts, then rejects with ABORTED', async () => {
      const source = filled().hang()
      const controller = new AbortController()
      const pending = source.query(requests, hour, { signal: controller.signal })
      expect(await isSettled(pending)).toBe(false)
      const reason = new Error('engine timeout')
      controller.abort(reason)
      const error = await rejection(pending)
      expect(error.code).toBe('ABORTED')
      expect(error.cause).toBe(reason)
    })

    it('unhang() lets waiting queries answer and later ones answer at once', async () => {
      const source = filled().hang()
      const pending = source.query(requests, hour)
      expect(await isSettled(pending)).toBe(false)
      source.unhang()
      expect((await pending).points).toHaveLength(3)
      expect((await source.query(requests, hour)).points).toHaveLength(3)
    })

    it('an aborted query is not resumed by unhang()', async () => {
      const source = filled().hang()
      const controller = new AbortController()
      const pending = source.query(requests, hour, { signal: controller.signal })
      controller.abort()
      expect((await rejection(pending)).code).toBe('ABORTED')
      expect(() => source.unhang()).not.toThrow()
    })

    it('an already-aborted signal rejects with ABORTED before any scripted failure is used', async () => {
      const source = filled().failNext()
      const error = await rejection(source.query(requests, hour, { signal: AbortSignal.abort() }))
      expect(error.code).toBe('ABORTED')
      // The failure is still queued for the next real query.
      expect((await rejection(source.query(requests, hour))).code).toBe('SOURCE_FAILED')
    })

    it('query() never throws synchronously', () => {
      const source = new MemorySource()
      let answer: Promise<SliSeries> | undefined
      expect(() => {
        answer = source.query(requests, hour)
      }).not.toThrow()
      return expect(answer).rejects.toBeInstanceOf(SlokitError)
    })
  })
})
