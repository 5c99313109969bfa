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
 * in 1 d (2 h) or 3 d (6 h). Tuned for 28–30 day periods: see {@link defaultBurnRateTable}.
 */
export const SRE_WORKBOOK_BURN_RATE_TABLE: readonly BurnRateWindowSpec[] = Object.freeze([
  { severity: 'page', longWindowMs: HOUR_MS, shortWindowMs: 5 * MINUTE_MS, budgetPercent: 2 },
  { severity: 'page', longWindowMs: 6 * HOUR_MS, shortWindowMs: 30 * MINUTE_MS, budgetPercent: 5 },
  { severity: 'ticket', longWindowMs: DAY_MS, shortWindowMs: 2 * HOUR_MS, budgetPercent: 10 },
  { severity: 'ticket', longWindowMs: 3 * DAY_MS, shortWindowMs: 6 * HOUR_MS, budgetPercent: 10 },
])

/**
 * The same windows tuned for a 7-day period, as Sloth ships them: page when 8 % of the budget
 * burns in 1 h or 12.5 % in 6 h; ticket when 20 % burns in 1 d or 42 % in 3 d — factors 13.44,
 * 3.5, 1.4 and 0.98. With the Workbook's percentages a 7-day SLO would ticket at a burn rate of
 * 0.23, which spends less than its budget.
 */
export const SEVEN_DAY_BURN_RATE_TABLE: readonly BurnRateWindowSpec[] = Object.freeze([
  { severity: 'page', longWindowMs: HOUR_MS, shortWindowMs: 5 * MINUTE_MS, budgetPercent: 8 },
  { severity: 'page', longWindowMs: 6 * HOUR_MS, shortWindowMs: 30 * MINUTE_MS, budgetPercent: 12.5 },
  { severity: 'ticket', longWindowMs: DAY_MS, shortWindowMs: 2 * HOUR_MS, budgetPercent: 20 },
  { severity: 'ticket', longWindowMs: 3 * DAY_MS, shortWindowMs: 6 * HOUR_MS, budgetPercent: 42 },
])

/**
 * The burn-rate table slokit uses for an SLO period when none is configured: the SRE Workbook's
 * ({@link SRE_WORKBOOK_BURN_RATE_TABLE}) for periods of 28 days and longer; for shorter periods,
 * the same windows at the 7-day table's burn rates (13.44, 3.5, 1.4, 0.98 — exactly
 * {@link SEVEN_DAY_BURN_RATE_TABLE} at 7 days), each row's budget share scaled to the period and
 * capped at the whole budget, and rows with a window longer than the period left out. So
 * no default row alerts on a burn rate far below 1, and none demands a rate that a shorter period
 * makes absurd (a 21-day SLO pages at 13.44, not at 40).
 */
export function defaultBurnRateTable(periodMs: number): readonly BurnRateWindowSpec[] {
  if (periodMs >= 28 * DAY_MS) return SRE_WORKBOOK_BURN_RATE_TABLE
  if (periodMs === 7 * DAY_MS) return SEVEN_DAY_BURN_RATE_TABLE
  const rows: BurnRateWindowSpec[] = []
  for (const row of SEVEN_DAY_BURN_RATE_TABLE) {
    const factor = (row.budgetPercent * 7 * DAY_MS) / (100 * row.longWindowMs)
    // A row cannot ask for more than the whole budget: at worst it alerts once the budget is gone.
    const budgetPercent = Math.min(100, (factor * 100 * row.longWindowMs) / periodMs)
    if (row.longWindowMs <= periodMs) rows.push({ ...row, budgetPercent })
  }
  return rows
}

/**
 * The multi-window multi-burn-rate rows for an SLO period: each row of `table` with its burn-rate
 * `factor = budgetPercent / 100 × periodMs / longWindowMs`. Rows whose long window is longer
 * than the period are left out (a 1-day SLO cannot spend its budget over 3 days). The table is
 * {@link defaultBurnRateTable} for the period unless given.
 *
 * @example
 * ```ts
 * burnRateWindows(parseDuration('30d')).map((w) => w.factor) // [14.4, 6, 3, 1]
 * burnRateWindows(parseDuration('28d')).map((w) => w.factor) // [13.44, 5.6, 2.8, 0.9333…]
 * burnRateWindows(parseDuration('7d')).map((w) => w.factor) // [13.44, 3.5, 1.4, 0.98]
 * ```
 * @throws {@link SlokitError} `INVALID_ARGUMENT` for a malformed table row.
 */
export function burnRateWindows(
  periodMs: number,
  table: readonly BurnRateWindowSpec[] = defaultBurnRateTable(periodMs),
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
