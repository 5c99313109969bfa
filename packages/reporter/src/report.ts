import type { BudgetingMethod, DataState, TrendDirection } from '@slokit/core'

/**
 * The version of the report model and its JSON form. It changes only when a field is removed,
 * renamed or changes meaning; new fields may appear within a version, so readers ignore what
 * they do not know.
 */
export const REPORT_SCHEMA_VERSION = 1

/** How an SLO stands at the end of a report, worst last. */
export const SLO_HEALTHS = ['healthy', 'at_risk', 'breached', 'no_data'] as const
/**
 * One of {@link SLO_HEALTHS}: `healthy`; `at_risk` (met, but little budget left, a forecast of
 * exhaustion soon, or burning above a page threshold now); `breached` (objective missed or budget
 * spent); `no_data` (no SLI to judge, or the source failed).
 */
export type SloHealth = (typeof SLO_HEALTHS)[number]

/** The time range a report covers, epoch ms, `[startMs, endMs)`. */
export interface ReportPeriod {
  readonly startMs: number
  readonly endMs: number
}

/** A point of a chart series: `[atMs, value]`. */
export type SeriesPoint = readonly [atMs: number, value: number]

/** The error budget of one SLO at the end of the report. Fractions of the budget, never clamped. */
export interface ReportBudget {
  /** Bad events (or slices) the window allows. */
  readonly allowed: number
  readonly spent: number
  /** `spent / allowed`; above 1 once overspent. */
  readonly consumed: number
  /** `1 − consumed`; negative once overspent. */
  readonly remaining: number
  /** Time-based budgets (`timeslices`): the budget in minutes (43.2 for 99.9 % of 30 days); else `null`. */
  readonly allowedMinutes: number | null
  /** Time-based budgets: minutes left, negative once overspent; else `null`. */
  readonly remainingMinutes: number | null
}

/** The burn rate over one window, with the alert threshold that applies to that window. */
export interface ReportBurnRate {
  readonly windowMs: number
  /** The window as people write it: `1h`, `30m`. */
  readonly window: string
  /** `null` without events in the window. */
  readonly burnRate: number | null
  /** The factor of the most urgent SRE Workbook alert row reading this window, for the SLO's period; `null` if none does. */
  readonly threshold: number | null
  /** That row's severity. */
  readonly severity: 'page' | 'ticket' | null
}

/**
 * The SLI trend over the report period: least squares, `improving`/`degrading` only when the
 * fitted change exceeds the series' own volatility and is material (see `trendMinChangeOfBudget`).
 */
export interface ReportTrend {
  readonly direction: TrendDirection
  /** Change of the SLI per day (0.0001 = 0.01 percentage points a day). */
  readonly slopePerDay: number
  /** Change of the fitted line over the span. */
  readonly change: number
  /** Sample standard deviation of the SLI values. */
  readonly volatility: number
  readonly rSquared: number
  readonly points: number
  readonly spanMs: number
}

/** When the error budget runs out if the recent burn continues. */
export interface ReportForecast {
  /** Epoch ms; the report's end when already spent. */
  readonly exhaustsAtMs: number
  readonly timeToExhaustionMs: number
  /** R² of the fit over the lookback (0–1). */
  readonly confidence: number
  /** Fitted change of budget remaining per day (negative). */
  readonly slopePerDay: number
  /** How far back the fit looked. */
  readonly lookbackMs: number
}

/** A stretch of the period in which the SLO missed its objective. */
export interface ReportBreach {
  /** The first snapshot that missed. */
  readonly startMs: number
  /** The first snapshot that met again; `null` while still missed at the end. */
  readonly endMs: number | null
  readonly durationMs: number
  /** The lowest SLI seen during the breach. */
  readonly worstSli: number | null
}

/** A change of a policy's verdict for an SLO (`ok` → `alert` and back). */
export interface ReportDecision {
  readonly atMs: number
  readonly policy: string
  readonly state: 'ok' | 'alert' | 'unknown'
  readonly message: string
  /** Action types asked for: `notify`, `require_approval`, `freeze_deployments`, `custom`. */
  readonly actions: readonly string[]
  readonly reasons: readonly string[]
}

/** A freeze transition within the period. */
export interface ReportFreeze {
  readonly atMs: number
  readonly service: string
  readonly kind: string
  readonly frozen: boolean
  readonly reason: string
  readonly sloId: string | null
  readonly by: string | null
}

/** An alert that fired within the period (transitions merged into one entry). */
export interface ReportAlert {
  readonly alertId: string
  readonly rule: string
  readonly severity: string
  readonly title: string
  readonly startsAtMs: number
  /** `null` while still firing at the end of what the report was given. */
  readonly endsAtMs: number | null
}

/** Everything a report says about one SLO. */
export interface SloReport {
  readonly sloId: string
  readonly service: string
  /** From the SLO spec when given to {@link buildReport}; else `null`. */
  readonly name: string | null
  readonly priority: string | null
  readonly owner: string | null
  readonly sliKind: string | null
  readonly runbookUrl: string | null
  readonly dashboardUrl: string | null
  readonly objective: number
  /** The window as people write it: `30d`, `month (Europe/Berlin)`. */
  readonly window: string
  /** `rolling` (the last `periodMs`) or `calendar` (this week, month, …). */
  readonly windowKind: 'rolling' | 'calendar'
  /** The budget period at the end of the report: for calendar windows the whole calendar period. */
  readonly budgetPeriod: ReportPeriod
  /** Length of the budget period at the end of the report. */
  readonly periodMs: number
  readonly budgetingMethod: BudgetingMethod
  readonly health: SloHealth
  /** Why the health is what it is, in words. */
  readonly healthReason: string
  readonly sli: number | null
  readonly met: boolean | null
  readonly budget: ReportBudget | null
  readonly burnRates: readonly ReportBurnRate[]
  readonly data: {
    readonly state: DataState
    readonly coverage: number
    readonly lastDataMs: number | null
    readonly reason: string | null
  }
  /** What budget corrections left out, as the status had it. */
  readonly excluded: {
    readonly good: number
    readonly total: number
    readonly ranges: readonly { readonly startMs: number; readonly endMs: number; readonly reason: string }[]
  } | null
  /** `null` with fewer than three snapshots with an SLI. */
  readonly trend: ReportTrend | null
  /** `null` when the budget is not shrinking beyond its own noise, or exhaustion lies over a year out: never a made-up date. */
  readonly forecast: ReportForecast | null
  readonly breaches: readonly ReportBreach[]
  /** Time within the period spent missing the objective (sum of the breaches, clipped to the period). */
  readonly timeNotMetMs: number
  readonly policy: {
    readonly decisions: readonly ReportDecision[]
    readonly freezes: readonly ReportFreeze[]
  }
  readonly alerts: readonly ReportAlert[]
  /** Snapshots the trend, forecast and breaches stood on. */
  readonly historyPoints: number
  /** Chart series, downsampled to at most `chartPoints` points each (largest-triangle-three-buckets). */
  readonly series: { readonly sli: readonly SeriesPoint[]; readonly budgetRemaining: readonly SeriesPoint[] }
}

/** An SLO that may run out of budget, for the at-risk list. */
export interface AtRiskSlo {
  readonly sloId: string
  readonly service: string
  readonly budgetRemaining: number | null
  /** From the forecast; `null` when there is none. */
  readonly exhaustsAtMs: number | null
  readonly timeToExhaustionMs: number | null
  readonly confidence: number | null
  readonly reason: string
}

/** Counts and extremes over a set of SLOs. */
export interface RollUp {
  readonly slos: number
  /** SLOs meeting their objective at the end. */
  readonly met: number
  readonly notMet: number
  readonly noData: number
  /** SLOs by health. */
  readonly health: {
    readonly healthy: number
    readonly atRisk: number
    readonly breached: number
    readonly noData: number
  }
  /** The SLO with the least budget left; `null` when none has a budget. */
  readonly worstBudget: {
    readonly sloId: string
    readonly service: string
    readonly remaining: number
  } | null
  /** At-risk SLOs, soonest exhaustion first (those without a forecast last, least budget first). */
  readonly atRisk: readonly AtRiskSlo[]
  readonly alertsFired: number
}

/** One service's roll-up. */
export interface ServiceRollUp extends RollUp {
  readonly service: string
  /** Frozen at the end of the period according to the freeze transitions given; `null` if none were. */
  readonly frozen: boolean | null
  readonly freezes: readonly ReportFreeze[]
}

/** The part of a report written for people who read only that. */
export interface ExecutiveSummary {
  /** The worst health among the SLOs (`healthy` when all are). */
  readonly status: SloHealth
  readonly headline: string
  readonly highlights: readonly string[]
}

/** A compliance report: built by {@link buildReport}, rendered by `toJSON`, `toMarkdown`, `toHTML`. */
export interface Report {
  readonly kind: 'slokit.report'
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION
  readonly title: string
  readonly generatedAtMs: number
  /** IANA time zone the renderers show times in. */
  readonly timeZone: string
  readonly period: ReportPeriod
  readonly summary: ExecutiveSummary
  readonly overall: RollUp
  readonly services: readonly ServiceRollUp[]
  readonly slos: readonly SloReport[]
}
