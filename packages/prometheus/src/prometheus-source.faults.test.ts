import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  DAY_MS,
  evaluateSlo,
  MINUTE_MS,
  parseSlo,
  SlokitError,
  type SloSpec,
  type SloStatus,
  unavailableStatus,
  windowRange,
} from '@slokit/core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { PrometheusError } from './errors.js'
import { PrometheusSource } from './prometheus-source.js'

// A fake Prometheus 2.42 on a real socket that enforces the API contract strictly (point limit,
// form POSTs, parameter checks) and can be told to fail the way real deployments do.

type Fault =
  | 'none'
  | '503-once'
  | '503-always'
  | 'reset-once'
  | 'reset-always'
  | 'html-502'
  | '422'
  | 'slow'
  | 'nan'

let server: Server
let url: string
let fault: Fault = 'none'
let requests: Array<{
  method: string
  path: string
  params: URLSearchParams
  contentType: string | undefined
}> = []
let failuresLeft = 0
const hanging = new Set<ServerResponse>()

const NOW = Date.UTC(2026, 5, 1)
const slo: SloSpec = parseSlo({
  id: 'api-availability',
  service: 'api',
  objective: '99.9%',
  window: '30d',
  sli: {
    id: 'api-requests',
    kind: 'availability',
    measurement: {
      type: 'ratio',
      bad: 'sum(rate(http_requests_total{code=~"5.."}[{{window}}]))',
      total: 'sum(rate(http_requests_total[{{window}}]))',
    },
  },
})

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

function badData(res: ServerResponse, error: string): void {
  send(res, 400, { status: 'error', errorType: 'bad_data', error })
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parsed = new URL(req.url ?? '/', 'http://fake')
  let body = ''
  for await (const chunk of req) body += chunk
  const contentType = req.headers['content-type']
  if (req.method === 'POST' && contentType !== 'application/x-www-form-urlencoded') {
    badData(res, `invalid content type ${contentType}`)
    return
  }
  const params = req.method === 'POST' ? new URLSearchParams(body) : parsed.searchParams
  requests.push({ method: req.method ?? '', path: parsed.pathname, params, contentType })
  const failNow = failuresLeft > 0 || fault.endsWith('always')
  if (failuresLeft > 0) failuresLeft--
  if (failNow && fault.startsWith('503')) {
    send(res, 503, {
      status: 'error',
      errorType: 'timeout',
      error: 'query timed out in expression evaluation',
    })
    return
  }
  if (failNow && fault.startsWith('reset')) {
    req.socket.destroy()
    return
  }
  if (fault === 'html-502') {
    res.writeHead(502, { 'content-type': 'text/html' })
    res.end(
      '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx/1.25.3</body></html>',
    )
    return
  }
  if (fault === '422') {
    send(res, 422, {
      status: 'error',
      errorType: 'execution',
      error: 'query processing would load too many samples into memory',
    })
    return
  }
  if (fault === 'slow') {
    hanging.add(res)
    return
  }
  if (parsed.pathname !== '/api/v1/query_range') {
    send(res, 404, { status: 'error', errorType: 'not_found', error: 'not found' })
    return
  }
  const query = params.get('query')
  const start = Number(params.get('start'))
  const end = Number(params.get('end'))
  const step = Number(params.get('step'))
  if (!query) return badData(res, 'invalid parameter "query": empty')
  if (!(step > 0))
    return badData(
      res,
      'zero or negative query resolution step widths are not accepted. Try a positive integer',
    )
  if (end < start) return badData(res, 'end timestamp must not be before start time')
  if ((end - start) / step > 11_000) {
    return badData(
      res,
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    )
  }
  const rate = fault === 'nan' ? 'NaN' : query.includes('code=~') ? '0.01' : '10'
  const values: Array<[number, string]> = []
  for (let t = start; t <= end; t += step) values.push([t, rate])
  send(res, 200, { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values }] } })
}

beforeAll(async () => {
  server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      res.writeHead(500)
      res.end(String(error))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  for (const res of hanging) res.destroy()
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

beforeEach(() => {
  fault = 'none'
  failuresLeft = 0
  requests = []
})

const source = (timeoutMs = 5_000) => new PrometheusSource({ url, timeoutMs, retryDelayMs: 10 })

/** What an engine does with a source: evaluate, or mark the SLO stale with the reason. */
async function evaluateOrStale(src: PrometheusSource): Promise<SloStatus> {
  const range = windowRange(slo.window, NOW)
  try {
    const series = await src.query(slo.sli, { startMs: NOW - 30 * DAY_MS, endMs: NOW })
    return evaluateSlo(slo, series, { now: NOW })
  } catch (error) {
    if (!(error instanceof SlokitError)) throw error
    return unavailableStatus(slo, range, NOW, error.message)
  }
}

/** The error a query rejects with (the test fails if it resolves). */
async function failure(answer: Promise<unknown>): Promise<PrometheusError> {
  const outcome = await answer.then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(outcome, 'the query must reject').toBeInstanceOf(PrometheusError)
  return outcome as PrometheusError
}

function expectNeverPerfect(status: SloStatus): void {
  expect(status.sli).toBeNull()
  expect(status.met).toBeNull()
  expect(['stale', 'no_data']).toContain(status.data.state)
}

describe('PrometheusSource against a strict fake Prometheus', () => {
  it('reads 30 days at 1-minute steps in requests the server accepts (never over 11,000 points)', async () => {
    const status = await evaluateOrStale(source())
    expect(status.sli).toBeCloseTo(0.999, 10)
    expect(status.budget?.remaining).toBeCloseTo(0, 6)
    expect(status.data).toMatchObject({ state: 'ok', coverage: 1 })
    expect(requests.length).toBe(8) // two queries × four chunks
    for (const r of requests) {
      const points =
        (Number(r.params.get('end')) - Number(r.params.get('start'))) / Number(r.params.get('step'))
      expect(points).toBeLessThan(11_000)
    }
  })

  it('sends a long query as a form POST with the right content type', async () => {
    const long = `sum(rate(http_requests_total{route=~"${'/x|'.repeat(600)}/y"}[{{window}}]))`
    const sli = { ...slo.sli, measurement: { ...slo.sli.measurement, total: long } } as SloSpec['sli']
    const series = await source().query(sli, { startMs: NOW - 10 * MINUTE_MS, endMs: NOW })
    expect(series.points).toHaveLength(10)
    expect(requests.map((r) => [r.method, r.contentType])).toEqual([
      ['GET', undefined],
      ['POST', 'application/x-www-form-urlencoded'],
    ])
  })

  it('503: retries once and succeeds', async () => {
    fault = '503-once'
    failuresLeft = 1
    const status = await evaluateOrStale(source())
    expect(status.data.state).toBe('ok')
  })

  it('503 every time: fails with a typed, retryable error after two attempts; the status is stale, not 100 %', async () => {
    fault = '503-always'
    const src = source()
    const error = await failure(src.query(slo.sli, { startMs: NOW - 60 * MINUTE_MS, endMs: NOW }))
    expect(error).toMatchObject({
      code: 'SOURCE_TIMEOUT',
      errorType: 'timeout',
      status: 503,
      retryable: true,
      attempts: 2,
    })
    expectNeverPerfect(await evaluateOrStale(src))
  })

  it('connection reset: retries once and succeeds; reset every time fails in words', async () => {
    fault = 'reset-once'
    failuresLeft = 1
    expect((await evaluateOrStale(source())).data.state).toBe('ok')
    fault = 'reset-always'
    const error = await failure(source().query(slo.sli, { startMs: NOW - 60 * MINUTE_MS, endMs: NOW }))
    expect(error).toMatchObject({ code: 'SOURCE_FAILED', retryable: true, attempts: 2, status: undefined })
    expect((error as Error).message).toMatch(/closed by the other side|connection was reset|socket/)
  })

  it('an HTML 502 from a proxy: a typed error, no parser crash, stale status', async () => {
    fault = 'html-502'
    const error = await failure(source().query(slo.sli, { startMs: NOW - 60 * MINUTE_MS, endMs: NOW }))
    expect(error).toMatchObject({ code: 'SOURCE_FAILED', status: 502, retryable: true })
    expect(error.message).toContain('(text/html: "502 Bad Gateway")')
    expectNeverPerfect(await evaluateOrStale(source()))
  })

  it('422 execution: one request, no retry', async () => {
    fault = '422'
    const query = 'max(expensive_metric[{{window}}])'
    const sli = {
      ...slo.sli,
      measurement: { type: 'threshold', query, aggregation: 'max', comparison: '<=', threshold: 1 },
    }
    const error = await failure(
      source().query(sli as SloSpec['sli'], { startMs: NOW - 60 * MINUTE_MS, endMs: NOW }),
    )
    expect(error).toMatchObject({ errorType: 'execution', status: 422, retryable: false, attempts: 1 })
    expect(requests.filter((r) => r.params.get('query') === 'max(expensive_metric[1m])')).toHaveLength(1)
  })

  it('a server that does not answer: SOURCE_TIMEOUT after the timeout and one retry, never a hang', async () => {
    fault = 'slow'
    const started = Date.now()
    const error = await failure(source(150).query(slo.sli, { startMs: NOW - 60 * MINUTE_MS, endMs: NOW }))
    expect(error).toMatchObject({ code: 'SOURCE_TIMEOUT', retryable: true, attempts: 2 })
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  it('NaN everywhere is no data: SLI null, never 0 % or 100 %', async () => {
    fault = 'nan'
    const status = await evaluateOrStale(source())
    expectNeverPerfect(status)
    expect(status.data.state).toBe('no_data')
  })
})
