import type { Attributes } from '@opentelemetry/api'
import {
  AggregationTemporality,
  AggregationType,
  MeterProvider,
  MetricReader,
  type MetricReaderOptions,
} from '@opentelemetry/sdk-metrics'
import { type EventPoint, parseSli, SlokitError } from '@slokit/core'
import { FakeClock } from '@slokit/testing'
import { describeSliSourceContract } from '@slokit/testing/vitest'
import { afterEach, assert, describe, expect, it } from 'vitest'
import { type OtelSli, OtelSliSource } from './otel.js'

class TestReader extends MetricReader {
  constructor(options?: MetricReaderOptions) {
    super(options)
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const START = Date.UTC(2026, 0, 1)
const MINUTE = 60_000
const ratioSli = (id: string) => parseSli({ id, kind: 'availability', measurement: { type: 'ratio' } })
const day = { startMs: START, endMs: START + 86_400_000 }

const providers: MeterProvider[] = []
afterEach(async () => {
  for (const provider of providers.splice(0)) await provider.shutdown()
})

/** A real MeterProvider whose duration histogram (seconds) has the boundaries 0.05, 0.1, 0.3, 1. */
function setup(
  slis: Record<string, OtelSli>,
  temporality?: AggregationTemporality,
  shutDownAfterEach = true,
) {
  const reader = new TestReader(
    temporality === undefined ? undefined : { aggregationTemporalitySelector: () => temporality },
  )
  const provider = new MeterProvider({
    readers: [reader],
    views: [
      {
        instrumentName: 'http.server.request.duration',
        aggregation: {
          type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
          options: { boundaries: [0.05, 0.1, 0.3, 1] },
        },
      },
    ],
  })
  if (shutDownAfterEach) providers.push(provider)
  const histogram = provider.getMeter('test').createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP server requests.',
  })
  const clock = new FakeClock(START)
  const source = new OtelSliSource({ reader, slis, clock })
  const request = (seconds: number, status: number | undefined, extra: Attributes = {}) =>
    histogram.record(seconds, {
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'http.route': '/users/:id',
      ...(status === undefined ? {} : { 'http.response.status_code': status }),
      ...extra,
    })
  return { reader, source, clock, request, provider }
}

describe('OtelSliSource', () => {
  it('counts availability from status codes and error.type, and latency from the buckets up to the threshold', async () => {
    const { source, request } = setup({ requests: {}, fast: { latencyThresholdMs: 300 } })
    request(0.02, 200)
    request(0.3, 200) // on the boundary: fast (boundaries are inclusive upper bounds)
    request(0.31, 404)
    request(2, 503)
    request(0.04, 429)
    request(0.2, undefined, { 'error.type': 'timeout' })
    expect(await source.query(ratioSli('requests'), day)).toEqual({
      kind: 'events',
      resolutionMs: MINUTE,
      points: [{ t: START, good: 4, total: 6 }],
    })
    expect((await source.query(ratioSli('fast'), day)).points).toEqual([{ t: START, good: 4, total: 6 }])
  })

  it('counts 429 as bad when badStatus says so', async () => {
    const { reader, request, clock } = setup({ requests: {} })
    const source = new OtelSliSource({ reader, clock, slis: { requests: {} }, badStatus: ['5xx', 429] })
    request(0.02, 429)
    request(0.02, 200)
    expect((await source.query(ratioSli('requests'), day)).points).toEqual([{ t: START, good: 1, total: 2 }])
  })

  it('books the requests between cumulative collections into the interval of each collection', async () => {
    const { source, request, clock } = setup({ requests: {} })
    request(0.02, 200)
    request(0.02, 500)
    await source.collect()
    clock.advance(MINUTE)
    request(0.02, 200)
    await source.collect()
    clock.advance(2 * MINUTE + 5_000)
    // No requests in between: a measured interval with no traffic, not a gap.
    const series = await source.query(ratioSli('requests'), day)
    expect(series.points).toEqual([
      { t: START, good: 1, total: 2 },
      { t: START + MINUTE, good: 1, total: 1 },
      { t: START + 3 * MINUTE, good: 0, total: 0 },
    ])
    expect(
      (await source.query(ratioSli('requests'), { startMs: START + MINUTE, endMs: START + 3 * MINUTE }))
        .points,
    ).toEqual([{ t: START + MINUTE, good: 1, total: 1 }])
  })

  it('differences the cumulative series of each meter on its own when two meters record the histogram', async () => {
    const { source, request, clock, provider } = setup({ requests: {} })
    const other = provider
      .getMeter('framework')
      .createHistogram('http.server.request.duration', { unit: 's' })
    // The same attribute set as `request()` records: only the meter tells the series apart.
    const attributes = {
      'http.request.method': 'GET',
      'url.scheme': 'http',
      'http.route': '/users/:id',
      'http.response.status_code': 200,
    }
    for (let i = 0; i < 5; i++) request(0.02, 200)
    other.record(0.02, attributes)
    await source.collect()
    clock.advance(MINUTE)
    request(0.02, 200)
    other.record(0.02, attributes)
    await source.collect()
    clock.advance(MINUTE)
    other.record(0.02, attributes)
    expect((await source.query(ratioSli('requests'), day)).points).toEqual([
      { t: START, good: 6, total: 6 },
      { t: START + MINUTE, good: 2, total: 2 },
      { t: START + 2 * MINUTE, good: 1, total: 1 },
    ])
  })

  it('counts a restarted cumulative series (new startTime, lower count) in full, never negative', async () => {
    const point = (start: number, count: number, counts: number[]) => ({
      attributes: { 'http.response.status_code': 200 },
      startTime: [start, 0] as [number, number],
      value: { count, buckets: { boundaries: [0.05, 0.1, 0.3, 1], counts } },
    })
    const collections = [
      point(100, 10, [10, 0, 0, 0, 0]),
      point(100, 12, [11, 1, 0, 0, 0]),
      point(200, 15, [15, 0, 0, 0, 0]), // restarted with a higher count than before
      point(200, 4, [4, 0, 0, 0, 0]), // restarted, lower count
      point(200, 6, [3, 3, 0, 0, 0]), // a bucket went down: restarted too
      point(200, 6, [3, 3, 0, 0, 0]), // unchanged: nothing new (the second query's collection)
    ].map((p) => ({
      resourceMetrics: {
        scopeMetrics: [
          {
            scope: { name: 'http' },
            metrics: [
              {
                descriptor: { name: 'http.server.request.duration', unit: 's' },
                dataPointType: 0,
                aggregationTemporality: 1,
                dataPoints: [p],
              },
            ],
          },
        ],
      },
      errors: [],
    }))
    const reader = { collect: async () => collections.shift() ?? assert.fail('collected too often') }
    const clock = new FakeClock(START)
    const source = new OtelSliSource({
      reader,
      clock,
      slis: { requests: {}, fast: { latencyThresholdMs: 50 } },
    })
    for (let i = 0; i < 4; i++) {
      await source.collect()
      clock.advance(MINUTE)
    }
    expect(
      (await source.query(ratioSli('requests'), day)).points.map((p) => (p as EventPoint).total),
    ).toEqual([10, 2, 15, 4, 6])
    expect((await source.query(ratioSli('fast'), day)).points.map((p) => (p as EventPoint).good)).toEqual([
      10, 1, 15, 4, 3,
    ])
  })

  it('adds delta-temporality points as they come', async () => {
    const { source, request, clock } = setup({ requests: {} }, AggregationTemporality.DELTA)
    request(0.02, 200)
    await source.collect()
    clock.advance(MINUTE)
    request(0.02, 502)
    request(0.02, 200)
    expect((await source.query(ratioSli('requests'), day)).points).toEqual([
      { t: START, good: 1, total: 1 },
      { t: START + MINUTE, good: 1, total: 2 },
    ])
  })

  it('counts only the data points whose attributes match', async () => {
    const { source, request } = setup({
      users: { attributes: { 'http.route': '/users/:id' } },
      orders: { attributes: { 'http.route': '/orders', 'http.request.method': 'POST' } },
    })
    request(0.02, 200)
    request(0.02, 500, { 'http.route': '/orders', 'http.request.method': 'POST' })
    request(0.02, 200, { 'http.route': '/orders', 'http.request.method': 'POST' })
    request(0.02, 200, { 'http.route': '/orders' })
    expect((await source.query(ratioSli('users'), day)).points).toEqual([{ t: START, good: 1, total: 1 }])
    expect((await source.query(ratioSli('orders'), day)).points).toEqual([{ t: START, good: 1, total: 2 }])
  })

  it('answers an SLI without any matching data point with an empty series', async () => {
    const { source, request } = setup({ orders: { attributes: { 'http.route': '/orders' } } })
    request(0.02, 200)
    expect((await source.query(ratioSli('orders'), day)).points).toEqual([])
  })

  it('rejects a latency threshold that is not a bucket boundary, naming the boundaries', async () => {
    const { source, request } = setup({ fast: { latencyThresholdMs: 250 } })
    request(0.02, 200)
    const error = await source.query(ratioSli('fast'), day).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SlokitError)
    expect((error as SlokitError).code).toBe('NOT_SUPPORTED')
    expect((error as SlokitError).message).toContain('latencyThresholdMs 250, which is not a bucket boundary')
    expect((error as SlokitError).message).toContain('boundaries in ms: 50, 100, 300, 1000')
  })

  it('rejects threshold SLIs, unknown SLIs and a reader bound to no MeterProvider', async () => {
    const { source } = setup({ requests: {} })
    const threshold = parseSli({
      id: 'requests',
      kind: 'latency',
      measurement: { type: 'threshold', comparison: '<=', threshold: 300, aggregation: 'p95' },
    })
    await expect(source.query(threshold, day)).rejects.toMatchObject({ code: 'NOT_SUPPORTED' })
    await expect(source.query(ratioSli('other'), day)).rejects.toMatchObject({ code: 'UNKNOWN_SLO' })
    const unbound = new OtelSliSource({ reader: new TestReader(), slis: { requests: {} } })
    await expect(unbound.query(ratioSli('requests'), day)).rejects.toMatchObject({
      code: 'SOURCE_FAILED',
      hint: expect.stringContaining('registered with a MeterProvider'),
    })
  })

  it('rejects invalid options', () => {
    const reader = new TestReader()
    expect(() => new OtelSliSource({ slis: { a: {} } } as never)).toThrow(/Missing required option `reader`/)
    expect(() => new OtelSliSource({ reader, slis: {} })).toThrow(/Missing required option `slis`/)
    expect(() => new OtelSliSource({ reader, slis: { a: { latencyThresholdMs: -1 } } })).toThrow(
      /`slis\["a"\].latencyThresholdMs` must be a positive number/,
    )
    expect(() => new OtelSliSource({ reader, slis: { a: {} }, badStatus: ['6xx' as never] })).toThrow(
      /`badStatus` has "6xx"/,
    )
  })

  it('drops intervals older than retentionMs', async () => {
    const { reader, request, clock } = setup({ requests: {} })
    const source = new OtelSliSource({ reader, clock, slis: { requests: {} }, retentionMs: 10 * MINUTE })
    request(0.02, 200)
    await source.collect()
    clock.advance(11 * MINUTE)
    expect((await source.query(ratioSli('requests'), day)).points).toEqual([
      { t: START + 11 * MINUTE, good: 0, total: 0 },
    ])
  })
})

describeSliSourceContract('OtelSliSource over a real MeterProvider', async () => {
  const { source, request, clock, provider } = setup(
    { requests: {}, 'orders-requests': { attributes: { 'http.route': '/orders' } } },
    undefined,
    false,
  )
  for (let i = 0; i < 10; i++) request(0.02 * i, i === 3 ? 500 : 200)
  await source.collect()
  clock.advance(5 * MINUTE)
  request(0.5, 200)
  request(0.5, 200, { 'http.route': '/orders' })
  await source.collect()
  return {
    source,
    ratio: { sli: ratioSli('requests'), range: day, expected: { good: 11, total: 12 } },
    empty: { sli: ratioSli('orders-requests'), range: { startMs: START, endMs: START + MINUTE } },
    unknownSli: ratioSli('unknown-requests'),
    cleanup: () => provider.shutdown(),
  }
})
