export type { GrafanaAlertQuery, GrafanaAlertRule, GrafanaAlertRuleOptions } from './alert-rules.js'
export {
  buildGrafanaAlertRules,
  DEFAULT_RULE_GROUP,
  EXEC_ERR_STATES,
  MANAGED_BY_LABEL,
  NO_DATA_STATES,
} from './alert-rules.js'
export type {
  GrafanaClientOptions,
  GrafanaFetch,
  GrafanaFolder,
  ProvisionAlertRulesOptions,
  ProvisionedRule,
  SavedDashboard,
  StoredDashboard,
  UpsertDashboardOptions,
} from './client.js'
export { GrafanaClient } from './client.js'
export type { AlertSource, GrafanaDashboard, SloDashboardOptions, SloDashboards } from './dashboards.js'
export {
  ALERT_SOURCES,
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
