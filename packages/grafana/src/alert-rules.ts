import {
  type BurnRateWindowSpec,
  burnRateWindows,
  errorBudgetRatio,
  formatDuration,
  nominalPeriodMs,
  SlokitError,
  type SloSpec,
} from '@slokit/core'
import { type DashboardNaming, type Matcher, type MetricSource, promNumber, sloSeries } from './series.js'
import { checkUid, grafanaUid } from './uid.js'

/** `noDataState` of a Grafana-managed alert rule. */
export const NO_DATA_STATES = ['NoData', 'Alerting', 'OK'] as const
/** `execErrState` of a Grafana-managed alert rule. */
export const EXEC_ERR_STATES = ['Error', 'Alerting', 'OK'] as const

/**
 * The label every rule {@link buildGrafanaAlertRules} makes carries, `managed_by="slokit"`: it
 * tells slokit's rules from hand-made ones, so that `GrafanaClient.provisionAlertRules` with
 * `prune` deletes only rules slokit provisioned.
 */
export const MANAGED_BY_LABEL = { name: 'managed_by', value: 'slokit' } as const

/** The rule group {@link buildGrafanaAlertRules} puts rules in unless told otherwise. */
export const DEFAULT_RULE_GROUP = 'slokit-slo-burn-rate'

/** One query or expression of a Grafana alert rule (`data[]`). */
export interface GrafanaAlertQuery {
  readonly refId: string
  /** Seconds before (`from`) and after (`to`) the evaluation time the query covers. */
  readonly relativeTimeRange: { readonly from: number; readonly to: number }
  /** The data source uid, or `__expr__` for server-side expressions (reduce, threshold, math). */
  readonly datasourceUid: string
  readonly model: Readonly<Record<string, unknown>>
}

/**
 * A Grafana-managed alert rule in the shape `POST /api/v1/provisioning/alert-rules` accepts
 * (CONTRACTS §2.4).
 */
export interface GrafanaAlertRule {
  readonly uid: string
  readonly orgID: number
  readonly folderUID: string
  /** 1–190 characters. */
  readonly ruleGroup: string
  /** 1–190 characters. */
  readonly title: string
  /** The `refId` of the `data` entry whose result decides whether the rule fires. */
  readonly condition: string
  readonly data: readonly GrafanaAlertQuery[]
  readonly noDataState: (typeof NO_DATA_STATES)[number]
  readonly execErrState: (typeof EXEC_ERR_STATES)[number]
  /** How long the condition must hold before the alert fires, e.g. `2m`. */
  readonly for: string
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  readonly isPaused?: boolean | undefined
}

/** Options of {@link buildGrafanaAlertRules}. */
export interface GrafanaAlertRuleOptions {
  /** The folder the rules go in (it must exist: `GrafanaClient.ensureFolder`). */
  readonly folderUid: string
  /** The uid of the Prometheus data source the rules query. */
  readonly datasourceUid: string
  /** The rule group, evaluated as one: `slokit-slo-burn-rate` by default. */
  readonly ruleGroup?: string | undefined
  /** The organisation id: 1 by default. */
  readonly orgId?: number | undefined
  /** The metrics read: `rules` (the default) or `exporter`. */
  readonly source?: MetricSource | undefined
  /** The naming of the recording rules: `slokit` (the default) or `sloth`. */
  readonly naming?: DashboardNaming | undefined
  /** The `prefix` given to `SloMetrics` (exporter source). */
  readonly exporterPrefix?: string | undefined
  /** The burn-rate table; by default the one for each SLO's period, as `generateRules` uses. */
  readonly burnRateTable?: readonly BurnRateWindowSpec[] | undefined
  /**
   * Labels added to every rule (notification routing: `team`, …). `severity`, `slo`,
   * `slo_service` and {@link MANAGED_BY_LABEL} are always set by slokit and win over these.
   */
  readonly labels?: Readonly<Record<string, string>> | undefined
  /**
   * How long a burn must last before the alert fires: `2m` by default (the Prometheus alerts of
   * `generateRules` have no `for`; pass `0s` for the same timing).
   */
  readonly for?: string | undefined
  /** The uid prefix of the rules and of the dashboards linked from them: `slokit` by default. */
  readonly uidPrefix?: string | undefined
}

const WHERE = '[slokit/grafana] buildGrafanaAlertRules()'

/**
 * Grafana-managed multi-window multi-burn-rate alert rules, one per SLO and tier (page, ticket):
 * the same windows and factors as the Prometheus alerts of `generateRules`, read from the same
 * recording rules (or exporter metrics). Use them when alerts are routed by Grafana rather than
 * Alertmanager; do not load both, or every burn pages twice.
 *
 * Each rule is `A` (the PromQL: error ratio above `factor × budget` over both windows of any row
 * of the tier, so it returns series only while burning), `B` (reduce: last value) and `C`
 * (threshold: `B > 0`), condition `C`. No data means no burn, so `noDataState` is `OK` — which
 * also means a rule stays quiet when the recording rules are missing altogether: keep the
 * data-absent alert of `generateRules` (`dataAbsentAlertAfterMs`), or watch for "No data".
 * Every rule is labelled {@link MANAGED_BY_LABEL} so that stale ones can be pruned.
 *
 * Grafana-managed rules write no `ALERTS` series: build the dashboards with `alerts: 'grafana'`
 * so that their alert panels list these rules' alerts (Grafana's alert list) instead.
 *
 * @example
 * ```ts
 * const rules = buildGrafanaAlertRules(config.slos, { folderUid: 'slo', datasourceUid: 'prom' })
 * await client.provisionAlertRules(rules, {
 *   prune: { folderUid: 'slo', ruleGroup: DEFAULT_RULE_GROUP },
 * })
 * ```
 * @throws `SlokitError` `INVALID_ARGUMENT` for bad options.
 */
export function buildGrafanaAlertRules(
  slos: readonly SloSpec[],
  options: GrafanaAlertRuleOptions,
): GrafanaAlertRule[] {
  if (options === undefined || typeof options !== 'object') {
    throw new SlokitError('INVALID_ARGUMENT', `${WHERE}: needs options { folderUid, datasourceUid }.`)
  }
  checkUid(options.folderUid, 'folderUid')
  checkUid(options.datasourceUid, 'datasourceUid')
  const ruleGroup = options.ruleGroup ?? DEFAULT_RULE_GROUP
  if (typeof ruleGroup !== 'string' || ruleGroup.length < 1 || ruleGroup.length > 190) {
    throw new SlokitError('INVALID_ARGUMENT', `${WHERE}: \`ruleGroup\` must be 1–190 characters.`)
  }
  const orgId = options.orgId ?? 1
  if (!Number.isSafeInteger(orgId) || orgId < 1) {
    throw new SlokitError('INVALID_ARGUMENT', `${WHERE}: \`orgId\` must be a positive integer, got ${orgId}.`)
  }
  const pending = options.for ?? '2m'
  if (typeof pending !== 'string' || !/^(\d+(ms|s|m|h|d|w|y))+$/.test(pending)) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `${WHERE}: \`for\` must be a duration such as "2m" or "0s", got ${JSON.stringify(pending)}.`,
    )
  }
  const uidPrefix = options.uidPrefix ?? 'slokit'
  const s = sloSeries({
    source: options.source,
    naming: options.naming,
    exporterPrefix: options.exporterPrefix,
  })
  const out: GrafanaAlertRule[] = []
  for (const slo of slos) {
    const m: Matcher[] = [
      [s.serviceLabel, '=', slo.service],
      [s.idLabel, '=', slo.id],
    ]
    const periodMs = nominalPeriodMs(slo.window)
    const budget = errorBudgetRatio(slo.objective)
    const rows = burnRateWindows(periodMs, options.burnRateTable)
    for (const severity of ['page', 'ticket'] as const) {
      const tier = rows.filter((row) => row.severity === severity)
      if (tier.length === 0) continue
      const over = (windowMs: number, factor: number) =>
        `max without (${s.windowLabel}) (${s.errorRatio(windowMs, m)} > ${promNumber(factor * budget)})`
      const expr = tier
        .map(
          (row) =>
            `(\n  ${over(row.longWindowMs, row.factor)}\n  and\n  ${over(row.shortWindowMs, row.factor)}\n)`,
        )
        .join('\nor\n')
      const title = `SLO ${slo.id} burning its error budget (${severity})`
      const longest = Math.max(...tier.map((row) => row.longWindowMs))
      out.push({
        uid: grafanaUid(uidPrefix, severity, slo.id),
        orgID: orgId,
        folderUID: options.folderUid,
        ruleGroup,
        title: title.length > 190 ? `${title.slice(0, 187)}...` : title,
        condition: 'C',
        data: [
          {
            refId: 'A',
            relativeTimeRange: { from: 600, to: 0 },
            datasourceUid: options.datasourceUid,
            model: {
              refId: 'A',
              expr,
              instant: true,
              range: false,
              datasource: { type: 'prometheus', uid: options.datasourceUid },
            },
          },
          {
            refId: 'B',
            relativeTimeRange: { from: 0, to: 0 },
            datasourceUid: '__expr__',
            model: {
              refId: 'B',
              type: 'reduce',
              expression: 'A',
              reducer: 'last',
              settings: { mode: 'dropNN' },
              datasource: { type: '__expr__', uid: '__expr__' },
            },
          },
          {
            refId: 'C',
            relativeTimeRange: { from: 0, to: 0 },
            datasourceUid: '__expr__',
            model: {
              refId: 'C',
              type: 'threshold',
              expression: 'B',
              conditions: [{ evaluator: { type: 'gt', params: [0] } }],
              datasource: { type: '__expr__', uid: '__expr__' },
            },
          },
        ],
        noDataState: 'OK',
        execErrState: 'Error',
        for: pending,
        labels: {
          ...options.labels,
          severity,
          slo: slo.id,
          slo_service: slo.service,
          [MANAGED_BY_LABEL.name]: MANAGED_BY_LABEL.value,
        },
        annotations: {
          summary: `SLO ${slo.id} (${slo.service}) is burning its error budget too fast (${severity})`,
          description: `The error ratio is above ${tier
            .map(
              (row) =>
                `${promNumber(Number(row.factor.toPrecision(4)))}× the budget over both ${formatDuration(row.longWindowMs)} and ${formatDuration(row.shortWindowMs)}`,
            )
            .join(
              ', or ',
            )}: at this pace the SLO spends ${tier.map((row) => `${row.budgetPercent}%`).join(' / ')} of its ${formatDuration(periodMs)} error budget within ${formatDuration(longest)}.`,
          // Not `__dashboardUid__`: Grafana then also demands `__panelId__`.
          dashboard_url: `/d/${grafanaUid(uidPrefix, 'slo', slo.id)}`,
          ...(slo.runbookUrl === undefined ? {} : { runbook_url: slo.runbookUrl }),
        },
      })
    }
  }
  return out
}
