import { formatSpecPath, SlokitError } from '@slokit/core'

/**
 * The OpenSLO features slokit cannot represent, each with what it means. An issue that stems from
 * one of them carries its code in {@link OpenSloIssue.limitation}, so a caller can tell "this file
 * is wrong" from "this file is fine but uses something slokit does not model".
 */
export const OPENSLO_LIMITATIONS = {
  /** `apiVersion` is an OpenSLO version slokit does not read (v2alpha). */
  UNSUPPORTED_API_VERSION: 'only openslo/v1 and openslo/v1alpha documents are read',
  /** An SLO with several indicators (objectives carrying their own `indicator`, `compositeWeight`). */
  COMPOSITE_SLO: 'composite SLOs (several indicators weighted into one SLO) are not supported',
  /** An SLO with more than one objective. */
  MULTIPLE_OBJECTIVES: 'a slokit SLO has exactly one objective',
  /** An SLO with more than one time window. */
  MULTIPLE_TIME_WINDOWS: 'a slokit SLO has exactly one time window',
  /** A calendar window that is not one week, month, quarter or year. */
  CALENDAR_DURATION: 'calendar windows are 1w, 1M, 1Q or 1Y',
  /** A rolling window or slice in months, quarters or years, which have no fixed length. */
  VARIABLE_DURATION: 'rolling windows and time slices need a fixed length (s, m, h, d, w)',
  /** A metric source whose `spec` has no `query` string slokit can carry. */
  METRIC_SOURCE_WITHOUT_QUERY: 'slokit SLIs carry one query string per metric (`spec.query`)',
  /** A `raw` ratio metric from a source other than Prometheus. */
  RAW_RATIO_NOT_PROMETHEUS: 'raw ratio metrics are supported for Prometheus queries only',
  /** `good` (or `bad`) and `total` read different metric sources. */
  MIXED_METRIC_SOURCES: 'all queries of a slokit SLI go to one data source',
  /** A ratio objective met when the SLI is below its target. */
  RATIO_OBJECTIVE_OP: 'a slokit SLO is met when its SLI is at least the target',
  /** A standalone `thresholdMetric` SLI no SLO refers to: its threshold lives on an SLO objective. */
  THRESHOLD_SLI_WITHOUT_OBJECTIVE:
    'a slokit threshold SLI carries its threshold, which OpenSLO gives on an SLO objective',
  /** An alert policy no imported SLO uses, or a condition or target no alert policy uses. */
  ALERTING_NOT_USED: 'alert policies become slokit rules for the SLOs that use them; this one is not used',
  /**
   * An alert condition with `op: lt`/`lte`: slokit burn-rate alerts fire above a threshold, so the
   * condition is skipped (a warning); the SLO and the policy's other conditions still import.
   */
  BURN_RATE_OP: 'a slokit burn-rate alert fires when the burn rate is above its threshold',
  /** An alert condition with `op: gte`: read as `gt` (slokit fires strictly above the threshold). */
  BURN_RATE_GTE: 'a slokit burn-rate alert fires when the burn rate is strictly above its threshold',
  /**
   * A `timeSliceTarget` on a Timeslices SLO of a thresholdMetric SLI: slokit judges a slice by its
   * aggregated value (`slokit.dev/aggregation`, `avg` by default) against `op` and `value`.
   */
  THRESHOLD_SLICE_TARGET:
    'a slokit threshold slice is good when its aggregated value meets the threshold; timeSliceTarget is not applied',
  /** A burn-rate condition that would spend more than the whole error budget in its lookback window. */
  BURN_RATE_ABOVE_BUDGET: 'a burn-rate row spends at most 100% of the error budget in its long window',
  /** OpenSLO conditions watch one window; slokit adds a short window of 1/12 of it. */
  SHORT_WINDOW_ADDED: 'slokit burn-rate rows check a long and a short window; OpenSLO gives the long one',
  /** Several conditions of one policy become one slokit rule, with one `for` and one severity per tier. */
  CONDITIONS_MERGED: 'a slokit rule has one `for` and one severity per tier',
  /** `alertWhenResolved: false`: slokit always notifies resolutions. */
  ALERT_WHEN_RESOLVED: 'slokit always notifies when an alert resolves',
  /** `alertWhenBreaching: false`: the policy's conditions never alert, so they are not converted. */
  NOT_ALERTING_WHEN_BREACHING: 'a policy that does not alert when breaching has no burn-rate rule',
  /** A notification target other than Slack or PagerDuty (email, …): no channel or route is made. */
  NOTIFICATION_TARGET_NOT_SUPPORTED: 'slokit channels for OpenSLO targets are Slack and PagerDuty',
  /** Export: an alert rule OpenSLO cannot express (trend, budget_remaining, slo_not_met…). */
  ALERT_RULE_NOT_EXPORTED: 'OpenSLO alert policies express burn-rate and no-data alerts only',
  /** Export: a rule selecting SLOs by service, priority or labels becomes a policy on each SLO it selects. */
  SELECTOR_RESOLVED: 'OpenSLO alert policies are attached to SLOs, not selected by service or labels',
  /** Export: a rule or route setting OpenSLO has no place for (a short window, minEvents, escalation…). */
  ALERT_SETTING_NOT_EXPORTED: 'OpenSLO alert policies have no place for this setting',
  /** A Timeslices SLO without a slice length (v1alpha has no `timeSliceWindow`). */
  NO_SLICE_LENGTH: 'slokit needs the length of a time slice',
  /**
   * `ratioMetric.counter`: slokit runs each query as written over the window, so a counter's query
   * must take its increase itself (`sum(increase(x[{{.window}}]))`).
   */
  RATIO_COUNTER: 'slokit runs each query as written over the window; `counter` is not kept',
  /** A DataSource's `connectionDetails`: slokit sources are configured in the host or the config's `sources`. */
  DATA_SOURCE_CONNECTION: 'slokit does not import connection details; configure the source in slokit',
  /** Metadata slokit has no place for on this object (annotations of an SLI, say). */
  METADATA_NOT_KEPT: 'slokit has no place for this metadata',
} as const

/** A code from {@link OPENSLO_LIMITATIONS}. */
export type OpenSloLimitation = keyof typeof OPENSLO_LIMITATIONS

/** One problem (or warning) found in OpenSLO documents, with where it is. */
export interface OpenSloIssue {
  readonly severity: 'error' | 'warning'
  /** The file (as given to the importer) or the name of the text. */
  readonly file: string
  /** 1-based line; 0 when unknown. */
  readonly line: number
  /** 1-based column; 0 when unknown. */
  readonly column: number
  /** Path from the root of the YAML document, e.g. `[0, 'spec', 'objectives', 1]`. */
  readonly path: ReadonlyArray<string | number>
  /** What is wrong and what was expected. */
  readonly message: string
  /** How to fix it, when there is an obvious fix. */
  readonly hint?: string
  /** Set when the document is valid OpenSLO but uses something slokit cannot represent. */
  readonly limitation?: OpenSloLimitation
}

/** `file:line:column: severity: path: message (hint)`, the form `slokit validate` prints. */
export function formatOpenSloIssue(issue: OpenSloIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file
  const path = issue.path.length > 0 ? `${formatSpecPath(issue.path)}: ` : ''
  const hint = issue.hint === undefined ? '' : ` (${issue.hint})`
  return `${where}: ${issue.severity}: ${path}${issue.message}${hint}`
}

/**
 * Thrown when OpenSLO documents cannot be imported (or slokit SLOs cannot be exported). `issues`
 * holds every problem found and the warnings, in file and position order. The code is
 * `NOT_SUPPORTED` when every error is a named {@link OpenSloLimitation}, else `INVALID_SPEC`.
 */
export class OpenSloError extends SlokitError {
  readonly issues: readonly OpenSloIssue[]

  constructor(issues: readonly OpenSloIssue[], action: 'import' | 'export' = 'import') {
    const errors = issues.filter((i) => i.severity === 'error')
    const unsupported = errors.length > 0 && errors.every((i) => i.limitation !== undefined)
    const noun = errors.length === 1 ? 'error' : 'errors'
    const what = action === 'import' ? 'Cannot import the OpenSLO documents' : 'Cannot export to OpenSLO'
    super(
      unsupported ? 'NOT_SUPPORTED' : 'INVALID_SPEC',
      `[slokit/openslo] ${what}: ${errors.length} ${noun}\n${issues.map(formatOpenSloIssue).join('\n')}`,
    )
    this.name = 'OpenSloError'
    this.issues = issues
  }

  /** Only the errors, without warnings. */
  get errors(): readonly OpenSloIssue[] {
    return this.issues.filter((i) => i.severity === 'error')
  }
}
