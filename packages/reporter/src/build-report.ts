import {
  analyzeTrend,
  type BurnRateWindow,
  burnRateWindows,
  DAY_MS,
  errorBudgetRatio,
  forecastExhaustion,
  formatDuration,
  HOUR_MS,
  isValidTimeZone,
  nominalPeriodMs,
  SlokitError,
  type SloSpec,
  type SloStatus,
  type TimePoint,
} from '@slokit/core'
import { lttb } from './downsample.js'
import { budgetPercent, burnRateText, describeWindow, humanDuration, percent } from './format.js'
import type { AlertRecord, FreezeTransitionRecord, PolicyDecisionRecord } from './records.js'
import {
  type AtRiskSlo,
  type ExecutiveSummary,
  REPORT_SCHEMA_VERSION,
  type Report,
  type ReportAlert,
  type ReportBreach,
  type ReportBurnRate,
  type ReportDecision,
  type ReportForecast,
  type ReportFreeze,
  type ReportPeriod,
  type ReportTrend,
  type RollUp,
  type SeriesPoint,
  type ServiceRollUp,
  type SloHealth,
  type SloReport,
} from './report.js'
import { type StatusSnapshot, snapshotMet, toSnapshot } from './snapshot.js'

/** Options of {@link buildReport}. Every one has a default. */
export interface ReportOptions {
  /** Shown at the top; `SLO compliance report` by default. */
  readonly title?: string | undefined
  /** When the report was made, epoch ms; the end of the period by default (so a report is reproducible). */
  readonly generatedAtMs?: number | undefined
  /** IANA time zone the renderers show times in; `UTC` by default. */
  readonly timeZone?: string | undefined
  /** A met SLO with less budget left than this is at risk; 0.25 by default. */
  readonly atRiskBudgetBelow?: number | undefined
  /** A met SLO forecast to exhaust its budget within this is at risk; 7 days by default. */
  readonly atRiskWithinMs?: number | undefined
  /** Forecasts below this confidence (R²) do not make an SLO at risk (they are still reported); 0.5 by default. */
  readonly minForecastConfidence?: number | undefined
  /**
   * How far back forecasts look: each span is fitted and the one whose line explains the burn best
   * (highest R², the longer on a tie) is used. `[1d, 3d, 7d]` by default: a burn that started two
   * days ago is not diluted by a quiet week before it.
   */
  readonly forecastLookbacksMs?: readonly number[] | undefined
  /**
   * An SLI trend whose fitted change over the period is smaller than this fraction of the error
   * budget ratio (`1 − objective`) is called `stable`, however steady: 0.1 by default, so a
   * 99.5 % SLO must move by 0.05 percentage points to be improving or degrading. The SLI of a
   * rolling window drifts slowly and smoothly, and a statistically clear drift of 0.001 points is
   * nothing a reader should act on.
   */
  readonly trendMinChangeOfBudget?: number | undefined
  /**
   * A forecast is made only while the budget still burns faster than it is earned: the status's
   * burn rate over the longest window up to this one must be above 1. 6 hours by default. Without
   * this, a line fitted across a past incident's step would forecast exhaustion for an SLO that
   * has stopped burning.
   */
  readonly forecastRecentWindowMs?: number | undefined
  /** At most this many points per chart series; 240 by default. */
  readonly chartPoints?: number | undefined
}

/** What {@link buildReport} reads. Only `statuses` and `period` are required. */
export interface ReportInput {
  /** The current status of each SLO (usually evaluated at `period.endMs`), in the order to report them. */
  readonly statuses: readonly SloStatus[]
  /** Snapshots over the period (from a `StatusHistory`); trends, forecasts, breaches and charts need them. */
  readonly history?: readonly StatusSnapshot[] | undefined
  readonly period: ReportPeriod
  /** The SLO specs: names, owners, windows and priorities in the report. Optional. */
  readonly slos?: readonly SloSpec[] | undefined
  /** Policy decisions (from `@slokit/budget`'s `evaluatePolicy`); those in the period are reported as changes of verdict. */
  readonly decisions?: readonly PolicyDecisionRecord[] | undefined
  /** Freeze transitions (a freeze controller's `history()`). */
  readonly freezes?: readonly FreezeTransitionRecord[] | undefined
  /** Alerts (`AlertSummary` of `@slokit/alerting`, one per transition is fine). */
  readonly alerts?: readonly AlertRecord[] | undefined
  readonly options?: ReportOptions | undefined
}

interface Settings {
  readonly title: string
  readonly generatedAtMs: number
  readonly timeZone: string
  readonly atRiskBudgetBelow: number
  readonly atRiskWithinMs: number
  readonly minForecastConfidence: number
  readonly forecastLookbacksMs: readonly number[]
  readonly forecastRecentWindowMs: number
  readonly trendMinChangeOfBudget: number
  readonly chartPoints: number
}

const fail = (message: string, hint?: string): never => {
  throw new SlokitError(
    'INVALID_ARGUMENT',
    `[slokit/reporter] buildReport(): ${message}`,
    hint === undefined ? {} : { hint },
  )
}

function settingsOf(input: ReportInput): Settings {
  const { period } = input
  if (
    !(Number.isFinite(period?.startMs) && Number.isFinite(period?.endMs) && period.endMs > period.startMs)
  ) {
    fail(
      '`period` needs finite `startMs` < `endMs` (epoch ms).',
      'e.g. { startMs: now - 30 * DAY_MS, endMs: now }',
    )
  }
  const o = input.options ?? {}
  const timeZone = o.timeZone ?? 'UTC'
  if (!isValidTimeZone(timeZone))
    fail(`\`options.timeZone\` ${JSON.stringify(timeZone)} is not an IANA time zone.`)
  const fraction = (name: string, value: number) => {
    if (!(value >= 0 && value <= 1)) fail(`\`options.${name}\` must be between 0 and 1, got ${value}.`)
    return value
  }
  const positive = (name: string, value: number) => {
    if (!(Number.isFinite(value) && value > 0)) fail(`\`options.${name}\` must be positive, got ${value}.`)
    return value
  }
  const lookbacks = o.forecastLookbacksMs ?? [DAY_MS, 3 * DAY_MS, 7 * DAY_MS]
  if (lookbacks.length === 0) fail('`options.forecastLookbacksMs` needs at least one span.')
  for (const [i, ms] of lookbacks.entries()) positive(`forecastLookbacksMs[${i}]`, ms)
  const chartPoints = o.chartPoints ?? 240
  if (!(Number.isInteger(chartPoints) && chartPoints >= 3))
    fail(`\`options.chartPoints\` must be an integer >= 3, got ${chartPoints}.`)
  return {
    title: o.title ?? 'SLO compliance report',
    generatedAtMs: o.generatedAtMs ?? period.endMs,
    timeZone,
    atRiskBudgetBelow: fraction('atRiskBudgetBelow', o.atRiskBudgetBelow ?? 0.25),
    atRiskWithinMs: positive('atRiskWithinMs', o.atRiskWithinMs ?? 7 * DAY_MS),
    minForecastConfidence: fraction('minForecastConfidence', o.minForecastConfidence ?? 0.5),
    forecastLookbacksMs: [...lookbacks].sort((a, b) => a - b),
    forecastRecentWindowMs: positive('forecastRecentWindowMs', o.forecastRecentWindowMs ?? 6 * HOUR_MS),
    trendMinChangeOfBudget: fraction('trendMinChangeOfBudget', o.trendMinChangeOfBudget ?? 0.1),
    chartPoints,
  }
}

/**
 * Builds a compliance report: per SLO the SLI, objective, budget, burn rates against their alert
 * thresholds, data coverage, the SLI trend, a forecast of budget exhaustion, breaches, policy
 * decisions, freezes and alerts in the period, and chart series; per service and overall
 * roll-ups; an executive summary. Pure and deterministic: the same input gives the same report.
 *
 * The forecast is honest: `null` unless the budget shrinks beyond its own noise (a flat or merely
 * noisy budget has none), with R² as its confidence.
 *
 * @example
 * ```ts
 * const now = clock.now()
 * const period = { startMs: now - 30 * DAY_MS, endMs: now }
 * const report = buildReport({
 *   statuses: tracker.statuses(),
 *   history: await history.read(period),
 *   period,
 *   slos,
 * })
 * await writeFile('slo-report.html', toHTML(report))
 * ```
 * @throws `SlokitError` `INVALID_ARGUMENT` for a period or option that makes no sense.
 */
export function buildReport(input: ReportInput): Report {
  const settings = settingsOf(input)
  const { period } = input
  const specs = new Map((input.slos ?? []).map((slo) => [slo.id, slo]))
  const statuses = new Map<string, SloStatus>()
  for (const status of input.statuses) statuses.set(status.sloId, status)
  const history = groupHistory(input.history ?? [], period, statuses)
  const decisions = groupBy(input.decisions ?? [], (d) => d.sloId)
  const alerts = groupBy(input.alerts ?? [], (a) => a.sloId)
  const freezes = (input.freezes ?? []).filter((f) => f.atMs >= period.startMs && f.atMs < period.endMs)

  const slos = [...statuses.values()].map((status) =>
    sloReport(status, specs.get(status.sloId), history.get(status.sloId) ?? [], {
      settings,
      period,
      decisions: decisions.get(status.sloId) ?? [],
      alerts: alerts.get(status.sloId) ?? [],
      freezes,
    }),
  )

  const serviceNames = [...new Set(slos.map((s) => s.service))]
  const services: ServiceRollUp[] = serviceNames.map((service) => {
    const own = (input.freezes ?? []).filter((f) => f.service === service && f.atMs < period.endMs)
    const last = own.reduce<FreezeTransitionRecord | undefined>(
      (a, f) => (a === undefined || f.atMs >= a.atMs ? f : a),
      undefined,
    )
    return {
      service,
      ...rollUp(slos.filter((s) => s.service === service)),
      frozen: last === undefined ? null : last.frozen,
      freezes: freezes.filter((f) => f.service === service).map(toReportFreeze),
    }
  })
  const overall = rollUp(slos)
  return {
    kind: 'slokit.report',
    schemaVersion: REPORT_SCHEMA_VERSION,
    title: settings.title,
    generatedAtMs: settings.generatedAtMs,
    timeZone: settings.timeZone,
    period: { startMs: period.startMs, endMs: period.endMs },
    summary: summarize(slos, overall, services),
    overall,
    services,
    slos,
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const group = groups.get(k)
    if (group === undefined) groups.set(k, [item])
    else group.push(item)
  }
  return groups
}

/** Snapshots in the period by SLO, in time order, ending with the current status. */
function groupHistory(
  history: readonly StatusSnapshot[],
  period: ReportPeriod,
  statuses: ReadonlyMap<string, SloStatus>,
): Map<string, StatusSnapshot[]> {
  const groups = new Map<string, StatusSnapshot[]>()
  for (const s of history) {
    if (s.atMs < period.startMs || s.atMs > period.endMs || !statuses.has(s.sloId)) continue
    const group = groups.get(s.sloId)
    if (group === undefined) groups.set(s.sloId, [s])
    else group.push(s)
  }
  for (const group of groups.values()) {
    for (let i = 1; i < group.length; i++) {
      if ((group[i] as StatusSnapshot).atMs < (group[i - 1] as StatusSnapshot).atMs) {
        group.sort((a, b) => a.atMs - b.atMs)
        break
      }
    }
  }
  for (const status of statuses.values()) {
    const at = status.evaluatedAtMs
    if (at < period.startMs || at > period.endMs) continue
    const group = groups.get(status.sloId) ?? []
    const last = group[group.length - 1]
    if (last === undefined || last.atMs < at) group.push(toSnapshot(status))
    groups.set(status.sloId, group)
  }
  return groups
}

interface Context {
  readonly settings: Settings
  readonly period: ReportPeriod
  readonly decisions: readonly PolicyDecisionRecord[]
  readonly alerts: readonly AlertRecord[]
  readonly freezes: readonly FreezeTransitionRecord[]
}

function sloReport(
  status: SloStatus,
  spec: SloSpec | undefined,
  snapshots: readonly StatusSnapshot[],
  ctx: Context,
): SloReport {
  const { settings } = ctx
  const periodMs = status.range.periodEndMs - status.range.periodStartMs
  const sliPoints: TimePoint[] = []
  const budgetPoints: TimePoint[] = []
  for (const s of snapshots) {
    if (s.sli !== null) sliPoints.push({ t: s.atMs, value: s.sli })
    if (s.budgetRemaining !== null) budgetPoints.push({ t: s.atMs, value: s.budgetRemaining })
  }
  const trend = analyzeTrend(sliPoints)
  const forecast =
    status.budget === null || !stillBurning(status, settings)
      ? null
      : forecastOf(budgetPoints, status.evaluatedAtMs, settings)
  const breaches = breachesOf(snapshots)
  const budget =
    status.budget === null
      ? null
      : {
          allowed: status.budget.allowed,
          spent: status.budget.spent,
          consumed: status.budget.consumed,
          remaining: status.budget.remaining,
          allowedMinutes: status.budget.allowedMs === null ? null : status.budget.allowedMs / 60_000,
          remainingMinutes: status.budget.remainingMs === null ? null : status.budget.remainingMs / 60_000,
        }
  const rows = alertRows(spec, periodMs)
  const burnRates = burnRatesOf(status, rows)
  const paging = pagingRow(rows, burnRates)
  const { health, reason } = judge(status, budget?.remaining ?? null, forecast, paging, settings)
  return {
    sloId: status.sloId,
    service: status.service,
    name: spec?.name ?? null,
    priority: spec?.priority ?? null,
    owner: spec?.owner ?? null,
    sliKind: spec?.sli.kind ?? null,
    runbookUrl: spec?.runbookUrl ?? null,
    dashboardUrl: spec?.dashboardUrl ?? null,
    objective: status.objective,
    window:
      spec === undefined ? formatDuration(Math.max(1, Math.round(periodMs))) : describeWindow(spec.window),
    windowKind:
      spec !== undefined
        ? spec.window.type
        : status.range.periodEndMs > status.range.endMs
          ? 'calendar'
          : 'rolling',
    budgetPeriod: { startMs: status.range.periodStartMs, endMs: status.range.periodEndMs },
    periodMs,
    budgetingMethod: status.budgetingMethod,
    health,
    healthReason: reason,
    sli: status.sli,
    met: status.met,
    budget,
    burnRates,
    data: {
      state: status.data.state,
      coverage: status.data.coverage,
      lastDataMs: status.data.lastDataMs,
      reason: status.data.reason,
    },
    excluded:
      status.excluded === null
        ? null
        : {
            good: status.excluded.good,
            total: status.excluded.total,
            ranges: status.excluded.ranges.map((r) => ({
              startMs: r.startMs,
              endMs: r.endMs,
              reason: r.reason,
            })),
          },
    trend: trend === null ? null : toReportTrend(trend, status.objective, settings),
    forecast,
    breaches,
    timeNotMetMs: breaches.reduce((sum, b) => sum + b.durationMs, 0),
    policy: {
      decisions: decisionChanges(ctx.decisions, ctx.period),
      freezes: ctx.freezes.filter((f) => f.sloId === status.sloId).map(toReportFreeze),
    },
    alerts: alertsOf(ctx.alerts, ctx.period),
    historyPoints: snapshots.length,
    series: {
      sli: lttb(
        sliPoints.map((p): SeriesPoint => [p.t, p.value]),
        settings.chartPoints,
      ),
      budgetRemaining: lttb(
        budgetPoints.map((p): SeriesPoint => [p.t, p.value]),
        settings.chartPoints,
      ),
    },
  }
}

function toReportTrend(
  trend: NonNullable<ReturnType<typeof analyzeTrend>>,
  objective: number,
  settings: Settings,
): ReportTrend {
  const material = Math.abs(trend.change) >= settings.trendMinChangeOfBudget * errorBudgetRatio(objective)
  return {
    direction: material ? trend.direction : 'stable',
    slopePerDay: trend.slopePerDay,
    change: trend.change,
    volatility: trend.volatility,
    rSquared: trend.rSquared,
    points: trend.points,
    spanMs: trend.spanMs,
  }
}

/** Whether the budget burns faster than it is earned right now (burn rate above 1 recently). */
function stillBurning(status: SloStatus, settings: Settings): boolean {
  if (status.budget !== null && status.budget.remaining <= 0) return true
  let recent: SloStatus['burnRates'][number] | undefined
  for (const reading of status.burnRates) {
    if (
      reading.windowMs <= settings.forecastRecentWindowMs &&
      (recent === undefined || reading.windowMs > recent.windowMs)
    )
      recent = reading
  }
  // Without a reading that short (custom windows), the history alone decides.
  if (recent === undefined) return true
  return recent.burnRate !== null && recent.burnRate > 1
}

/**
 * The forecast over the lookback whose fit explains the burn best. A span counts only when the
 * budget there is degrading beyond its own volatility, so noise never turns into a date.
 */
function forecastOf(points: readonly TimePoint[], now: number, settings: Settings): ReportForecast | null {
  const newest = points[points.length - 1]
  if (newest === undefined) return null
  if (newest.value <= 0) {
    return { exhaustsAtMs: now, timeToExhaustionMs: 0, confidence: 1, slopePerDay: 0, lookbackMs: 0 }
  }
  let best: ReportForecast | null = null
  let lo = points.length
  for (const lookbackMs of settings.forecastLookbacksMs) {
    while (lo > 0 && (points[lo - 1] as TimePoint).t >= now - lookbackMs) lo--
    const span = points.slice(lo)
    const trend = analyzeTrend(span, { minPoints: 3 })
    if (trend === null || trend.direction !== 'degrading') continue
    const forecast = forecastExhaustion(span, { now })
    if (forecast === null) continue
    if (best === null || forecast.confidence >= best.confidence) {
      best = {
        // Whole milliseconds: nobody needs the fraction, and it keeps the JSON tidy.
        exhaustsAtMs: Math.round(forecast.exhaustsAtMs),
        timeToExhaustionMs: Math.round(forecast.timeToExhaustionMs),
        confidence: forecast.confidence,
        slopePerDay: forecast.slopePerDay,
        lookbackMs,
      }
    }
  }
  return best
}

function breachesOf(snapshots: readonly StatusSnapshot[]): ReportBreach[] {
  const breaches: ReportBreach[] = []
  let startMs: number | undefined
  let worst: number | null = null
  for (const s of snapshots) {
    const met = snapshotMet(s)
    if (met === false) {
      if (startMs === undefined) {
        startMs = s.atMs
        worst = s.sli
      } else if (s.sli !== null && (worst === null || s.sli < worst)) worst = s.sli
    } else if (met === true && startMs !== undefined) {
      breaches.push({ startMs, endMs: s.atMs, durationMs: s.atMs - startMs, worstSli: worst })
      startMs = undefined
    }
    // No data neither starts nor ends a breach: unknown never reads as recovered.
  }
  if (startMs !== undefined) {
    const lastMs = (snapshots[snapshots.length - 1] as StatusSnapshot).atMs
    breaches.push({ startMs, endMs: null, durationMs: lastMs - startMs, worstSli: worst })
  }
  return breaches
}

function alertRows(spec: SloSpec | undefined, periodMs: number): BurnRateWindow[] {
  const basis = spec === undefined ? periodMs : nominalPeriodMs(spec.window)
  return basis > 0 ? burnRateWindows(basis) : []
}

function burnRatesOf(status: SloStatus, rows: readonly BurnRateWindow[]): ReportBurnRate[] {
  return status.burnRates.map((reading) => {
    // Rows are ordered page first, so the first that reads the window is the most urgent.
    const row = rows.find((r) => r.longWindowMs === reading.windowMs || r.shortWindowMs === reading.windowMs)
    return {
      windowMs: reading.windowMs,
      window: formatDuration(reading.windowMs),
      burnRate: reading.burnRate,
      threshold: row?.factor ?? null,
      severity: row?.severity ?? null,
    }
  })
}

/** The first page row whose long and short windows both burn faster than its factor, as the alert would fire. */
function pagingRow(
  rows: readonly BurnRateWindow[],
  burnRates: readonly ReportBurnRate[],
): { row: BurnRateWindow; long: number; short: number } | undefined {
  const rate = (windowMs: number) => burnRates.find((b) => b.windowMs === windowMs)?.burnRate ?? null
  for (const row of rows) {
    if (row.severity !== 'page') continue
    const long = rate(row.longWindowMs)
    const short = rate(row.shortWindowMs)
    if (long !== null && short !== null && long > row.factor && short > row.factor)
      return { row, long, short }
  }
  return undefined
}

function judge(
  status: SloStatus,
  remaining: number | null,
  forecast: ReportForecast | null,
  paging: ReturnType<typeof pagingRow>,
  settings: Settings,
): { health: SloHealth; reason: string } {
  if (status.sli === null || remaining === null) {
    return { health: 'no_data', reason: status.data.reason ?? 'no data to judge the objective by' }
  }
  if (status.met === false) {
    return {
      health: 'breached',
      reason: `SLI ${percent(status.sli)} is below the ${percent(status.objective)} objective`,
    }
  }
  if (remaining <= 0)
    return { health: 'breached', reason: `error budget spent (${budgetPercent(remaining)} left)` }
  if (paging !== undefined) {
    const { row, long, short } = paging
    return {
      health: 'at_risk',
      reason: `burning ${burnRateText(long)} over ${formatDuration(row.longWindowMs)} and ${burnRateText(short)} over ${formatDuration(row.shortWindowMs)}, above the ${burnRateText(row.factor)} page threshold`,
    }
  }
  if (
    forecast !== null &&
    forecast.confidence >= settings.minForecastConfidence &&
    forecast.timeToExhaustionMs <= settings.atRiskWithinMs
  ) {
    return {
      health: 'at_risk',
      reason: `budget runs out in ${humanDuration(forecast.timeToExhaustionMs)} at the recent burn (confidence ${forecast.confidence.toFixed(2)})`,
    }
  }
  if (remaining < settings.atRiskBudgetBelow) {
    return { health: 'at_risk', reason: `only ${budgetPercent(remaining)} of the error budget left` }
  }
  return {
    health: 'healthy',
    reason: `objective met with ${budgetPercent(remaining)} of the error budget left`,
  }
}

function decisionChanges(decisions: readonly PolicyDecisionRecord[], period: ReportPeriod): ReportDecision[] {
  const sorted = [...decisions].sort((a, b) => a.evaluatedAtMs - b.evaluatedAtMs)
  const changes: ReportDecision[] = []
  let previous: PolicyDecisionRecord | undefined
  for (const d of sorted) {
    if (d.evaluatedAtMs >= period.endMs) break
    const changed =
      previous === undefined ? d.state !== 'ok' : d.state !== previous.state || d.policy !== previous.policy
    previous = d
    if (!changed || d.evaluatedAtMs < period.startMs) continue
    changes.push({
      atMs: d.evaluatedAtMs,
      policy: d.policy,
      state: d.state,
      message: d.message,
      actions: [...new Set(d.actions.map((a) => a.type))],
      reasons: [...d.reasons],
    })
  }
  return changes
}

function toReportFreeze(f: FreezeTransitionRecord): ReportFreeze {
  return {
    atMs: f.atMs,
    service: f.service,
    kind: f.kind,
    frozen: f.frozen,
    reason: f.reason,
    sloId: f.sloId ?? null,
    by: f.by ?? null,
  }
}

function alertsOf(records: readonly AlertRecord[], period: ReportPeriod): ReportAlert[] {
  const byEpisode = new Map<string, ReportAlert>()
  for (const r of records) {
    const key = `${r.alertId}\u0000${r.startsAtMs}`
    const seen = byEpisode.get(key)
    const endsAtMs = r.endsAtMs ?? seen?.endsAtMs ?? null
    byEpisode.set(key, {
      alertId: r.alertId,
      rule: r.rule,
      severity: r.severity,
      title: r.title,
      startsAtMs: r.startsAtMs,
      endsAtMs: seen?.endsAtMs != null && r.endsAtMs != null ? Math.max(seen.endsAtMs, r.endsAtMs) : endsAtMs,
    })
  }
  return [...byEpisode.values()]
    .filter((a) => a.startsAtMs < period.endMs && (a.endsAtMs === null || a.endsAtMs >= period.startMs))
    .sort((a, b) => a.startsAtMs - b.startsAtMs || a.alertId.localeCompare(b.alertId))
}

function rollUp(slos: readonly SloReport[]): RollUp {
  let met = 0
  let notMet = 0
  let noData = 0
  const health = { healthy: 0, atRisk: 0, breached: 0, noData: 0 }
  let worst: RollUp['worstBudget'] = null
  let alertsFired = 0
  for (const s of slos) {
    if (s.met === true) met++
    else if (s.met === false) notMet++
    else noData++
    if (s.health === 'healthy') health.healthy++
    else if (s.health === 'at_risk') health.atRisk++
    else if (s.health === 'breached') health.breached++
    else health.noData++
    const remaining = s.budget?.remaining
    if (remaining !== undefined && (worst === null || remaining < worst.remaining)) {
      worst = { sloId: s.sloId, service: s.service, remaining }
    }
    alertsFired += s.alerts.length
  }
  const atRisk: AtRiskSlo[] = slos
    .filter((s) => s.health === 'at_risk')
    .map((s) => ({
      sloId: s.sloId,
      service: s.service,
      budgetRemaining: s.budget?.remaining ?? null,
      exhaustsAtMs: s.forecast?.exhaustsAtMs ?? null,
      timeToExhaustionMs: s.forecast?.timeToExhaustionMs ?? null,
      confidence: s.forecast?.confidence ?? null,
      reason: s.healthReason,
    }))
    .sort(
      (a, b) =>
        (a.exhaustsAtMs ?? Number.POSITIVE_INFINITY) - (b.exhaustsAtMs ?? Number.POSITIVE_INFINITY) ||
        (a.budgetRemaining ?? Number.POSITIVE_INFINITY) - (b.budgetRemaining ?? Number.POSITIVE_INFINITY) ||
        a.sloId.localeCompare(b.sloId),
    )
  return { slos: slos.length, met, notMet, noData, health, worstBudget: worst, atRisk, alertsFired }
}

const MAX_NAMED = 5

function names(slos: readonly SloReport[]): string {
  const shown = slos.slice(0, MAX_NAMED).map((s) => s.sloId)
  const more = slos.length - shown.length
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ')
}

function summarize(
  slos: readonly SloReport[],
  overall: RollUp,
  services: readonly ServiceRollUp[],
): ExecutiveSummary {
  const { health } = overall
  const status: SloHealth =
    health.breached > 0
      ? 'breached'
      : health.atRisk > 0
        ? 'at_risk'
        : health.noData > 0
          ? 'no_data'
          : 'healthy'
  const total = overall.slos
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  let headline: string
  if (total === 0) headline = 'No SLOs to report on.'
  else if (overall.met === total && health.atRisk === 0)
    headline = total === 1 ? 'The SLO meets its objective.' : `All ${total} SLOs meet their objectives.`
  else {
    const parts = [
      health.breached > 0 ? `${health.breached} breached` : '',
      health.atRisk > 0 ? `${health.atRisk} at risk` : '',
      health.noData > 0 ? `${health.noData} without data` : '',
    ].filter((p) => p !== '')
    const verb = total === 1 ? 'meets its objective' : 'meet their objectives'
    headline = `${overall.met} of ${plural(total, 'SLO')} ${verb}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}.`
  }

  const highlights: string[] = []
  for (const s of slos.filter((x) => x.health === 'breached').slice(0, MAX_NAMED)) {
    highlights.push(`${s.sloId} (${s.service}) is breached: ${s.healthReason}.`)
  }
  for (const entry of overall.atRisk.slice(0, MAX_NAMED)) {
    highlights.push(`${entry.sloId} (${entry.service}) is at risk: ${entry.reason}.`)
  }
  const recovered = slos.filter((s) => s.met === true && s.timeNotMetMs > 0)
  for (const s of recovered.slice(0, MAX_NAMED)) {
    highlights.push(
      `${s.sloId} missed its objective for ${humanDuration(s.timeNotMetMs)} during the period and has recovered.`,
    )
  }
  if (overall.worstBudget !== null && total > 1) {
    highlights.push(
      `Least error budget left: ${overall.worstBudget.sloId} (${overall.worstBudget.service}) with ${budgetPercent(overall.worstBudget.remaining)}.`,
    )
  }
  const degrading = slos.filter((s) => s.trend?.direction === 'degrading')
  if (degrading.length > 0) highlights.push(`SLI degrading over the period: ${names(degrading)}.`)
  const improving = slos.filter((s) => s.trend?.direction === 'improving')
  if (improving.length > 0) highlights.push(`SLI improving over the period: ${names(improving)}.`)
  if (overall.alertsFired > 0) {
    const bySeverity = new Map<string, number>()
    for (const s of slos)
      for (const a of s.alerts) bySeverity.set(a.severity, (bySeverity.get(a.severity) ?? 0) + 1)
    const detail = [...bySeverity].map(([severity, n]) => `${n} ${severity}`).join(', ')
    highlights.push(`${plural(overall.alertsFired, 'alert')} fired (${detail}).`)
  }
  for (const service of services) {
    const entered = service.freezes.filter((f) => f.kind === 'entered').length
    if (entered === 0 && service.frozen !== true) continue
    const times = entered === 0 ? '' : ` ${entered === 1 ? 'once' : `${entered} times`} in the period`
    highlights.push(
      `Deployments to ${service.service} were frozen${times}${service.frozen === true ? '; still frozen' : '; not frozen now'}.`,
    )
  }
  const noData = slos.filter((s) => s.health === 'no_data')
  if (noData.length > 0) highlights.push(`No data to judge: ${names(noData)}.`)
  return { status, headline, highlights }
}
