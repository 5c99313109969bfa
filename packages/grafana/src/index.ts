export type { GrafanaAlertQuery, GrafanaAlertRule, GrafanaAlertRuleOptions } from './alert-rules.js'
export { buildGrafanaAlertRules, EXEC_ERR_STATES, NO_DATA_STATES } from './alert-rules.js'
export type {
  GrafanaClientOptions,
  GrafanaFetch,
  GrafanaFolder,
  ProvisionedRule,
  SavedDashboard,
  StoredDashboard,
  UpsertDashboardOptions,
} from './client.js'
export { GrafanaClient } from './client.js'
export type { GrafanaDashboard, SloDashboardOptions, SloDashboards } from './dashboards.js'
export {
  buildOverviewDashboard,
  buildSloDashboards,
  buildSloDetailDashboard,
  dashboardExpressions,
  overviewDashboardUid,
  sloDashboardUid,
} from './dashboards.js'
export type { GrafanaErrorOptions, GrafanaErrorReason } from './errors.js'
export { GRAFANA_ERROR_REASONS, GrafanaError } from './errors.js'
export { dashboardToJson, writeDashboardFiles } from './files.js'
export type { DashboardNaming, Matcher, MetricSource, SloSeries, SloSeriesOptions } from './series.js'
export { DASHBOARD_NAMINGS, METRIC_SOURCES, sloSeries } from './series.js'
export { grafanaUid, MAX_UID_LENGTH } from './uid.js'
