import {
  type Dashboard,
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard'
import {
  type BurnRateWindow,
  type BurnRateWindowSpec,
  burnRateWindows,
  errorBudgetRatio,
  formatDuration,
  nominalPeriodMs,
  SlokitError,
  type SloSpec,
} from '@slokit/core'
import {
  alertListPanel,
  DATASOURCE,
  gaugePanel,
  layout,
  type RowSpec,
  type Sized,
  type Step,
  stateMappings,
  stateTimelinePanel,
  statPanel,
  timeSeriesPanel,
} from './panels.js'
import {
  DASHBOARD_NAMINGS,
  type DashboardNaming,
  type Matcher,
  METRIC_SOURCES,
  type MetricSource,
  promNumber,
  quote,
  type SloSeries,
  selector,
  sloSeries,
} from './series.js'
import { checkUid, grafanaUid } from './uid.js'

/** `sli_collection_total` results in fixed colours: success green, no_data yellow, failure red. */
const COLLECTION_RESULT_COLOURS = (
  [
    ['success', 'green'],
    ['no_data', 'yellow'],
    ['failure', 'red'],
  ] as const
).map(([name, fixedColor]) => ({ name, properties: [{ id: 'color', value: { mode: 'fixed', fixedColor } }] }))

/**
 * A dashboard in Grafana's classic JSON model (`schemaVersion` 42, as the foundation SDK emits
 * it): the `dashboard` field of `POST /api/dashboards/db`, or the content of a dashboard file for
 * file-based provisioning.
 */
export type GrafanaDashboard = Dashboard

/** Options of {@link buildOverviewDashboard}, {@link buildSloDetailDashboard} and {@link buildSloDashboards}. */
export interface SloDashboardOptions {
  /**
   * Where the numbers come from: `rules` (the recording rules of `@slokit/prometheus`, the
   * default) or `exporter` (the `slo_*` metrics of `SloMetrics`). See {@link MetricSource}.
   */
  readonly source?: MetricSource | undefined
  /** The naming of the recording rules: `slokit` (the default) or `sloth`. See {@link DashboardNaming}. */
  readonly naming?: DashboardNaming | undefined
  /** The `prefix` given to `SloMetrics`, for the exporter's metrics (freeze, collection health). */
  readonly exporterPrefix?: string | undefined
  /**
   * The uid of the Prometheus data source selected by default in the `datasource` variable;
   * Grafana's default Prometheus data source when absent.
   */
  readonly datasourceUid?: string | undefined
  /** The first part of every dashboard uid: `slokit` by default (uids `slokit-overview`, `slokit-slo-<id>`). */
  readonly uidPrefix?: string | undefined
  /** The overview's title: `SLO overview` by default. */
  readonly title?: string | undefined
  /** Tags of every dashboard, besides `slo` and `slokit`. */
  readonly tags?: readonly string[] | undefined
  /** The dashboards' auto-refresh, e.g. `1m` (the default); `''` for none. */
  readonly refresh?: string | undefined
  /** The burn-rate table of the alerts, as given to `generateRules`; by default the one for each SLO's period. */
  readonly burnRateTable?: readonly BurnRateWindowSpec[] | undefined
  /**
   * Where the SLO alerts fire: `prometheus` (the default: panels on `ALERTS`) or `grafana`
   * (Grafana-managed rules: alert-list panels). See {@link AlertSource}.
   */
  readonly alerts?: AlertSource | undefined
}

/**
 * Where the SLO alerts fire, for the dashboards' alert panels:
 * - `prometheus`: the alerting rules of `generateRules` (Prometheus and Alertmanager); the panels
 *   read Prometheus's `ALERTS` series;
 * - `grafana`: the Grafana-managed rules of `buildGrafanaAlertRules`, which write no
 *   `ALERTS` series; the panels are Grafana's alert list, filtered on the rules' `slo` and
 *   `slo_service` labels.
 */
export const ALERT_SOURCES = ['prometheus', 'grafana'] as const
/** One of {@link ALERT_SOURCES}. */
export type AlertSource = (typeof ALERT_SOURCES)[number]

/** The dashboards of a set of SLOs: one overview, one detail dashboard per SLO. */
export interface SloDashboards {
  readonly overview: GrafanaDashboard
  /** In the order of the SLOs given. */
  readonly details: readonly GrafanaDashboard[]
}

interface Settings {
  readonly series: SloSeries
  readonly source: MetricSource
  readonly naming: DashboardNaming
  readonly prefix: string
  readonly datasourceUid: string | undefined
  readonly uidPrefix: string
  readonly title: string
  readonly tags: string[]
  readonly refresh: string
  readonly table: readonly BurnRateWindowSpec[] | undefined
  readonly alerts: AlertSource
}

const WHERE = '[slokit/grafana]'

function settingsOf(options: SloDashboardOptions, fn: string): Settings {
  const fail = (message: string): never => {
    throw new SlokitError('INVALID_ARGUMENT', `${WHERE} ${fn}: ${message}`)
  }
  const source = options.source ?? 'rules'
  if (!(METRIC_SOURCES as readonly string[]).includes(source))
    fail(`\`source\` must be "rules" or "exporter", got ${JSON.stringify(source)}.`)
  const naming = options.naming ?? 'slokit'
  if (!(DASHBOARD_NAMINGS as readonly string[]).includes(naming))
    fail(`\`naming\` must be "slokit" or "sloth", got ${JSON.stringify(naming)}.`)
  const prefix = options.exporterPrefix ?? ''
  if (prefix !== '' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(prefix))
    fail(
      `\`exporterPrefix\` must be a metric name prefix such as "checkout_", got ${JSON.stringify(prefix)}.`,
    )
  const alerts = options.alerts ?? 'prometheus'
  if (!(ALERT_SOURCES as readonly string[]).includes(alerts))
    fail(`\`alerts\` must be "prometheus" or "grafana", got ${JSON.stringify(alerts)}.`)
  const uidPrefix = options.uidPrefix ?? 'slokit'
  checkUid(uidPrefix, 'uidPrefix')
  if (options.datasourceUid !== undefined) checkUid(options.datasourceUid, 'datasourceUid')
  const tags = [...new Set(['slo', 'slokit', ...(options.tags ?? [])])]
  return {
    series: sloSeries({ source, naming, exporterPrefix: prefix }),
    source,
    naming,
    prefix,
    datasourceUid: options.datasourceUid,
    uidPrefix,
    title: options.title ?? 'SLO overview',
    tags,
    refresh: options.refresh ?? '1m',
    table: options.burnRateTable,
    alerts,
  }
}

/** The uid of the overview dashboard for a uid prefix: `slokit-overview` by default. */
export function overviewDashboardUid(uidPrefix = 'slokit'): string {
  return grafanaUid(uidPrefix, 'overview')
}

/** The uid of an SLO's detail dashboard: `slokit-slo-<id>` (shortened with a hash past 40 characters). */
export function sloDashboardUid(sloId: string, uidPrefix = 'slokit'): string {
  return grafanaUid(uidPrefix, 'slo', sloId)
}

// Budget remaining: red once overspent, orange in the last quarter, yellow past half spent.
const BUDGET_STEPS: readonly Step[] = [
  { value: null, color: 'red' },
  { value: 0, color: 'orange' },
  { value: 0.25, color: 'yellow' },
  { value: 0.5, color: 'green' },
]

const COLLECTION_STEPS: readonly Step[] = [
  { value: null, color: 'red' },
  { value: 0.9, color: 'orange' },
  { value: 0.99, color: 'green' },
]

const BURN_UNIT = 'suffix:×'

/** Decimals of a compliance next to its objective: one more than the objective needs as a percentage (99.95 % → 3, 99 % → 1). */
function percentDecimals(objective: number): number {
  const text = String(Number((objective * 100).toPrecision(10)))
  const dot = text.indexOf('.')
  return Math.min(4, (dot === -1 ? 0 : text.length - dot - 1) + 1)
}

function percent(objective: number): string {
  return `${Number((objective * 100).toPrecision(10))}%`
}

function complianceSteps(objective: number): Step[] {
  return [
    { value: null, color: 'red' },
    { value: objective, color: 'green' },
  ]
}

function datasourceVariable(settings: Settings): DatasourceVariableBuilder {
  const variable = new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus')
  if (settings.datasourceUid !== undefined) {
    variable.current({ selected: true, text: settings.datasourceUid, value: settings.datasourceUid })
  }
  return variable
}

/**
 * `ALERTS` of the SLO alerts slokit's rules fire (burn rate, budget exhausted, data absent). The
 * SLO id label must be set: "All" is `=~".*"`, which also matches series without the label — every
 * other alert firing in Prometheus.
 */
function firingAlerts(series: SloSeries, matchers: readonly Matcher[]): string {
  const exact = matchers.some(([label, op, value]) => label === series.idLabel && op === '=' && value !== '')
  const hasId: Matcher[] = exact ? [] : [[series.idLabel, '!=', '']]
  return `ALERTS${selector([['alertstate', '=', 'firing'], ...hasId, ...matchers])}`
}

/**
 * The alert-list filter on the labels `buildGrafanaAlertRules` sets (`slo`, `slo_service`, in any
 * naming). Variables go in `:regex` format so a multi-value selection is one regex; `slo!=""`
 * keeps "All" (`.*`) from matching every other alert.
 */
function grafanaAlertFilter(sloId: string | undefined, service: string | undefined): string {
  return sloId === undefined || service === undefined
    ? '{slo!="", slo_service=~"${service:regex}", slo=~"${slo:regex}"}'
    : `{slo_service=${quote(service)}, slo=${quote(sloId)}}`
}

function freezeExpr(settings: Settings, serviceMatcher: Matcher): string {
  const [, op, value] = serviceMatcher
  return `max by (slo_service) (${settings.prefix}slo_deployment_freeze_active${selector([['slo_service', op, value]])})`
}

function collectionMatchers(matchers: readonly Matcher[], settings: Settings): Matcher[] {
  // The exporter always labels collections `slo` and `slo_service`, whatever the rule naming.
  return matchers.map(([label, op, value]) => [
    label === settings.series.idLabel
      ? 'slo'
      : label === settings.series.serviceLabel
        ? 'slo_service'
        : label,
    op,
    value,
  ])
}

function collectionSuccess(settings: Settings, matchers: readonly Matcher[], window: string): string {
  const m = collectionMatchers(matchers, settings)
  const metric = `${settings.prefix}sli_collection_total`
  return `sum by (slo) (increase(${metric}${selector([['result', '=', 'success'], ...m])}[${window}]))\n/\nsum by (slo) (increase(${metric}${selector(m)}[${window}]))`
}

function collectionsByResult(settings: Settings, matchers: readonly Matcher[], by: string): string {
  const m = collectionMatchers(matchers, settings)
  return `sum by (${by}) (increase(${settings.prefix}sli_collection_total${selector(m)}[1h]))`
}

/** The burn-rate rows of an SLO: the alert windows and their thresholds. */
function rowsOf(slo: SloSpec, settings: Settings): BurnRateWindow[] {
  return burnRateWindows(nominalPeriodMs(slo.window), settings.table)
}

function checkSlos(slos: readonly SloSpec[], fn: string): void {
  if (!Array.isArray(slos) || slos.length === 0) {
    throw new SlokitError('INVALID_ARGUMENT', `${WHERE} ${fn}: needs at least one SLO.`)
  }
  const seen = new Set<string>()
  for (const slo of slos) {
    if (seen.has(slo.id)) {
      throw new SlokitError('INVALID_ARGUMENT', `${WHERE} ${fn}: SLO id "${slo.id}" appears twice.`)
    }
    seen.add(slo.id)
  }
}

function finish(builder: DashboardBuilder, rows: readonly RowSpec[]): GrafanaDashboard {
  const model = builder.build()
  model.panels = layout(rows).map((panel) => panel.build())
  if (model.annotations?.list === undefined) model.annotations = { list: [] }
  // Plain JSON: the SDK's query objects carry marker functions that only JSON.stringify drops.
  return JSON.parse(JSON.stringify(model)) as GrafanaDashboard
}

/**
 * The SLO overview: every SLO of the selected services at a glance, for the team's wall screen.
 * Variables `datasource`, `service` and `slo` (multi-select, "All" by default).
 *
 * - **Status now**: compliance per SLO (red below its own objective), error budget remaining
 *   gauges, SLO alerts firing, deployment freezes.
 * - **Burn rate**: one time series per alert window (1h, 6h, 1d, 3d for 30-day SLOs), with the
 *   threshold the alert fires at drawn as a dashed line.
 * - **Error budget**: budget burn-down over the SLO period, and compliance over time.
 * - **Collection health**: how many SLI collections succeeded (`sli_collection_total`).
 *
 * Pure: the same SLOs and options give the same JSON.
 *
 * @example
 * ```ts
 * const overview = buildOverviewDashboard(config.slos, { naming: 'sloth', datasourceUid: 'prom' })
 * await client.upsertDashboard(overview, { folderUid: 'slo' })
 * ```
 * @throws `SlokitError` `INVALID_ARGUMENT` for bad options, no SLOs or duplicate ids.
 */
export function buildOverviewDashboard(
  slos: readonly SloSpec[],
  options: SloDashboardOptions = {},
): GrafanaDashboard {
  const fn = 'buildOverviewDashboard()'
  checkSlos(slos, fn)
  const settings = settingsOf(options, fn)
  const s = settings.series
  const m: Matcher[] = [
    [s.serviceLabel, '=~', '$service'],
    [s.idLabel, '=~', '$slo'],
  ]
  const legend = `{{${s.idLabel}}}`
  const periods = [...new Set(slos.map((slo) => nominalPeriodMs(slo.window)))].sort((a, b) => a - b)
  const longestPeriod = formatDuration(periods[periods.length - 1] as number)

  const builder = new DashboardBuilder(settings.title)
    .uid(overviewDashboardUid(settings.uidPrefix))
    .description(
      `Service level objectives: compliance, error budgets, burn rates and alerts (${settings.source === 'exporter' ? 'slokit exporter metrics' : `${settings.naming} recording rules`}). Generated by @slokit/grafana; edit the SLO definitions, not this dashboard.`,
    )
    .tags(settings.tags)
    .timezone('browser')
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .refresh(settings.refresh)
    .time({ from: 'now-7d', to: 'now' })
    .withVariable(datasourceVariable(settings))
    .withVariable(
      new QueryVariableBuilder('service')
        .label('Service')
        .datasource(DATASOURCE)
        .query(`label_values(${s.info}, ${s.serviceLabel})`)
        .definition(`label_values(${s.info}, ${s.serviceLabel})`)
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc)
        .multi(true)
        .includeAll(true)
        .allValue('.*')
        .current({ selected: true, text: ['All'], value: ['$__all'] }),
    )
    .withVariable(
      new QueryVariableBuilder('slo')
        .label('SLO')
        .datasource(DATASOURCE)
        .query(`label_values(${s.info}${selector([[s.serviceLabel, '=~', '$service']])}, ${s.idLabel})`)
        .definition(`label_values(${s.info}${selector([[s.serviceLabel, '=~', '$service']])}, ${s.idLabel})`)
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc)
        .multi(true)
        .includeAll(true)
        .allValue('.*')
        .current({ selected: true, text: ['All'], value: ['$__all'] }),
    )
    .link(
      new DashboardLinkBuilder('SLO details')
        .type(DashboardLinkType.Dashboards)
        .tags(['slokit-slo'])
        .asDropdown(true)
        .includeVars(false)
        .keepTime(true),
    )

  // Each SLO's own objective colours its compliance: red below, green at or above.
  const complianceOverrides = slos.map((slo) => ({
    name: slo.id,
    properties: [
      { id: 'thresholds', value: { mode: 'absolute', steps: complianceSteps(slo.objective) } },
      { id: 'decimals', value: percentDecimals(slo.objective) },
    ],
  }))

  const status: Sized[] = [
    {
      w: 12,
      h: 7,
      panel: statPanel({
        title: 'Compliance over the SLO window',
        description:
          'The SLI over each SLO’s whole window (e.g. 30 days): red while below the SLO’s own objective.',
        targets: [{ expr: s.compliance(m), legend, instant: true }],
        unit: 'percentunit',
        decimals: 3,
        steps: [{ value: null, color: 'text' }],
        overrides: complianceOverrides,
        noValue: 'No data',
      }),
    },
    {
      w: 12,
      h: 7,
      panel: gaugePanel({
        title: 'Error budget remaining',
        description:
          'Share of each SLO’s error budget left over its window: 100% untouched, 0% spent; below 0% the SLO is missed.',
        targets: [{ expr: s.budgetRemaining(m), legend, instant: true }],
        unit: 'percentunit',
        decimals: 1,
        min: 0,
        max: 1,
        steps: BUDGET_STEPS,
        noValue: 'No data',
      }),
    },
  ]
  const freezePanel: Sized = {
    w: 6,
    h: 5,
    panel: statPanel({
      title: 'Deployment freezes',
      description:
        'Services whose error-budget policy freezes deployments now (slo_deployment_freeze_active, exported by the slokit engine).',
      targets: [
        {
          expr: freezeExpr(settings, ['slo_service', '=~', '$service']),
          legend: '{{slo_service}}',
          instant: true,
        },
      ],
      mappings: stateMappings({ text: 'Deploys allowed', color: 'green' }, { text: 'Frozen', color: 'red' }),
      steps: [
        { value: null, color: 'green' },
        { value: 1, color: 'red' },
      ],
      noValue: 'No freeze data',
    }),
  }
  if (settings.alerts === 'grafana') {
    status.push(
      {
        w: 18,
        h: 5,
        panel: alertListPanel({
          title: 'SLO alerts',
          description:
            'Grafana-managed SLO alerts (buildGrafanaAlertRules) firing or pending, by rule, for the selected services and SLOs.',
          labelFilter: grafanaAlertFilter(undefined, undefined),
        }),
      },
      freezePanel,
    )
  } else {
    status.push(
      {
        w: 6,
        h: 5,
        panel: statPanel({
          title: 'SLO alerts firing',
          description: `SLO alerts (burn rate, budget exhausted, data absent) firing now in Prometheus (the ALERTS series of the generated rules).`,
          targets: [{ expr: `count(${firingAlerts(s, m)}) or vector(0)`, legend: 'firing', instant: true }],
          unit: 'short',
          decimals: 0,
          steps: [
            { value: null, color: 'green' },
            { value: 1, color: 'red' },
          ],
        }),
      },
      freezePanel,
      {
        w: 12,
        h: 5,
        panel: stateTimelinePanel({
          title: 'SLO alerts',
          description: 'When each SLO alert fired, by SLO, alert and severity.',
          targets: [
            {
              expr: `max by (${s.idLabel}, alertname, ${s.severityLabel}) (${firingAlerts(s, m)})`,
              legend: `{{${s.idLabel}}} {{alertname}} ({{${s.severityLabel}}})`,
            },
          ],
          mappings: stateMappings({ text: 'OK', color: 'green' }, { text: 'Firing', color: 'red' }),
          steps: [
            { value: null, color: 'green' },
            { value: 1, color: 'red' },
          ],
          noValue: 'No alerts fired',
        }),
      },
    )
  }

  // One panel per long alert window. SLOs of different periods alert at different factors over
  // the same window: the dashed line is the factor most SLOs use, and the title says for which period.
  const byWindow = new Map<
    number,
    Map<string, { row: BurnRateWindow; periods: Set<number>; count: number }>
  >()
  for (const slo of slos) {
    const periodMs = nominalPeriodMs(slo.window)
    for (const row of rowsOf(slo, settings)) {
      const factors = byWindow.get(row.longWindowMs) ?? new Map()
      byWindow.set(row.longWindowMs, factors)
      const key = `${row.severity} ${row.factor}`
      const entry = factors.get(key) ?? { row, periods: new Set<number>(), count: 0 }
      entry.periods.add(periodMs)
      entry.count++
      factors.set(key, entry)
    }
  }
  const burn: Sized[] = [...byWindow.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, factors]) => {
      const ranked = [...factors.values()].sort((a, b) => b.count - a.count || b.row.factor - a.row.factor)
      const { row, periods } = ranked[0] as { row: BurnRateWindow; periods: Set<number> }
      const factor = promNumber(Number(row.factor.toPrecision(3)))
      const forPeriods =
        ranked.length > 1
          ? ` for ${[...periods]
              .sort((a, b) => a - b)
              .map((ms) => formatDuration(ms))
              .join('/')} SLOs`
          : ''
      return {
        w: 12,
        h: 8,
        panel: timeSeriesPanel({
          title: `Burn rate over ${formatDuration(row.longWindowMs)} (${row.severity} above ${factor}×${forPeriods})`,
          description: `How fast each SLO spends its error budget, over the last ${formatDuration(row.longWindowMs)}: 1× spends it exactly over the SLO window. The ${row.severity} alert fires when this and the ${formatDuration(row.shortWindowMs)} burn rate both exceed ${factor}× (${row.budgetPercent}% of the budget in ${formatDuration(row.longWindowMs)})${ranked.length > 1 ? `${forPeriods}; SLOs of other periods use other factors (see their detail dashboards)` : ''}.`,
          targets: [{ expr: s.burnRate(row.longWindowMs, m), legend }],
          unit: BURN_UNIT,
          decimals: 2,
          min: 0,
          steps: [
            { value: null, color: 'green' },
            { value: Number(row.factor.toPrecision(6)), color: 'red' },
          ],
          thresholdLines: true,
        }),
      }
    })

  const budget: Sized[] = [
    {
      w: 12,
      h: 9,
      panel: timeSeriesPanel({
        title: 'Error budget burn-down',
        description: `Error budget remaining over the last ${longestPeriod}: a steady slope spends it by the end of the window; a cliff is an incident. Below 0% the SLO is missed.`,
        targets: [{ expr: s.budgetRemaining(m), legend }],
        unit: 'percentunit',
        decimals: 1,
        softMin: 0,
        softMax: 1,
        steps: BUDGET_STEPS,
        thresholdLines: true,
        timeFrom: longestPeriod,
      }),
    },
    {
      w: 12,
      h: 9,
      panel: timeSeriesPanel({
        title: 'Compliance over time',
        description: 'The SLI over each SLO’s window, as it moved.',
        targets: [{ expr: s.compliance(m), legend }],
        unit: 'percentunit',
        decimals: 3,
        softMax: 1,
      }),
    },
  ]

  const health: Sized[] = [
    {
      w: 8,
      h: 7,
      panel: statPanel({
        title: 'SLI collections succeeding (1h)',
        description:
          'Share of SLI collections by the slokit engine that succeeded over the last hour (sli_collection_total). Below 100% the SLO’s status goes stale and its alerts cannot be trusted.',
        targets: [{ expr: collectionSuccess(settings, m, '1h'), legend: '{{slo}}', instant: true }],
        unit: 'percentunit',
        decimals: 1,
        steps: COLLECTION_STEPS,
        noValue: 'No collections',
      }),
    },
    {
      w: 16,
      h: 7,
      panel: timeSeriesPanel({
        title: 'SLI collections per hour by result',
        description:
          'SLI collections over the past hour: success, no_data (the source had nothing), failure (it failed or timed out).',
        targets: [{ expr: collectionsByResult(settings, m, 'result'), legend: '{{result}}' }],
        unit: 'short',
        decimals: 0,
        min: 0,
        stacked: true,
        overrides: COLLECTION_RESULT_COLOURS,
      }),
    },
  ]

  return finish(builder, [
    { title: 'Status now', panels: status },
    { title: 'Burn rate', panels: burn },
    { title: 'Error budget', panels: budget },
    { title: 'SLI collection health', panels: health },
  ])
}

/**
 * The detail dashboard of one SLO, for the on-call engineer an alert links to: objective,
 * compliance and budget now; each alert's two burn-rate windows against its threshold; the budget
 * burn-down over the SLO period with compliance against the objective; alerts, freeze and
 * collection health. A `datasource` variable; the SLO and its service are fixed.
 *
 * @example
 * ```ts
 * const detail = buildSloDetailDashboard(slo, { naming: 'slokit' })
 * detail.uid // 'slokit-slo-checkout-availability'
 * ```
 * @throws `SlokitError` `INVALID_ARGUMENT` for bad options.
 */
export function buildSloDetailDashboard(slo: SloSpec, options: SloDashboardOptions = {}): GrafanaDashboard {
  const settings = settingsOf(options, 'buildSloDetailDashboard()')
  const s = settings.series
  const m: Matcher[] = [
    [s.serviceLabel, '=', slo.service],
    [s.idLabel, '=', slo.id],
  ]
  const periodMs = nominalPeriodMs(slo.window)
  const period = formatDuration(periodMs)
  // The objective exactly (99.95 %), compliance with one digit more (99.953 %).
  const decimals = percentDecimals(slo.objective)
  const objectiveDecimals = decimals - 1
  const rows = rowsOf(slo, settings)
  const name = slo.name ?? slo.id
  const windowText =
    slo.window.type === 'calendar'
      ? `calendar ${slo.window.unit} (shown as a rolling ${period})`
      : `rolling ${period}`

  const builder = new DashboardBuilder(`SLO: ${name}`)
    .uid(sloDashboardUid(slo.id, settings.uidPrefix))
    .description(
      `${slo.description === undefined ? '' : `${slo.description.trim().replace(/\.?$/, '.')} `}Objective ${percent(slo.objective)} over a ${windowText} window; service ${slo.service}. Generated by @slokit/grafana; edit the SLO definition, not this dashboard.`,
    )
    .tags([...settings.tags, 'slokit-slo', slo.service])
    .timezone('browser')
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .refresh(settings.refresh)
    .time({ from: 'now-24h', to: 'now' })
    .withVariable(datasourceVariable(settings))
    .link(
      new DashboardLinkBuilder('SLO overview')
        .type(DashboardLinkType.Link)
        .url(`/d/${overviewDashboardUid(settings.uidPrefix)}`)
        .icon('dashboard')
        .keepTime(true),
    )
  if (slo.runbookUrl !== undefined) {
    builder.link(
      new DashboardLinkBuilder('Runbook')
        .type(DashboardLinkType.Link)
        .url(slo.runbookUrl)
        .icon('doc')
        .targetBlank(true),
    )
  }

  const shortest = rows.reduce<number | undefined>(
    (min, row) => (min === undefined || row.longWindowMs < min ? row.longWindowMs : min),
    undefined,
  )
  const status: Sized[] = [
    {
      w: 4,
      h: 6,
      panel: statPanel({
        title: 'Objective',
        description: `The target: ${percent(slo.objective)} of ${slo.budgetingMethod === 'occurrences' ? 'events' : 'time slices'} good over the ${windowText} window.`,
        targets: [{ expr: s.objective(m), legend: 'objective', instant: true }],
        unit: 'percentunit',
        decimals: objectiveDecimals,
        steps: [{ value: null, color: 'text' }],
      }),
    },
    {
      w: 5,
      h: 6,
      panel: statPanel({
        title: `Compliance (${period})`,
        description: `The SLI over the last ${period}: red below the ${percent(slo.objective)} objective.`,
        targets: [{ expr: s.compliance(m), legend: 'compliance', instant: true }],
        unit: 'percentunit',
        decimals,
        steps: complianceSteps(slo.objective),
        noValue: 'No data',
        graph: true,
      }),
    },
    {
      w: 5,
      h: 6,
      panel: gaugePanel({
        title: 'Error budget remaining',
        description: `Share of the ${period} error budget (${percent(errorBudgetRatio(slo.objective))} of ${slo.budgetingMethod === 'occurrences' ? 'events' : 'slices'}) left: below 0% the SLO is missed.`,
        targets: [{ expr: s.budgetRemaining(m), legend: 'remaining', instant: true }],
        unit: 'percentunit',
        decimals: 1,
        min: 0,
        max: 1,
        steps: BUDGET_STEPS,
        noValue: 'No data',
      }),
    },
    ...(shortest === undefined
      ? []
      : [
          {
            w: 4,
            h: 6,
            panel: statPanel({
              title: `Burn rate (${formatDuration(shortest)})`,
              description: `How fast the budget burns over the last ${formatDuration(shortest)}: 1× spends it exactly over ${period}.`,
              targets: [{ expr: s.burnRate(shortest, m), legend: 'burn rate', instant: true }],
              unit: BURN_UNIT,
              decimals: 2,
              steps: [
                { value: null, color: 'green' },
                { value: 1, color: 'orange' },
                {
                  value: Number((rows.find((r) => r.longWindowMs === shortest)?.factor ?? 1).toPrecision(6)),
                  color: 'red',
                },
              ],
              noValue: 'No traffic',
            }),
          },
        ]),
    ...(settings.alerts === 'grafana'
      ? []
      : [
          {
            w: 3,
            h: 6,
            panel: statPanel({
              title: 'Alerts firing',
              description: 'Alerts of this SLO firing now.',
              targets: [
                { expr: `count(${firingAlerts(s, m)}) or vector(0)`, legend: 'firing', instant: true },
              ],
              unit: 'short',
              decimals: 0,
              steps: [
                { value: null, color: 'green' },
                { value: 1, color: 'red' },
              ],
            }),
          },
        ]),
    {
      w: settings.alerts === 'grafana' ? 6 : 3,
      h: 6,
      panel: statPanel({
        title: 'Deployments',
        description: `Whether an error-budget policy freezes deployments of ${slo.service} now.`,
        targets: [
          {
            expr: freezeExpr(settings, ['slo_service', '=', slo.service]),
            legend: '{{slo_service}}',
            instant: true,
          },
        ],
        mappings: stateMappings({ text: 'Allowed', color: 'green' }, { text: 'Frozen', color: 'red' }),
        steps: [
          { value: null, color: 'green' },
          { value: 1, color: 'red' },
        ],
        noValue: 'No freeze data',
      }),
    },
  ]

  const burn: Sized[] = rows.map((row) => {
    const factor = Number(row.factor.toPrecision(6))
    return {
      w: 12,
      h: 8,
      panel: timeSeriesPanel({
        title: `${row.severity === 'page' ? 'Page' : 'Ticket'}: ${formatDuration(row.longWindowMs)} and ${formatDuration(row.shortWindowMs)} burn rate (fires above ${promNumber(Number(row.factor.toPrecision(3)))}×)`,
        description: `The ${row.severity} alert fires while both burn rates exceed ${promNumber(Number(row.factor.toPrecision(4)))}×, that is ${row.budgetPercent}% of the ${period} budget spent within ${formatDuration(row.longWindowMs)}. The short window makes it resolve soon after the errors stop.`,
        targets: [
          { expr: s.burnRate(row.longWindowMs, m), legend: `${formatDuration(row.longWindowMs)} window` },
          { expr: s.burnRate(row.shortWindowMs, m), legend: `${formatDuration(row.shortWindowMs)} window` },
        ],
        unit: BURN_UNIT,
        decimals: 2,
        min: 0,
        steps: [
          { value: null, color: 'green' },
          { value: factor, color: 'red' },
        ],
        thresholdLines: true,
      }),
    }
  })

  const budget: Sized[] = [
    {
      w: 12,
      h: 9,
      panel: timeSeriesPanel({
        title: `Error budget burn-down (${period})`,
        description: `Error budget remaining over the last ${period}. Below 0% the SLO is missed.`,
        targets: [{ expr: s.budgetRemaining(m), legend: 'budget remaining' }],
        unit: 'percentunit',
        decimals: 1,
        softMin: 0,
        softMax: 1,
        steps: BUDGET_STEPS,
        thresholdLines: true,
        timeFrom: period,
      }),
    },
    {
      w: 12,
      h: 9,
      panel: timeSeriesPanel({
        title: `Compliance against the ${percent(slo.objective)} objective`,
        description: `The SLI over the ${period} window, with the objective (red line) it must stay above.`,
        targets: [
          { expr: s.compliance(m), legend: 'compliance' },
          { expr: s.objective(m), legend: 'objective' },
        ],
        unit: 'percentunit',
        decimals,
        steps: complianceSteps(slo.objective),
        thresholdLines: true,
        timeFrom: period,
        overrides: [
          { name: 'objective', properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: 'red' } }] },
        ],
      }),
    },
  ]

  const alertsPanel: Sized =
    settings.alerts === 'grafana'
      ? {
          w: 12,
          h: 6,
          panel: alertListPanel({
            title: 'Alerts',
            description: `The Grafana-managed alert rules of this SLO (buildGrafanaAlertRules) and their state, firing first.`,
            labelFilter: grafanaAlertFilter(slo.id, slo.service),
            showNormal: true,
          }),
        }
      : {
          w: 12,
          h: 6,
          panel: stateTimelinePanel({
            title: 'Alerts',
            description: 'When the SLO’s alerts fired, by alert and severity.',
            targets: [
              {
                expr: `max by (alertname, ${s.severityLabel}) (${firingAlerts(s, m)})`,
                legend: `{{alertname}} ({{${s.severityLabel}}})`,
              },
            ],
            mappings: stateMappings({ text: 'OK', color: 'green' }, { text: 'Firing', color: 'red' }),
            steps: [
              { value: null, color: 'green' },
              { value: 1, color: 'red' },
            ],
            noValue: 'No alerts fired',
          }),
        }
  const ops: Sized[] = [
    alertsPanel,
    {
      w: 12,
      h: 6,
      panel: timeSeriesPanel({
        title: 'SLI collections per hour by result',
        description:
          'SLI collections by the slokit engine over the past hour (sli_collection_total): failures leave the SLO’s status stale.',
        targets: [{ expr: collectionsByResult(settings, m, 'result'), legend: '{{result}}' }],
        unit: 'short',
        decimals: 0,
        min: 0,
        stacked: true,
        overrides: COLLECTION_RESULT_COLOURS,
      }),
    },
  ]

  return finish(builder, [
    { title: `Status: ${name}`, panels: status },
    { title: 'Burn-rate alerts', panels: burn },
    { title: 'Error budget', panels: budget },
    { title: 'Alerts and collection', panels: ops },
  ])
}

/**
 * The overview and one detail dashboard per SLO.
 *
 * @example
 * ```ts
 * const { overview, details } = buildSloDashboards(config.slos, { naming: 'sloth' })
 * await writeDashboardFiles([overview, ...details], './provisioning/dashboards')
 * ```
 */
export function buildSloDashboards(
  slos: readonly SloSpec[],
  options: SloDashboardOptions = {},
): SloDashboards {
  const overview = buildOverviewDashboard(slos, options)
  return { overview, details: slos.map((slo) => buildSloDetailDashboard(slo, options)) }
}

/** Every PromQL expression of a dashboard: the targets' `expr` and the query variables' `query`. */
export function dashboardExpressions(dashboard: GrafanaDashboard): string[] {
  const out: string[] = []
  const visit = (panels: readonly unknown[] | undefined): void => {
    for (const panel of panels ?? []) {
      const p = panel as { targets?: Array<{ expr?: unknown }>; panels?: unknown[] }
      for (const target of p.targets ?? []) if (typeof target.expr === 'string') out.push(target.expr)
      visit(p.panels)
    }
  }
  visit(dashboard.panels as unknown[] | undefined)
  return out
}
