import { formatDuration, SlokitError } from '@slokit/core'

/**
 * Where the dashboards read SLO numbers from:
 * - `rules`: the recording rules `generateRules` of `@slokit/prometheus` writes (a fleet: the
 *   SLO maths runs in Prometheus, Thanos, Mimir…), in the naming given by {@link DashboardNaming};
 * - `exporter`: the `slo_*` metrics `SloMetrics` of `@slokit/prometheus/exporter` exports (one
 *   service computing its SLOs in-process with the engine).
 *
 * Deployment freezes (`slo_deployment_freeze_active`) and SLI collection health
 * (`sli_collection_total`) always come from the exporter's metrics.
 */
export const METRIC_SOURCES = ['rules', 'exporter'] as const
/** One of {@link METRIC_SOURCES}. */
export type MetricSource = (typeof METRIC_SOURCES)[number]

/**
 * The naming of the recording rules the dashboards read (source `rules`): `slokit`
 * (`slo:sli_error:ratio_increase5m`, labels `slo`, `slo_service`, `slo_window`) or `sloth`
 * (`slo:sli_error:ratio_rate5m`, labels `sloth_id`, `sloth_service`, `sloth_window`) — the same
 * two as `RULE_NAMINGS` of `@slokit/prometheus`, so dashboards also work on rules Sloth made.
 */
export const DASHBOARD_NAMINGS = ['slokit', 'sloth'] as const
/** One of {@link DASHBOARD_NAMINGS}. */
export type DashboardNaming = (typeof DASHBOARD_NAMINGS)[number]

/** A label matcher: `=`, `=~`, `!=`, `!~`. */
export type Matcher = readonly [label: string, op: '=' | '=~' | '!=' | '!~', value: string]

/** A PromQL string literal in double quotes. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
}

/** `{a="1", b=~"x"}` (after any `raw` matchers written out already); `''` without matchers. */
export function selector(matchers: readonly Matcher[], raw: readonly string[] = []): string {
  const parts = [...raw, ...matchers.map(([label, op, value]) => `${label}${op}${quote(value)}`)]
  return parts.length === 0 ? '' : `{${parts.join(', ')}}`
}

/** A number as PromQL reads it back exactly. */
export function promNumber(n: number): string {
  if (!Number.isFinite(n)) {
    throw new SlokitError('INVALID_ARGUMENT', `[slokit/grafana] cannot write ${n} into a PromQL query.`)
  }
  return String(n)
}

/**
 * The series one metric source and naming provide, as PromQL. Every function takes the label
 * matchers that pick SLOs (written with the identity labels below) and returns an expression
 * whose series carry at least the identity labels.
 */
export interface SloSeries {
  /** A series every SLO has exactly once, with its id and service labels: what variables list. */
  readonly info: string
  /** The label holding the SLO id (`slo`, `sloth_id`). */
  readonly idLabel: string
  /** The label holding the service (`slo_service`, `sloth_service`). */
  readonly serviceLabel: string
  /** The label naming a burn-rate window (`slo_window`, `sloth_window`). */
  readonly windowLabel: string
  /** Every label that identifies one SLO's series, for `on(…)` matching. */
  readonly identity: readonly string[]
  /** The label alerts put their tier in (`severity`, `sloth_severity`). */
  readonly severityLabel: string
  /** The objective, e.g. 0.999. */
  objective(matchers: readonly Matcher[]): string
  /** The SLI over the whole SLO window: the compliance the objective is judged against. */
  compliance(matchers: readonly Matcher[]): string
  /** Error budget left over the SLO window: 1 untouched, 0 spent, negative overspent. */
  budgetRemaining(matchers: readonly Matcher[]): string
  /** The error ratio (bad / total) over one window, per SLO. */
  errorRatio(windowMs: number, matchers: readonly Matcher[]): string
  /** The burn rate over one window (e.g. 1 hour), per SLO. */
  burnRate(windowMs: number, matchers: readonly Matcher[]): string
  /** The burn rate over every window the SLO records, one series per window (window label set). */
  burnRates(matchers: readonly Matcher[]): string
}

/** Options of {@link sloSeries}. */
export interface SloSeriesOptions {
  readonly source?: MetricSource | undefined
  readonly naming?: DashboardNaming | undefined
  /** The `prefix` given to `SloMetrics` (exporter metrics only), e.g. `checkout_`. */
  readonly exporterPrefix?: string | undefined
}

/** The {@link SloSeries} of a metric source and naming. */
export function sloSeries(options: SloSeriesOptions = {}): SloSeries {
  const source = options.source ?? 'rules'
  const naming = options.naming ?? 'slokit'
  const p = options.exporterPrefix ?? ''
  if (source === 'exporter') {
    return {
      info: `${p}slo_objective_ratio`,
      idLabel: 'slo',
      serviceLabel: 'slo_service',
      windowLabel: 'slo_window',
      identity: ['slo', 'slo_service'],
      severityLabel: 'severity',
      objective: (m) => `${p}slo_objective_ratio${selector(m)}`,
      compliance: (m) => `${p}slo_compliance_ratio${selector(m)}`,
      budgetRemaining: (m) => `${p}slo_error_budget_remaining_ratio${selector(m)}`,
      errorRatio: (ms, m) =>
        `${p}slo_burn_rate${selector([...m, ['slo_window', '=', formatDuration(ms)]])} * on(slo, slo_service) group_left() max by (slo, slo_service) (1 - ${p}slo_objective_ratio${selector(m)})`,
      burnRate: (ms, m) => `${p}slo_burn_rate${selector([...m, ['slo_window', '=', formatDuration(ms)]])}`,
      burnRates: (m) => `${p}slo_burn_rate${selector(m)}`,
    }
  }
  if (naming === 'sloth') {
    const on = 'on(sloth_id, sloth_service, sloth_slo) group_left()'
    const budget = (m: readonly Matcher[]) =>
      `max by (sloth_id, sloth_service, sloth_slo) (slo:error_budget:ratio${selector(m)})`
    return {
      info: 'sloth_slo_info',
      idLabel: 'sloth_id',
      serviceLabel: 'sloth_service',
      windowLabel: 'sloth_window',
      identity: ['sloth_id', 'sloth_service', 'sloth_slo'],
      severityLabel: 'sloth_severity',
      objective: (m) => `slo:objective:ratio${selector(m)}`,
      // Sloth records no period SLI under one name (its name carries the period): the period
      // burn rate times the budget is the period's error ratio.
      compliance: (m) => `1 - (slo:period_burn_rate:ratio${selector(m)} * ${on} ${budget(m)})`,
      budgetRemaining: (m) => `slo:period_error_budget_remaining:ratio${selector(m)}`,
      errorRatio: (ms, m) => `slo:sli_error:ratio_rate${formatDuration(ms)}${selector(m)}`,
      burnRate: (ms, m) => `slo:sli_error:ratio_rate${formatDuration(ms)}${selector(m)} / ${on} ${budget(m)}`,
      burnRates: (m) => `${selector(m, ['__name__=~"slo:sli_error:ratio_rate.+"'])} / ${on} ${budget(m)}`,
    }
  }
  const on = 'on(slo, slo_service) group_left()'
  const budget = (m: readonly Matcher[]) => `max by (slo, slo_service) (slo:error_budget:ratio${selector(m)})`
  return {
    info: 'slokit_slo_info',
    idLabel: 'slo',
    serviceLabel: 'slo_service',
    windowLabel: 'slo_window',
    identity: ['slo', 'slo_service'],
    severityLabel: 'severity',
    objective: (m) => `slo:objective:ratio${selector(m)}`,
    compliance: (m) => `slo:compliance:ratio${selector(m)}`,
    budgetRemaining: (m) => `slo:error_budget_remaining:ratio${selector(m)}`,
    errorRatio: (ms, m) => `slo:sli_error:ratio_increase${formatDuration(ms)}${selector(m)}`,
    burnRate: (ms, m) =>
      `slo:sli_error:ratio_increase${formatDuration(ms)}${selector(m)} / ${on} ${budget(m)}`,
    burnRates: (m) => `${selector(m, ['__name__=~"slo:sli_error:ratio_increase.+"'])} / ${on} ${budget(m)}`,
  }
}
