import {
  abortedError,
  type EventPoint,
  formatDuration,
  type Logger,
  noopLogger,
  type SliQueryOptions,
  type SliSeries,
  type SliSource,
  type SliSpec,
  SlokitError,
  type TimeRange,
  type ValuePoint,
} from '@slokit/core'
import {
  checkConnection,
  defaultFetch,
  type FetchLike,
  type HttpAuth,
  HttpClient,
  type Timers,
} from './http.js'
import { PrometheusApi, type PromSeries } from './prometheus-api.js'
import { hasWindowPlaceholder, withWindow } from './promql.js'

/** Options of {@link PrometheusSource}. */
export interface PrometheusSourceOptions extends HttpAuth {
  /**
   * Base URL of a Prometheus-compatible query API: `http://prometheus:9090`, or with a path
   * prefix (`https://mimir.example.com/prometheus`, Thanos Query, VictoriaMetrics). No
   * credentials in the URL: use `bearerToken` or `basicAuth`.
   */
  readonly url: string
  /** The source's {@link SliSource.name}; `prometheus` by default. */
  readonly name?: string | undefined
  /** Time allowed for each HTTP request, body included; also sent as the query `timeout`. 30 s by default. */
  readonly timeoutMs?: number | undefined
  /**
   * The length of one point, and the `{{window}}` each query is evaluated with: 1 minute by
   * default. A multiple of 1 second. Widened (to a multiple of itself) only when a range would
   * need more than `maxRequestsPerQuery` requests.
   */
  readonly stepMs?: number | undefined
  /** Points per series in one range request; 11,000 by default (Prometheus's limit). Lower it for servers with a smaller one. */
  readonly maxPointsPerRequest?: number | undefined
  /**
   * Range requests one query may be split into before the step is widened instead; 16 by
   * default (with 1-minute steps: 122 days in full resolution).
   */
  readonly maxRequestsPerQuery?: number | undefined
  /** Extra attempts after a retryable failure (timeouts, resets, 429, 5xx except 501); 1 by default. */
  readonly retries?: number | undefined
  /** Pause before a retry; 500 ms by default. */
  readonly retryDelayMs?: number | undefined
  /** `fetch` to send requests with; `globalThis.fetch` by default. */
  readonly fetch?: FetchLike | undefined
  /** Timers for timeouts and retry pauses; the global ones by default. */
  readonly timers?: Timers | undefined
  /** Where retries, server warnings and inconsistent data are logged; nowhere by default. */
  readonly logger?: Logger | undefined
}

/** The HTTP requests, steps and points one {@link PrometheusSource.plan} needs. */
export interface QueryPlan {
  /** The step actually used: `stepMs`, or a multiple of it when widened. */
  readonly stepMs: number
  /** The `{{window}}` the queries are evaluated with (equal to the step). */
  readonly window: string
  /** Evaluation times of the first and last point (each point covers the step before it). */
  readonly firstEvalMs: number
  readonly lastEvalMs: number
  /** Number of points, 0 when the range holds no whole step. */
  readonly points: number
  /** The `[start, end]` evaluation times of each range request, at most `maxPointsPerRequest` points each. */
  readonly chunks: ReadonlyArray<{ readonly startMs: number; readonly endMs: number }>
}

type Plan =
  | {
      readonly kind: 'events'
      readonly numerator: 'good' | 'bad'
      readonly num: string
      readonly total: string
    }
  | { readonly kind: 'values'; readonly query: string }

const DEFAULTS = {
  name: 'prometheus',
  timeoutMs: 30_000,
  stepMs: 60_000,
  maxPointsPerRequest: 11_000,
  maxRequestsPerQuery: 16,
  retries: 1,
  retryDelayMs: 500,
}

/** How far good may exceed total (or go below 0) before it is logged as inconsistent: rounding of rate × seconds. */
const REL_TOLERANCE = 1e-9

/**
 * An {@link SliSource} that reads SLIs from a Prometheus-compatible HTTP API (Prometheus, Thanos,
 * Mimir, VictoriaMetrics) with `/api/v1/query_range` (`/api/v1/query` for a single step).
 *
 * **Ratio SLIs** (`measurement.good` or `.bad`, with `.total`) answer an `EventSeries`: each
 * query is evaluated at the end of every step with `{{window}}` set to the step, so the windows
 * tile the range without gaps or overlaps. Queries are expected to return **per-second rates**
 * (`sum(rate(x[{{window}}]))`, as in Sloth and Pyrra); a point `{ t, good, total }` holds
 * `value × step seconds` events of the interval `[t, t + step)`, with `t` on multiples of the step
 * (epoch-aligned). Series of one query are summed. `bad` queries give `good = total − bad`.
 *
 * **Threshold SLIs** (`measurement.query`) answer a `ValueSeries`: one value per series and step,
 * at `t` = the start of the step it was evaluated over.
 *
 * **No data is no data.** A step where the total query has no value, or `NaN`/`±Inf`, has no
 * point, never 0 or 100 %. A step where the total has a value but the good/bad query has none
 * counts that side as 0: error counters usually appear with the first error, so an empty `bad`
 * query is a healthy service and an empty `good` query a fully failing one. `NaN`/`±Inf` values
 * of a threshold query are left out.
 *
 * **Failures** reject with {@link PrometheusError} (`errorType`, `status`, `retryable`):
 * `bad_data` and `execution` at once, timeouts, resets, 429 and 5xx after one retry. Answers that
 * are not the API's JSON (an HTML page from a proxy) are errors, never parsed further.
 *
 * @example
 * ```ts
 * import { evaluateSlo, parseSlo, Secret } from '@slokit/core'
 * import { PrometheusSource } from '@slokit/prometheus'
 *
 * const source = new PrometheusSource({
 *   url: 'http://prometheus:9090',
 *   bearerToken: new Secret('PROMETHEUS_TOKEN', process.env.PROMETHEUS_TOKEN),
 * })
 * const slo = parseSlo({
 *   id: 'checkout-availability', service: 'checkout', objective: '99.9%', window: '30d',
 *   sli: { id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio',
 *     bad: 'sum(rate(http_requests_total{job="checkout",code=~"5.."}[{{window}}]))',
 *     total: 'sum(rate(http_requests_total{job="checkout"}[{{window}}]))' } },
 * })
 * const now = Date.now()
 * const series = await source.query(slo.sli, { startMs: now - 30 * 86_400_000, endMs: now })
 * const status = evaluateSlo(slo, series, { now })
 * ```
 */
export class PrometheusSource implements SliSource {
  /** The name given at construction; `prometheus` by default. */
  readonly name: string
  /** The base URL, as normalised (no trailing slash). Holds no credentials. */
  readonly url: string
  /** The step points are computed on, before any widening. */
  readonly stepMs: number
  readonly #api: PrometheusApi
  readonly #maxPoints: number
  readonly #maxRequests: number
  readonly #logger: Logger

  /**
   * Checks the options; sends nothing yet.
   * @throws `SlokitError` `INVALID_ARGUMENT` naming the first invalid option.
   */
  constructor(options: PrometheusSourceOptions) {
    const where = '[slokit/prometheus] new PrometheusSource(options)'
    if (options === null || typeof options !== 'object') {
      throw new SlokitError('INVALID_ARGUMENT', `${where}: options must be an object with at least \`url\`.`)
    }
    const baseUrl = checkConnection(where, options)
    const name = options.name ?? DEFAULTS.name
    if (typeof name !== 'string' || name.trim() === '') {
      throw new SlokitError('INVALID_ARGUMENT', `${where}: \`name\` must be a non-empty string.`)
    }
    const stepMs = options.stepMs ?? DEFAULTS.stepMs
    if (!(Number.isSafeInteger(stepMs) && stepMs >= 1000 && stepMs % 1000 === 0)) {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `${where}: \`stepMs\` must be a whole number of seconds in milliseconds (>= 1000), got ${stepMs}.`,
      )
    }
    const positiveInt = (key: keyof typeof DEFAULTS, min: number): number => {
      const value = (options as unknown as Record<string, unknown>)[key] ?? DEFAULTS[key]
      if (!(Number.isSafeInteger(value) && (value as number) >= min)) {
        throw new SlokitError(
          'INVALID_ARGUMENT',
          `${where}: \`${key}\` must be a whole number >= ${min}, got ${String(value)}.`,
        )
      }
      return value as number
    }
    const maxPoints = positiveInt('maxPointsPerRequest', 2)
    const maxRequests = positiveInt('maxRequestsPerQuery', 1)
    const retries = positiveInt('retries', 0)
    const retryDelayMs = positiveInt('retryDelayMs', 0)
    const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs
    this.name = name
    this.url = baseUrl.href.replace(/\/+$/, '')
    this.stepMs = stepMs
    this.#maxPoints = maxPoints
    this.#maxRequests = maxRequests
    this.#logger = options.logger ?? noopLogger
    const http = new HttpClient(
      baseUrl,
      timeoutMs,
      { bearerToken: options.bearerToken, basicAuth: options.basicAuth, headers: options.headers },
      options.fetch ?? defaultFetch(where),
      options.timers,
      'slokit-prometheus',
    )
    this.#api = new PrometheusApi(http, { retries, delayMs: retryDelayMs }, this.#logger)
  }

  /**
   * The requests a query over `range` sends: the step (widened if needed), the evaluation times
   * and how the range is split. Pure: sends nothing.
   */
  plan(range: TimeRange): QueryPlan {
    const { startMs, endMs } = range
    let factor = 1
    for (;;) {
      const stepMs = this.stepMs * factor
      const firstEvalMs = Math.ceil(startMs / stepMs) * stepMs + stepMs
      const lastEvalMs = Math.floor(endMs / stepMs) * stepMs
      const points = lastEvalMs < firstEvalMs ? 0 : (lastEvalMs - firstEvalMs) / stepMs + 1
      const requests = Math.ceil(points / this.#maxPoints)
      if (requests > this.#maxRequests) {
        factor = Math.max(factor + 1, Math.ceil((factor * requests) / this.#maxRequests))
        continue
      }
      const chunks: Array<{ startMs: number; endMs: number }> = []
      for (let first = firstEvalMs; points > 0 && first <= lastEvalMs; first += this.#maxPoints * stepMs) {
        chunks.push({ startMs: first, endMs: Math.min(lastEvalMs, first + (this.#maxPoints - 1) * stepMs) })
      }
      return { stepMs, window: formatDuration(stepMs), firstEvalMs, lastEvalMs, points, chunks }
    }
  }

  /**
   * Answers `sli` over `[range.startMs, range.endMs)`: an `EventSeries` for ratio SLIs, a
   * `ValueSeries` for threshold SLIs. Rejects (never throws) with `SlokitError`: `ABORTED`,
   * `INVALID_ARGUMENT` (a bad range, an SLI without PromQL queries), or a {@link PrometheusError}.
   */
  async query(sli: SliSpec, range: TimeRange, opts: SliQueryOptions = {}): Promise<SliSeries> {
    const signal = opts.signal
    const what = `PrometheusSource "${this.name}": query for SLI "${sli?.id}"`
    if (signal?.aborted) throw abortedError(signal, `[slokit/prometheus] ${what}`)
    const { startMs, endMs } = range ?? ({} as TimeRange)
    if (!(Number.isFinite(startMs) && Number.isFinite(endMs) && startMs <= endMs)) {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `[slokit/prometheus] ${what}: range [${startMs}, ${endMs}) is not a valid range.`,
        { hint: 'pass finite epoch milliseconds with startMs <= endMs' },
      )
    }
    const plan = planQueries(sli)
    const steps = this.plan({ startMs, endMs })
    if (plan.kind === 'values') {
      const points = steps.points === 0 ? [] : await this.values(plan.query, steps, signal, what)
      return { kind: 'values', resolutionMs: steps.stepMs, points }
    }
    const points = steps.points === 0 ? [] : await this.events(plan, steps, signal, what)
    return { kind: 'events', resolutionMs: steps.stepMs, points }
  }

  /** Runs `query` over every chunk of `steps`, one chunk after the other. */
  private async fetch(query: string, steps: QueryPlan, signal: AbortSignal | undefined, what: string) {
    const promql = withWindow(query, steps.stepMs)
    const series: PromSeries[] = []
    for (const chunk of steps.chunks) {
      const answer =
        steps.points === 1
          ? await this.#api.instant(promql, chunk.endMs, signal, what)
          : await this.#api.range(promql, chunk.startMs, chunk.endMs, steps.stepMs, signal, what)
      series.push(...answer)
    }
    return series
  }

  private async values(query: string, steps: QueryPlan, signal: AbortSignal | undefined, what: string) {
    const series = await this.fetch(query, steps, signal, what)
    const points: ValuePoint[] = []
    for (const s of series) {
      for (const [evalMs, value] of s.samples) {
        if (!onGrid(evalMs, steps) || !Number.isFinite(value)) continue
        points.push({ t: evalMs - steps.stepMs, value })
      }
    }
    // Stable: values of one step keep the server's series order.
    return points.sort((a, b) => a.t - b.t)
  }

  private async events(
    plan: Extract<Plan, { kind: 'events' }>,
    steps: QueryPlan,
    signal: AbortSignal | undefined,
    what: string,
  ): Promise<EventPoint[]> {
    // Both queries run side by side; when one fails, the other is stopped rather than left running.
    const both = new AbortController()
    const onAbort = (): void => both.abort(signal?.reason)
    if (signal?.aborted) both.abort(signal.reason)
    signal?.addEventListener('abort', onAbort, { once: true })
    const stopOnFailure = <T>(promise: Promise<T>): Promise<T> =>
      promise.catch((error: unknown) => {
        both.abort(error)
        throw error
      })
    let numSeries: PromSeries[]
    let totalSeries: PromSeries[]
    try {
      ;[numSeries, totalSeries] = await Promise.all([
        stopOnFailure(this.fetch(plan.num, steps, both.signal, `${what} (${plan.numerator} query)`)),
        stopOnFailure(this.fetch(plan.total, steps, both.signal, `${what} (total query)`)),
      ])
    } catch (error) {
      // The caller's abort wins over the sibling's "aborted" error.
      if (signal?.aborted) throw abortedError(signal, `[slokit/prometheus] ${what}`)
      throw error
    } finally {
      signal?.removeEventListener('abort', onAbort)
    }
    const totals = sumByTime(totalSeries, steps)
    const nums = sumByTime(numSeries, steps)
    const seconds = steps.stepMs / 1000
    const points: EventPoint[] = []
    let inconsistent: { t: number; good: number; total: number } | undefined
    let count = 0
    for (let evalMs = steps.firstEvalMs; evalMs <= steps.lastEvalMs; evalMs += steps.stepMs) {
      const totalRate = totals.get(evalMs)
      if (totalRate === undefined || !Number.isFinite(totalRate)) continue
      const numRate = nums.get(evalMs) ?? 0
      if (!Number.isFinite(numRate)) continue
      const total = totalRate * seconds
      const num = numRate * seconds
      let good = plan.numerator === 'good' ? num : total - num
      if (total < 0) {
        count++
        inconsistent ??= { t: evalMs - steps.stepMs, good, total }
        continue
      }
      const slack = REL_TOLERANCE * Math.max(1, total)
      if (good < -slack || good > total + slack || num < -slack) {
        count++
        inconsistent ??= { t: evalMs - steps.stepMs, good, total }
      }
      good = Math.min(total, Math.max(0, good))
      points.push({ t: evalMs - steps.stepMs, good, total })
    }
    if (inconsistent !== undefined) {
      this.#logger.warn(
        '[slokit/prometheus] good/bad and total queries disagree; clamped to 0 <= good <= total',
        {
          source: this.name,
          sli: what,
          steps: count,
          first: new Date(inconsistent.t).toISOString(),
          good: inconsistent.good,
          total: inconsistent.total,
        },
      )
    }
    return points
  }

  /** `PrometheusSource(name, url)`: no credentials. */
  toString(): string {
    return `PrometheusSource(${this.name}, ${this.url})`
  }
}

function onGrid(evalMs: number, steps: QueryPlan): boolean {
  return (
    evalMs >= steps.firstEvalMs &&
    evalMs <= steps.lastEvalMs &&
    (evalMs - steps.firstEvalMs) % steps.stepMs === 0
  )
}

/** Per evaluation time: the sum of the series' finite values, or `NaN` when a series has a non-finite one. */
function sumByTime(series: readonly PromSeries[], steps: QueryPlan): Map<number, number> {
  const sums = new Map<number, number>()
  for (const s of series) {
    for (const [evalMs, value] of s.samples) {
      if (!onGrid(evalMs, steps)) continue
      sums.set(evalMs, (sums.get(evalMs) ?? 0) + value)
    }
  }
  return sums
}

/** What to ask Prometheus for an SLI; throws `INVALID_ARGUMENT` when the SLI has no usable PromQL. */
function planQueries(sli: SliSpec): Plan {
  const where = `[slokit/prometheus] SLI "${sli?.id}"`
  const m = sli?.measurement
  if (m?.type === 'threshold') {
    if (m.query === undefined) {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `${where} is a threshold SLI without \`measurement.query\`.`,
        {
          hint: 'give the PromQL that returns the measured value, e.g. histogram_quantile(0.99, …[{{window}}])',
        },
      )
    }
    return { kind: 'values', query: m.query }
  }
  if (m?.type !== 'ratio') {
    throw new SlokitError('INVALID_ARGUMENT', `${where} has no measurement PrometheusSource understands.`)
  }
  const numerator = m.good !== undefined ? 'good' : 'bad'
  const num = m.good ?? m.bad
  if (num === undefined || m.total === undefined) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `${where} is a ratio SLI without PromQL: PrometheusSource needs \`measurement.good\` or \`measurement.bad\`, and \`measurement.total\`.`,
      { hint: 'an SLI measured in-process belongs to the tracker, not to a Prometheus source' },
    )
  }
  if (!hasWindowPlaceholder(m.total)) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `${where}: \`measurement.total\` has no {{window}} placeholder, so its value cannot be turned into events per step.`,
      {
        hint: 'write the range of its range selectors as [{{window}}], e.g. sum(rate(http_requests_total[{{window}}]))',
      },
    )
  }
  return { kind: 'events', numerator, num, total: m.total }
}
