import { burnRate } from './burn-rate.js'
import { formatDuration } from './duration.js'
import { type BudgetingMethod, errorBudgetRatio, type SloSpec } from './spec.js'
import type { WindowRange } from './window.js'

/**
 * Good and total weight over some range. For `occurrences` these are events; for `timeslices`,
 * good slices and slices that count (with data, or without data under a `good`/`bad` policy);
 * for `ratio_timeslices`, the sum of per-slice good ratios and the number of slices with data.
 */
export interface Tally {
  readonly good: number
  readonly total: number
}

/** The burn rate over one window ending at the evaluation time. */
export interface BurnRateReading {
  readonly windowMs: number
  /** Error ratio over allowed error ratio; `null` without events (or slices) in the window. */
  readonly burnRate: number | null
  readonly good: number
  readonly total: number
}

/**
 * The error budget of an SLO at one instant. `consumed` and `remaining` are fractions of the
 * budget; `remaining` goes negative once the budget is overspent and is never clamped.
 */
export interface ErrorBudget {
  /**
   * Bad weight the SLO allows: `(1 − objective) × events` for `occurrences`, `(1 − objective) ×
   * slices in the whole period` for `timeslices`, `(1 − objective) × slices with data` for
   * `ratio_timeslices`.
   */
  readonly allowed: number
  /** Bad weight counted so far (bad events, bad slices, or slices minus their good ratios). */
  readonly spent: number
  /** `spent / allowed`; 0 when nothing is allowed yet because nothing was measured. */
  readonly consumed: number
  /** `1 − consumed`; may be negative. */
  readonly remaining: number
  /** `timeslices` only (else `null`): the budget as time, `(1 − objective) × period` (43.2 min for 99.9 % of 30 d). */
  readonly allowedMs: number | null
  /** `timeslices` only (else `null`): `allowedMs` minus the length of the bad slices; may be negative. */
  readonly remainingMs: number | null
}

/** How trustworthy a status is. */
export const DATA_STATES = ['ok', 'partial', 'stale', 'no_data'] as const
/**
 * One of {@link DATA_STATES}: `ok`; `partial` (data covers less of the window than
 * `minCoverage`); `stale` (the newest data is older than `staleAfterMs`, or the source failed);
 * `no_data` (nothing to compute an SLI from).
 */
export type DataState = (typeof DATA_STATES)[number]

/** What a status stood on. */
export interface DataQuality {
  readonly state: DataState
  /** Fraction of the elapsed window (0–1) for which data exists. */
  readonly coverage: number
  /** End of the newest data, epoch ms; `null` when there is none. */
  readonly lastDataMs: number | null
  /** Why the state is not `ok`, in words; `null` when it is. */
  readonly reason: string | null
}

/** The computed state of one SLO at one instant. */
export interface SloStatus {
  readonly sloId: string
  readonly service: string
  readonly evaluatedAtMs: number
  readonly range: WindowRange
  readonly objective: number
  readonly budgetingMethod: BudgetingMethod
  /** Good over total in the window; `null` when there is nothing to measure (never 1 by default). */
  readonly sli: number | null
  /** `sli >= objective`; `null` without data. */
  readonly met: boolean | null
  /** The tally the SLI is computed from. */
  readonly counts: Tally
  /**
   * The error budget; `null` when the data could not be fetched at all (a failing source), so
   * nothing downstream mistakes "unknown" for "untouched".
   */
  readonly budget: ErrorBudget | null
  /** One reading per requested burn-rate window, shortest first. */
  readonly burnRates: readonly BurnRateReading[]
  readonly data: DataQuality
  /**
   * What budget corrections (maintenance windows) left out of this status: the tally of the
   * excluded events (or slices) and the corrections that overlap the window; `null` when none do.
   */
  readonly excluded: ExcludedData | null
}

/** A time range left out of SLO evaluation, such as a maintenance window, and why. */
export interface Exclusion {
  readonly startMs: number
  readonly endMs: number
  readonly reason: string
}

/** What exclusions removed from a status. */
export interface ExcludedData extends Tally {
  readonly ranges: readonly Exclusion[]
}

/** Inputs of {@link computeStatus}: what an evaluator measured, reduced to tallies. */
export interface StatusInputs {
  readonly slo: SloSpec
  readonly now: number
  readonly range: WindowRange
  /** The tally of the whole window. */
  readonly window: Tally
  /** Burn-rate windows, shortest first. */
  readonly burnWindowsMs: readonly number[]
  /**
   * Good and total for each of `burnWindowsMs`, flattened: `[good0, total0, good1, total1, …]`.
   * Flat numbers keep evaluating thousands of SLOs free of throw-away objects.
   */
  readonly burnTallies: ArrayLike<number>
  readonly coverage: number
  readonly lastDataMs?: number | undefined
  readonly staleAfterMs: number
  readonly minCoverage: number
  /** What exclusions removed, if any. */
  readonly excluded?: ExcludedData | null | undefined
  /** Time of the budget period taken out by exclusions: shrinks a `timeslices` budget. */
  readonly excludedPeriodMs?: number | undefined
}

/**
 * Turns measured tallies into an {@link SloStatus} with the semantics of the design: SLI, whether
 * it is met, the error budget and burn rates. Shared by `evaluateSlo` (series from a source) and
 * the in-process tracker, so both compute identical numbers from identical tallies.
 */
export function computeStatus(inputs: StatusInputs): SloStatus {
  const { slo, now, range, window } = inputs
  const budgetRatio = errorBudgetRatio(slo.objective)
  const sli = window.total > 0 ? window.good / window.total : null
  const spent = window.total - window.good

  let budget: ErrorBudget
  if (slo.budgetingMethod === 'timeslices') {
    const sliceMs = slo.timeslice?.lengthMs ?? 60_000
    const allowedMs = budgetRatio * (range.periodEndMs - range.periodStartMs - (inputs.excludedPeriodMs ?? 0))
    const allowed = allowedMs / sliceMs
    const consumed = allowed > 0 ? spent / allowed : 0
    budget = {
      allowed,
      spent,
      consumed,
      remaining: 1 - consumed,
      allowedMs,
      remainingMs: allowedMs - spent * sliceMs,
    }
  } else {
    // (spent / total) / ratio rather than spent / allowed: the error ratio is exact when every
    // event is bad, so 100 % errors consume exactly 1 / ratio of the budget whatever the count.
    const consumed = window.total > 0 ? spent / window.total / budgetRatio : 0
    budget = {
      allowed: budgetRatio * window.total,
      spent,
      consumed,
      remaining: 1 - consumed,
      allowedMs: null,
      remainingMs: null,
    }
  }

  const { burnWindowsMs, burnTallies } = inputs
  const burnRates: BurnRateReading[] = new Array(burnWindowsMs.length)
  for (let i = 0; i < burnRates.length; i++) {
    const good = compact(burnTallies[2 * i] as number)
    const total = compact(burnTallies[2 * i + 1] as number)
    burnRates[i] = {
      windowMs: burnWindowsMs[i] as number,
      burnRate: burnRate(total - good, total, budgetRatio),
      good,
      total,
    }
  }

  return {
    sloId: slo.id,
    service: slo.service,
    evaluatedAtMs: now,
    range,
    objective: slo.objective,
    budgetingMethod: slo.budgetingMethod,
    sli,
    met: sli === null ? null : sli >= slo.objective,
    counts: { good: compact(window.good), total: compact(window.total) },
    budget,
    burnRates,
    data: judgeData(inputs, sli),
    excluded: inputs.excluded ?? null,
  }
}

// Counts are whole numbers almost always; returning them as small integers lets V8 store them
// unboxed, which roughly halves the allocations of a status. Values are unchanged.
function compact(n: number): number {
  const i = n | 0
  return i === n ? i : n
}

function judgeData(inputs: StatusInputs, sli: number | null): DataQuality {
  const { coverage, now } = inputs
  const lastDataMs = inputs.lastDataMs ?? null
  let state: DataState = 'ok'
  let reason: string | null = null
  if (lastDataMs === null) {
    state = 'no_data'
    reason = 'no data in the window'
  } else if (now - lastDataMs > inputs.staleAfterMs) {
    state = 'stale'
    reason = `newest data is ${formatDuration(Math.round(now - lastDataMs))} old`
  } else if (sli === null) {
    state = 'no_data'
    reason = 'no events in the window'
  } else if (coverage < inputs.minCoverage) {
    state = 'partial'
    reason = `data covers ${formatPercent(coverage)} of the window`
  }
  const last = lastQuality
  if (
    last.state === state &&
    last.coverage === coverage &&
    last.lastDataMs === lastDataMs &&
    last.reason === reason
  ) {
    return last
  }
  lastQuality = Object.freeze({ state, coverage, lastDataMs, reason })
  return lastQuality
}

// Statuses evaluated together mostly share one data quality (ok, full coverage, same instant):
// handing out one frozen object instead of thousands of equal ones keeps bulk evaluation light.
let lastQuality: DataQuality = Object.freeze({
  state: 'no_data',
  coverage: 0,
  lastDataMs: null,
  reason: null,
})

function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(3))}%`
}

/**
 * A status for an SLO whose data could not be fetched: no SLI, `met` and `budget` unknown
 * (`null`), state `stale` with the reason. This is what a failing source turns into; never a perfect score.
 */
export function unavailableStatus(slo: SloSpec, range: WindowRange, now: number, reason: string): SloStatus {
  return {
    sloId: slo.id,
    service: slo.service,
    evaluatedAtMs: now,
    range,
    objective: slo.objective,
    budgetingMethod: slo.budgetingMethod,
    sli: null,
    met: null,
    counts: { good: 0, total: 0 },
    budget: null,
    burnRates: [],
    data: { state: 'stale', coverage: 0, lastDataMs: null, reason },
    excluded: null,
  }
}
