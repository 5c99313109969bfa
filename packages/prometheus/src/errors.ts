import { SlokitError, type SlokitErrorCode } from '@slokit/core'

/**
 * The `errorType`s of the Prometheus HTTP API and the HTTP status each comes with (API v1,
 * Prometheus 2.x and 3.x). Thanos, Mimir and VictoriaMetrics answer with the same envelope.
 */
export const PROMETHEUS_ERROR_TYPES = {
  /** 400: a bad parameter, a PromQL syntax error, or over 11,000 points per series. */
  bad_data: 400,
  /** 422: the query failed while running, e.g. over `--query.max-samples`. */
  execution: 422,
  /** 503: the query ran past `--query.timeout` (or the `timeout` parameter). */
  timeout: 503,
  /** 499: the request was cancelled. */
  canceled: 499,
  /** 500: an internal error of the server. */
  internal: 500,
  /** 503: the server is not ready (still starting, or shutting down). */
  unavailable: 503,
  /** 404: the endpoint or object does not exist. */
  not_found: 404,
} as const

/** One of {@link PROMETHEUS_ERROR_TYPES}, or another string a compatible server sent. */
export type PrometheusErrorType = keyof typeof PROMETHEUS_ERROR_TYPES | (string & {})

/** Options of {@link PrometheusError}. */
export interface PrometheusErrorOptions {
  /** The `errorType` from the answer; absent when there was no JSON answer. */
  readonly errorType?: PrometheusErrorType | undefined
  /** The HTTP status; absent when no answer arrived (timeout, connection reset). */
  readonly status?: number | undefined
  /** Whether trying again later may succeed. */
  readonly retryable: boolean
  /** How many requests were sent before giving up. */
  readonly attempts: number
  readonly cause?: unknown
  readonly hint?: string | undefined
}

/**
 * A request to the Prometheus HTTP API that failed. Keeps what the server said (`errorType`,
 * `status`) and whether a retry may help, so a host can tell a broken query (`bad_data`, never
 * retried) from an overloaded server (`timeout`, retried once). The message names the server, the
 * endpoint and the SLI, never a credential.
 *
 * Codes: `SOURCE_TIMEOUT` (our timeout, or Prometheus's `timeout`), `SOURCE_INVALID_DATA` (an
 * answer that is not the API's JSON), `SOURCE_FAILED` (everything else).
 */
export class PrometheusError extends SlokitError {
  readonly errorType: PrometheusErrorType | undefined
  readonly status: number | undefined
  readonly retryable: boolean
  readonly attempts: number

  constructor(code: SlokitErrorCode, message: string, options: PrometheusErrorOptions) {
    super(code, message, {
      cause: options.cause,
      ...(options.hint === undefined ? {} : { hint: options.hint }),
    })
    this.name = 'PrometheusError'
    this.errorType = options.errorType
    this.status = options.status
    this.retryable = options.retryable
    this.attempts = options.attempts
  }
}

/** HTTP statuses worth one more try: overload, gateways, restarts. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504])
