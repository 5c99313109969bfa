import { type LogFields, parseSli, Secret, type SliSpec, SlokitError } from '@slokit/core'
import { describe, expect, it } from 'vitest'
import { PrometheusError } from './errors.js'
import type { FetchInit, FetchLike, Timers } from './http.js'
import { PrometheusSource, type PrometheusSourceOptions } from './prometheus-source.js'

const MIN = 60_000
const T0 = Date.UTC(2026, 0, 1)

const ratioSli = (measurement: Record<string, string> = {}): SliSpec =>
  parseSli({
    id: 'requests',
    kind: 'availability',
    measurement: {
      type: 'ratio',
      bad: 'sum(rate(http_requests_total{code=~"5.."}[{{window}}]))',
      total: 'sum(rate(http_requests_total[{{window}}]))',
      ...measurement,
    },
  })

const latencySli = parseSli({
  id: 'latency',
  kind: 'latency',
  measurement: {
    type: 'threshold',
    query: 'histogram_quantile(0.99, sum by (le) (rate(h_bucket[{{window}}])))',
    comparison: '<=',
    threshold: 0.3,
  },
})

interface Seen {
  readonly url: URL
  readonly init: FetchInit
  readonly params: URLSearchParams
}

type Answer = { status?: number; body: unknown; contentType?: string }

/** A fetch that answers from `handler` and records every request. */
function fakeFetch(handler: (seen: Seen) => Answer | Promise<Answer>): { fetch: FetchLike; seen: Seen[] } {
  const seen: Seen[] = []
  const fetch: FetchLike = async (url, init) => {
    const parsed = new URL(url)
    const params = init.method === 'POST' ? new URLSearchParams(init.body ?? '') : parsed.searchParams
    const request = { url: parsed, init, params }
    seen.push(request)
    const answer = await handler(request)
    const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)
    return {
      status: answer.status ?? 200,
      headers: {
        get: (name: string) => (name === 'content-type' ? (answer.contentType ?? 'application/json') : null),
      },
      text: async () => body,
    }
  }
  return { fetch, seen }
}

const matrix = (series: Array<{ metric?: Record<string, string>; values: Array<[number, string]> }>) => ({
  status: 'success',
  data: { resultType: 'matrix', result: series.map((s) => ({ metric: s.metric ?? {}, values: s.values })) },
})

/** Values at every step of a range request, from a function of the evaluation time. */
function everyStep(
  params: URLSearchParams,
  value: (tMs: number) => string | undefined,
): Array<[number, string]> {
  const start = Number(params.get('start')) * 1000
  const end = Number(params.get('end')) * 1000
  const step = Number(params.get('step')) * 1000
  const out: Array<[number, string]> = []
  for (let t = start; t <= end; t += step) {
    const v = value(t)
    if (v !== undefined) out.push([t / 1000, v])
  }
  return out
}

const source = (fetch: FetchLike, options: Partial<PrometheusSourceOptions> = {}) =>
  new PrometheusSource({ url: 'http://prometheus:9090', fetch, retryDelayMs: 0, ...options })

async function rejection(promise: Promise<unknown>): Promise<SlokitError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(SlokitError)
    return error as SlokitError
  }
  throw new Error('expected a rejection')
}

describe('PrometheusSource.plan', () => {
  const plain = source(fakeFetch(() => ({ body: {} })).fetch)

  it('evaluates at step ends on the epoch grid, keeping only whole steps inside the range', () => {
    const plan = plain.plan({ startMs: T0 + 30_000, endMs: T0 + 10 * MIN + 59_000 })
    expect(plan).toMatchObject({
      stepMs: MIN,
      window: '1m',
      firstEvalMs: T0 + 2 * MIN,
      lastEvalMs: T0 + 10 * MIN,
      points: 9,
    })
    expect(plain.plan({ startMs: T0, endMs: T0 + 30_000 }).points).toBe(0)
  })

  it('splits 30 days of 1-minute steps into requests of at most 11,000 points (never (end − start)/step > 11,000)', () => {
    const plan = plain.plan({ startMs: T0, endMs: T0 + 30 * 1440 * MIN })
    expect(plan.points).toBe(43_200)
    expect(plan.chunks).toHaveLength(4)
    for (const chunk of plan.chunks) expect((chunk.endMs - chunk.startMs) / MIN).toBeLessThanOrEqual(10_999)
    expect(plan.chunks[0]?.startMs).toBe(plan.firstEvalMs)
    expect(plan.chunks.at(-1)?.endMs).toBe(plan.lastEvalMs)
    expect(plan.chunks.reduce((n, c) => n + (c.endMs - c.startMs) / MIN + 1, 0)).toBe(43_200)
  })

  it('widens the step (a multiple of it) when a range would need more than maxRequestsPerQuery requests', () => {
    const year = source(fakeFetch(() => ({ body: {} })).fetch).plan({
      startMs: T0,
      endMs: T0 + 365 * 1440 * MIN,
    })
    expect(year.stepMs).toBe(3 * MIN)
    expect(year.window).toBe('3m')
    expect(year.chunks.length).toBeLessThanOrEqual(16)
    const small = source(fakeFetch(() => ({ body: {} })).fetch, {
      maxPointsPerRequest: 100,
      maxRequestsPerQuery: 2,
    })
    const plan = small.plan({ startMs: T0, endMs: T0 + 1000 * MIN })
    expect(plan.stepMs).toBe(5 * MIN)
    expect(plan.chunks).toHaveLength(2)
  })
})

describe('PrometheusSource.query: ratio SLIs', () => {
  it('turns per-second rates into events per step, t at the step start, series summed, good = total − bad', async () => {
    const { fetch, seen } = fakeFetch(({ params }) => {
      const query = params.get('query') ?? ''
      if (query.includes('code=~')) return { body: matrix([{ values: everyStep(params, () => '0.5') }]) }
      // The total as two series (say two instances): summed.
      return {
        body: matrix([
          { metric: { instance: 'a' }, values: everyStep(params, () => '10') },
          { metric: { instance: 'b' }, values: everyStep(params, () => '6.5') },
        ]),
      }
    })
    const series = await source(fetch).query(ratioSli(), { startMs: T0, endMs: T0 + 3 * MIN })
    expect(series).toEqual({
      kind: 'events',
      resolutionMs: MIN,
      points: [
        { t: T0, good: 960, total: 990 },
        { t: T0 + MIN, good: 960, total: 990 },
        { t: T0 + 2 * MIN, good: 960, total: 990 },
      ],
    })
    expect(seen.map((s) => s.params.get('query'))).toEqual([
      'sum(rate(http_requests_total{code=~"5.."}[1m]))',
      'sum(rate(http_requests_total[1m]))',
    ])
    expect(seen[0]?.url.pathname).toBe('/api/v1/query_range')
    expect(Object.fromEntries(seen[0]?.params ?? [])).toMatchObject({
      start: String((T0 + MIN) / 1000),
      end: String((T0 + 3 * MIN) / 1000),
      step: '60',
      timeout: '30',
    })
  })

  it('NaN, ±Inf or no value of the total is no data (no point); no value of the numerator counts 0', async () => {
    const { fetch } = fakeFetch(({ params }) => {
      const bad = (params.get('query') ?? '').includes('code=~')
      const totals: Record<number, string | undefined> = {
        1: '1',
        2: 'NaN',
        3: '+Inf',
        4: '-Inf',
        5: undefined,
        6: '2',
        7: '3',
      }
      const bads: Record<number, string | undefined> = { 1: undefined, 6: 'NaN', 7: '1' }
      const step = (t: number) => (t - T0) / MIN
      return { body: matrix([{ values: everyStep(params, (t) => (bad ? bads : totals)[step(t)]) }]) }
    })
    const series = await source(fetch).query(ratioSli(), { startMs: T0, endMs: T0 + 7 * MIN })
    expect(series.points).toEqual([
      { t: T0, good: 60, total: 60 }, // no bad series: 0 bad events
      { t: T0 + 6 * MIN, good: 120, total: 180 },
    ])
  })

  it('answers an empty result (no traffic series at all) with an empty series, never a perfect score', async () => {
    const { fetch } = fakeFetch(() => ({ body: matrix([]) }))
    const series = await source(fetch).query(ratioSli(), { startMs: T0, endMs: T0 + 60 * MIN })
    expect(series).toEqual({ kind: 'events', resolutionMs: MIN, points: [] })
  })

  it('clamps good to [0, total] when the queries disagree, and says so in the log', async () => {
    const warnings: Array<[string, LogFields | undefined]> = []
    const logger = {
      debug() {},
      info() {},
      error() {},
      warn: (m: string, f?: LogFields) => void warnings.push([m, f]),
    }
    const { fetch } = fakeFetch(({ params }) => ({
      body: matrix([
        { values: everyStep(params, () => ((params.get('query') ?? '').includes('code!~') ? '2' : '1')) },
      ]),
    }))
    const sli = ratioSli({
      bad: undefined as unknown as string,
      good: 'sum(rate(http_requests_total{code!~"5.."}[{{window}}]))',
    })
    const series = await source(fetch, { logger }).query(sli, { startMs: T0, endMs: T0 + 2 * MIN })
    expect(series.points).toEqual([
      { t: T0, good: 60, total: 60 },
      { t: T0 + MIN, good: 60, total: 60 },
    ])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.[1]).toMatchObject({ steps: 2, good: 120, total: 60 })
  })

  it('asks /api/v1/query for a single step, and the range in chunks for long ranges', async () => {
    const { fetch, seen } = fakeFetch(({ url, params }) =>
      url.pathname === '/api/v1/query'
        ? {
            body: {
              status: 'success',
              data: {
                resultType: 'vector',
                result: [{ metric: {}, value: [Number(params.get('time')), '2'] }],
              },
            },
          }
        : { body: matrix([{ values: everyStep(params, () => '2') }]) },
    )
    const one = await source(fetch).query(ratioSli(), { startMs: T0, endMs: T0 + MIN })
    expect(seen.map((s) => s.url.pathname)).toEqual(['/api/v1/query', '/api/v1/query'])
    expect(seen[0]?.params.get('time')).toBe(String((T0 + MIN) / 1000))
    expect(one.points).toEqual([{ t: T0, good: 0, total: 120 }])
    seen.length = 0
    const month = await source(fetch).query(ratioSli(), { startMs: T0, endMs: T0 + 30 * 1440 * MIN })
    expect(month.points).toHaveLength(43_200)
    expect(seen).toHaveLength(8)
  })

  it('sends long queries as a form-encoded POST, short ones as GET', async () => {
    const { fetch, seen } = fakeFetch(() => ({ body: matrix([]) }))
    const long = `sum(rate(http_requests_total{route=~"${'/a|'.repeat(800)}/b"}[{{window}}]))`
    await source(fetch).query(ratioSli({ total: long }), { startMs: T0, endMs: T0 + 2 * MIN })
    expect(seen.map((s) => s.init.method)).toEqual(['GET', 'POST'])
    expect(seen[1]?.init.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(seen[1]?.url.search).toBe('')
    expect(seen[1]?.params.get('query')).toBe(long.replace('{{window}}', '1m'))
  })
})

describe('PrometheusSource.query: threshold SLIs', () => {
  it('answers one value per series and step, at the step start, non-finite values left out', async () => {
    const { fetch, seen } = fakeFetch(({ params }) => ({
      body: matrix([
        { metric: { route: 'a' }, values: everyStep(params, (t) => (t === T0 + 2 * MIN ? 'NaN' : '0.2')) },
        { metric: { route: 'b' }, values: everyStep(params, () => '0.4') },
      ]),
    }))
    const series = await source(fetch, { stepMs: 2 * MIN }).query(latencySli, {
      startMs: T0,
      endMs: T0 + 4 * MIN,
    })
    expect(seen[0]?.params.get('query')).toBe('histogram_quantile(0.99, sum by (le) (rate(h_bucket[2m])))')
    expect(series).toEqual({
      kind: 'values',
      resolutionMs: 2 * MIN,
      points: [
        { t: T0, value: 0.4 },
        { t: T0 + 2 * MIN, value: 0.2 },
        { t: T0 + 2 * MIN, value: 0.4 },
      ],
    })
  })
})

describe('PrometheusSource: failures are typed, retried only when a retry can help', () => {
  const failing = (answers: Answer[]) => {
    let i = 0
    return fakeFetch(() => answers[Math.min(i++, answers.length - 1)] as Answer)
  }

  it('400 bad_data: no retry, errorType and status kept', async () => {
    const { fetch, seen } = failing([
      {
        status: 400,
        body: {
          status: 'error',
          errorType: 'bad_data',
          error: 'invalid parameter "query": 1:5: parse error',
        },
      },
    ])
    const error = await rejection(source(fetch).query(ratioSli(), { startMs: T0, endMs: T0 + 5 * MIN }))
    expect(error).toBeInstanceOf(PrometheusError)
    expect(error).toMatchObject({
      code: 'SOURCE_FAILED',
      errorType: 'bad_data',
      status: 400,
      retryable: false,
      attempts: 1,
    })
    expect(error.message).toContain(
      'http://prometheus:9090/api/v1/query_range answered 400 bad_data: invalid parameter "query"',
    )
    expect(error.message).toContain('SLI "requests"')
    expect(seen.length).toBe(2) // the two queries, once each
  })

  it('422 execution: no retry', async () => {
    const { fetch, seen } = failing([
      {
        status: 422,
        body: {
          status: 'error',
          errorType: 'execution',
          error: 'query processing would load too many samples',
        },
      },
    ])
    const error = await rejection(source(fetch).query(latencySli, { startMs: T0, endMs: T0 + 5 * MIN }))
    expect(error).toMatchObject({ errorType: 'execution', status: 422, retryable: false })
    expect(seen).toHaveLength(1)
  })

  it('503 timeout: one retry, then SOURCE_TIMEOUT; a 503 followed by an answer succeeds', async () => {
    const timeout = {
      status: 503,
      body: { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' },
    }
    const twice = failing([timeout])
    const error = await rejection(source(twice.fetch).query(latencySli, { startMs: T0, endMs: T0 + 5 * MIN }))
    expect(error).toMatchObject({
      code: 'SOURCE_TIMEOUT',
      errorType: 'timeout',
      status: 503,
      retryable: true,
      attempts: 2,
    })
    expect(twice.seen).toHaveLength(2)
    const once = failing([timeout, { body: matrix([]) }])
    await expect(
      source(once.fetch).query(latencySli, { startMs: T0, endMs: T0 + 5 * MIN }),
    ).resolves.toMatchObject({ points: [] })
    const none = failing([timeout])
    await rejection(
      source(none.fetch, { retries: 0 }).query(latencySli, { startMs: T0, endMs: T0 + 5 * MIN }),
    )
    expect(none.seen).toHaveLength(1)
  })

  it('an HTML error page from a proxy is an error naming what came back, never parsed', async () => {
    const html =
      '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>'
    const { fetch } = failing([{ status: 502, body: html, contentType: 'text/html' }])
    const error = await rejection(source(fetch).query(latencySli, { startMs: T0, endMs: T0 + 5 * MIN }))
    expect(error).toMatchObject({
      code: 'SOURCE_FAILED',
      status: 502,
      retryable: true,
      attempts: 2,
      errorType: undefined,
    })
    expect(error.message).toContain(
      'answered 502 with a body that is not the API\'s JSON (text/html: "502 Bad Gateway")',
    )
  })

  it('a 200 that is not the API (a login page) or a result of the wrong shape is SOURCE_INVALID_DATA', async () => {
    const login = failing([{ body: '<html><title>Sign in</title></html>', contentType: 'text/html' }])
    expect(
      await rejection(source(login.fetch).query(latencySli, { startMs: T0, endMs: T0 + 5 * MIN })),
    ).toMatchObject({
      code: 'SOURCE_INVALID_DATA',
      retryable: false,
    })
    const shapes: unknown[] = [
      { status: 'success', data: { resultType: 'vector', result: [] } },
      { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [[1, 2]] }] } },
      { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [['x', '2']] }] } },
      { status: 'success' },
    ]
    for (const body of shapes) {
      const { fetch } = failing([{ body }])
      const error = await rejection(source(fetch).query(latencySli, { startMs: T0, endMs: T0 + 5 * MIN }))
      expect(error.code, JSON.stringify(body)).toBe('SOURCE_INVALID_DATA')
    }
  })

  it('a network failure is retried once, then reported in words', async () => {
    let calls = 0
    const fetch: FetchLike = async () => {
      calls++
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      })
    }
    const error = await rejection(source(fetch).query(latencySli, { startMs: T0, endMs: T0 + 5 * MIN }))
    expect(calls).toBe(2)
    expect(error).toMatchObject({ code: 'SOURCE_FAILED', retryable: true, attempts: 2, status: undefined })
    expect(error.message).toContain('the connection was reset (ECONNRESET) (after 2 attempts)')
  })

  it('a request that outlives timeoutMs is SOURCE_TIMEOUT (fake timers, no waiting)', async () => {
    const pending: Array<() => void> = []
    const timers: Timers = { setTimeout: (fn) => pending.push(fn), clearTimeout: () => {} }
    let calls = 0
    const fetch: FetchLike = () => {
      calls++
      queueMicrotask(() => pending.shift()?.()) // the timeout fires before any answer
      return new Promise(() => {})
    }
    const error = await rejection(
      source(fetch, { timers, timeoutMs: 1234 }).query(latencySli, { startMs: T0, endMs: T0 + 5 * MIN }),
    )
    expect(error).toMatchObject({ code: 'SOURCE_TIMEOUT', retryable: true })
    expect(error.message).toContain('no answer within 1234 ms')
    expect(calls).toBe(2)
  })

  it('rejects with ABORTED when the signal is aborted, before or during the request', async () => {
    const { fetch, seen } = fakeFetch(() => new Promise<Answer>(() => {}))
    const before = new AbortController()
    before.abort()
    expect(
      await rejection(
        source(fetch).query(latencySli, { startMs: T0, endMs: T0 + 5 * MIN }, { signal: before.signal }),
      ),
    ).toMatchObject({ code: 'ABORTED' })
    expect(seen).toHaveLength(0)
    const during = new AbortController()
    const answer = source(fetch).query(
      latencySli,
      { startMs: T0, endMs: T0 + 5 * MIN },
      { signal: during.signal },
    )
    await new Promise((resolve) => setTimeout(resolve, 5))
    during.abort(new Error('shutting down'))
    expect(await rejection(answer)).toMatchObject({ code: 'ABORTED' })
  })

  it('refuses SLIs it cannot query and bad ranges with INVALID_ARGUMENT (rejecting, not throwing)', async () => {
    const { fetch } = fakeFetch(() => ({ body: matrix([]) }))
    const inProcess = parseSli({ id: 'in-process', kind: 'availability', measurement: { type: 'ratio' } })
    const noWindow = ratioSli({ total: 'sum(http_requests_total)' })
    for (const sli of [inProcess, noWindow]) {
      expect(await rejection(source(fetch).query(sli, { startMs: T0, endMs: T0 + MIN }))).toMatchObject({
        code: 'INVALID_ARGUMENT',
      })
    }
    expect(await rejection(source(fetch).query(latencySli, { startMs: T0 + MIN, endMs: T0 }))).toMatchObject({
      code: 'INVALID_ARGUMENT',
    })
  })
})

describe('PrometheusSource: credentials', () => {
  it('sends a bearer token, basic auth and custom headers, revealing secrets only on the wire', async () => {
    const { fetch, seen } = fakeFetch(() => ({ body: matrix([]) }))
    const token = new Secret('PROMETHEUS_TOKEN', 's3cr3t-token')
    const withToken = source(fetch, {
      bearerToken: token,
      headers: { 'X-Scope-OrgID': 'shop', 'X-Api-Key': new Secret('KEY', 'k3y') },
    })
    await withToken.query(latencySli, { startMs: T0, endMs: T0 + 2 * MIN })
    expect(seen[0]?.init.headers).toMatchObject({
      authorization: 'Bearer s3cr3t-token',
      'x-scope-orgid': 'shop',
      'x-api-key': 'k3y',
    })
    const withBasic = source(fetch, {
      basicAuth: { username: 'grafana', password: new Secret('PW', 'pa55') },
    })
    await withBasic.query(latencySli, { startMs: T0, endMs: T0 + 2 * MIN })
    expect(seen[1]?.init.headers.authorization).toBe(
      `Basic ${Buffer.from('grafana:pa55').toString('base64')}`,
    )
    // Nothing about the source shows a secret.
    for (const shown of [String(withToken), JSON.stringify(withToken), String(withBasic)]) {
      expect(shown).not.toMatch(/s3cr3t|k3y|pa55/)
    }
  })

  it('never puts a secret in an error; an unset secret fails the query with INVALID_CONFIG naming it', async () => {
    const { fetch } = fakeFetch(() => ({ status: 401, body: 'Unauthorized', contentType: 'text/plain' }))
    const error = await rejection(
      source(fetch, { bearerToken: new Secret('PROMETHEUS_TOKEN', 's3cr3t-token') }).query(latencySli, {
        startMs: T0,
        endMs: T0 + 2 * MIN,
      }),
    )
    expect(`${error.message} ${error.hint} ${JSON.stringify(error)}`).not.toContain('s3cr3t')
    expect(error.hint).toContain('bearerToken')
    const unset = await rejection(
      source(fetch, { bearerToken: new Secret('PROMETHEUS_TOKEN', undefined) }).query(latencySli, {
        startMs: T0,
        endMs: T0 + 2 * MIN,
      }),
    )
    expect(unset).toMatchObject({ code: 'INVALID_CONFIG' })
    expect(unset.message).toContain('PROMETHEUS_TOKEN')
  })

  it('refuses credentials in the URL and other bad options at construction', () => {
    const { fetch } = fakeFetch(() => ({ body: {} }))
    const bad: Array<Partial<PrometheusSourceOptions>> = [
      { url: 'http://user:pass@prometheus:9090' },
      { url: 'ftp://prometheus' },
      { url: 'not a url' },
      { url: 'http://prometheus:9090/?x=1' },
      { stepMs: 1500 },
      { stepMs: 0 },
      { timeoutMs: -1 },
      { maxPointsPerRequest: 1 },
      { bearerToken: 't', basicAuth: { username: 'u', password: 'p' } },
      { basicAuth: { username: 'a:b', password: 'p' } },
      { headers: { 'bad header': 'x' } },
      { name: ' ' },
    ]
    for (const options of bad) {
      let caught: unknown
      try {
        source(fetch, options)
      } catch (error) {
        caught = error
      }
      expect(caught, JSON.stringify(options)).toBeInstanceOf(SlokitError)
      expect((caught as SlokitError).code).toBe('INVALID_ARGUMENT')
      expect((caught as SlokitError).message).not.toContain('pass')
    }
    expect(source(fetch, { url: 'https://mimir.example.com/prometheus/' }).url).toBe(
      'https://mimir.example.com/prometheus',
    )
  })
})
