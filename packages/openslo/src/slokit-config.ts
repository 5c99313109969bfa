import {
  formatDuration,
  type SliSpec,
  type SliSpecInput,
  type SloSpec,
  type SloSpecInput,
} from '@slokit/core'
import { stringify } from 'yaml'
import type { AlertsInput, ChannelInput } from './alerting.js'

/**
 * An SLI in the form a slokit config file (and `parseSli`) takes, defaults left out:
 * `parseSli(sliToInput(sli))` gives back `sli`.
 */
export function sliToInput(sli: SliSpec): SliSpecInput {
  const m = sli.measurement
  const measurement: SliSpecInput['measurement'] =
    m.type === 'ratio'
      ? {
          type: 'ratio',
          ...(m.good === undefined ? {} : { good: m.good }),
          ...(m.bad === undefined ? {} : { bad: m.bad }),
          ...(m.total === undefined ? {} : { total: m.total }),
        }
      : {
          type: 'threshold',
          ...(m.query === undefined ? {} : { query: m.query }),
          ...(m.aggregation === 'avg' ? {} : { aggregation: m.aggregation }),
          comparison: m.comparison,
          threshold: m.threshold,
          ...(m.unit === undefined ? {} : { unit: m.unit }),
        }
  return {
    id: sli.id,
    ...(sli.name === undefined ? {} : { name: sli.name }),
    ...(sli.description === undefined ? {} : { description: sli.description }),
    kind: sli.kind,
    measurement,
    ...(sli.noData === 'ignore' ? {} : { noData: sli.noData }),
    ...(sli.source === undefined ? {} : { source: sli.source }),
    ...(Object.keys(sli.labels).length === 0 ? {} : { labels: { ...sli.labels } }),
  }
}

/**
 * An SLO in the form a slokit config file (and `parseSlo`) takes, its SLI inline, durations as
 * strings (`30d`) and defaults left out: `parseSlo(sloToInput(slo))` gives back `slo`.
 */
export function sloToInput(slo: SloSpec): SloSpecInput {
  const window =
    slo.window.type === 'rolling'
      ? formatDuration(slo.window.durationMs)
      : {
          calendar: slo.window.unit,
          ...(slo.window.timeZone === 'UTC' ? {} : { timeZone: slo.window.timeZone }),
        }
  const optional = <K extends keyof SloSpec>(key: K) => (slo[key] === undefined ? {} : { [key]: slo[key] })
  return {
    id: slo.id,
    ...optional('name'),
    ...optional('description'),
    service: slo.service,
    sli: sliToInput(slo.sli),
    objective: slo.objective,
    window,
    ...(slo.budgetingMethod === 'occurrences' ? {} : { budgetingMethod: slo.budgetingMethod }),
    ...(slo.timeslice === undefined
      ? {}
      : {
          timeslice: {
            length: formatDuration(slo.timeslice.lengthMs),
            ...(slo.timeslice.objective === undefined ? {} : { objective: slo.timeslice.objective }),
          },
        }),
    ...optional('priority'),
    ...optional('owner'),
    ...optional('rationale'),
    ...optional('runbookUrl'),
    ...optional('dashboardUrl'),
    ...(Object.keys(slo.labels).length === 0 ? {} : { labels: { ...slo.labels } }),
    ...(Object.keys(slo.annotations).length === 0 ? {} : { annotations: { ...slo.annotations } }),
  } as SloSpecInput
}

/**
 * A slokit config document (`apiVersion: slokit/v1`) holding the SLOs, their SLIs inline, under
 * `slis` the SLIs no SLO uses, and the `alerts` and `channels` of an OpenSLO import; what
 * `slokit convert --to slokit` writes.
 */
export function toSlokitConfig(input: {
  readonly slos: readonly SloSpec[]
  readonly slis?: readonly SliSpec[] | undefined
  /** An `alerts` section (`OpenSloImport.alerts`), written when it has rules. */
  readonly alerts?: AlertsInput | undefined
  /** A `channels` section (`OpenSloImport.channels`), written when it has channels. */
  readonly channels?: Readonly<Record<string, ChannelInput>> | undefined
}): Record<string, unknown> {
  const used = new Set(input.slos.map((slo) => slo.sli.id))
  const slis = (input.slis ?? []).filter((sli) => !used.has(sli.id)).map(sliToInput)
  const channels = input.channels ?? {}
  return {
    apiVersion: 'slokit/v1',
    ...(slis.length === 0 ? {} : { slis }),
    slos: input.slos.map(sloToInput),
    ...(input.alerts === undefined || input.alerts.rules.length === 0 ? {} : { alerts: input.alerts }),
    ...(Object.keys(channels).length === 0 ? {} : { channels }),
  }
}

/**
 * {@link toSlokitConfig} as YAML text, with `header` lines as comments on top: what
 * `slokit convert --to slokit` writes, and what `loadConfig` reads back to the same SLOs.
 */
export function exportSlokitConfig(
  input: Parameters<typeof toSlokitConfig>[0],
  header: readonly string[] = [],
): string {
  const comments = header.map((line) => `# ${line}\n`).join('')
  return `${comments}${stringify(toSlokitConfig(input), { lineWidth: 0, aliasDuplicateObjects: false })}`
}
