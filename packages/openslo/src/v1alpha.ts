import {
  applyObjective,
  type ConvertedSlo,
  type PendingSli,
  type ReadObjective,
  windowOf,
} from './import-openslo.js'
import { isPrometheus, own, toSlokitQuery } from './mapping.js'
import { isRecord, type ObjectReader, type Path } from './reader.js'

const UNITS: Readonly<Record<string, string>> = {
  Second: 's',
  Minute: 'm',
  Hour: 'h',
  Day: 'd',
  Week: 'w',
  Month: 'M',
  Quarter: 'Q',
  Year: 'Y',
}

/**
 * Reads an `openslo/v1alpha` SLO (the form Sloth reads): `timeWindows` with `unit` and `count`,
 * `ratioMetrics` on the objective, a `thresholdMetric` indicator on the spec. The SLI takes the
 * SLO's id. Each objective becomes one SLO with the id `<name>-<index>`, as Sloth names them, so
 * rules generated with Sloth naming match the ones Sloth writes.
 */
export function readV1alphaSlo(reader: ObjectReader, value: Record<string, unknown>): ConvertedSlo[] {
  const metadata = value.metadata as Record<string, unknown>
  const spec = reader.record(value.spec, ['spec'])
  if (spec === undefined) return []
  reader.keys(
    spec,
    ['spec'],
    ['description', 'service', 'indicator', 'timeWindows', 'budgetingMethod', 'objectives'],
  )
  const name = reader.string(metadata.displayName, ['metadata', 'displayName'])
  const description = reader.string(spec.description, ['spec', 'description'])
  const paths: Record<string, Path> = {
    id: ['metadata', 'name'],
    name: ['metadata', 'displayName'],
    description: ['spec', 'description'],
    service: ['spec', 'service'],
    budgetingMethod: ['spec', 'budgetingMethod'],
    window: ['spec', 'timeWindows', 0],
  }
  const input: Record<string, unknown> = {
    id: metadata.name,
    ...(name === undefined ? {} : { name }),
    ...(description === undefined ? {} : { description }),
    service: reader.string(spec.service, ['spec', 'service'], true),
  }
  const method = spec.budgetingMethod
  const methods: Record<string, string> = { Occurrences: 'occurrences', Timeslices: 'timeslices' }
  const budgeting = typeof method === 'string' ? own(methods, method) : undefined
  if (budgeting === undefined) reader.error(['spec', 'budgetingMethod'], 'one of Occurrences, Timeslices')
  else input.budgetingMethod = budgeting

  const windows = reader.list(spec.timeWindows, ['spec', 'timeWindows'])
  if (windows !== undefined && windows.length !== 1) {
    reader.error(['spec', 'timeWindows'], `${windows.length} time windows: slokit SLOs have one`, {
      ...(windows.length > 1 ? { limitation: 'MULTIPLE_TIME_WINDOWS' as const } : {}),
    })
  } else if (windows !== undefined) {
    const path = ['spec', 'timeWindows', 0]
    const window = reader.record(windows[0], path)
    if (window !== undefined) {
      reader.keys(window, path, ['unit', 'count', 'isRolling', 'calendar'])
      const unit = typeof window.unit === 'string' ? own(UNITS, window.unit) : undefined
      if (unit === undefined) reader.error([...path, 'unit'], `one of ${Object.keys(UNITS).join(', ')}`)
      const count = reader.number(window.count, [...path, 'count'])
      if (count === undefined || !Number.isInteger(count) || count < 1)
        reader.error([...path, 'count'], 'a positive whole number')
      else if (unit !== undefined) {
        const rolling = reader.boolean(window.isRolling, [...path, 'isRolling'])
        const converted = windowOf(reader, path, `${count}${unit}`, rolling, window.calendar, 'unit')
        if (converted !== undefined) input.window = converted
      }
    }
  }

  const objectives = reader.list(spec.objectives, ['spec', 'objectives'])
  if (objectives === undefined) return []
  if (objectives.length === 0) reader.error(['spec', 'objectives'], 'an SLO needs at least one objective')
  const converted: ConvertedSlo[] = []
  objectives.forEach((item, index) => {
    const one = readObjective(
      reader,
      spec,
      item,
      index,
      { ...input, id: `${String(metadata.name)}-${index}` },
      paths,
    )
    if (one !== undefined) converted.push(one)
  })
  return converted
}

function readObjective(
  reader: ObjectReader,
  spec: Record<string, unknown>,
  value: unknown,
  index: number,
  input: Record<string, unknown>,
  sloPaths: Record<string, Path>,
): ConvertedSlo | undefined {
  const path = ['spec', 'objectives', index]
  const paths: Record<string, Path> = {
    ...sloPaths,
    objective: [...path, 'target'],
    timeslice: path,
  }
  const objective = reader.record(value, path)
  if (objective === undefined) return undefined
  reader.keys(objective, path, ['displayName', 'op', 'value', 'target', 'timeSliceTarget', 'ratioMetrics'])
  const sliBase: Path =
    objective.ratioMetrics === undefined ? ['spec', 'indicator'] : [...path, 'ratioMetrics']
  const sliInput: Record<string, unknown> = { id: input.id, labels: {} }
  let measurement: PendingSli['measurement'] | undefined
  if (objective.ratioMetrics !== undefined && spec.indicator !== undefined) {
    reader.error(
      ['spec', 'indicator'],
      'give either `spec.indicator` or the objective’s `ratioMetrics`, not both',
    )
  } else if (objective.ratioMetrics !== undefined) {
    const ratio = reader.record(objective.ratioMetrics, sliBase)
    if (ratio !== undefined) {
      reader.keys(ratio, sliBase, ['incremental', 'good', 'bad', 'total'])
      reader.boolean(ratio.incremental, [...sliBase, 'incremental'])
      const event = ratio.bad === undefined ? 'good' : 'bad'
      if (ratio.good !== undefined && ratio.bad !== undefined)
        reader.error([...sliBase, 'bad'], 'give either `good` or `bad`, not both')
      const events = readQuery(reader, ratio[event], [...sliBase, event])
      const total = readQuery(reader, ratio.total, [...sliBase, 'total'])
      if (events !== undefined && total !== undefined) {
        if (events.source !== total.source) {
          reader.error([...sliBase, 'total', 'source'], `\`total\` reads another source than \`${event}\``, {
            limitation: 'MIXED_METRIC_SOURCES',
          })
        }
        measurement = { type: 'ratio', [event]: events.query, total: total.query }
        if (events.source !== undefined) sliInput.source = events.source
      }
    }
    sliInput.kind = 'availability'
    if (objective.value !== undefined) {
      reader.warn([...path, 'value'], '`value` is ignored: it applies to threshold SLIs', {
        atKey: true,
        limitation: 'METADATA_NOT_KEPT',
      })
    }
  } else {
    const indicator = reader.record(spec.indicator, ['spec', 'indicator'])
    if (indicator !== undefined) {
      reader.keys(indicator, sliBase, ['thresholdMetric'])
      const threshold = readQuery(reader, indicator.thresholdMetric, [...sliBase, 'thresholdMetric'])
      if (threshold !== undefined) {
        measurement = { type: 'threshold', query: threshold.query }
        if (threshold.source !== undefined) sliInput.source = threshold.source
      }
    }
    sliInput.kind = 'latency'
  }
  if (measurement === undefined) return undefined
  const sli: PendingSli = {
    reader,
    base: sliBase,
    input: sliInput,
    measurement,
    paths: { id: ['metadata', 'name'], measurement: sliBase, source: sliBase },
  }
  if (objective.displayName !== undefined) {
    reader.warn(
      [...path, 'displayName'],
      'the objective’s displayName is not kept: slokit SLOs have one objective',
      {
        atKey: true,
        limitation: 'METADATA_NOT_KEPT',
      },
    )
  }
  const read: ReadObjective = {
    target: reader.number(objective.target, [...path, 'target']),
    op: reader.string(objective.op, [...path, 'op']),
    value: measurement.type === 'threshold' ? reader.number(objective.value, [...path, 'value']) : undefined,
    timeSliceTarget: reader.number(objective.timeSliceTarget, [...path, 'timeSliceTarget']),
  }
  if (read.target === undefined) reader.error([...path, 'target'], 'missing: `target` (e.g. 0.999)')
  return applyObjective(reader, { input, sli, paths }, read, path, true)
}

function readQuery(
  reader: ObjectReader,
  value: unknown,
  path: Path,
): { query: string; source: string | undefined } | undefined {
  if (!isRecord(value)) {
    reader.error(path, 'missing: a mapping with `source`, `queryType` and `query`')
    return undefined
  }
  reader.keys(value, path, ['source', 'queryType', 'query', 'metadata'])
  const source = reader.string(value.source, [...path, 'source'], true)
  reader.string(value.queryType, [...path, 'queryType'])
  const query = reader.string(value.query, [...path, 'query'], true)
  if (source === undefined || query === undefined) return undefined
  const prometheus = isPrometheus(source)
  return { query: prometheus ? toSlokitQuery(query) : query, source: prometheus ? undefined : source }
}
