import type { Comparison, SloSpec } from './spec.js'

/**
 * How the values of one time slice (or one observation, for occurrences) are folded and judged.
 * Every slice keeps two numbers: `a` (a sum, a minimum or a maximum, per `fold`) and `b` (how many
 * observations or events it holds), so the in-process tracker can store slices in typed arrays
 * and `evaluateSlo` can judge a series with exactly the same rules.
 */
export interface SliceRule {
  /** How `a` combines across observations. */
  readonly fold: 'sum' | 'min' | 'max'
  /** The neutral starting value of `a`. */
  readonly initial: number
  /** What one observed value contributes to `a`. */
  contribution(value: number): number
  /** Whether a slice holding `(a, b)` is good, or `null` when it holds no data. */
  good(a: number, b: number): boolean | null
  /** The good ratio of a slice holding `(a, b)`, for `ratio_timeslices`; `null` when it holds no data. */
  ratio(a: number, b: number): number | null
}

/** Whether `value <comparison> threshold` holds. */
export function compare(value: number, comparison: Comparison, threshold: number): boolean {
  switch (comparison) {
    case '>=':
      return value >= threshold
    case '<=':
      return value <= threshold
    case '>':
      return value > threshold
    case '<':
      return value < threshold
  }
}

const PERCENTILES: Readonly<Record<string, number>> = { p50: 50, p90: 90, p95: 95, p99: 99 }

/**
 * The rule that judges observations and slices of `slo`:
 * - ratio SLIs fold `(good, total)`; a `timeslices` slice is good when its good ratio reaches
 *   `timeslice.objective`;
 * - threshold SLIs under `occurrences` or `ratio_timeslices` count the observations that meet the
 *   threshold;
 * - threshold SLIs under `timeslices` aggregate the slice first. Percentiles use the nearest-rank
 *   definition, which lets them be judged from two counters without keeping the values:
 *   `pq <= x` exactly when at least q % of the values are `<= x`.
 */
export function sliceRule(slo: SloSpec): SliceRule {
  const m = slo.sli.measurement
  if (m.type === 'ratio') {
    const objective = slo.timeslice?.objective ?? 1
    return {
      fold: 'sum',
      initial: 0,
      contribution: (value) => value,
      good: (a, b) => (b > 0 ? a / b >= objective : null),
      ratio: (a, b) => (b > 0 ? a / b : null),
    }
  }
  const { comparison, threshold } = m
  const meets = (value: number): number => (compare(value, comparison, threshold) ? 1 : 0)
  const countRatio = (a: number, b: number): number | null => (b > 0 ? a / b : null)
  if (slo.budgetingMethod !== 'timeslices') {
    return {
      fold: 'sum',
      initial: 0,
      contribution: meets,
      good: (a, b) => (b > 0 ? a === b : null),
      ratio: countRatio,
    }
  }
  const sliceSeconds = (slo.timeslice?.lengthMs ?? 60_000) / 1000
  const percent = PERCENTILES[m.aggregation]
  if (percent !== undefined) {
    const upper = comparison === '<=' || comparison === '<'
    return {
      fold: 'sum',
      initial: 0,
      contribution: meets,
      // Integer arithmetic: `a * 100 >= percent * b` avoids 0.99 * 100 rounding surprises.
      good: (a, b) => (b > 0 ? (upper ? a * 100 >= percent * b : a * 100 > (100 - percent) * b) : null),
      ratio: countRatio,
    }
  }
  const judge = (value: number): boolean => compare(value, comparison, threshold)
  switch (m.aggregation) {
    case 'min':
      return {
        fold: 'min',
        initial: Number.POSITIVE_INFINITY,
        contribution: (v) => v,
        good: (a, b) => (b > 0 ? judge(a) : null),
        ratio: (a, b) => (b > 0 ? (judge(a) ? 1 : 0) : null),
      }
    case 'max':
      return {
        fold: 'max',
        initial: Number.NEGATIVE_INFINITY,
        contribution: (v) => v,
        good: (a, b) => (b > 0 ? judge(a) : null),
        ratio: (a, b) => (b > 0 ? (judge(a) ? 1 : 0) : null),
      }
    default: {
      const value = (a: number, b: number): number =>
        m.aggregation === 'sum' ? a : m.aggregation === 'rate' ? a / sliceSeconds : a / b
      return {
        fold: 'sum',
        initial: 0,
        contribution: (v) => v,
        good: (a, b) => (b > 0 ? judge(value(a, b)) : null),
        ratio: (a, b) => (b > 0 ? (judge(value(a, b)) ? 1 : 0) : null),
      }
    }
  }
}

/** Folds `value` into `a` according to `rule.fold`. */
export function foldInto(rule: SliceRule, a: number, value: number): number {
  const c = rule.contribution(value)
  return rule.fold === 'sum' ? a + c : rule.fold === 'min' ? Math.min(a, c) : Math.max(a, c)
}
