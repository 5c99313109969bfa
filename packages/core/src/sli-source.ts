import { SlokitError } from './errors.js'
import type { SliSpec } from './spec.js'

/** A half-open time range `[startMs, endMs)` in epoch milliseconds. */
export interface TimeRange {
  readonly startMs: number
  readonly endMs: number
}

/**
 * Event counts over one interval `[t, t + resolutionMs)` of an {@link EventSeries}. A point with
 * `total: 0` means "measured, no traffic"; a missing point means "no data".
 */
export interface EventPoint {
  /** Start of the interval, epoch milliseconds. */
  readonly t: number
  /** Good events in the interval. */
  readonly good: number
  /** All events in the interval; `good <= total`. */
  readonly total: number
}

/** One measured value of a threshold SLI at time `t`. */
export interface ValuePoint {
  readonly t: number
  readonly value: number
}

/** Good and total event counts per interval, for ratio SLIs. Points are sorted by `t`, without duplicates. */
export interface EventSeries {
  readonly kind: 'events'
  /** Length of each point's interval. */
  readonly resolutionMs: number
  readonly points: readonly EventPoint[]
}

/** Measured values, for threshold SLIs. Points are sorted by `t`. */
export interface ValueSeries {
  readonly kind: 'values'
  /**
   * How often the source samples (e.g. a Prometheus step). Used to judge data coverage: an
   * interval with at least one point counts as covered. Defaults to one minute.
   */
  readonly resolutionMs?: number | undefined
  readonly points: readonly ValuePoint[]
}

/** What an {@link SliSource} answers: events for ratio SLIs, values for threshold SLIs. */
export type SliSeries = EventSeries | ValueSeries

/** Options for one {@link SliSource.query} call. */
export interface SliQueryOptions {
  /** Aborts the query; the source rejects with a `SlokitError` of code `ABORTED`. */
  readonly signal?: AbortSignal | undefined
}

/**
 * Where SLI data comes from: Prometheus, in-process counters, a file, or any API a host adapts.
 * An implementation answers one question: the SLI's data over a time range. Run
 * `describeSliSourceContract` from `@slokit/testing` in your adapter's tests to check it keeps
 * the contract:
 *
 * - ratio SLIs resolve to an {@link EventSeries}, threshold SLIs to a {@link ValueSeries};
 * - points lie inside the range, sorted by time, with finite numbers and `0 <= good <= total`;
 * - no data is an empty series (never invented zeros or a perfect score);
 * - failures reject with a `SlokitError` (`SOURCE_FAILED`, `SOURCE_TIMEOUT`, `ABORTED`, …), never
 *   hang once `signal` is aborted.
 *
 * @example
 * ```ts
 * const source: SliSource = {
 *   name: 'my-api',
 *   async query(sli, range, opts) {
 *     const rows = await fetchCounts(sli.id, range, opts?.signal)
 *     return { kind: 'events', resolutionMs: 60_000, points: rows.map((r) => ({ t: r.ts, good: r.ok, total: r.all })) }
 *   },
 * }
 * ```
 */
export interface SliSource {
  /** A short name for logs and status reasons, e.g. `prometheus`. Never contains secrets. */
  readonly name: string
  query(sli: SliSpec, range: TimeRange, opts?: SliQueryOptions): Promise<SliSeries>
}

/**
 * The error a source rejects with when its query is aborted: code `ABORTED`, the signal's reason
 * as `cause`. Every adapter builds it the same way through this helper.
 *
 * @example
 * ```ts
 * if (opts?.signal?.aborted) throw abortedError(opts.signal, `[my-source] query for "${sli.id}"`)
 * ```
 */
export function abortedError(signal: AbortSignal | undefined, what: string): SlokitError {
  return new SlokitError('ABORTED', `${what} was aborted.`, { cause: signal?.reason })
}

/** A problem found by {@link checkSeries}. */
export interface SeriesProblem {
  /** Index of the offending point, or -1 for the series as a whole. */
  readonly index: number
  readonly message: string
}

/**
 * Checks a series against the {@link SliSource} contract for `sli` and `range`. Returns the
 * first few problems (empty when the series is valid); used by the engine to turn garbage from a
 * source into a stale status instead of a wrong number.
 */
export function checkSeries(
  sli: SliSpec,
  range: TimeRange,
  series: SliSeries,
  maxProblems = 5,
): SeriesProblem[] {
  const problems: SeriesProblem[] = []
  const add = (index: number, message: string): boolean => {
    problems.push({ index, message })
    return problems.length >= maxProblems
  }
  const expected = sli.measurement.type === 'ratio' ? 'events' : 'values'
  if (
    series === null ||
    typeof series !== 'object' ||
    !Array.isArray((series as { points?: unknown }).points)
  ) {
    add(-1, 'not a series: expected { kind, points: [...] }')
    return problems
  }
  if (series.kind !== expected) {
    add(
      -1,
      `a ${sli.measurement.type} SLI needs a series of kind "${expected}", got "${String(series.kind)}"`,
    )
    return problems
  }
  const resolutionMs = series.resolutionMs
  const resolutionRequired = series.kind === 'events'
  if (
    (resolutionRequired || resolutionMs !== undefined) &&
    !(Number.isFinite(resolutionMs) && (resolutionMs as number) > 0)
  ) {
    if (add(-1, `resolutionMs must be a positive number, got ${resolutionMs}`)) return problems
  }
  let previous = Number.NEGATIVE_INFINITY
  for (let i = 0; i < series.points.length; i++) {
    const point = series.points[i] as (EventPoint & ValuePoint) | null | undefined
    if (point === null || typeof point !== 'object') {
      if (add(i, `not a point: expected an object, got ${point === null ? 'null' : typeof point}`))
        return problems
      continue
    }
    if (!Number.isFinite(point.t) || point.t < range.startMs || point.t >= range.endMs) {
      if (add(i, `t=${point.t} is outside the queried range [${range.startMs}, ${range.endMs})`))
        return problems
    }
    if (series.kind === 'events' ? point.t <= previous : point.t < previous) {
      if (add(i, 'points are not sorted by time (or repeat a time)')) return problems
    }
    previous = point.t
    if (series.kind === 'events') {
      const ok =
        Number.isFinite(point.good) &&
        Number.isFinite(point.total) &&
        point.good >= 0 &&
        point.good <= point.total
      if (
        !ok &&
        add(i, `needs finite counts with 0 <= good <= total, got good=${point.good} total=${point.total}`)
      )
        return problems
    } else if (!Number.isFinite(point.value)) {
      if (add(i, `value must be a finite number, got ${point.value}`)) return problems
    }
  }
  return problems
}
