export type {
  CreatePrometheusSourceOptions,
  PrometheusSourceConfig,
  PrometheusSourceConfigInput,
} from './config.js'
export { createPrometheusSource, prometheusSourceConfigSchema } from './config.js'
export type { PrometheusErrorOptions, PrometheusErrorType } from './errors.js'
export { PROMETHEUS_ERROR_TYPES, PrometheusError } from './errors.js'
export type {
  AlertTierSettings,
  GeneratedRules,
  GenerateRulesOptions,
  RuleNaming,
  SkippedSlo,
  SloAlerting,
} from './generate-rules.js'
export { generateRules, RULE_NAMINGS, slothSloName } from './generate-rules.js'
export type { HistogramQueries, HistogramQueryOptions } from './histogram.js'
export { histogramQueries } from './histogram.js'
export type { FetchInit, FetchLike, FetchResponse, HttpAuth, Timers } from './http.js'
export type { PrometheusSourceOptions, QueryPlan } from './prometheus-source.js'
export { PrometheusSource } from './prometheus-source.js'
export { hasWindowPlaceholder, WINDOW_PLACEHOLDER, withWindow } from './promql.js'
export type { PushBody, PushgatewayOptions, PushOptions, PushResult } from './pushgateway.js'
export { Pushgateway, PushgatewayError } from './pushgateway.js'
export type {
  AlertingRule,
  PrometheusRule,
  RecordingRule,
  RuleFile,
  RuleGroup,
  RulesToYamlOptions,
} from './rule-file.js'
export { rulesToYaml } from './rule-file.js'
export type { ParseSlothSpecOptions, SlothImport } from './sloth.js'
export { parseSlothSpec, SlothSpecError } from './sloth.js'
