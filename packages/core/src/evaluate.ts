import { burnRateWindowDurations, burnRateWindows } from './burn-rate.js'
import { MINUTE_MS } from './duration.js'
import { SlokitError } from './errors.js'
import type { EventSeries, SliSeries, ValueSeries } from './sli-source.js'
import type { SloSpec } from './spec.js'
import { computeStatus, type ExcludedData, type Exclusion, type SloStatus, type Tally } from './status.js'
import { foldInto, sliceRule } from './timeslice.js'
import { nominalPeriodMs, type WindowRange, windowRange } from './window.js'

/** Options of {@link evaluateSlo}. */
export interface EvaluateOptions {
  /** Evaluation time, epoch milliseconds (usually `clock.now()`). */
  readonly now: number
  /**
   * Windows to report burn rates for. Defaults to the windows of the SRE Workbook table for the
   * SLO's period (5m, 30m, 1h, 2h, 6h, 1d, 3d for 30 days).
   */
  readonly burnRateWindowsMs?: readonly number[] | undefined
  /** Data older than this marks the status `stale`. Defaults to twice the resolution, at least 5 minutes. */
  readonly staleAfterMs?: number | undefined
  /** Coverage below this marks the status `partial`. Defaults to 0.95. */
  readonly minCoverage?: number | undefined
  /**
   * Time ranges to leave out — budget corrections such as maintenance windows. Events (or
   * values) whose time falls inside one are not counted; time slices that start inside one
   * neither count nor spend budget, and a `timeslices` budget shrinks by the excluded time.
   * The status reports what was excluded and why.
   */
  readonly exclusions?: readonly Exclusion[] | undefined
}

/** The default burn-rate windows reported for an SLO: those its alert table reads. */
export function defaultBurnRateWindowsMs(slo: SloSpec): number[] {
  return burnRateWindowDurations(burnRateWindows(nominalPeriodMs(slo.window)))
}

/** Entries sorted by time with prefix sums, so any range's tally is two binary searches. */
class PrefixTally {
  private readonly times: Float64Array
  private readonly good: Float64Array
  private readonly total: Float64Array

  constructor(times: readonly number[], good: readonly number[], total: readonly number[]) {
    const n = times.length
    this.times = Float64Array.from(times)
    this.good = new Float64Array(n + 1)
    this.total = new Float64Array(n + 1)
    for (let i = 0; i < n; i++) {
      this.good[i + 1] = (this.good[i] as number) + (good[i] as number)
      this.total[i + 1] = (this.total[i] as number) + (total[i] as number)
    }
  }

  /** Entries with `startMs <= t < endMs`. */
  tally(startMs: number, endMs: number): Tally {
    const lo = this.lowerBound(startMs)
    const hi = this.lowerBound(endMs)
    if (hi <= lo) return { good: 0, total: 0 }
    return {
      good: (this.good[hi] as number) - (this.good[lo] as number),
      total: (this.total[hi] as number) - (this.total[lo] as number),
    }
  }

  private lowerBound(x: number): number {
    let lo = 0
    let hi = this.times.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.times[mid] as number) < x) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/**
 * Evaluates an SLO on a series from an `SliSource` at `options.now`: SLI, whether the objective
 * is met, error budget, burn rates and data quality, with the semantics of the design:
 *
 * - `occurrences`: SLI = good / total events in the window; `null` without events.
 * - `timeslices`: slices of `timeslice.lengthMs`, aligned to the Unix epoch; a completed slice is
 *   good when its aggregated value meets the threshold (ratio SLIs: when its good ratio reaches
 *   `timeslice.objective`); SLI = good slices / slices that count; slices without data follow the
 *   SLI's `noData` policy; the budget is `(1 − objective)` of all slices in the period.
 * - `ratio_timeslices`: SLI = mean of the per-slice good ratios.
 *
 * The series should cover the window and the longest burn-rate window; points outside are ignored.
 *
 * @example
 * ```ts
 * const status = evaluateSlo(slo, { kind: 'events', resolutionMs: 60_000, points }, { now: Date.now() })
 * status.sli              // 0.9995
 * status.budget?.remaining // 0.5
 * ```
 * @throws {@link SlokitError} `INVALID_ARGUMENT` when the series kind does not fit the SLI.
 */
export function evaluateSlo(slo: SloSpec, series: SliSeries, options: EvaluateOptions): SloStatus {
  const { now } = options
  const exclusions = options.exclusions ?? []
  const sorted = sortedByTime(series)
  const { kept: data, removed } =
    exclusions.length === 0 ? { kept: sorted, removed: undefined } : withoutExcluded(sorted, exclusions)
  const expected = slo.sli.measurement.type === 'ratio' ? 'events' : 'values'
  if (series.kind !== expected) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `[slokit/core] evaluateSlo(): SLO "${slo.id}" has a ${slo.sli.measurement.type} SLI and needs a series of kind "${expected}", got "${series.kind}".`,
    )
  }
  const range = windowRange(slo.window, now)
  const burnWindowsMs = options.burnRateWindowsMs ?? defaultBurnRateWindowsMs(slo)
  const earliestMs = Math.min(range.startMs, now - Math.max(0, ...burnWindowsMs))
  const tallies =
    slo.budgetingMethod === 'occurrences'
      ? occurrenceTallies(slo, data)
      : sliceTallies(slo, data, earliestMs, now, exclusions)
  const resolutionMs = data.kind === 'events' ? data.resolutionMs : (data.resolutionMs ?? MINUTE_MS)
  const { coverage, lastDataMs } = measureCoverage(data, resolutionMs, range, now)
  return computeStatus({
    slo,
    now,
    range,
    window: tallies.tally(range.startMs, now),
    burnWindowsMs,
    burnTallies: burnWindowsMs.flatMap((windowMs) => {
      const tally = tallies.tally(now - windowMs, now)
      return [tally.good, tally.total]
    }),
    coverage,
    lastDataMs,
    staleAfterMs: options.staleAfterMs ?? Math.max(5 * MINUTE_MS, 2 * resolutionMs),
    minCoverage: options.minCoverage ?? 0.95,
    ...excludedSummary(slo, removed, exclusions, range, now),
  })
}

function inExclusion(t: number, exclusions: readonly Exclusion[]): boolean {
  for (const e of exclusions) if (t >= e.startMs && t < e.endMs) return true
  return false
}

/** Splits a series into what counts and what exclusions remove. */
function withoutExcluded(
  series: SliSeries,
  exclusions: readonly Exclusion[],
): { kept: SliSeries; removed: SliSeries } {
  if (series.kind === 'events') {
    const kept = series.points.filter((p) => !inExclusion(p.t, exclusions))
    const removed = series.points.filter((p) => inExclusion(p.t, exclusions))
    return { kept: { ...series, points: kept }, removed: { ...series, points: removed } }
  }
  const kept = series.points.filter((p) => !inExclusion(p.t, exclusions))
  const removed = series.points.filter((p) => inExclusion(p.t, exclusions))
  return { kept: { ...series, points: kept }, removed: { ...series, points: removed } }
}

function excludedSummary(
  slo: SloSpec,
  removed: SliSeries | undefined,
  exclusions: readonly Exclusion[],
  range: WindowRange,
  now: number,
): { excluded: ExcludedData | null; excludedPeriodMs: number } {
  const ranges = exclusions.filter(
    (e) => e.endMs > range.startMs && e.startMs < Math.max(now, range.periodEndMs),
  )
  if (ranges.length === 0) return { excluded: null, excludedPeriodMs: 0 }
  let excludedPeriodMs = 0
  for (const e of ranges)
    excludedPeriodMs += Math.min(e.endMs, range.periodEndMs) - Math.max(e.startMs, range.periodStartMs)
  let good = 0
  let total = 0
  if (removed !== undefined && slo.budgetingMethod === 'occurrences') {
    const tally = occurrenceTallies(slo, removed).tally(range.startMs, now)
    good = tally.good
    total = tally.total
  } else if (slo.budgetingMethod !== 'occurrences') {
    const sliceMs = slo.timeslice?.lengthMs ?? MINUTE_MS
    for (const e of ranges) {
      const from = Math.max(e.startMs, range.startMs)
      const to = Math.min(e.endMs, now)
      if (to > from) total += Math.floor(to / sliceMs) - Math.ceil(from / sliceMs)
    }
  }
  return {
    excluded: { good, total: Math.max(0, total), ranges },
    excludedPeriodMs: Math.max(0, excludedPeriodMs),
  }
}

// The SliSource contract promises sorted points; a caller passing its own array may not.
function sortedByTime(series: SliSeries): SliSeries {
  const points = series.points
  for (let i = 1; i < points.length; i++) {
    if ((points[i] as { t: number }).t < (points[i - 1] as { t: number }).t) {
      const sorted = [...points].sort((a, b) => a.t - b.t)
      return series.kind === 'events'
        ? { ...series, points: sorted as EventSeries['points'] }
        : { ...series, points: sorted as ValueSeries['points'] }
    }
  }
  return series
}

function occurrenceTallies(slo: SloSpec, data: SliSeries): PrefixTally {
  if (data.kind === 'events') {
    return new PrefixTally(
      data.points.map((p) => p.t),
      data.points.map((p) => p.good),
      data.points.map((p) => p.total),
    )
  }
  const rule = sliceRule(slo)
  return new PrefixTally(
    data.points.map((p) => p.t),
    data.points.map((p) => rule.contribution(p.value)),
    data.points.map(() => 1),
  )
}

function sliceTallies(
  slo: SloSpec,
  data: SliSeries,
  earliestMs: number,
  now: number,
  exclusions: readonly Exclusion[],
): PrefixTally {
  const sliceMs = slo.timeslice?.lengthMs ?? MINUTE_MS
  const rule = sliceRule(slo)
  const first = Math.ceil(earliestMs / sliceMs)
  const last = Math.floor(now / sliceMs) - 1 // the last completed slice
  const count = Math.max(0, last - first + 1)
  const a = new Float64Array(count).fill(rule.initial)
  const b = new Float64Array(count)
  if (data.kind === 'events') {
    for (const p of (data as EventSeries).points) {
      const i = Math.floor(p.t / sliceMs) - first
      if (i < 0 || i >= count) continue
      a[i] = (a[i] as number) + p.good
      b[i] = (b[i] as number) + p.total
    }
  } else {
    for (const p of (data as ValueSeries).points) {
      const i = Math.floor(p.t / sliceMs) - first
      if (i < 0 || i >= count) continue
      a[i] = foldInto(rule, a[i] as number, p.value)
      b[i] = (b[i] as number) + 1
    }
  }
  const times: number[] = []
  const good: number[] = []
  const total: number[] = []
  const noData = slo.sli.noData
  const useRatio = slo.budgetingMethod === 'ratio_timeslices'
  for (let i = 0; i < count; i++) {
    if (exclusions.length > 0 && inExclusion((first + i) * sliceMs, exclusions)) continue
    const verdict = useRatio
      ? rule.ratio(a[i] as number, b[i] as number)
      : rule.good(a[i] as number, b[i] as number)
    let weight: number
    if (verdict === null) {
      if (noData === 'ignore') continue
      weight = noData === 'good' ? 1 : 0
    } else {
      weight = typeof verdict === 'number' ? verdict : verdict ? 1 : 0
    }
    times.push((first + i) * sliceMs)
    good.push(weight)
    total.push(1)
  }
  return new PrefixTally(times, good, total)
}

// Coverage is the union of the points' intervals `[t, t + resolution)` clipped to the window,
// over the elapsed window. It does not assume the source aligns its points to anything.
function measureCoverage(
  data: SliSeries,
  resolutionMs: number,
  range: WindowRange,
  now: number,
): { coverage: number; lastDataMs: number | undefined } {
  let covered = 0
  let coveredUpTo = range.startMs
  let lastDataMs: number | undefined
  for (const p of data.points) {
    if (p.t >= now) break
    const end = Math.min(now, p.t + resolutionMs)
    lastDataMs = data.kind === 'events' ? end : p.t
    const from = Math.max(p.t, coveredUpTo)
    if (end > from) {
      covered += end - from
      coveredUpTo = end
    }
  }
  const elapsed = now - range.startMs
  return { coverage: elapsed > 0 ? Math.min(1, covered / elapsed) : 0, lastDataMs }
}
