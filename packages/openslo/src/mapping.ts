import type { Aggregation, BudgetingMethod, CalendarUnit, Comparison } from '@slokit/core'

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

// A slice of a threshold SLI meets `timeSliceTarget` t when at least t of its values meet the
// threshold. For `<`/`<=` that is exactly the nearest-rank percentile of slokit (`p99 <= x` when
// at least 99 % of the values are `<= x`), and t = 1 is `max`; for `>`/`>=`, t = 1 is `min`.
const UPPER_SLICE_TARGETS: Readonly<Record<string, number>> = {
  max: 1,
  p99: 0.99,
  p95: 0.95,
  p90: 0.9,
  p50: 0.5,
}

/** The `timeSliceTarget` that means what a threshold SLI's aggregation means, if there is one. */
export function sliceTargetOf(aggregation: Aggregation, comparison: Comparison): number | undefined {
  if (comparison === '<' || comparison === '<=') return own(UPPER_SLICE_TARGETS, aggregation)
  return aggregation === 'min' ? 1 : undefined
}

/** The aggregation that means what `timeSliceTarget` means for a threshold SLI, if there is one. */
export function aggregationOf(target: number, comparison: Comparison): Aggregation | undefined {
  if (comparison !== '<' && comparison !== '<=') return target === 1 ? 'min' : undefined
  const found = Object.entries(UPPER_SLICE_TARGETS).find(([, t]) => t === target)
  return found?.[0] as Aggregation | undefined
}

/** `record[key]` when `key` is its own property: `constructor` or `toString` read from YAML is no key. */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
}

/** OpenSLO durations: a count and one unit. */
export const OPENSLO_DURATION = /^(\d+)([smhdwMQY])$/

/**
 * Annotation keeping a slokit id (of an SLO, SLI, service or channel) that is not an OpenSLO name:
 * the export writes {@link openSloName} of the id as `metadata.name` and the id here.
 */
export const ID_ANNOTATION = 'slokit.dev/id'
/** Annotation keeping an SLO's slokit service when it is not an OpenSLO name. */
export const SERVICE_ANNOTATION = 'slokit.dev/service'
/** Annotation naming the slokit alert rule an exported alert policy (one per condition) belongs to. */
export const ALERT_RULE_ANNOTATION = 'slokit.dev/alert-rule'

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/

/** Whether `name` is an OpenSLO `metadata.name`: an RFC 1123 DNS label (lowercase, `-`, at most 63). */
export const isOpenSloName = (name: string): boolean => DNS_LABEL.test(name)

/**
 * An OpenSLO `metadata.name` for a slokit id: lowercased, each run of characters other than
 * `a-z`, `0-9` and `-` replaced by `-`, trimmed to 63 characters (`Checkout_API.v2` →
 * `checkout-api-v2`).
 */
export function openSloName(id: string): string {
  if (isOpenSloName(id)) return id
  const name = id
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63)
    .replace(/-+$/, '')
  return name === '' ? 'slo' : name
}
