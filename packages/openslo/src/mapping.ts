import type { BudgetingMethod, CalendarUnit, Comparison } from '@slokit/core'

/** `apiVersion` of the OpenSLO documents slokit writes. */
export const OPENSLO_V1 = 'openslo/v1'
/** `apiVersion` of the older OpenSLO documents slokit reads (the form Sloth reads). */
export const OPENSLO_V1ALPHA = 'openslo/v1alpha'

/**
 * Metadata annotations that carry slokit fields OpenSLO has no place for, so an export imports
 * back to the same SLO. On import they become fields again, not annotations.
 */
export const SLOKIT_ANNOTATIONS = {
  kind: 'slokit.dev/kind',
  noData: 'slokit.dev/no-data',
  aggregation: 'slokit.dev/aggregation',
  unit: 'slokit.dev/unit',
  priority: 'slokit.dev/priority',
  owner: 'slokit.dev/owner',
  rationale: 'slokit.dev/rationale',
  runbookUrl: 'slokit.dev/runbook-url',
  dashboardUrl: 'slokit.dev/dashboard-url',
} as const

export const SLI_ANNOTATION_FIELDS = ['kind', 'noData', 'aggregation', 'unit'] as const
export const SLO_ANNOTATION_FIELDS = ['priority', 'owner', 'rationale', 'runbookUrl', 'dashboardUrl'] as const

export const BUDGETING: Readonly<Record<string, BudgetingMethod>> = {
  Occurrences: 'occurrences',
  Timeslices: 'timeslices',
  RatioTimeslices: 'ratio_timeslices',
}
export const BUDGETING_BACK: Readonly<Record<BudgetingMethod, string>> = {
  occurrences: 'Occurrences',
  timeslices: 'Timeslices',
  ratio_timeslices: 'RatioTimeslices',
}

export const OPERATORS: Readonly<Record<string, Comparison>> = { lt: '<', lte: '<=', gt: '>', gte: '>=' }
export const OPERATORS_BACK: Readonly<Record<Comparison, string>> = {
  '<': 'lt',
  '<=': 'lte',
  '>': 'gt',
  '>=': 'gte',
}

export const CALENDAR_DURATIONS: Readonly<Record<string, CalendarUnit>> = {
  '1w': 'week',
  '1M': 'month',
  '1Q': 'quarter',
  '1Y': 'year',
}
export const CALENDAR_DURATIONS_BACK: Readonly<Record<CalendarUnit, string>> = {
  week: '1w',
  month: '1M',
  quarter: '1Q',
  year: '1Y',
}

/** The start written for exported calendar windows: a Monday, 1 January, the start of every period. */
export const CALENDAR_START = '2024-01-01 00:00:00'

const SLOTH_WINDOW = /\{\{\s*\.window\s*\}\}/g
const SLOKIT_WINDOW = /\{\{window\}\}/g

/** OpenSLO (and Sloth) Prometheus queries write `{{.window}}`; slokit writes `{{window}}`. */
export const toSlokitQuery = (query: string): string => query.replace(SLOTH_WINDOW, '{{window}}')
export const toOpenSloQuery = (query: string): string => query.replace(SLOKIT_WINDOW, '{{.window}}')

export const isPrometheus = (type: string): boolean => type.toLowerCase() === 'prometheus'

/**
 * A raw ratio query as slokit's ratio form: the ratio over a constant 1 per step, as
 * `@slokit/prometheus` imports Sloth's raw SLIs, so windows average the ratio over time.
 */
export const rawTotal = (query: string): string => `(${query}) * 0 + 1`

/** OpenSLO durations: a count and one unit. */
export const OPENSLO_DURATION = /^(\d+)([smhdwMQY])$/
