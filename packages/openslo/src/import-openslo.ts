import {
  type Aggregation,
  describeZodIssue,
  isValidTimeZone,
  type SliSpec,
  type SloSpec,
  type SpecIssue,
  sliSpecSchema,
  sloSpecSchema,
} from '@slokit/core'
import { AlertingReader, type AlertsInput, type ChannelInput, known, type ReadPolicy } from './alerting.js'
import { OpenSloError, type OpenSloIssue } from './errors.js'
import {
  aggregationOf,
  BUDGETING,
  CALENDAR_DURATIONS,
  ID_ANNOTATION,
  isPrometheus,
  OPENSLO_DURATION,
  OPENSLO_V1,
  OPENSLO_V1ALPHA,
  OPERATORS,
  own,
  rawTotal,
  SERVICE_ANNOTATION,
  SLI_ANNOTATION_FIELDS,
  SLO_ANNOTATION_FIELDS,
  SLOKIT_ANNOTATIONS,
  sliceTargetOf,
  toSlokitQuery,
} from './mapping.js'
import { isRecord, ObjectReader, type Path } from './reader.js'
import { readV1alphaSlo } from './v1alpha.js'
import { type OpenSloText, readObjects } from './yaml-source.js'

/** An OpenSLO `Service`: slokit keeps services as names on SLOs; this is what the document said. */
export interface OpenSloService {
  readonly name: string
  readonly displayName?: string | undefined
  readonly description?: string | undefined
}

/** An OpenSLO `DataSource`: the name metric sources refer to and its type (`Prometheus`, …). */
export interface OpenSloDataSource {
  readonly name: string
  readonly type: string
}

/** Where an imported SLO or SLI was defined. */
export interface OpenSloOrigin {
  readonly file: string
  readonly line: number
  readonly column: number
}

/** What {@link importOpenSlo} read: validated slokit SLIs and SLOs, and what else the documents held. */
export interface OpenSloImport {
  /** Every SLI: standalone `SLI` objects and the indicators of SLOs, each id once. */
  readonly slis: readonly SliSpec[]
  /** Every SLO, validated by `@slokit/core`, with its SLI resolved. */
  readonly slos: readonly SloSpec[]
  readonly services: readonly OpenSloService[]
  readonly dataSources: readonly OpenSloDataSource[]
  /**
   * The SLOs' alert policies as a slokit `alerts` section (a `burn_rate` rule per SLO and policy,
   * `no_data` rules, routes to the channels of the notification targets); `undefined` when no
   * imported SLO has an alert policy.
   */
  readonly alerts: AlertsInput | undefined
  /** The Slack and PagerDuty notification targets as slokit channels, secrets as `${env:NAME}`. */
  readonly channels: Readonly<Record<string, ChannelInput>>
  /**
   * What was read but not converted exactly (metadata slokit has no place for, a short window
   * added to an alert condition, a notification target slokit cannot deliver to, the environment
   * variables the converted channels need), by place.
   */
  readonly warnings: readonly OpenSloIssue[]
  /** Where an SLO (or an SLI, with `kind: 'sli'`) was defined. */
  originOf(id: string, kind?: 'slo' | 'sli'): OpenSloOrigin | undefined
}

/** A part of an SLI read before its SLO is known: a threshold SLI gets `op` and `value` there. */
export interface PendingSli {
  readonly reader: ObjectReader
  /** Path of the SLI object (`metadata`, `spec`) inside the reader's object. */
  readonly base: Path
  readonly input: Record<string, unknown>
  readonly measurement:
    | { type: 'ratio'; good?: string; bad?: string; total?: string }
    | { type: 'threshold'; query?: string | undefined }
  /** Where each slokit field came from, relative to the reader's object. */
  readonly paths: Readonly<Record<string, Path>>
}

interface Entry {
  readonly reader: ObjectReader
  readonly value: Record<string, unknown>
  readonly version: string
  readonly name: string
}

const V1_KINDS = [
  'Service',
  'SLI',
  'SLO',
  'AlertPolicy',
  'AlertCondition',
  'AlertNotificationTarget',
  'DataSource',
] as const
const V1ALPHA_KINDS = ['Service', 'SLO'] as const
const OPENSLO_API = /^openslo(\.com)?\//

/**
 * Imports OpenSLO documents (`openslo/v1`, and `openslo/v1alpha` SLOs as Sloth reads them) into
 * slokit SLIs and SLOs. Files may hold several YAML documents, each one object or a list of
 * objects; references (`indicatorRef`, `alertPolicyRef`, `conditionRef`, `targetRef`,
 * `metricSourceRef`) resolve across all the texts given.
 *
 * Everything slokit cannot represent is an error naming the field (see `OPENSLO_LIMITATIONS`),
 * never dropped; what is read but not converted (alert policies, SLI annotations) is a warning.
 *
 * @example
 * ```ts
 * const { slos } = importOpenSlo([{ name: 'slo.yaml', text: readFileSync('slo.yaml', 'utf8') }])
 * slos[0].objective // 0.995
 * ```
 * @throws {@link OpenSloError} listing every problem, each with file, line, column and path.
 */
export function importOpenSlo(sources: readonly OpenSloText[]): OpenSloImport {
  const issues: OpenSloIssue[] = []
  const byKind = new Map<string, Map<string, Entry>>()
  const entries: Entry[] = []

  for (const source of sources) {
    const read = readObjects(source)
    issues.push(...read.issues)
    for (const object of read.objects) {
      const reader = new ObjectReader(object, issues)
      const entry = readEnvelope(reader)
      if (entry === undefined) continue
      const kindMap = byKind.get(entry.value.kind as string) ?? new Map<string, Entry>()
      byKind.set(entry.value.kind as string, kindMap)
      const first = kindMap.get(entry.name)
      if (first !== undefined) {
        const at = first.reader.object.locate(['metadata', 'name'])
        // A Service is only a name to slokit: a second definition changes nothing it keeps.
        reader.report(
          entry.value.kind === 'Service' ? 'warning' : 'error',
          ['metadata', 'name'],
          `duplicate ${entry.value.kind as string} \`${entry.name}\``,
          {
            hint: `first defined at ${first.reader.object.file}:${at.line}:${at.column}`,
          },
        )
        continue
      }
      kindMap.set(entry.name, entry)
      entries.push(entry)
    }
  }
  const all = (kind: string): Map<string, Entry> => byKind.get(kind) ?? new Map()

  const dataSources: OpenSloDataSource[] = []
  const services: OpenSloService[] = []
  for (const entry of entries) {
    const kind = entry.value.kind as string
    const spec = entry.reader.record(entry.value.spec, ['spec'], kind !== 'Service')
    if (kind === 'DataSource' && spec !== undefined) {
      entry.reader.keys(spec, ['spec'], ['description', 'type', 'connectionDetails'])
      const type = entry.reader.string(spec.type, ['spec', 'type'], true)
      // Never echo the details: they are often credentials.
      if (spec.connectionDetails !== undefined) {
        entry.reader.warn(
          ['spec', 'connectionDetails'],
          'connectionDetails are not imported: slokit reads the source through the SliSource the host wires (or the config’s `sources`)',
          {
            atKey: true,
            limitation: 'DATA_SOURCE_CONNECTION',
            hint: `give the slokit source the name \`${entry.name}\`, which the SLIs' \`source\` is`,
          },
        )
      }
      if (type !== undefined) dataSources.push({ name: entry.name, type })
    } else if (kind === 'Service') {
      const record = spec ?? {}
      entry.reader.keys(record, ['spec'], ['description'])
      const metadata = entry.value.metadata as Record<string, unknown>
      const displayName = entry.reader.string(metadata.displayName, ['metadata', 'displayName'])
      const description = entry.reader.string(record.description, ['spec', 'description'])
      const annotations = isRecord(metadata.annotations) ? metadata.annotations : {}
      const id = annotations[ID_ANNOTATION]
      services.push({
        name: typeof id === 'string' && id !== '' ? id : entry.name,
        ...(displayName === undefined ? {} : { displayName }),
        ...(description === undefined ? {} : { description }),
      })
    }
  }
  const typeOf = new Map(dataSources.map((d) => [d.name, d.type]))

  const alerting = new AlertingReader(
    all('AlertPolicy'),
    all('AlertCondition'),
    all('AlertNotificationTarget'),
  )
  alerting.checkAll()

  const standalone = new Map<string, PendingSli>()
  for (const entry of all('SLI').values()) standalone.set(entry.name, readSli(entry.reader, [], typeOf))

  const slis = new Map<string, SliSpec>()
  const slos: SloSpec[] = []
  const origins = new Map<string, OpenSloOrigin>()
  const referenced = new Set<string>()
  const originOf = (reader: ObjectReader, path: Path): OpenSloOrigin => ({
    file: reader.object.file,
    ...reader.object.locate(path),
  })

  for (const entry of all('SLO').values()) {
    const { reader, value } = entry
    const list =
      entry.version === OPENSLO_V1ALPHA
        ? readV1alphaSlo(reader, value)
        : [
            readV1Slo(reader, value, {
              standalone,
              referenced,
              alerting,
              typeOf,
            }),
          ]
    for (const converted of list) {
      if (converted === undefined) continue
      const slo = validateSlo(converted.input, converted.sli, converted.paths, reader)
      if (slo === undefined) continue
      const first = origins.get(`slo:${slo.id}`)
      if (first !== undefined) {
        reader.error(['metadata', 'name'], `duplicate SLO id \`${slo.id}\``, {
          hint: `first defined at ${first.file}:${first.line}:${first.column}; v1alpha objectives become <name>-<index>`,
        })
        continue
      }
      slos.push(slo)
      if (converted.policies !== undefined) alerting.convert(slo, converted.policies)
      origins.set(`slo:${slo.id}`, originOf(reader, []))
      if (!slis.has(slo.sli.id)) {
        slis.set(slo.sli.id, slo.sli)
        origins.set(`sli:${slo.sli.id}`, originOf(converted.sli.reader, converted.sli.base))
      }
    }
  }

  for (const [name, pending] of standalone) {
    if (pending.measurement.type === 'threshold') {
      if (!referenced.has(name)) {
        pending.reader.warn(
          [],
          `SLI \`${name}\` is a thresholdMetric no SLO refers to: its threshold is on an SLO objective, so it is not imported`,
          {
            limitation: 'THRESHOLD_SLI_WITHOUT_OBJECTIVE',
            hint: 'refer to it from an SLO with `indicatorRef`, whose objective gives `op` and `value`',
          },
        )
      }
      continue
    }
    const sli = validateSli({ ...pending.input, measurement: pending.measurement }, pending)
    if (sli === undefined) continue
    const same = slis.get(sli.id)
    if (same !== undefined) {
      // An SLO's inline indicator took the name: keeping one would silently drop the other.
      if (!referenced.has(name) && JSON.stringify(same) !== JSON.stringify(sli)) {
        pending.reader.error(
          ['metadata', 'name'],
          `SLI \`${sli.id}\` differs from an SLO's inline indicator of the same name`,
          {
            hint: 'slokit SLI ids are unique: rename one of them',
          },
        )
      }
      continue
    }
    slis.set(sli.id, sli)
    origins.set(`sli:${sli.id}`, originOf(pending.reader, []))
  }

  alerting.warnUnused()
  const { alerts, channels } = alerting.result()
  const unique = dedupe(issues).sort(byPosition)
  if (unique.some((i) => i.severity === 'error')) throw new OpenSloError(unique)
  return {
    slis: [...slis.values()],
    slos,
    services,
    dataSources,
    alerts,
    channels,
    warnings: unique,
    originOf: (id, kind = 'slo') => origins.get(`${kind}:${id}`),
  }
}

/**
 * Whether a YAML or JSON text holds OpenSLO documents: some document (or list item) has an
 * `apiVersion` starting with `openslo/` (or `openslo.com/`, v2alpha). Cheap enough to route files between importers.
 */
export function isOpenSloText(text: string): boolean {
  const { objects } = readObjects({ name: '', text })
  return objects.some(
    (o) =>
      isRecord(o.value) && typeof o.value.apiVersion === 'string' && OPENSLO_API.test(o.value.apiVersion),
  )
}

function readEnvelope(reader: ObjectReader): Entry | undefined {
  const value = reader.object.value
  if (!isRecord(value)) {
    reader.error([], 'an OpenSLO object is a mapping with apiVersion, kind, metadata and spec')
    return undefined
  }
  const apiVersion = value.apiVersion
  if (apiVersion !== OPENSLO_V1 && apiVersion !== OPENSLO_V1ALPHA) {
    if (typeof apiVersion === 'string' && OPENSLO_API.test(apiVersion)) {
      reader.error(['apiVersion'], `OpenSLO ${apiVersion} is not supported`, {
        limitation: 'UNSUPPORTED_API_VERSION',
        hint: `write ${OPENSLO_V1} documents`,
      })
    } else {
      reader.error(
        ['apiVersion'],
        `not an OpenSLO object: apiVersion must be ${OPENSLO_V1} or ${OPENSLO_V1ALPHA}`,
      )
    }
    return undefined
  }
  const kinds: readonly string[] = apiVersion === OPENSLO_V1 ? V1_KINDS : V1ALPHA_KINDS
  if (typeof value.kind !== 'string' || !kinds.includes(value.kind)) {
    reader.error(['kind'], `unknown ${apiVersion} kind ${JSON.stringify(value.kind)}`, {
      hint: `one of ${kinds.join(', ')}`,
    })
    return undefined
  }
  reader.keys(value, [], ['apiVersion', 'kind', 'metadata', 'spec'])
  const metadata = reader.record(value.metadata, ['metadata'])
  if (metadata === undefined) return undefined
  reader.keys(
    metadata,
    ['metadata'],
    apiVersion === OPENSLO_V1 ? ['name', 'displayName', 'labels', 'annotations'] : ['name', 'displayName'],
  )
  const name = reader.string(metadata.name, ['metadata', 'name'], true)
  if (name === undefined) return undefined
  return { reader, value, version: apiVersion, name }
}

/** OpenSLO labels (`key: value` or `key: [values]`) as slokit labels; several values are joined with `,`. */
export function readLabels(reader: ObjectReader, value: unknown, path: Path): Record<string, string> {
  const record = reader.record(value, path, false)
  const labels: Record<string, string> = {}
  for (const [key, item] of Object.entries(record ?? {})) {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')
      labels[key] = String(item)
    else if (Array.isArray(item) && item.every((v) => typeof v === 'string')) labels[key] = item.join(',')
    else reader.error([...path, key], 'a label value is a string or a list of strings')
  }
  return labels
}

function readAnnotations(reader: ObjectReader, value: unknown, path: Path): Record<string, string> {
  const record = reader.record(value, path, false)
  const annotations: Record<string, string> = {}
  for (const [key, item] of Object.entries(record ?? {})) {
    if (typeof item === 'string') annotations[key] = item
    else reader.error([...path, key], 'an annotation value is a string')
  }
  return annotations
}

/** Reads an SLI object (standalone, or an SLO's inline `indicator`) at `base`. */
function readSli(reader: ObjectReader, base: Path, typeOf: ReadonlyMap<string, string>): PendingSli {
  const at = (...rest: Array<string | number>): Path => [...base, ...rest]
  const value = reader.record(valueAt(reader.object.value, base), base)
  const metadata = (reader.record(value?.metadata, at('metadata')) ?? {}) as Record<string, unknown>
  if (base.length > 0) {
    reader.keys(value ?? {}, base, ['apiVersion', 'kind', 'metadata', 'spec'])
    reader.keys(metadata, at('metadata'), ['name', 'displayName', 'labels', 'annotations'])
  }
  const spec = reader.record(value?.spec, at('spec')) ?? {}
  reader.keys(spec, at('spec'), ['description', 'thresholdMetric', 'ratioMetric'])
  const id = reader.string(metadata.name, at('metadata', 'name'), true)
  const name = reader.string(metadata.displayName, at('metadata', 'displayName'))
  const description = reader.string(spec.description, at('spec', 'description'))
  const labels = readLabels(reader, metadata.labels, at('metadata', 'labels'))
  const annotations = readAnnotations(reader, metadata.annotations, at('metadata', 'annotations'))
  const paths: Record<string, Path> = {
    id: at('metadata', 'name'),
    name: at('metadata', 'displayName'),
    description: at('spec', 'description'),
    labels: at('metadata', 'labels'),
  }
  const input: Record<string, unknown> = {
    id,
    ...(name === undefined ? {} : { name }),
    ...(description === undefined ? {} : { description }),
    labels,
  }
  if (annotations[ID_ANNOTATION] !== undefined) {
    input.id = annotations[ID_ANNOTATION]
    paths.id = at('metadata', 'annotations', ID_ANNOTATION)
    delete annotations[ID_ANNOTATION]
  }
  const extras: Record<string, string> = {}
  for (const field of SLI_ANNOTATION_FIELDS) {
    const key = SLOKIT_ANNOTATIONS[field]
    paths[field] = at('metadata', 'annotations', key)
    if (annotations[key] !== undefined) extras[field] = annotations[key]
    delete annotations[key]
  }
  for (const key of Object.keys(annotations)) {
    reader.warn(at('metadata', 'annotations', key), 'SLI annotations are not kept: slokit SLIs have none', {
      atKey: true,
      limitation: 'METADATA_NOT_KEPT',
      hint: 'put it on the SLO, whose annotations slokit keeps',
    })
  }
  if (extras.noData !== undefined) input.noData = extras.noData

  let measurement: PendingSli['measurement'] = { type: 'ratio' }
  const ratio = spec.ratioMetric
  const threshold = spec.thresholdMetric
  if (ratio !== undefined && threshold !== undefined) {
    reader.error(at('spec', 'thresholdMetric'), 'give either `ratioMetric` or `thresholdMetric`, not both')
  } else if (threshold !== undefined) {
    const metric = reader.record(threshold, at('spec', 'thresholdMetric'))
    if (metric !== undefined) {
      reader.keys(metric, at('spec', 'thresholdMetric'), ['metricSource'])
      const source = readMetricSource(
        reader,
        metric.metricSource,
        at('spec', 'thresholdMetric', 'metricSource'),
        typeOf,
      )
      measurement = { type: 'threshold', query: source?.query }
      if (source?.source !== undefined) input.source = source.source
      paths.source = at('spec', 'thresholdMetric', 'metricSource')
    } else measurement = { type: 'threshold' }
    paths.measurement = at('spec', 'thresholdMetric')
  } else if (ratio !== undefined) {
    paths.measurement = at('spec', 'ratioMetric')
    paths.source = at('spec', 'ratioMetric')
    const read = readRatio(reader, ratio, at('spec', 'ratioMetric'), typeOf)
    if (read !== undefined) {
      measurement = read.measurement
      if (read.source !== undefined) input.source = read.source
    }
  } else {
    reader.error(at('spec'), 'an SLI needs `ratioMetric` or `thresholdMetric`')
  }
  input.kind = extras.kind ?? (measurement.type === 'threshold' ? 'latency' : 'availability')
  if (measurement.type === 'threshold') {
    if (extras.aggregation !== undefined) input.aggregation = extras.aggregation
    if (extras.unit !== undefined) input.unit = extras.unit
  } else {
    for (const field of ['aggregation', 'unit'] as const) {
      if (extras[field] !== undefined)
        reader.error(
          paths[field] as Path,
          `\`${SLOKIT_ANNOTATIONS[field]}\` applies to thresholdMetric SLIs only`,
        )
    }
  }
  return { reader, base, input, measurement, paths }
}

function valueAt(root: unknown, path: Path): unknown {
  let value = root
  for (const segment of path)
    value = isRecord(value) || Array.isArray(value) ? (value as never)[segment] : undefined
  return value
}

interface MetricQuery {
  readonly query: string
  readonly type: string
  /** The slokit `source`: the data source name, or the type for a non-Prometheus source without one. */
  readonly source: string | undefined
}

function readMetricSource(
  reader: ObjectReader,
  value: unknown,
  path: Path,
  typeOf: ReadonlyMap<string, string>,
): MetricQuery | undefined {
  const metric = reader.record(value, path)
  if (metric === undefined) return undefined
  reader.keys(metric, path, ['metricSourceRef', 'type', 'spec'])
  const ref = reader.string(metric.metricSourceRef, [...path, 'metricSourceRef'])
  const type =
    reader.string(metric.type, [...path, 'type']) ?? (ref === undefined ? undefined : typeOf.get(ref))
  if (type === undefined) {
    reader.error([...path, 'type'], 'missing: the metric source type (e.g. Prometheus)', {
      ...(ref === undefined ? {} : { hint: `or define a DataSource named \`${ref}\`` }),
    })
    return undefined
  }
  const spec = reader.record(metric.spec, [...path, 'spec'])
  if (spec === undefined) return undefined
  if (typeof spec.query !== 'string' || spec.query.trim() === '') {
    reader.error(
      [...path, 'spec'],
      `a ${type} metric source without a \`query\` string cannot be carried by a slokit SLI`,
      {
        limitation: 'METRIC_SOURCE_WITHOUT_QUERY',
        hint: 'slokit SLIs carry one query per metric; write the metric as a query its SliSource understands',
      },
    )
    return undefined
  }
  for (const key of Object.keys(spec)) {
    if (key === 'query') continue
    reader.error(
      [...path, 'spec', key],
      `slokit keeps only \`spec.query\` of a metric source; \`${key}\` would be lost`,
      {
        atKey: true,
        limitation: 'METRIC_SOURCE_WITHOUT_QUERY',
      },
    )
  }
  const prometheus = isPrometheus(type)
  return {
    query: prometheus ? toSlokitQuery(spec.query) : spec.query,
    type,
    source: ref ?? (prometheus ? undefined : type),
  }
}

function readRatio(
  reader: ObjectReader,
  value: unknown,
  path: Path,
  typeOf: ReadonlyMap<string, string>,
): { measurement: PendingSli['measurement']; source: string | undefined } | undefined {
  const ratio = reader.record(value, path)
  if (ratio === undefined) return undefined
  reader.keys(ratio, path, ['counter', 'good', 'bad', 'total', 'rawType', 'raw'])
  const counter = reader.boolean(ratio.counter, [...path, 'counter'])
  const part = (key: string): MetricQuery | undefined => {
    const holder = reader.record(ratio[key], [...path, key], false)
    if (holder === undefined) return undefined
    reader.keys(holder, [...path, key], ['metricSource'])
    return readMetricSource(reader, holder.metricSource, [...path, key, 'metricSource'], typeOf)
  }
  const sameSource = (parts: Array<[string, MetricQuery | undefined]>): boolean => {
    const [first, ...rest] = parts.filter((p): p is [string, MetricQuery] => p[1] !== undefined)
    if (first === undefined) return false
    for (const [key, q] of rest) {
      if (q.type !== first[1].type || q.source !== first[1].source) {
        reader.error(
          [...path, key, 'metricSource'],
          `\`${key}\` reads another metric source than \`${first[0]}\``,
          {
            limitation: 'MIXED_METRIC_SOURCES',
          },
        )
        return false
      }
    }
    return true
  }
  if (ratio.raw !== undefined) {
    for (const key of ['good', 'bad', 'total']) {
      if (ratio[key] !== undefined)
        reader.error([...path, key], `give either \`raw\` or \`${key}\`, not both`)
    }
    const raw = part('raw')
    const rawType = ratio.rawType
    if (rawType !== 'success' && rawType !== 'failure') {
      reader.error([...path, 'rawType'], '`raw` needs `rawType: success` or `rawType: failure`')
      return undefined
    }
    if (raw === undefined) return undefined
    if (!isPrometheus(raw.type)) {
      reader.error([...path, 'raw'], `a raw ratio from ${raw.type} cannot be represented`, {
        limitation: 'RAW_RATIO_NOT_PROMETHEUS',
        hint: 'give `good` (or `bad`) and `total` queries instead',
      })
      return undefined
    }
    const total = rawTotal(raw.query)
    return {
      measurement:
        rawType === 'success'
          ? { type: 'ratio', good: raw.query, total }
          : { type: 'ratio', bad: raw.query, total },
      source: raw.source,
    }
  }
  if (ratio.rawType !== undefined) reader.error([...path, 'rawType'], '`rawType` applies to `raw` only')
  if (ratio.good !== undefined && ratio.bad !== undefined) {
    reader.error([...path, 'bad'], 'give either `good` or `bad`, not both')
    return undefined
  }
  const event = ratio.bad === undefined ? 'good' : 'bad'
  const events = part(event)
  const total = part('total')
  if (ratio[event] === undefined) reader.error([...path, 'good'], 'missing: `good` or `bad`')
  if (ratio.total === undefined) reader.error([...path, 'total'], 'missing: `total`')
  if (events === undefined || total === undefined) return undefined
  if (
    !sameSource([
      [event, events],
      ['total', total],
    ])
  )
    return undefined
  // A counter's query must count the window's events itself: slokit runs it as written.
  const raw = [events, total].filter((q) => !isPrometheus(q.type) || !q.query.includes('{{window}}'))
  if (counter === true && raw.length > 0) {
    reader.warn(
      [...path, 'counter'],
      '`counter: true` is not kept: slokit runs each query as written over the window, so a query must give the events within it',
      {
        atKey: true,
        limitation: 'RATIO_COUNTER',
        hint: 'e.g. sum(increase(http_requests_total[{{.window}}])) for Prometheus',
      },
    )
  }
  return { measurement: { type: 'ratio', [event]: events.query, total: total.query }, source: events.source }
}

interface SloContext {
  readonly standalone: ReadonlyMap<string, PendingSli>
  readonly referenced: Set<string>
  readonly alerting: AlertingReader
  readonly typeOf: ReadonlyMap<string, string>
}

/** An SLO read from OpenSLO, before `@slokit/core` validates it. */
export interface ConvertedSlo {
  readonly input: Record<string, unknown>
  readonly sli: PendingSli
  /** Where each slokit SLO field came from, relative to the SLO object. */
  readonly paths: Record<string, Path>
  /** The SLO's alert policies, converted once the SLO is valid. */
  readonly policies?: readonly ReadPolicy[] | undefined
}

function readV1Slo(
  reader: ObjectReader,
  value: Record<string, unknown>,
  ctx: SloContext,
): ConvertedSlo | undefined {
  const metadata = value.metadata as Record<string, unknown>
  const spec = reader.record(value.spec, ['spec'])
  if (spec === undefined) return undefined
  reader.keys(
    spec,
    ['spec'],
    [
      'description',
      'service',
      'indicator',
      'indicatorRef',
      'timeWindow',
      'budgetingMethod',
      'objectives',
      'alertPolicies',
    ],
  )
  const paths: Record<string, Path> = {
    id: ['metadata', 'name'],
    name: ['metadata', 'displayName'],
    description: ['spec', 'description'],
    service: ['spec', 'service'],
    labels: ['metadata', 'labels'],
    annotations: ['metadata', 'annotations'],
    budgetingMethod: ['spec', 'budgetingMethod'],
    window: ['spec', 'timeWindow', 0],
    objective: ['spec', 'objectives', 0],
    timeslice: ['spec', 'objectives', 0, 'timeSliceWindow'],
  }
  const input: Record<string, unknown> = {
    id: metadata.name,
    ...optional('name', reader.string(metadata.displayName, ['metadata', 'displayName'])),
    ...optional('description', reader.string(spec.description, ['spec', 'description'])),
    service: reader.string(spec.service, ['spec', 'service'], true),
    labels: readLabels(reader, metadata.labels, ['metadata', 'labels']),
  }
  const annotations = readAnnotations(reader, metadata.annotations, ['metadata', 'annotations'])
  for (const field of SLO_ANNOTATION_FIELDS) {
    const key = SLOKIT_ANNOTATIONS[field]
    paths[field] = ['metadata', 'annotations', key]
    if (annotations[key] !== undefined) input[field] = annotations[key]
    delete annotations[key]
  }
  // An export keeps ids and services that are not OpenSLO names (DNS labels) here.
  for (const [field, key] of [
    ['id', ID_ANNOTATION],
    ['service', SERVICE_ANNOTATION],
  ] as const) {
    if (annotations[key] === undefined) continue
    input[field] = annotations[key]
    paths[field] = ['metadata', 'annotations', key]
    delete annotations[key]
  }
  input.annotations = annotations

  const policies: ReadPolicy[] = []
  for (const [i, item] of (
    reader.list(spec.alertPolicies, ['spec', 'alertPolicies'], false) ?? []
  ).entries()) {
    const policy = ctx.alerting.policyOrRef(reader, ['spec', 'alertPolicies', i], item)
    if (policy !== undefined) policies.push(policy)
  }

  const method = spec.budgetingMethod
  const budgetingMethod = typeof method === 'string' ? own(BUDGETING, method) : undefined
  if (budgetingMethod === undefined) {
    reader.error(
      ['spec', 'budgetingMethod'],
      `${method === undefined ? 'missing' : `unknown budgeting method ${JSON.stringify(method)}`}: one of ${Object.keys(BUDGETING).join(', ')}`,
    )
  } else input.budgetingMethod = budgetingMethod

  const window = readV1Window(reader, spec.timeWindow)
  if (window !== undefined) input.window = window

  const objectives = reader.list(spec.objectives, ['spec', 'objectives'])
  if (objectives === undefined) return undefined
  if (objectives.length === 0) {
    reader.error(['spec', 'objectives'], 'an SLO needs one objective')
    return undefined
  }
  let composite = false
  objectives.forEach((item, i) => {
    if (
      isRecord(item) &&
      (item.indicator !== undefined || item.indicatorRef !== undefined || item.compositeWeight !== undefined)
    ) {
      composite = true
      reader.error(['spec', 'objectives', i], 'an objective with its own indicator makes a composite SLO', {
        limitation: 'COMPOSITE_SLO',
        hint: 'split it into one SLO per indicator',
      })
    }
  })
  if (objectives.length > 1 && !composite) {
    reader.error(['spec', 'objectives', 1], `${objectives.length} objectives: slokit SLOs have one`, {
      limitation: 'MULTIPLE_OBJECTIVES',
      hint: 'split it into one SLO per objective, each with its own name',
    })
  }
  if (composite || objectives.length > 1) return undefined

  let sli: PendingSli | undefined
  if (spec.indicator !== undefined && spec.indicatorRef !== undefined) {
    reader.error(['spec', 'indicatorRef'], 'give either `indicator` or `indicatorRef`, not both')
  } else if (spec.indicator !== undefined) {
    sli = readSli(reader, ['spec', 'indicator'], ctx.typeOf)
  } else if (spec.indicatorRef !== undefined) {
    const ref = reader.string(spec.indicatorRef, ['spec', 'indicatorRef'])
    if (ref !== undefined) {
      sli = ctx.standalone.get(ref)
      ctx.referenced.add(ref)
      if (sli === undefined) {
        reader.error(['spec', 'indicatorRef'], `unknown SLI \`${ref}\``, {
          hint: known('SLIs', [...ctx.standalone.keys()]),
        })
      }
    }
  } else {
    reader.error(['spec'], 'an SLO needs `indicator` or `indicatorRef`')
  }
  const objective = readObjective(reader, ['spec', 'objectives', 0], objectives[0], paths)
  if (sli === undefined || objective === undefined) return undefined
  return {
    ...applyObjective(reader, { input, sli, paths }, objective, ['spec', 'objectives', 0]),
    policies,
  }
}

function optional(key: string, value: unknown): Record<string, unknown> {
  return value === undefined ? {} : { [key]: value }
}

/** An objective in slokit terms, still to be combined with its SLI. */
export interface ReadObjective {
  readonly target?: number | string | undefined
  readonly op?: string | undefined
  readonly value?: number | undefined
  readonly timeSliceTarget?: number | undefined
  readonly timeSliceWindow?: string | undefined
}

function readObjective(
  reader: ObjectReader,
  path: Path,
  value: unknown,
  paths: Record<string, Path>,
): ReadObjective | undefined {
  const objective = reader.record(value, path)
  if (objective === undefined) return undefined
  reader.keys(objective, path, [
    'displayName',
    'op',
    'value',
    'target',
    'targetPercent',
    'timeSliceTarget',
    'timeSliceWindow',
    'indicator',
    'indicatorRef',
    'compositeWeight',
  ])
  if (objective.displayName !== undefined) {
    reader.warn(
      [...path, 'displayName'],
      'the objective’s displayName is not kept: slokit SLOs have one objective',
      {
        atKey: true,
        limitation: 'METADATA_NOT_KEPT',
        hint: 'name the SLO with `metadata.displayName`',
      },
    )
  }
  let target: number | string | undefined
  if (objective.target !== undefined && objective.targetPercent !== undefined) {
    reader.error([...path, 'targetPercent'], 'give either `target` or `targetPercent`, not both')
  } else if (objective.targetPercent !== undefined) {
    const percent = reader.number(objective.targetPercent, [...path, 'targetPercent'])
    if (percent !== undefined) target = `${percent}%`
    paths.objective = [...path, 'targetPercent']
  } else if (objective.target !== undefined) {
    target = reader.number(objective.target, [...path, 'target'])
    paths.objective = [...path, 'target']
  } else {
    reader.error([...path, 'target'], 'missing: `target` (e.g. 0.999) or `targetPercent` (e.g. 99.9)')
  }
  const op = objective.op === undefined ? undefined : reader.string(objective.op, [...path, 'op'])
  if (op !== undefined && own(OPERATORS, op) === undefined) {
    reader.error(
      [...path, 'op'],
      `unknown operator ${JSON.stringify(op)}: one of ${Object.keys(OPERATORS).join(', ')}`,
    )
  }
  const window = objective.timeSliceWindow
  // The spec: "Default interpretation of unit if specified as a number in minutes".
  const timeSliceWindow =
    typeof window === 'number' ? `${window}m` : reader.string(window, [...path, 'timeSliceWindow'])
  const fixed =
    timeSliceWindow === undefined || checkFixed(reader, [...path, 'timeSliceWindow'], timeSliceWindow)
  return {
    target,
    op,
    value: reader.number(objective.value, [...path, 'value']),
    timeSliceTarget: reader.number(objective.timeSliceTarget, [...path, 'timeSliceTarget']),
    timeSliceWindow: fixed ? timeSliceWindow : undefined,
  }
}

function checkFixed(reader: ObjectReader, path: Path, duration: string): boolean {
  const match = OPENSLO_DURATION.exec(duration)
  if (match === null || !'MQY'.includes(match[2] as string)) return true
  reader.error(path, `${duration}: months, quarters and years have no fixed length`, {
    limitation: 'VARIABLE_DURATION',
    hint: 'use days or weeks, e.g. 30d',
  })
  return false
}

/** Combines an SLO's objective with its SLI: a threshold SLI takes `op` and `value` from it. */
export function applyObjective(
  reader: ObjectReader,
  slo: ConvertedSlo,
  objective: ReadObjective,
  path: Path,
  v1alpha = false,
): ConvertedSlo {
  const { input, sli, paths } = slo
  const method = input.budgetingMethod
  if (objective.target !== undefined) input.objective = objective.target
  const ignored = (key: string, why: string) =>
    reader.warn([...path, key], `\`${key}\` is ignored: ${why}`, {
      atKey: true,
      limitation: 'METADATA_NOT_KEPT',
    })
  let measurement: Record<string, unknown> = sli.measurement
  if (sli.measurement.type === 'threshold') {
    if (objective.op === undefined || objective.value === undefined) {
      reader.error(path, 'a thresholdMetric SLO needs the objective’s `op` and `value` (the threshold)', {
        hint: 'e.g. `op: lte` and `value: 300`',
      })
    }
    const comparison = own(OPERATORS, objective.op ?? '') ?? '<='
    const target = method === 'timeslices' ? objective.timeSliceTarget : undefined
    const given = sli.input.aggregation as Aggregation | undefined
    // `timeSliceTarget` t (at least t of a slice's values meet the threshold) is exactly an
    // aggregation for some t: 1 is max (min for gt/gte), 0.99 is p99… (see `aggregationOf`).
    const exact = target === undefined ? undefined : aggregationOf(target, comparison)
    const aggregation = given ?? exact
    measurement = {
      ...sli.measurement,
      ...optional('aggregation', aggregation),
      ...optional('unit', sli.input.unit),
      comparison,
      threshold: objective.value ?? 0,
    }
    paths['sli.comparison'] = [...path, 'op']
    paths['sli.threshold'] = [...path, 'value']
    if (target !== undefined && sliceTargetOf(aggregation ?? 'avg', comparison) !== target) {
      const aggregation = String(given ?? 'avg')
      reader.warn(
        [...path, 'timeSliceTarget'],
        `timeSliceTarget ${objective.timeSliceTarget} is not applied: a slokit slice is good when its ${aggregation} value is ${objective.op ?? 'lte'} ${objective.value ?? '…'}, not when a share of its data points is`,
        {
          atKey: true,
          limitation: 'THRESHOLD_SLICE_TARGET',
          hint: 'timeSliceTarget 1 (every value meets it), 0.99, 0.95, 0.9 or 0.5 (with lt/lte) is read exactly; or choose the slice aggregation with the SLI annotation `slokit.dev/aggregation`',
        },
      )
    }
  } else {
    if (objective.value !== undefined)
      reader.error(
        [...path, 'value'],
        '`value` applies to thresholdMetric SLIs; a ratio SLO has `target` only',
      )
    if (objective.op === 'lt' || objective.op === 'lte') {
      reader.error(
        [...path, 'op'],
        `op ${objective.op}: a slokit SLO is met when its SLI is at least the target`,
        {
          limitation: 'RATIO_OBJECTIVE_OP',
          hint: 'use gte (or leave `op` out) and express the SLI as good events',
        },
      )
    }
    if (method !== 'timeslices' && objective.timeSliceTarget !== undefined)
      ignored('timeSliceTarget', `it applies to budgetingMethod Timeslices only`)
  }
  const { aggregation: _a, unit: _u, ...sliInput } = sli.input
  input.sli = { ...sliInput, measurement }
  if (method === 'timeslices' || method === 'ratio_timeslices') {
    if (objective.timeSliceWindow === undefined) {
      const name = method === 'timeslices' ? 'Timeslices' : 'RatioTimeslices'
      if (v1alpha) {
        reader.error(path, `budgetingMethod ${name}: v1alpha gives no slice length`, {
          limitation: 'NO_SLICE_LENGTH',
          hint: 'write the SLO as openslo/v1 with `timeSliceWindow`, or use Occurrences',
        })
      } else {
        reader.error(
          [...path, 'timeSliceWindow'],
          `budgetingMethod ${name} needs \`timeSliceWindow\` (e.g. 1m)`,
        )
      }
    }
    const sliceObjective =
      method === 'timeslices' && sli.measurement.type === 'ratio' ? objective.timeSliceTarget : undefined
    if (objective.timeSliceWindow !== undefined) {
      input.timeslice = { length: objective.timeSliceWindow, ...optional('objective', sliceObjective) }
    }
    paths['timeslice.objective'] = [...path, 'timeSliceTarget']
  } else if (objective.timeSliceWindow !== undefined) {
    ignored('timeSliceWindow', 'it applies to budgetingMethod Timeslices and RatioTimeslices only')
  }
  return { input, sli, paths }
}

function readV1Window(reader: ObjectReader, value: unknown): unknown {
  if (value === undefined || value === null) {
    reader.error(['spec', 'timeWindow'], 'missing: slokit SLOs need a time window', {
      hint: 'e.g. `timeWindow: [{ duration: 28d, isRolling: true }]`',
    })
    return undefined
  }
  const list = reader.list(value, ['spec', 'timeWindow'])
  if (list === undefined) return undefined
  if (list.length === 0) {
    reader.error(['spec', 'timeWindow'], 'an SLO needs one time window')
    return undefined
  }
  if (list.length > 1) {
    reader.error(['spec', 'timeWindow', 1], `${list.length} time windows: slokit SLOs have one`, {
      limitation: 'MULTIPLE_TIME_WINDOWS',
    })
    return undefined
  }
  const path = ['spec', 'timeWindow', 0]
  const window = reader.record(list[0], path)
  if (window === undefined) return undefined
  reader.keys(window, path, ['duration', 'isRolling', 'calendar'])
  const duration = reader.string(window.duration, [...path, 'duration'], true)
  const rolling = reader.boolean(window.isRolling, [...path, 'isRolling'])
  if (duration === undefined) return undefined
  return windowOf(reader, path, duration, rolling, window.calendar, 'duration')
}

/** A slokit window from an OpenSLO duration, whether it rolls, and its calendar. */
export function windowOf(
  reader: ObjectReader,
  path: Path,
  duration: string,
  rolling: boolean | undefined,
  calendarValue: unknown,
  durationKey: string,
): unknown {
  if (rolling === true || (rolling === undefined && calendarValue === undefined)) {
    if (calendarValue !== undefined) reader.error([...path, 'calendar'], 'a rolling window has no `calendar`')
    return checkFixed(reader, [...path, durationKey], duration) ? duration : undefined
  }
  const calendar = reader.record(calendarValue, [...path, 'calendar'])
  if (calendar === undefined) return undefined
  reader.keys(calendar, [...path, 'calendar'], ['startTime', 'timeZone'])
  const unit = own(CALENDAR_DURATIONS, duration)
  if (unit === undefined) {
    reader.error([...path, durationKey], `a calendar window of ${duration}`, {
      limitation: 'CALENDAR_DURATION',
      hint: 'slokit calendar windows are 1w, 1M, 1Q or 1Y; or make it rolling',
    })
    return undefined
  }
  const timeZone = reader.string(calendar.timeZone, [...path, 'calendar', 'timeZone'])
  // Checked here so the error points at `timeZone`, not at the whole window.
  if (timeZone !== undefined && !isValidTimeZone(timeZone)) {
    reader.error([...path, 'calendar', 'timeZone'], `unknown time zone ${JSON.stringify(timeZone)}`, {
      hint: 'an IANA name such as UTC or Europe/Berlin',
    })
    return undefined
  }
  const start = calendar.startTime instanceof Date ? calendar.startTime.toISOString() : calendar.startTime
  const startTime = reader.string(start, [...path, 'calendar', 'startTime'])
  if (startTime !== undefined && !isPeriodStart(startTime, unit)) {
    reader.warn(
      [...path, 'calendar', 'startTime'],
      `startTime ${startTime} is not kept: slokit ${unit}s start at midnight on the first day of the ${unit}${unit === 'week' ? ' (Monday)' : ''} in the time zone`,
      {
        limitation: 'METADATA_NOT_KEPT',
      },
    )
  }
  return { calendar: unit, ...optional('timeZone', timeZone) }
}

function isPeriodStart(text: string, unit: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(text)
  if (match === null) return false
  const [, y, m, d, hh = '00', mm = '00', ss = '00'] = match
  if (hh !== '00' || mm !== '00' || ss !== '00') return false
  const month = Number(m)
  const day = Number(d)
  const weekday = new Date(Date.UTC(Number(y), month - 1, day)).getUTCDay()
  if (unit === 'week') return weekday === 1
  if (day !== 1) return false
  if (unit === 'month') return true
  if (unit === 'quarter') return month % 3 === 1
  return month === 1
}

/** Validates an SLO with `@slokit/core`, reporting each problem at the OpenSLO field it came from. */
export function validateSlo(
  input: Record<string, unknown>,
  sli: PendingSli,
  paths: Readonly<Record<string, Path>>,
  reader: ObjectReader,
): SloSpec | undefined {
  const parsed = sloSpecSchema.safeParse(input, { reportInput: true })
  if (parsed.success) return parsed.data
  for (const issue of parsed.error.issues) {
    // A value missing because reading it already failed was reported there.
    if ((issue as { input?: unknown }).input === undefined && reader.errors > 0) continue
    const described = describeZodIssue(issue)
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol')
    if (path[0] === 'sli') {
      const [, field, ...rest] = path
      const slo = paths[`sli.${String(rest[0] ?? field)}`]
      if (field === 'measurement' && slo !== undefined) reportNew(reader, slo, described)
      else reportSliIssue(sli, [String(field ?? ''), ...rest], described)
      continue
    }
    const [field, ...rest] = path
    const key = `${String(field)}.${String(rest[0] ?? '')}`
    const at = paths[key] ?? paths[String(field)] ?? []
    const more = paths[key] === undefined && (field === 'labels' || field === 'annotations') ? rest : []
    reportNew(reader, [...at, ...more], described)
  }
  return undefined
}

function validateSli(input: Record<string, unknown>, sli: PendingSli): SliSpec | undefined {
  const parsed = sliSpecSchema.safeParse(input, { reportInput: true })
  if (parsed.success) return parsed.data
  for (const issue of parsed.error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol')
    reportSliIssue(sli, path, describeZodIssue(issue))
  }
  return undefined
}

function reportSliIssue(sli: PendingSli, path: ReadonlyArray<string | number>, issue: SpecIssue): void {
  const [field, ...rest] = path
  const name = String(field)
  const at =
    sli.paths[name === 'measurement' ? String(rest[0] ?? 'measurement') : name] ?? sli.paths[name] ?? sli.base
  reportNew(sli.reader, name === 'labels' ? [...at, ...rest] : at, issue)
}

function reportNew(reader: ObjectReader, path: Path, issue: SpecIssue): void {
  if (!reader.hasErrorNear(path)) reader.error(path, issue.message, hintOf(issue))
}

function hintOf(issue: SpecIssue): { hint?: string } {
  return issue.hint === undefined ? {} : { hint: issue.hint }
}

function dedupe(issues: readonly OpenSloIssue[]): OpenSloIssue[] {
  const seen = new Set<string>()
  return issues.filter((issue) => {
    const key = `${issue.file}\0${issue.line}\0${issue.column}\0${issue.severity}\0${issue.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function byPosition(a: OpenSloIssue, b: OpenSloIssue): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column
}
