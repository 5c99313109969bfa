import type { Measurement, SliSpec, SloSpec } from '@slokit/core'
import { stringify } from 'yaml'
import { OpenSloError, type OpenSloIssue } from './errors.js'
import {
  type AlertsLike,
  alertPoliciesOf,
  DURATION_MESSAGE,
  durationOf,
  type ExportReport,
  idAnnotation,
} from './export-alerting.js'
import type { OpenSloDataSource } from './import-openslo.js'
import {
  BUDGETING_BACK,
  CALENDAR_DURATIONS_BACK,
  CALENDAR_START,
  ID_ANNOTATION,
  isPrometheus,
  OPENSLO_V1,
  OPERATORS_BACK,
  openSloName,
  rawTotal,
  SERVICE_ANNOTATION,
  SLO_ANNOTATION_FIELDS,
  SLOKIT_ANNOTATIONS,
  sliceTargetOf,
  toOpenSloQuery,
} from './mapping.js'
import type { Path } from './reader.js'

/** What {@link exportOpenSlo} writes. */
export interface OpenSloExportInput {
  readonly slos: readonly SloSpec[]
  /**
   * SLIs to write as standalone `SLI` objects when no SLO uses them (SLOs carry theirs inline).
   * Only ratio SLIs: a threshold SLI's threshold belongs on an SLO objective in OpenSLO.
   */
  readonly slis?: readonly SliSpec[] | undefined
  /**
   * The data sources SLI `source` names refer to (as {@link importOpenSlo} returns them): a
   * source named here is written as `metricSourceRef` with its type. Without one, an unset source
   * is Prometheus and any other source name is written as the metric source type.
   */
  readonly dataSources?: readonly OpenSloDataSource[] | undefined
  /**
   * slokit alert rules and routes (a config's `alerts` section, as written or validated, or
   * {@link OpenSloImport.alerts}): `burn_rate` and `no_data` rules become alert policies inline
   * in the SLOs they select; other rules and settings OpenSLO has no place for are warnings.
   */
  readonly alerts?: AlertsLike | undefined
  /** The channels routes name (a config's `channels` section): each becomes a notification target of its `type`. */
  readonly channels?: Readonly<Record<string, { readonly type: string }>> | undefined
}

/** Options of {@link exportOpenSlo}. */
export interface ExportOpenSloOptions {
  /** Write a `Service` object for each service the SLOs name; `true` by default. */
  readonly services?: boolean | undefined
  /**
   * Called with each warning: an alert rule or setting OpenSLO cannot express, reported with its
   * path (`alerts.rules[2]`) and a limitation code. Without it, warnings are not reported.
   */
  readonly onWarning?: ((issue: OpenSloIssue) => void) | undefined
}

/** A plain object, as YAML or JSON would hold it. */
export type OpenSloObject = Record<string, unknown>
type Plain = OpenSloObject

/**
 * Converts slokit SLOs to OpenSLO v1 objects: one `SLO` per SLO with its indicator inline, a
 * `Service` per service, and standalone `SLI`s for unused ratio SLIs. slokit fields OpenSLO has
 * no place for (SLI kind, noData, aggregation, unit; SLO priority, owner, rationale, runbook and
 * dashboard URLs) go into `slokit.dev/…` annotations, so importing the result gives back the same
 * SLOs.
 *
 * @throws {@link OpenSloError} listing every SLO OpenSLO cannot express (an SLI without queries, a
 * window that is not whole minutes), with its path (`slos[2].window`).
 */
export function toOpenSloObjects(
  input: OpenSloExportInput,
  options: ExportOpenSloOptions = {},
): OpenSloObject[] {
  const issues: OpenSloIssue[] = []
  const reported = new Set<string>()
  const report: ExportReport = (severity, path, message, extra = {}) => {
    const issue: OpenSloIssue = {
      severity,
      file: '',
      line: 0,
      column: 0,
      path: [...path],
      message,
      ...(extra.hint === undefined ? {} : { hint: extra.hint }),
      ...(extra.limitation === undefined ? {} : { limitation: extra.limitation }),
    }
    const key = `${severity}\0${issue.path.join('\0')}\0${message}`
    if (reported.has(key)) return
    reported.add(key)
    if (severity === 'error') issues.push(issue)
    else options.onWarning?.(issue)
  }
  const fail = (path: Path, message: string, hint?: string) =>
    report('error', path, message, hint === undefined ? {} : { hint })
  const types = new Map((input.dataSources ?? []).map((d) => [d.name, d.type]))
  const objects: Plain[] = []
  if (options.services !== false) {
    for (const service of new Set(input.slos.map((s) => s.service))) {
      objects.push({
        apiVersion: OPENSLO_V1,
        kind: 'Service',
        metadata: { name: openSloName(service), ...idAnnotation(service) },
        spec: {},
      })
    }
  }
  const policies =
    input.alerts === undefined
      ? new Map<string, Plain[]>()
      : alertPoliciesOf(input.slos, input.alerts, input.channels ?? {}, report)
  const used = new Set<string>()
  input.slos.forEach((slo, i) => {
    used.add(slo.sli.id)
    const object = sloObject(slo, types, (path, message, hint) => fail(['slos', i, ...path], message, hint))
    const alertPolicies = policies.get(slo.id)
    if (object !== undefined && alertPolicies !== undefined)
      (object.spec as Plain).alertPolicies = alertPolicies
    if (object !== undefined) objects.push(object)
  })
  input.slis?.forEach((sli, i) => {
    if (used.has(sli.id)) return
    if (sli.measurement.type === 'threshold') {
      fail(
        ['slis', i],
        `threshold SLI \`${sli.id}\` has no SLO: OpenSLO gives a threshold on an SLO objective`,
        'export it together with an SLO that uses it',
      )
      return
    }
    const report = (path: Path, message: string, hint?: string) => fail(['slis', i, ...path], message, hint)
    const metric = ratioMetric(sli, sli.measurement, types, report)
    if (metric === undefined) return
    objects.push({
      apiVersion: OPENSLO_V1,
      kind: 'SLI',
      metadata: sliMetadata(sli),
      spec: { ...optional('description', sli.description), ratioMetric: metric },
    })
  })
  checkNames(input, fail)
  if (issues.length > 0) throw new OpenSloError(issues, 'export')
  return objects
}

/**
 * Writes slokit SLOs as an OpenSLO v1 YAML stream (one document per object); see
 * {@link toOpenSloObjects} for the mapping.
 *
 * @example
 * ```ts
 * const yaml = exportOpenSlo({ slos: config.slos })
 * importOpenSlo([{ name: 'out.yaml', text: yaml }]).slos // the same SLOs
 * ```
 * @throws {@link OpenSloError} when an SLO cannot be expressed in OpenSLO.
 */
export function exportOpenSlo(input: OpenSloExportInput, options: ExportOpenSloOptions = {}): string {
  return toOpenSloObjects(input, options)
    .map((object) => stringify(object, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n')
}

type Report = (path: Path, message: string, hint?: string) => void

function optional(key: string, value: unknown): Plain {
  return value === undefined ? {} : { [key]: value }
}

function nonEmpty(key: string, value: Readonly<Record<string, string>>): Plain {
  return Object.keys(value).length === 0 ? {} : { [key]: { ...value } }
}

/**
 * OpenSLO names are DNS labels: ids that are not (`Checkout_API.v2`) are written as
 * {@link openSloName} with the id in a `slokit.dev/id` annotation; two ids written as the same
 * name of one kind are an error, since a reader would take one for the other.
 */
function checkNames(input: OpenSloExportInput, fail: Report): void {
  const seen = new Map<string, string>()
  const check = (kind: string, id: string, path: Path): void => {
    const key = `${kind}\0${openSloName(id)}`
    const other = seen.get(key)
    if (other !== undefined && other !== id)
      fail(
        path,
        `${kind} ids \`${other}\` and \`${id}\` are both written as the OpenSLO name \`${openSloName(id)}\``,
        'OpenSLO names are at most 63 lowercase letters, digits and `-`: make the ids differ there',
      )
    else seen.set(key, id)
  }
  input.slos.forEach((slo, i) => {
    check('SLO', slo.id, ['slos', i, 'id'])
    check('SLI', slo.sli.id, ['slos', i, 'sli', 'id'])
    check('service', slo.service, ['slos', i, 'service'])
  })
  input.slis?.forEach((sli, i) => {
    check('SLI', sli.id, ['slis', i, 'id'])
  })
}

function sliMetadata(sli: SliSpec): Plain {
  const defaultKind = sli.measurement.type === 'threshold' ? 'latency' : 'availability'
  const annotations: Record<string, string> = {
    ...(sli.kind === defaultKind ? {} : { [SLOKIT_ANNOTATIONS.kind]: sli.kind }),
    ...(sli.noData === 'ignore' ? {} : { [SLOKIT_ANNOTATIONS.noData]: sli.noData }),
  }
  if (sli.measurement.type === 'threshold') {
    if (sli.measurement.aggregation !== 'avg')
      annotations[SLOKIT_ANNOTATIONS.aggregation] = sli.measurement.aggregation
    if (sli.measurement.unit !== undefined) annotations[SLOKIT_ANNOTATIONS.unit] = sli.measurement.unit
  }
  if (openSloName(sli.id) !== sli.id) annotations[ID_ANNOTATION] = sli.id
  return {
    name: openSloName(sli.id),
    ...optional('displayName', sli.name),
    ...nonEmpty('labels', sli.labels),
    ...nonEmpty('annotations', annotations),
  }
}

function metricSource(
  query: string | undefined,
  source: string | undefined,
  types: ReadonlyMap<string, string>,
  report: Report,
  path: Path,
): Plain | undefined {
  if (query === undefined) {
    report(
      path,
      'no query: an OpenSLO metric source needs one',
      'give the SLI the query its data source runs',
    )
    return undefined
  }
  const known = source === undefined ? undefined : types.get(source)
  const type = source === undefined ? 'Prometheus' : (known ?? (isPrometheus(source) ? 'Prometheus' : source))
  const ref = source !== undefined && (known !== undefined || isPrometheus(source)) ? source : undefined
  return {
    metricSource: {
      ...optional('metricSourceRef', ref),
      type,
      spec: { query: isPrometheus(type) ? toOpenSloQuery(query) : query },
    },
  }
}

function ratioMetric(
  sli: SliSpec,
  measurement: Extract<Measurement, { type: 'ratio' }>,
  types: ReadonlyMap<string, string>,
  report: Report,
): Plain | undefined {
  const at = (key: string) => ['sli', 'measurement', key]
  const events = measurement.good === undefined ? 'bad' : 'good'
  const query = measurement[events]
  if (query === undefined) {
    report(
      ['sli', 'measurement'],
      'no queries: an OpenSLO ratio metric needs good (or bad) and total queries',
    )
    return undefined
  }
  const source = metricSource(query, sli.source, types, report, at(events))
  if (source === undefined) return undefined
  const type = (source.metricSource as Plain).type as string
  if (isPrometheus(type) && measurement.total === rawTotal(query)) {
    return { rawType: events === 'good' ? 'success' : 'failure', raw: source }
  }
  const total = metricSource(measurement.total, sli.source, types, report, at('total'))
  if (total === undefined) return undefined
  return { [events]: source, total }
}

function sloObject(slo: SloSpec, types: ReadonlyMap<string, string>, report: Report): Plain | undefined {
  const { sli } = slo
  const objective: Plain = { target: slo.objective }
  let indicatorSpec: Plain | undefined
  if (sli.measurement.type === 'threshold') {
    const source = metricSource(sli.measurement.query, sli.source, types, report, [
      'sli',
      'measurement',
      'query',
    ])
    if (source !== undefined) indicatorSpec = { thresholdMetric: source }
    objective.op = OPERATORS_BACK[sli.measurement.comparison]
    objective.value = sli.measurement.threshold
    // The spec requires timeSliceTarget on Timeslices: written where it means the same thing.
    const sliceTarget = sliceTargetOf(sli.measurement.aggregation, sli.measurement.comparison)
    if (slo.budgetingMethod === 'timeslices' && sliceTarget !== undefined)
      objective.timeSliceTarget = sliceTarget
  } else {
    const metric = ratioMetric(sli, sli.measurement, types, report)
    if (metric !== undefined) indicatorSpec = { ratioMetric: metric }
  }
  if (slo.timeslice !== undefined) {
    const length = durationOf(slo.timeslice.lengthMs)
    if (length === undefined) report(['timeslice', 'length'], DURATION_MESSAGE)
    else objective.timeSliceWindow = length
    if (slo.timeslice.objective !== undefined) objective.timeSliceTarget = slo.timeslice.objective
  }
  let timeWindow: Plain
  if (slo.window.type === 'calendar') {
    timeWindow = {
      duration: CALENDAR_DURATIONS_BACK[slo.window.unit],
      isRolling: false,
      calendar: { startTime: CALENDAR_START, timeZone: slo.window.timeZone },
    }
  } else {
    const duration = durationOf(slo.window.durationMs)
    if (duration === undefined) report(['window'], DURATION_MESSAGE)
    timeWindow = { duration, isRolling: true }
  }
  const annotations: Record<string, string> = { ...slo.annotations }
  for (const key of Object.keys(annotations)) {
    if (key.startsWith('slokit.dev/'))
      report(['annotations', key], 'annotations under slokit.dev/ are reserved for slokit fields')
  }
  for (const field of SLO_ANNOTATION_FIELDS) {
    const value = slo[field]
    if (value !== undefined) annotations[SLOKIT_ANNOTATIONS[field]] = value
  }
  if (openSloName(slo.id) !== slo.id) annotations[ID_ANNOTATION] = slo.id
  if (openSloName(slo.service) !== slo.service) annotations[SERVICE_ANNOTATION] = slo.service
  if (indicatorSpec === undefined) return undefined
  return {
    apiVersion: OPENSLO_V1,
    kind: 'SLO',
    metadata: {
      name: openSloName(slo.id),
      ...optional('displayName', slo.name),
      ...nonEmpty('labels', slo.labels),
      ...nonEmpty('annotations', annotations),
    },
    spec: {
      ...optional('description', slo.description),
      service: openSloName(slo.service),
      indicator: {
        metadata: sliMetadata(sli),
        spec: { ...optional('description', sli.description), ...indicatorSpec },
      },
      timeWindow: [timeWindow],
      budgetingMethod: BUDGETING_BACK[slo.budgetingMethod],
      objectives: [objective],
    },
  }
}
