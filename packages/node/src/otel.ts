/**
 * `@slokit/node/otel`: an `SliSource` over OpenTelemetry's `http.server.request.duration`
 * histograms, read in-process through a `MetricReader` of `@opentelemetry/sdk-metrics` 2.x. It
 * imports nothing from OpenTelemetry; the types it declares are the parts of a collection result
 * it reads.
 *
 * @module
 */
import {
  abortedError,
  type Clock,
  type EventPoint,
  type EventSeries,
  type SliQueryOptions,
  type SliSeries,
  type SliSource,
  type SliSpec,
  SlokitError,
  systemClock,
  type TimeRange,
} from '@slokit/core'
import { badStatusTable, type StatusClass } from './options.js'

export type { StatusClass } from './options.js'

/** OpenTelemetry's `DataPointType.HISTOGRAM`. */
const HISTOGRAM = 0
/** OpenTelemetry's `AggregationTemporality.CUMULATIVE` (`DELTA` is 0). */
const CUMULATIVE = 1

/** The explicit-bucket histogram value of a data point, as `@opentelemetry/sdk-metrics` reports it. */
export interface HistogramValueLike {
  readonly count: number
  /** `boundaries` are inclusive upper bounds; `counts` has one more entry, for values above the last. */
  readonly buckets: { readonly boundaries: readonly number[]; readonly counts: readonly number[] }
}

/** One metric of a collection result: its descriptor, point type, temporality and data points. */
export interface MetricDataLike {
  readonly descriptor: { readonly name: string; readonly unit: string }
  /** `DataPointType`: `0` for an explicit-bucket histogram. */
  readonly dataPointType: number
  /** `AggregationTemporality`: `0` delta, `1` cumulative. */
  readonly aggregationTemporality: number
  readonly dataPoints: readonly {
    readonly attributes: Readonly<Record<string, unknown>>
    /** When the point's (cumulative) count started, as `[seconds, nanoseconds]`; it changes when the series restarts. */
    readonly startTime?: readonly [number, number] | undefined
    readonly value: unknown
  }[]
}

/** What `MetricReader.collect()` resolves to (the parts read here). */
export interface CollectionResultLike {
  readonly resourceMetrics: {
    readonly scopeMetrics: readonly {
      /** The instrumentation scope (meter) that recorded the metrics. */
      readonly scope?: { readonly name: string; readonly version?: string | undefined } | undefined
      readonly metrics: readonly MetricDataLike[]
    }[]
  }
  readonly errors: readonly unknown[]
}

/**
 * The member of an OpenTelemetry `MetricReader` the source calls. Any reader registered with the
 * host's `MeterProvider` works; a dedicated one is three lines:
 *
 * ```ts
 * class SloReader extends MetricReader {
 *   protected async onForceFlush() {}
 *   protected async onShutdown() {}
 * }
 * ```
 */
export interface MetricReaderLike {
  collect(options?: { timeoutMillis?: number }): Promise<CollectionResultLike>
}

/** Which requests of the histogram one SLI counts, and how. */
export interface OtelSli {
  /**
   * Only data points whose attributes have these values count, e.g.
   * `{ 'http.route': '/users/:id', 'http.request.method': 'GET' }`. All points by default.
   */
  readonly attributes?: Readonly<Record<string, string | number | boolean>> | undefined
  /**
   * Makes the SLI a latency SLI: a request is good when it took at most this many milliseconds.
   * It must be a bucket boundary of the histogram (configure the boundaries with a `View`);
   * otherwise queries reject with `SlokitError` `NOT_SUPPORTED` naming the boundaries.
   * Without it the SLI is an availability SLI.
   */
  readonly latencyThresholdMs?: number | undefined
}

/** Options of {@link OtelSliSource}. */
export interface OtelSliSourceOptions {
  /** The reader registered with the host's `MeterProvider`. */
  readonly reader: MetricReaderLike
  /** SLI id → which requests it counts. The SLIs must be ratio SLIs. */
  readonly slis: Readonly<Record<string, OtelSli>>
  /** The source's name in logs and statuses; `otel` by default. */
  readonly name?: string | undefined
  /** The histogram to read; `http.server.request.duration` by default. Its unit must be `s` or `ms`. */
  readonly metricName?: string | undefined
  /**
   * Which `http.response.status_code` values make a request bad, besides any `error.type`
   * attribute; `['5xx']` by default, `['5xx', 429]` to count rate limiting too.
   */
  readonly badStatus?: readonly (number | StatusClass)[] | undefined
  /** When collections happen; the tracker's or the engine's clock. `systemClock` by default. */
  readonly clock?: Clock | undefined
  /** Length of the intervals counts are kept in; one minute by default. */
  readonly resolutionMs?: number | undefined
  /** How long counts are kept; 31 days by default (a 30-day SLO window plus slack). */
  readonly retentionMs?: number | undefined
}

interface Selector {
  readonly id: string
  readonly attributes: readonly (readonly [string, string | number | boolean])[]
  readonly latencyThresholdMs: number | undefined
  readonly points: EventPoint[]
  seen: boolean
  problem: SlokitError | undefined
}

interface Snapshot {
  count: number
  counts: readonly number[]
  /** The point's `startTime`, joined; `''` when it has none. */
  start?: string
}

/**
 * An {@link SliSource} that answers ratio SLIs from the OpenTelemetry histogram
 * `http.server.request.duration` of the same process:
 *
 * - **availability**: good = requests without an `error.type` attribute and whose
 *   `http.response.status_code` is not in `badStatus` (5xx by default);
 * - **latency** (`latencyThresholdMs`): good = requests in the buckets up to that boundary.
 *
 * Each `query()` (or {@link OtelSliSource.collect}) collects the reader once and books the
 * requests since the previous collection (cumulative temporality is differenced per meter and
 * attribute set; delta temporality is added as is; a restarted series counts in full) into the interval of the
 * clock's current time. So the series has the resolution of your collections: call `collect()`
 * on a timer (every `resolutionMs`) when queries are rarer. History is kept in memory for
 * `retentionMs`; the process's requests before the first collection all land in the first
 * interval.
 *
 * @example
 * ```ts
 * import { AggregationType, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics'
 * import { OtelSliSource } from '@slokit/node/otel'
 *
 * class SloReader extends MetricReader {
 *   protected async onForceFlush() {}
 *   protected async onShutdown() {}
 * }
 * const reader = new SloReader()
 * const provider = new MeterProvider({
 *   readers: [reader],
 *   views: [{
 *     instrumentName: 'http.server.request.duration',
 *     aggregation: { type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM, options: { boundaries: [0.05, 0.1, 0.3, 1] } },
 *   }],
 * })
 * const source = new OtelSliSource({
 *   reader,
 *   slis: {
 *     'api-requests': {},
 *     'api-fast-requests': { latencyThresholdMs: 300 },
 *   },
 * })
 * ```
 * @throws `SlokitError` `INVALID_ARGUMENT` when an option is invalid.
 */
export class OtelSliSource implements SliSource {
  /** The name given, `otel` by default. */
  readonly name: string
  /** Length of the intervals of the answered series. */
  readonly resolutionMs: number
  private readonly reader: MetricReaderLike
  private readonly metricName: string
  private readonly badCodes: Uint8Array
  private readonly clock: Clock
  private readonly retentionMs: number
  private readonly selectors = new Map<string, Selector>()
  private readonly previous = new Map<string, Snapshot>()
  private pending: Promise<void> = Promise.resolve()

  constructor(options: OtelSliSourceOptions) {
    const fail = (message: string, hint?: string): never => {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `[slokit/node] new OtelSliSource(options): ${message}`,
        hint === undefined ? {} : { hint },
      )
    }
    if (options === null || typeof options !== 'object') fail('`options` must be an object.')
    if (options.reader === null || typeof options.reader?.collect !== 'function') {
      fail('Missing required option `reader`.', 'pass a MetricReader registered with your MeterProvider')
    }
    this.reader = options.reader
    this.name = options.name ?? 'otel'
    if (typeof this.name !== 'string' || this.name.trim() === '') fail('`name` must be a non-empty string.')
    this.metricName = options.metricName ?? 'http.server.request.duration'
    if (typeof this.metricName !== 'string' || this.metricName === '')
      fail('`metricName` must be a non-empty string.')
    this.clock = options.clock ?? systemClock
    if (typeof this.clock?.now !== 'function') fail('`clock` must be a Clock: { now(): number }.')
    this.resolutionMs = positive(options.resolutionMs ?? 60_000, 'resolutionMs', fail)
    this.retentionMs = positive(options.retentionMs ?? 31 * 86_400_000, 'retentionMs', fail)
    this.badCodes = badStatusTable(options.badStatus ?? ['5xx'], fail)
    const slis = options.slis
    if (slis === null || typeof slis !== 'object' || Object.keys(slis).length === 0) {
      fail(
        'Missing required option `slis`: map each SLI id to the requests it counts.',
        "e.g. { 'api-requests': {} }",
      )
    }
    for (const [id, sli] of Object.entries(slis)) {
      if (sli === null || typeof sli !== 'object') fail(`\`slis["${id}"]\` must be an object.`)
      const thresholdMs = sli.latencyThresholdMs
      if (thresholdMs !== undefined) positive(thresholdMs, `slis["${id}"].latencyThresholdMs`, fail)
      const attributes = Object.entries(sli.attributes ?? {})
      for (const [key, value] of attributes) {
        if (!['string', 'number', 'boolean'].includes(typeof value)) {
          fail(`\`slis["${id}"].attributes["${key}"]\` must be a string, number or boolean.`)
        }
      }
      this.selectors.set(id, {
        id,
        attributes,
        latencyThresholdMs: thresholdMs,
        points: [],
        seen: false,
        problem: undefined,
      })
    }
  }

  /**
   * Collects the reader now and books the requests since the previous collection. `query()` does
   * this too; call it on a timer for a finer series. Collections never overlap.
   * @throws `SlokitError` `SOURCE_FAILED` when the reader fails.
   */
  collect(): Promise<void> {
    const run = this.pending.then(() => this.collectOnce())
    this.pending = run.catch(() => undefined)
    return run
  }

  /**
   * The SLI's good and total requests per interval in `range`. Rejects with `UNKNOWN_SLO` for an
   * SLI not in `slis`, `NOT_SUPPORTED` for a threshold SLI or a latency threshold that is not a
   * bucket boundary, `SOURCE_FAILED` when the reader fails, `ABORTED` when `signal` aborts.
   */
  async query(sli: SliSpec, range: TimeRange, opts?: SliQueryOptions): Promise<SliSeries> {
    const signal = opts?.signal
    const what = `[slokit/node] OtelSliSource query for "${sli.id}"`
    if (signal?.aborted) throw abortedError(signal, what)
    const selector = this.selectors.get(sli.id)
    if (selector === undefined) {
      throw new SlokitError('UNKNOWN_SLO', `[slokit/node] OtelSliSource has no SLI "${sli.id}".`, {
        hint: `add it to \`slis\`; known: ${[...this.selectors.keys()].join(', ')}`,
      })
    }
    if (sli.measurement.type !== 'ratio') {
      throw new SlokitError(
        'NOT_SUPPORTED',
        `[slokit/node] OtelSliSource answers ratio SLIs only; "${sli.id}" is a threshold SLI.`,
        { hint: 'measure latency as a ratio SLI with `latencyThresholdMs` on its entry in `slis`' },
      )
    }
    await abortable(this.collect(), signal, what)
    if (selector.problem !== undefined) throw selector.problem
    const points: EventPoint[] = []
    for (const point of selector.points) {
      if (point.t >= range.startMs && point.t < range.endMs) points.push({ ...point })
    }
    const series: EventSeries = { kind: 'events', resolutionMs: this.resolutionMs, points }
    return series
  }

  private async collectOnce(): Promise<void> {
    let result: CollectionResultLike
    try {
      result = await this.reader.collect()
    } catch (error) {
      throw new SlokitError(
        'SOURCE_FAILED',
        '[slokit/node] OtelSliSource: the MetricReader failed to collect.',
        {
          cause: error,
          hint: 'is the reader registered with a MeterProvider (`readers: [reader]`)?',
        },
      )
    }
    const now = this.clock.now()
    const t = Math.floor(now / this.resolutionMs) * this.resolutionMs
    const tallies = new Map<Selector, { good: number; total: number }>()
    for (const selector of this.selectors.values()) tallies.set(selector, { good: 0, total: 0 })
    for (const scope of result?.resourceMetrics?.scopeMetrics ?? []) {
      // Two meters (say an HTTP and a framework instrumentation) may both record the histogram
      // with the same attributes: each is its own cumulative series.
      const scopeKey = `${scope.scope?.name ?? ''}\u0000${scope.scope?.version ?? ''}`
      for (const metric of scope.metrics) {
        if (metric.descriptor.name !== this.metricName || metric.dataPointType !== HISTOGRAM) continue
        const toMs = unitToMs(metric.descriptor.unit)
        const cumulative = metric.aggregationTemporality === CUMULATIVE
        for (const point of metric.dataPoints) {
          const value = point.value as HistogramValueLike
          if (!isHistogram(value)) continue
          const delta = cumulative
            ? this.difference(scopeKey, point, value)
            : { count: value.count, counts: value.buckets.counts }
          for (const [selector, tally] of tallies) {
            if (!matches(selector, point.attributes)) continue
            selector.seen = true
            if (selector.latencyThresholdMs === undefined) {
              const bad = isBad(point.attributes, this.badCodes)
              tally.total += delta.count
              if (!bad) tally.good += delta.count
            } else {
              const good = fastCount(
                selector,
                value.buckets.boundaries,
                delta.counts,
                toMs,
                metric.descriptor.unit,
                this.metricName,
              )
              if (good === undefined) continue
              tally.total += delta.count
              tally.good += good
            }
          }
        }
      }
    }
    const oldest = now - this.retentionMs
    for (const [selector, tally] of tallies) {
      if (!selector.seen) continue
      const points = selector.points
      const last = points[points.length - 1]
      if (last !== undefined && last.t === t) {
        points[points.length - 1] = { t, good: last.good + tally.good, total: last.total + tally.total }
      } else if (last === undefined || last.t < t) {
        points.push({ t, good: tally.good, total: tally.total })
      } else {
        // The clock went back: book into the newest interval rather than break the order.
        points[points.length - 1] = {
          t: last.t,
          good: last.good + tally.good,
          total: last.total + tally.total,
        }
      }
      let drop = 0
      while (drop < points.length && (points[drop] as EventPoint).t < oldest) drop++
      if (drop > 0) points.splice(0, drop)
    }
  }

  /**
   * Requests since the previous collection of one cumulative series (scope and attribute set).
   * A series seen for the first time, or restarted (a new `startTime`, a lower count, other
   * buckets), counts in full.
   */
  private difference(
    scopeKey: string,
    point: MetricDataLike['dataPoints'][number],
    value: HistogramValueLike,
  ): Snapshot {
    const key = `${scopeKey}\u0000${attributeKey(point.attributes)}`
    const before = this.previous.get(key)
    const start = Array.isArray(point.startTime) ? point.startTime.join(':') : ''
    const now: Snapshot = { count: value.count, counts: [...value.buckets.counts], start }
    this.previous.set(key, now)
    if (
      before === undefined ||
      before.start !== start ||
      before.count > now.count ||
      before.counts.length !== now.counts.length ||
      before.counts.some((c, i) => c > (now.counts[i] as number))
    )
      return now
    return {
      count: now.count - before.count,
      counts: now.counts.map((c, i) => c - (before.counts[i] as number)),
    }
  }
}

function fastCount(
  selector: Selector,
  boundaries: readonly number[],
  counts: readonly number[],
  toMs: number | undefined,
  unit: string,
  metricName: string,
): number | undefined {
  const thresholdMs = selector.latencyThresholdMs as number
  if (toMs === undefined) {
    selector.problem = new SlokitError(
      'NOT_SUPPORTED',
      `[slokit/node] OtelSliSource: "${metricName}" has unit "${unit}"; latency SLI "${selector.id}" needs "s" or "ms".`,
    )
    return undefined
  }
  let last = -1
  for (let i = 0; i < boundaries.length; i++) {
    const ms = (boundaries[i] as number) * toMs
    if (Math.abs(ms - thresholdMs) <= 1e-9 * Math.max(1, thresholdMs)) {
      last = i
      break
    }
  }
  if (last < 0) {
    selector.problem = new SlokitError(
      'NOT_SUPPORTED',
      `[slokit/node] OtelSliSource: latency SLI "${selector.id}" has latencyThresholdMs ${thresholdMs}, which is not a bucket boundary of "${metricName}" (boundaries in ms: ${boundaries.map((b) => b * toMs).join(', ')}).`,
      {
        hint: `add ${thresholdMs / toMs} to the boundaries of the histogram's View, or pick a threshold among them`,
      },
    )
    return undefined
  }
  selector.problem = undefined
  let good = 0
  for (let i = 0; i <= last; i++) good += counts[i] ?? 0
  return good
}

function matches(selector: Selector, attributes: Readonly<Record<string, unknown>>): boolean {
  for (const [key, value] of selector.attributes) {
    if (attributes[key] !== value) return false
  }
  return true
}

function isBad(attributes: Readonly<Record<string, unknown>>, badCodes: Uint8Array): boolean {
  const errorType = attributes['error.type']
  if (errorType !== undefined && errorType !== null && errorType !== '') return true
  const status = Number(attributes['http.response.status_code'])
  return Number.isInteger(status) && badCodes[status] === 1
}

function isHistogram(value: HistogramValueLike | null | undefined): value is HistogramValueLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof value.count === 'number' &&
    Array.isArray(value.buckets?.boundaries) &&
    Array.isArray(value.buckets?.counts)
  )
}

function unitToMs(unit: string): number | undefined {
  if (unit === 's') return 1000
  if (unit === 'ms') return 1
  return undefined
}

function attributeKey(attributes: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(
    Object.keys(attributes)
      .sort()
      .map((key) => [key, attributes[key]]),
  )
}

function positive(value: number, name: string, fail: (message: string) => never): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    fail(`\`${name}\` must be a positive number, got ${String(value)}.`)
  }
  return value
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (signal === undefined) return promise
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortedError(signal, what))
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}
