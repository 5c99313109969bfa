import { DAY_MS, formatDuration, HOUR_MS, MINUTE_MS } from './duration.js'
import { SlokitError } from './errors.js'

/** Alert tiers of multi-window multi-burn-rate alerting. */
export const BURN_RATE_SEVERITIES = ['page', 'ticket'] as const
/** One of {@link BURN_RATE_SEVERITIES}. */
export type BurnRateSeverity = (typeof BURN_RATE_SEVERITIES)[number]

/**
 * One row of a burn-rate alert table: alert when the long and the short window both burn faster
 * than the rate that would spend `budgetPercent` of the period's budget within the long window.
 */
export interface BurnRateWindowSpec {
  readonly severity: BurnRateSeverity
  readonly longWindowMs: number
  readonly shortWindowMs: number
  /** Percent of the whole period's error budget spent within the long window, e.g. 2 for 2 %. */
  readonly budgetPercent: number
}

/** A {@link BurnRateWindowSpec} with its burn-rate threshold for a given SLO period. */
export interface BurnRateWindow extends BurnRateWindowSpec {
  /** The burn rate both windows must exceed: `budgetPercent / 100 × period / longWindow`. */
  readonly factor: number
}

/**
 * The table recommended by the Google SRE Workbook ("Alerting on SLOs", table 5-8): page when 2 %
 * of the budget burns in 1 h (checked over 5 m too) or 5 % in 6 h (30 m); ticket when 10 % burns
 * in 1 d (2 h) or 3 d (6 h). Tuned for 28–30 day periods; for a 7-day period pass a table like
 * Sloth's (8 %, 12.5 %, 20 %, 42 %).
 */
export const SRE_WORKBOOK_BURN_RATE_TABLE: readonly BurnRateWindowSpec[] = Object.freeze([
  { severity: 'page', longWindowMs: HOUR_MS, shortWindowMs: 5 * MINUTE_MS, budgetPercent: 2 },
  { severity: 'page', longWindowMs: 6 * HOUR_MS, shortWindowMs: 30 * MINUTE_MS, budgetPercent: 5 },
  { severity: 'ticket', longWindowMs: DAY_MS, shortWindowMs: 2 * HOUR_MS, budgetPercent: 10 },
  { severity: 'ticket', longWindowMs: 3 * DAY_MS, shortWindowMs: 6 * HOUR_MS, budgetPercent: 10 },
])

/**
 * The multi-window multi-burn-rate rows for an SLO period: each row of `table` with its burn-rate
 * `factor = budgetPercent / 100 × periodMs / longWindowMs`. Rows whose long window is longer
 * than the period are left out (a 1-day SLO cannot spend its budget over 3 days).
 *
 * @example
 * ```ts
 * burnRateWindows(parseDuration('30d')).map((w) => w.factor) // [14.4, 6, 3, 1]
 * burnRateWindows(parseDuration('28d')).map((w) => w.factor) // [13.44, 5.6, 2.8, 0.9333…]
 * ```
 * @throws {@link SlokitError} `INVALID_ARGUMENT` for a malformed table row.
 */
export function burnRateWindows(
  periodMs: number,
  table: readonly BurnRateWindowSpec[] = SRE_WORKBOOK_BURN_RATE_TABLE,
): BurnRateWindow[] {
  if (!(Number.isFinite(periodMs) && periodMs > 0)) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `[slokit/core] burnRateWindows() needs a positive periodMs, got ${periodMs}.`,
    )
  }
  const rows: BurnRateWindow[] = []
  table.forEach((row, index) => {
    const where = `[slokit/core] burnRateWindows(): table row ${index}`
    if (!(row.shortWindowMs > 0 && row.longWindowMs > row.shortWindowMs)) {
      throw new SlokitError('INVALID_ARGUMENT', `${where} needs 0 < shortWindowMs < longWindowMs.`)
    }
    if (!(row.budgetPercent > 0 && row.budgetPercent <= 100)) {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `${where} needs budgetPercent in (0, 100], got ${row.budgetPercent}.`,
      )
    }
    if (row.longWindowMs > periodMs) return
    // One multiplication and one division keep the published factors exact (14.4, not 14.399…).
    const factor = (row.budgetPercent * periodMs) / (100 * row.longWindowMs)
    rows.push({ ...row, factor })
  })
  return rows
}

/** The distinct windows a set of burn-rate rows reads, shortest first. */
export function burnRateWindowDurations(rows: readonly BurnRateWindowSpec[]): number[] {
  const set = new Set<number>()
  for (const row of rows) {
    set.add(row.shortWindowMs)
    set.add(row.longWindowMs)
  }
  return [...set].sort((a, b) => a - b)
}

/**
 * How fast the budget burns: the error ratio over the allowed error ratio. 1 spends exactly the
 * budget over the period; 14.4 spends a 30-day budget in 50 hours. `null` without events.
 *
 * @param bad bad events (or slices) in the window
 * @param total all events (or slices with data) in the window
 * @param budgetRatio `1 − objective`, see `errorBudgetRatio`
 */
export function burnRate(bad: number, total: number, budgetRatio: number): number | null {
  if (!(total > 0)) return null
  return bad / total / budgetRatio
}

/**
 * How long the remaining budget lasts at a constant burn rate: `remaining × periodMs / burnRate`.
 * `null` when nothing burns; `0` when the budget is already spent.
 */
export function timeToExhaustionMs(remaining: number, rate: number | null, periodMs: number): number | null {
  if (remaining <= 0) return 0
  if (rate === null || !(rate > 0)) return null
  return (remaining * periodMs) / rate
}

/** A label for a burn-rate row, e.g. `page 1h/5m ×14.4`, for logs and alert titles. */
export function describeBurnRateWindow(row: BurnRateWindow): string {
  const factor = Number(row.factor.toPrecision(4))
  return `${row.severity} ${formatDuration(row.longWindowMs)}/${formatDuration(row.shortWindowMs)} ×${factor}`
}
