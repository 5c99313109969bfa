import {
  analyzeTrend,
  type BurnRateWindowSpec,
  burnRateWindows,
  defaultBurnRateTable,
  formatDuration,
  nominalPeriodMs,
  type SloSpec,
  type SloStatus,
  type TimePoint,
} from '@slokit/core'
import { type AlertRule, selects } from './alert-schema.js'
import type { Severity } from './notification.js'

/** The tier of a burn-rate alert. */
export type AlertTier = 'page' | 'ticket'

/** Whether one alert's condition holds for one SLO at one evaluation, and why. */
export interface AlertCondition {
  /** `rule/slo` or `rule/slo/tier`: stable across evaluations and restarts. */
  readonly alertId: string
  readonly rule: AlertRule
  readonly slo: SloSpec
  readonly status: SloStatus
  readonly tier: AlertTier | null
  readonly severity: Severity
  /**
   * Whether the condition holds; `null` when the status has no data to judge by (a failed
   * source). An unknown condition changes nothing: a source outage never resolves a page.
   */
  readonly active: boolean | null
  /** Why it holds, or why not. */
  readonly reason: string
  /** Set when the low-traffic guard stopped a condition that would otherwise hold. */
  readonly suppressed: string | null
  /** For burn-rate rules: the row that fired (or came closest). */
  readonly burn: {
    readonly longWindowMs: number
    readonly shortWindowMs: number
    readonly factor: number
    readonly longBurnRate: number | null
    readonly shortBurnRate: number | null
  } | null
}

/** Extra facts some rules need: the SLI history for trend rules. */
export interface ConditionContext {
  /** SLI history of an SLO over `[now − lookbackMs, now]`, oldest first. */
  readonly history?: (sloId: string, lookbackMs: number) => readonly TimePoint[]
}

const pct = (ratio: number) => `${Number((ratio * 100).toFixed(3))}%`
const rate = (value: number | null) => (value === null ? '—' : String(Number(value.toFixed(2))))

/** The burn-rate rows of a rule's tier, with their factors for the SLO's period. */
export function tierRows(
  rule: Extract<AlertRule, { type: 'burn_rate' }>,
  tier: AlertTier,
  slo: SloSpec,
): ReturnType<typeof burnRateWindows> {
  const spec = rule[tier]
  if (spec === false) return []
  const periodMs = nominalPeriodMs(slo.window)
  const rows: BurnRateWindowSpec[] =
    spec.windows?.map((w) => ({
      severity: tier,
      longWindowMs: w.long,
      shortWindowMs: w.short,
      budgetPercent: w.budgetSpent * 100,
    })) ?? defaultBurnRateTable(periodMs).filter((row) => row.severity === tier)
  return burnRateWindows(periodMs, rows)
}

/** Every window the rules that select `slo` read, so the evaluator computes their burn rates. */
export function windowsNeeded(rules: readonly AlertRule[], slo: SloSpec): number[] {
  const windows = new Set<number>()
  for (const rule of rules) {
    if (rule.type !== 'burn_rate' || !selects(rule.selector, slo)) continue
    for (const tier of ['page', 'ticket'] as const) {
      for (const row of tierRows(rule, tier, slo)) {
        windows.add(row.longWindowMs)
        windows.add(row.shortWindowMs)
      }
    }
  }
  return [...windows].sort((a, b) => a - b)
}

/**
 * Evaluates every rule that selects `slo` against its status: one condition per rule, and per
 * tier for burn-rate rules. A burn-rate tier holds when, for one of its rows, both the long and the
 * short window burn faster than the row's factor — unless the long window saw fewer events than
 * `minEvents` (or a lower rate than `minRequestRate`), in which case it is suppressed and says so.
 */
export function evaluateConditions(
  rules: readonly AlertRule[],
  slo: SloSpec,
  status: SloStatus,
  context: ConditionContext = {},
): AlertCondition[] {
  const out: AlertCondition[] = []
  const unknown = status.budget === null
  for (const rule of rules) {
    if (!selects(rule.selector, slo)) continue
    const base = { rule, slo, status, suppressed: null, burn: null }
    if (unknown && rule.type !== 'no_data') {
      const tiers =
        rule.type === 'burn_rate' ? (['page', 'ticket'] as const).filter((t) => rule[t] !== false) : [null]
      for (const tier of tiers) {
        const severity =
          tier === null
            ? (rule as { severity: Severity }).severity
            : (rule as { page: { severity: Severity }; ticket: { severity: Severity } })[tier].severity
        out.push({
          ...base,
          alertId: tier === null ? `${rule.name}/${slo.id}` : `${rule.name}/${slo.id}/${tier}`,
          tier,
          severity,
          active: null,
          reason: `unknown: ${status.data.reason ?? 'no data'}`,
        })
      }
      continue
    }
    switch (rule.type) {
      case 'burn_rate':
        for (const tier of ['page', 'ticket'] as const) {
          const spec = rule[tier]
          if (spec === false) continue
          out.push(burnCondition(rule, tier, spec.severity, slo, status))
        }
        break
      case 'budget_remaining': {
        const remaining = status.budget?.remaining ?? null
        const active = remaining !== null && status.sli !== null && remaining < rule.below
        out.push({
          ...base,
          alertId: `${rule.name}/${slo.id}`,
          tier: null,
          severity: rule.severity,
          active,
          reason:
            remaining === null
              ? 'no data'
              : `${pct(remaining)} of the error budget left (alert below ${pct(rule.below)})`,
        })
        break
      }
      case 'slo_not_met':
        out.push({
          ...base,
          alertId: `${rule.name}/${slo.id}`,
          tier: null,
          severity: rule.severity,
          active: status.met === false,
          reason:
            status.sli === null
              ? 'no data'
              : `SLI ${pct(status.sli)} against an objective of ${pct(slo.objective)}`,
        })
        break
      case 'trend': {
        const points = context.history?.(slo.id, rule.lookback) ?? []
        const trend = points.length >= rule.minPoints ? analyzeTrend(points, { higherIsBetter: true }) : null
        out.push({
          ...base,
          alertId: `${rule.name}/${slo.id}`,
          tier: null,
          severity: rule.severity,
          active: trend?.direction === 'degrading',
          reason:
            trend === null
              ? `not enough history for a trend (${points.length} of ${rule.minPoints} points over ${formatDuration(rule.lookback)})`
              : `SLI ${trend.direction} over ${formatDuration(rule.lookback)}: ${Number((trend.slopePerDay * 100).toPrecision(3))} points a day (volatility ${Number((trend.volatility * 100).toPrecision(3))})`,
        })
        break
      }
      case 'no_data': {
        const missing = status.data.state === 'no_data' || status.data.state === 'stale'
        out.push({
          ...base,
          alertId: `${rule.name}/${slo.id}`,
          tier: null,
          severity: rule.severity,
          active: missing,
          reason: missing
            ? `${status.data.state === 'stale' ? 'stale data' : 'no data'}: ${status.data.reason ?? ''}`
            : 'data is flowing',
        })
        break
      }
    }
  }
  return out
}

function burnCondition(
  rule: Extract<AlertRule, { type: 'burn_rate' }>,
  tier: AlertTier,
  severity: Severity,
  slo: SloSpec,
  status: SloStatus,
): AlertCondition {
  const alertId = `${rule.name}/${slo.id}/${tier}`
  const reading = (windowMs: number) => status.burnRates.find((b) => b.windowMs === windowMs)
  const base = { alertId, rule, slo, status, tier, severity }
  let suppressed: AlertCondition | undefined
  let closest: NonNullable<AlertCondition['burn']> | undefined
  let closestScore = Number.NEGATIVE_INFINITY
  for (const row of tierRows(rule, tier, slo)) {
    const long = reading(row.longWindowMs)
    const burn = {
      longWindowMs: row.longWindowMs,
      shortWindowMs: row.shortWindowMs,
      factor: row.factor,
      longBurnRate: long?.burnRate ?? null,
      shortBurnRate: reading(row.shortWindowMs)?.burnRate ?? null,
    }
    const why = `burn rate ${rate(burn.longBurnRate)} over ${formatDuration(row.longWindowMs)} and ${rate(burn.shortBurnRate)} over ${formatDuration(row.shortWindowMs)}, threshold ${rate(row.factor)}`
    const fires =
      burn.longBurnRate !== null &&
      burn.shortBurnRate !== null &&
      burn.longBurnRate > row.factor &&
      burn.shortBurnRate > row.factor
    if (!fires) {
      const score = Math.min(burn.longBurnRate ?? 0, burn.shortBurnRate ?? 0) / row.factor
      if (score > closestScore) {
        closest = burn
        closestScore = score
      }
      continue
    }
    const events = long?.total ?? 0
    const eventRate = events / (row.longWindowMs / 1000)
    const guard =
      events < rule.minEvents
        ? `low traffic: ${events} events in ${formatDuration(row.longWindowMs)}, fewer than minEvents ${rule.minEvents}`
        : eventRate < rule.minRequestRate
          ? `low traffic: ${Number(eventRate.toPrecision(3))} events/s over ${formatDuration(row.longWindowMs)}, below minRequestRate ${rule.minRequestRate}`
          : null
    if (guard === null) return { ...base, active: true, reason: why, suppressed: null, burn }
    suppressed ??= { ...base, active: false, reason: why, suppressed: guard, burn }
  }
  if (suppressed !== undefined) return suppressed
  const reason =
    closest === undefined
      ? 'no burn-rate row applies to this SLO period'
      : `burn rate ${rate(closest.longBurnRate)} over ${formatDuration(closest.longWindowMs)} and ${rate(closest.shortBurnRate)} over ${formatDuration(closest.shortWindowMs)}, threshold ${rate(closest.factor)}`
  return { ...base, active: false, reason, suppressed: null, burn: closest ?? null }
}
