export type { ReportInput, ReportOptions } from './build-report.js'
export { buildReport } from './build-report.js'
export { burnDownChart, burnRateBars, escapeHtml, PALETTE, sliTrendChart } from './charts.js'
export type { DashboardData, DashboardOptions, DashboardSlo } from './dashboard-data.js'
export { dashboardData } from './dashboard-data.js'
export { lttb } from './downsample.js'
export type { FileStatusHistoryOptions } from './file-status-history.js'
export { FileStatusHistory, HISTORY_FILE_HEADER } from './file-status-history.js'
export { DEFAULT_HISTORY_RETENTION_MS, MemoryStatusHistory } from './memory-status-history.js'
export type { AlertRecord, FreezeTransitionRecord, PolicyDecisionRecord } from './records.js'
export type { RenderOptions, ReportPart } from './render-options.js'
export { REPORT_PARTS } from './render-options.js'
export type { ReportDigest } from './render-report.js'
export { renderReport, reportDigest } from './render-report.js'
export type {
  AtRiskSlo,
  ExecutiveSummary,
  Report,
  ReportAlert,
  ReportBreach,
  ReportBudget,
  ReportBurnRate,
  ReportDecision,
  ReportForecast,
  ReportFreeze,
  ReportPeriod,
  ReportTrend,
  RollUp,
  SeriesPoint,
  ServiceRollUp,
  SloHealth,
  SloReport,
} from './report.js'
export { REPORT_SCHEMA_VERSION, SLO_HEALTHS } from './report.js'
export type { ReportEngineJob, ReportJobsOptions, ReportNotification } from './report-jobs.js'
export { historySink, reportJobs } from './report-jobs.js'
export type { ReportFormat, ReportingSection, ReportingSectionInput, ReportJob } from './reporting-schema.js'
export { REPORT_FORMATS, reportingSectionSchema } from './reporting-schema.js'
export type { ReportSchedule } from './schedule.js'
export { nextReportDue } from './schedule.js'
export type { StatusSnapshot } from './snapshot.js'
export { snapshotMet, toSnapshot } from './snapshot.js'
export { sparkline } from './sparkline.js'
export type { HistoryQuery, StatusHistory, StatusHistoryOptions } from './status-history.js'
export type { ContractCase, StatusHistoryFactory } from './status-history-contract.js'
export { statusHistoryContract } from './status-history-contract.js'
export { toHTML } from './to-html.js'
export { toJSON } from './to-json.js'
export { escapeMarkdown, toMarkdown } from './to-markdown.js'
