export type {
  AlertRouteInput,
  AlertRuleInput,
  AlertSeverity,
  AlertsInput,
  BurnRateRuleInput,
  BurnRateTierInput,
  BurnRateWindowInput,
  ChannelInput,
  NoDataRuleInput,
} from './alerting.js'
export { NO_DATA_RULE, shortWindowMs } from './alerting.js'
export type { OpenSloIssue, OpenSloLimitation } from './errors.js'
export { formatOpenSloIssue, OPENSLO_LIMITATIONS, OpenSloError } from './errors.js'
export type {
  AlertRouteLike,
  AlertRuleLike,
  AlertsLike,
  AlertTierLike,
  AlertWindowLike,
  DurationLike,
} from './export-alerting.js'
export type { ExportOpenSloOptions, OpenSloExportInput, OpenSloObject } from './export-openslo.js'
export { exportOpenSlo, toOpenSloObjects } from './export-openslo.js'
export type { OpenSloDataSource, OpenSloImport, OpenSloOrigin, OpenSloService } from './import-openslo.js'
export { importOpenSlo, isOpenSloText } from './import-openslo.js'
export {
  ALERT_RULE_ANNOTATION,
  ID_ANNOTATION,
  isOpenSloName,
  OPENSLO_V1,
  OPENSLO_V1ALPHA,
  openSloName,
  SERVICE_ANNOTATION,
  SLOKIT_ANNOTATIONS,
} from './mapping.js'
export { exportSlokitConfig, sliToInput, sloToInput, toSlokitConfig } from './slokit-config.js'
export type { OpenSloText } from './yaml-source.js'
