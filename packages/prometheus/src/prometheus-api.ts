import type { Logger } from '@slokit/core'
import { PrometheusError, RETRYABLE_STATUSES } from './errors.js'
import { excerpt, type HttpAnswer, type HttpClient, NoAnswer } from './http.js'

/** One series of a query answer, values as numbers (`NaN` and `±Inf` kept: callers decide). */
export interface PromSeries {
  readonly metric: Readonly<Record<string, string>>
  /** `[time in epoch ms, value]`, in the server's order (ascending time). */
  readonly samples: ReadonlyArray<readonly [number, number]>
}

/** Longer URLs go as a form-encoded POST: proxies and servers cap URL length (often 4–8 KiB). */
export const MAX_GET_URL_LENGTH = 2048

/** Retry settings of {@link PrometheusApi}. */
export interface RetryPolicy {
  /** Extra attempts after a retryable failure; 1 by default. */
  readonly retries: number
  /** Pause before each retry. */
  readonly delayMs: number
}

const SECONDS = (ms: number): string => String(ms / 1000)

/**
 * The two query endpoints of the Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`),
 * with the envelope checked, errors typed and retryable failures retried. Internal: the public
 * face is `PrometheusSource`.
 */
export class PrometheusApi {
  constructor(
    private readonly http: HttpClient,
    private readonly retry: RetryPolicy,
    private readonly logger: Logger,
  ) {}

  /** An instant query at `timeMs`; a scalar answer becomes one series without labels. */
  async instant(
    query: string,
    timeMs: number,
    signal: AbortSignal | undefined,
    what: string,
  ): Promise<PromSeries[]> {
    const data = await this.call('/api/v1/query', { query, time: SECONDS(timeMs) }, signal, what)
    return readResult(data, ['vector', 'scalar'], this.failure(what, '/api/v1/query'))
  }

  /** A range query; `(endMs − startMs) / stepMs` must stay within the server's point limit. */
  async range(
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    signal: AbortSignal | undefined,
    what: string,
  ): Promise<PromSeries[]> {
    const params = { query, start: SECONDS(startMs), end: SECONDS(endMs), step: SECONDS(stepMs) }
    const data = await this.call('/api/v1/query_range', params, signal, what)
    return readResult(data, ['matrix'], this.failure(what, '/api/v1/query_range'))
  }

  private failure(what: string, endpoint: string) {
    return (detail: string): PrometheusError =>
      new PrometheusError(
        'SOURCE_INVALID_DATA',
        `[slokit/prometheus] ${what}: ${this.http.where}${endpoint} answered JSON that is not a query result: ${detail}.`,
        {
          retryable: false,
          attempts: 1,
          hint: 'check that `url` points at a Prometheus-compatible query API',
        },
      )
  }

  private async call(
    endpoint: string,
    params: Record<string, string>,
    signal: AbortSignal | undefined,
    what: string,
  ): Promise<unknown> {
    // The server stops working on a query we have given up on.
    const body = new URLSearchParams({ ...params, timeout: SECONDS(this.http.timeoutMs) }).toString()
    const getUrl = `${this.http.urlOf(endpoint)}?${body}`
    const request =
      getUrl.length <= MAX_GET_URL_LENGTH
        ? { method: 'GET' as const, url: getUrl, accept: 'application/json' }
        : {
            method: 'POST' as const,
            url: this.http.urlOf(endpoint),
            body,
            contentType: 'application/x-www-form-urlencoded',
            accept: 'application/json',
          }
    const attempts = 1 + this.retry.retries
    for (let attempt = 1; ; attempt++) {
      let error: PrometheusError
      try {
        const answer = await this.http.send(request, signal, `[slokit/prometheus] ${what}`)
        const outcome = judge(answer, endpoint, what, this.http.where, attempt)
        if (!(outcome instanceof PrometheusError)) {
          if (outcome.warnings.length > 0) {
            this.logger.warn('[slokit/prometheus] the server warned about a query', {
              what,
              endpoint,
              warnings: outcome.warnings,
            })
          }
          return outcome.data
        }
        error = outcome
      } catch (caught) {
        if (!(caught instanceof NoAnswer)) throw caught
        error = noAnswerError(caught, endpoint, what, this.http.where, attempt)
      }
      if (!error.retryable || attempt >= attempts) throw error
      this.logger.warn('[slokit/prometheus] retrying a failed query', {
        what,
        endpoint,
        attempt,
        reason: error.message,
      })
      await this.http.pause(this.retry.delayMs, signal, `[slokit/prometheus] ${what}`)
    }
  }
}

function noAnswerError(
  error: NoAnswer,
  endpoint: string,
  what: string,
  where: string,
  attempts: number,
): PrometheusError {
  const tries = attempts === 1 ? '' : ` (after ${attempts} attempts)`
  return new PrometheusError(
    error.kind === 'timeout' ? 'SOURCE_TIMEOUT' : 'SOURCE_FAILED',
    `[slokit/prometheus] ${what}: ${where}${endpoint}: ${error.message}${tries}.`,
    {
      retryable: true,
      attempts,
      cause: error.cause ?? error,
      hint:
        error.kind === 'timeout'
          ? 'the server is slow or overloaded: raise `timeoutMs`, or lower the query cost (a coarser `stepMs`, recording rules)'
          : 'check that the server is up and reachable from here',
    },
  )
}

interface Success {
  readonly data: unknown
  readonly warnings: readonly string[]
}

const STATUS_HINTS: Readonly<Record<number, string>> = {
  401: 'the server wants credentials: set `bearerToken` or `basicAuth` (and check they are current)',
  403: 'the credentials are not allowed to query: check the token or user, and the tenant header',
  404: 'check `url`: it is the base URL (e.g. http://prometheus:9090, or with its path prefix such as /prometheus)',
  405: 'the server does not accept this method here: check `url`',
  429: 'the server is rate limiting: query less often, or coarser',
}

/** Turns an HTTP answer into the envelope's `data`, or a typed error. */
function judge(
  answer: HttpAnswer,
  endpoint: string,
  what: string,
  where: string,
  attempts: number,
): Success | PrometheusError {
  const { status } = answer
  const at = `${where}${endpoint}`
  const ok = status >= 200 && status < 300
  let envelope: unknown
  try {
    envelope = JSON.parse(answer.body)
  } catch {
    envelope = undefined
  }
  const isEnvelope =
    envelope !== null &&
    typeof envelope === 'object' &&
    !Array.isArray(envelope) &&
    ((envelope as { status?: unknown }).status === 'success' ||
      (envelope as { status?: unknown }).status === 'error')
  const tries = attempts === 1 ? '' : ` (after ${attempts} attempts)`
  if (!isEnvelope) {
    // A proxy's HTML error page, an empty body, plain text: never parsed further.
    const kind = answer.contentType?.split(';')[0]?.trim() || 'no content type'
    const said = `${status}${answer.statusText === '' ? '' : ` ${answer.statusText}`}`
    return new PrometheusError(
      ok ? 'SOURCE_INVALID_DATA' : 'SOURCE_FAILED',
      `[slokit/prometheus] ${what}: ${at} answered ${said} with a body that is not the API's JSON (${kind}: "${excerpt(answer.body)}")${tries}.`,
      {
        status,
        retryable: RETRYABLE_STATUSES.has(status),
        attempts,
        hint:
          STATUS_HINTS[status] ??
          (ok
            ? 'check that `url` points at the Prometheus API and not at a web page or a proxy login'
            : 'a proxy or load balancer in front of Prometheus answered: check it and the server behind it'),
      },
    )
  }
  const env = envelope as {
    status: string
    data?: unknown
    errorType?: unknown
    error?: unknown
    warnings?: unknown
  }
  const warnings = Array.isArray(env.warnings)
    ? env.warnings.filter((w): w is string => typeof w === 'string')
    : []
  if (env.status === 'success' && ok) return { data: env.data, warnings }
  const errorType = typeof env.errorType === 'string' ? env.errorType : undefined
  const message = typeof env.error === 'string' && env.error !== '' ? env.error : 'no error message'
  const retryable =
    errorType === 'timeout' ||
    errorType === 'unavailable' ||
    (errorType !== 'bad_data' && errorType !== 'execution' && RETRYABLE_STATUSES.has(status))
  const timeout = errorType === 'timeout'
  return new PrometheusError(
    timeout ? 'SOURCE_TIMEOUT' : 'SOURCE_FAILED',
    `[slokit/prometheus] ${what}: ${at} answered ${status}${errorType === undefined ? '' : ` ${errorType}`}: ${message}${tries}.`,
    {
      errorType,
      status,
      retryable,
      attempts,
      hint:
        errorType === 'bad_data'
          ? 'fix the PromQL (or the parameters named in the message); retrying will not help'
          : errorType === 'execution'
            ? 'the query is too expensive or failed while running: narrow it, or record it with a recording rule'
            : timeout
              ? 'the query ran past the server timeout: make it cheaper (recording rules, a coarser stepMs) or raise `timeoutMs`'
              : STATUS_HINTS[status],
    },
  )
}

const VALUE_WORDS: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  '+Inf': Number.POSITIVE_INFINITY,
  Inf: Number.POSITIVE_INFINITY,
  '-Inf': Number.NEGATIVE_INFINITY,
}

/** A sample value as Prometheus writes it ("1.5", "NaN", "+Inf"); `undefined` for anything else. */
export function parseSampleValue(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined
  const word = VALUE_WORDS[value]
  if (word !== undefined) return word
  const n = Number(value)
  return Number.isNaN(n) ? undefined : n
}

function readSample(sample: unknown): readonly [number, number] | string {
  if (!Array.isArray(sample) || sample.length !== 2) return 'a sample is not [time, "value"]'
  const [t, v] = sample as [unknown, unknown]
  if (typeof t !== 'number' || !Number.isFinite(t)) return 'a sample time is not a number'
  const value = parseSampleValue(v)
  if (value === undefined) return `a sample value is not a number string: ${JSON.stringify(v)?.slice(0, 40)}`
  return [Math.round(t * 1000), value]
}

function readMetric(metric: unknown): Readonly<Record<string, string>> | string {
  if (metric === undefined) return {}
  if (metric === null || typeof metric !== 'object' || Array.isArray(metric))
    return 'a series has no label object'
  return metric as Record<string, string>
}

/** Reads `data` of a query answer of one of the `expected` result types. */
function readResult(
  data: unknown,
  expected: readonly string[],
  fail: (detail: string) => PrometheusError,
): PromSeries[] {
  if (data === null || typeof data !== 'object') throw fail('`data` is missing')
  const { resultType, result } = data as { resultType?: unknown; result?: unknown }
  if (typeof resultType !== 'string' || !expected.includes(resultType)) {
    throw fail(`result type ${JSON.stringify(resultType)} where ${expected.join(' or ')} was expected`)
  }
  if (resultType === 'scalar') {
    const sample = readSample(result)
    if (typeof sample === 'string') throw fail(sample)
    return [{ metric: {}, samples: [sample] }]
  }
  if (!Array.isArray(result)) throw fail('`data.result` is not a list')
  return result.map((entry: unknown) => {
    if (entry === null || typeof entry !== 'object') throw fail('a series is not an object')
    const { metric, value, values } = entry as { metric?: unknown; value?: unknown; values?: unknown }
    const labels = readMetric(metric)
    if (typeof labels === 'string') throw fail(labels)
    const raw = resultType === 'matrix' ? values : [value]
    if (!Array.isArray(raw)) throw fail('a series has no samples list')
    const samples = raw.map((s) => {
      const sample = readSample(s)
      if (typeof sample === 'string') throw fail(sample)
      return sample
    })
    return { metric: labels, samples }
  })
}
