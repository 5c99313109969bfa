import { SlokitError } from '@slokit/core'
import { LABEL_NAME, quote } from './promql.js'

/** Options of {@link histogramQueries}. */
export interface HistogramQueryOptions {
  /**
   * The histogram's base name, without `_bucket`/`_count`: `http_request_duration_seconds`
   * (OpenTelemetry's `http.server.request.duration` usually arrives as
   * `http_server_request_duration_seconds`).
   */
  readonly metric: string
  /**
   * The latency a good request stays within, in the histogram's unit (seconds for `_seconds`
   * histograms). Must be one of the histogram's bucket boundaries: requests are counted from the
   * `le` bucket, with no interpolation.
   */
  readonly threshold: number
  /**
   * Label matchers that select the requests, with or without braces: `{job="api"}`,
   * `job="api", route!~"/health.*"`. Must not match on `le`.
   */
  readonly selector?: string | undefined
  /**
   * The `le` label value as your client library writes the boundary, when it differs from how
   * JavaScript prints `threshold`: Java's simpleclient writes `1.0` where Go writes `1`.
   */
  readonly le?: string | undefined
  /** Labels to keep (`sum by (…)`); none by default, so the SLI is one number. */
  readonly by?: readonly string[] | undefined
}

/** What {@link histogramQueries} returns: a ratio measurement, ready to put in an SLI spec. */
export interface HistogramQueries {
  readonly type: 'ratio'
  /** Requests within the threshold: the `le` bucket's rate. */
  readonly good: string
  /** All requests: the histogram's `_count` rate. */
  readonly total: string
}

const METRIC_BASE = /^[A-Za-z_:][A-Za-z0-9_:]*$/

/**
 * The PromQL of a latency SLI counted from a Prometheus histogram: the share of requests served
 * within `threshold` is the rate of the `le="<threshold>"` bucket over the rate of `_count`. Unlike
 * a percentile, this ratio adds up correctly over any window, which is what SLO maths needs.
 *
 * @example
 * ```ts
 * const measurement = histogramQueries({
 *   metric: 'http_request_duration_seconds',
 *   threshold: 0.3,
 *   selector: '{job="api"}',
 * })
 * // {
 * //   type: 'ratio',
 * //   good: 'sum(rate(http_request_duration_seconds_bucket{job="api", le="0.3"}[{{window}}]))',
 * //   total: 'sum(rate(http_request_duration_seconds_count{job="api"}[{{window}}]))',
 * // }
 * parseSli({ id: 'api-latency', kind: 'latency', measurement })
 * ```
 * @throws `SlokitError` `INVALID_ARGUMENT` for a bad metric name, threshold, selector or label.
 */
export function histogramQueries(options: HistogramQueryOptions): HistogramQueries {
  const where = '[slokit/prometheus] histogramQueries(options)'
  const { metric, threshold, selector = '', le, by = [] } = options
  if (typeof metric !== 'string' || !METRIC_BASE.test(metric)) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `${where}: \`metric\` must be a metric name, got ${JSON.stringify(metric)}.`,
    )
  }
  const base = metric.replace(/_(bucket|count|sum)$/, '')
  if (!(typeof threshold === 'number' && Number.isFinite(threshold) && threshold > 0)) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `${where}: \`threshold\` must be a positive number, got ${String(threshold)}.`,
    )
  }
  if (le !== undefined && (typeof le !== 'string' || le === '')) {
    throw new SlokitError('INVALID_ARGUMENT', `${where}: \`le\` must be a non-empty string.`)
  }
  const inner =
    typeof selector === 'string'
      ? selector.trim().replace(/^\{/, '').replace(/\}$/, '').trim().replace(/,$/, '')
      : undefined
  if (inner === undefined || /[{}]/.test(inner) || /(^|[\s,])le\s*(=|!=|=~|!~)/.test(inner)) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `${where}: \`selector\` must be label matchers such as {job="api"}, without \`le\`.`,
    )
  }
  for (const label of by) {
    if (!LABEL_NAME.test(label) || label === 'le') {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `${where}: \`by\` has an invalid label ${JSON.stringify(label)}.`,
      )
    }
  }
  const leMatcher = `le=${quote(le ?? String(threshold))}`
  const bucketMatchers = inner === '' ? leMatcher : `${inner}, ${leMatcher}`
  const countMatchers = inner === '' ? '' : `{${inner}}`
  const sum = by.length === 0 ? 'sum' : `sum by (${by.join(', ')})`
  return {
    type: 'ratio',
    good: `${sum}(rate(${base}_bucket{${bucketMatchers}}[{{window}}]))`,
    total: `${sum}(rate(${base}_count${countMatchers}[{{window}}]))`,
  }
}
