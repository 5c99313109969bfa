import {
  defaultBurnRateTable,
  formatDuration,
  nominalPeriodMs,
  type SloSpec,
  tryParseDuration,
} from '@slokit/core'
import { NO_DATA_RULE, roundRatio, shortWindowMs } from './alerting.js'
import type { OpenSloLimitation } from './errors.js'
import { ALERT_RULE_ANNOTATION, ID_ANNOTATION, openSloName } from './mapping.js'
import type { Path } from './reader.js'

/** A duration as a config writes it (`1h`) or as a validated section holds it (milliseconds). */
export type DurationLike = number | string

/** A burn-rate window row, written or validated (`budgetSpent` a fraction or `"2%"`). */
export interface AlertWindowLike {
  readonly long: DurationLike
  readonly short: DurationLike
  readonly budgetSpent: number | string
}

/** A tier of a `burn_rate` rule; without `windows`, slokit's default rows for the SLO's period. */
export interface AlertTierLike {
  readonly severity: string
  readonly windows?: readonly AlertWindowLike[] | undefined
}

/**
 * A slokit alert rule as {@link exportOpenSlo} reads it: the `alerts.rules` entries of a config
 * (as written, or validated by `alertsSectionSchema`), or the rules of an OpenSLO import.
 */
export interface AlertRuleLike {
  readonly name: string
  readonly type: string
  readonly selector?:
    | {
        readonly slo?: readonly string[] | undefined
        readonly service?: readonly string[] | undefined
        readonly priority?: readonly string[] | undefined
        readonly labels?: Readonly<Record<string, string>> | undefined
      }
    | undefined
  readonly for?: DurationLike | undefined
  readonly page?: AlertTierLike | false | undefined
  readonly ticket?: AlertTierLike | false | undefined
  readonly severity?: string | undefined
  readonly after?: DurationLike | undefined
  readonly minEvents?: number | undefined
  readonly minRequestRate?: number | undefined
  readonly labels?: Readonly<Record<string, string>> | undefined
  readonly annotations?: Readonly<Record<string, string>> | undefined
  readonly title?: string | undefined
  readonly body?: string | undefined
}

/** A slokit alert route as {@link exportOpenSlo} reads it. */
export interface AlertRouteLike {
  readonly match?:
    | {
        readonly severity?: readonly string[] | undefined
        readonly service?: readonly string[] | undefined
        readonly rule?: readonly string[] | undefined
        readonly labels?: Readonly<Record<string, string>> | undefined
      }
    | undefined
  readonly channels: readonly string[]
  readonly escalate?: unknown
  readonly continue?: boolean | undefined
}

/** The `alerts` section {@link exportOpenSlo} writes as alert policies. */
export interface AlertsLike {
  readonly rules?: readonly AlertRuleLike[] | undefined
  readonly routes?: readonly AlertRouteLike[] | undefined
}

type Plain = Record<string, unknown>

/** Reports an export problem at a path of the input (`alerts.rules[2].page`). */
export type ExportReport = (
  severity: 'error' | 'warning',
  path: Path,
  message: string,
  extra?: { hint?: string; limitation?: OpenSloLimitation },
) => void

const UNITS: ReadonlyArray<[string, number]> = [
  ['w', 604_800_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
]

/** Why a duration cannot be written: OpenSLO's duration-shorthand has no seconds. */
export const DURATION_MESSAGE =
  'OpenSLO durations are whole minutes in one unit (m, h, d, w): the spec has no seconds'

/** A duration in OpenSLO form (one count, one unit), or `undefined` when it is not whole minutes. */
export function durationOf(ms: number): string | undefined {
  if (!Number.isSafeInteger(ms) || ms <= 0) return undefined
  for (const [unit, size] of UNITS) if (ms % size === 0) return `${ms / size}${unit}`
  return undefined
}

const toMs = (value: DurationLike): number | undefined =>
  typeof value === 'number' ? value : tryParseDuration(value)

const toFraction = (value: number | string): number =>
  typeof value === 'number' ? value : Number(value.replace('%', '')) / (value.includes('%') ? 100 : 1)

function selects(selector: AlertRuleLike['selector'], slo: SloSpec): boolean {
  if (selector === undefined) return true
  return (
    (selector.slo === undefined || selector.slo.includes(slo.id)) &&
    (selector.service === undefined || selector.service.includes(slo.service)) &&
    (selector.priority === undefined ||
      (slo.priority !== undefined && selector.priority.includes(slo.priority))) &&
    Object.entries(selector.labels ?? {}).every(([k, v]) => slo.labels[k] === v)
  )
}

const PAGE_TIER_SEVERITIES = new Set(['critical', 'high'])

/**
 * Converts slokit alert rules, routes and channels into OpenSLO alert policies, one list per SLO
 * id (to go under the SLO's `spec.alertPolicies`, inline). A `burn_rate` rule becomes, for each
 * SLO it selects, an `AlertPolicy` with a `burnrate` condition per window row (threshold =
 * `budgetSpent × period / long`); a `no_data` rule sets `alertWhenNoData` on the SLO's policy; the
 * channels of the routes an alert would take become `AlertNotificationTarget`s. What OpenSLO
 * cannot express is reported (a warning, or an error for a duration OpenSLO cannot write).
 */
export function alertPoliciesOf(
  slos: readonly SloSpec[],
  alerts: AlertsLike,
  channels: Readonly<Record<string, { readonly type: string }>>,
  report: ExportReport,
): Map<string, Plain[]> {
  const bySlo = new Map<string, Plain[]>()
  const order = new Map<Plain, number>()
  const rules = alerts.rules ?? []
  const routes = alerts.routes ?? []
  for (const [r, route] of routes.entries()) {
    const at = ['alerts', 'routes', r]
    if (route.escalate !== undefined)
      report('warning', [...at, 'escalate'], 'escalations have no OpenSLO form: not exported', {
        limitation: 'ALERT_SETTING_NOT_EXPORTED',
      })
    if (route.match?.severity !== undefined || route.match?.labels !== undefined)
      report(
        'warning',
        [...at, 'match'],
        'a route matching by severity or labels is applied per policy: each policy notifies the channels of every route one of its alerts can take',
        { limitation: 'ALERT_SETTING_NOT_EXPORTED' },
      )
  }
  const targetsFor = (rule: AlertRuleLike, slo: SloSpec, severities: readonly string[]): string[] => {
    const names: string[] = []
    for (const route of routes) {
      const m = route.match
      const matches =
        (m?.rule === undefined || m.rule.includes(rule.name)) &&
        (m?.service === undefined || m.service.includes(slo.service)) &&
        (m?.severity === undefined || severities.some((s) => m.severity?.includes(s))) &&
        Object.entries(m?.labels ?? {}).every(([k, v]) => (rule.labels?.[k] ?? slo.labels[k]) === v)
      if (!matches) continue
      names.push(...route.channels)
      if (route.continue !== true) break
    }
    return [...new Set(names)]
  }
  const reportedChannels = new Set<string>()
  const targetObjects = (names: readonly string[]): Plain[] =>
    names.flatMap((name) => {
      const channel = Object.hasOwn(channels, name) ? channels[name] : undefined
      if (channel === undefined) {
        if (!reportedChannels.has(name))
          report(
            'warning',
            ['channels', name],
            `channel \`${name}\` is not defined under \`channels\`: no notification target is written for it`,
            {
              limitation: 'ALERT_SETTING_NOT_EXPORTED',
            },
          )
        reportedChannels.add(name)
        return []
      }
      if (!reportedChannels.has(name) && channel.type !== 'slack' && channel.type !== 'pagerduty')
        report(
          'warning',
          ['channels', name],
          `a ${channel.type} channel is written as \`target: ${channel.type}\`, which slokit imports as no channel`,
          {
            limitation: 'ALERT_SETTING_NOT_EXPORTED',
          },
        )
      reportedChannels.add(name)
      return [
        {
          kind: 'AlertNotificationTarget',
          metadata: { name: openSloName(name), ...idAnnotation(name) },
          spec: { target: channel.type },
        },
      ]
    })
  const mergeTargets = (policy: Plain, more: Plain[]): void => {
    const spec = policy.spec as Plain
    const list = spec.notificationTargets as Plain[]
    for (const target of more) {
      const name = (target.metadata as Plain).name
      if (!list.some((t) => (t.metadata as Plain).name === name)) list.push(target)
    }
  }
  const policyName = (rule: AlertRuleLike, slo: SloSpec, count: number, suffix = ''): string => {
    const prefix = `${slo.id}-`
    let name = rule.name
    if (
      count === 1 &&
      name.startsWith(prefix) &&
      name.endsWith(suffix) &&
      name.length > prefix.length + suffix.length
    )
      name = name.slice(prefix.length, name.length - suffix.length)
    return name
  }

  const selected = (rule: AlertRuleLike, i: number): SloSpec[] => {
    const list = slos.filter((slo) => selects(rule.selector, slo))
    const at = ['alerts', 'rules', i, 'selector']
    if (list.length === 0) {
      report('warning', at, `rule \`${rule.name}\` selects none of the exported SLOs: not exported`, {
        limitation: 'ALERT_RULE_NOT_EXPORTED',
      })
    } else if (rule.selector?.slo?.length !== 1 || Object.keys(rule.selector).length !== 1) {
      report(
        'warning',
        at,
        `rule \`${rule.name}\` becomes an alert policy on each SLO it selects now (${list.map((s) => s.id).join(', ')}); SLOs added later are not covered`,
        { limitation: 'SELECTOR_RESOLVED' },
      )
    }
    return list
  }
  const lost = (i: number, key: string, what: string): void =>
    report('warning', ['alerts', 'rules', i, key], `${what} has no OpenSLO form: not exported`, {
      limitation: 'ALERT_SETTING_NOT_EXPORTED',
    })

  for (const [i, rule] of rules.entries()) {
    if (rule.type !== 'burn_rate') continue
    const at: Path = ['alerts', 'rules', i]
    if ((rule.minEvents ?? 0) > 0) lost(i, 'minEvents', 'minEvents')
    if ((rule.minRequestRate ?? 0) > 0) lost(i, 'minRequestRate', 'minRequestRate')
    for (const key of ['title', 'body'] as const) if (rule[key] !== undefined) lost(i, key, `\`${key}\``)
    for (const key of ['labels', 'annotations'] as const)
      if (Object.keys(rule[key] ?? {}).length > 0) lost(i, key, `\`${key}\``)
    const forMs = rule.for === undefined ? undefined : toMs(rule.for)
    const alertAfter = forMs === undefined ? undefined : durationOf(forMs)
    if (rule.for !== undefined && alertAfter === undefined) report('error', [...at, 'for'], DURATION_MESSAGE)
    const list = selected(rule, i)
    for (const slo of list) {
      const periodMs = nominalPeriodMs(slo.window)
      const name = policyName(rule, slo, list.length)
      const conditions: Array<{ id: string; condition: Plain }> = []
      const severities: string[] = []
      for (const tier of ['page', 'ticket'] as const) {
        const spec = rule[tier] ?? { severity: tier === 'page' ? 'critical' : 'warning' }
        if (spec === false) continue
        severities.push(spec.severity)
        if (PAGE_TIER_SEVERITIES.has(spec.severity) !== (tier === 'page'))
          report(
            'warning',
            [...at, tier, 'severity'],
            `a ${tier} tier of severity ${spec.severity} imports back as the ${tier === 'page' ? 'ticket' : 'page'} tier (OpenSLO conditions have a severity, not a tier)`,
            { limitation: 'ALERT_SETTING_NOT_EXPORTED' },
          )
        const rows =
          spec.windows?.map((w) => ({
            longMs: toMs(w.long),
            shortMs: toMs(w.short),
            budget: toFraction(w.budgetSpent),
          })) ??
          defaultBurnRateTable(periodMs)
            .filter((row) => row.severity === tier)
            .map((row) => ({
              longMs: row.longWindowMs,
              shortMs: row.shortWindowMs,
              budget: row.budgetPercent / 100,
            }))
        for (const [j, row] of rows.entries()) {
          const rowAt = spec.windows === undefined ? [...at, tier] : [...at, tier, 'windows', j]
          const lookbackWindow = row.longMs === undefined ? undefined : durationOf(row.longMs)
          if (row.longMs === undefined || lookbackWindow === undefined) {
            report('error', [...rowAt, 'long'], DURATION_MESSAGE)
            continue
          }
          if (row.shortMs !== shortWindowMs(row.longMs))
            report(
              'warning',
              [...rowAt, 'short'],
              `OpenSLO conditions have one window: the short window is not exported (importing adds ${formatDuration(shortWindowMs(row.longMs))})`,
              { limitation: 'ALERT_SETTING_NOT_EXPORTED' },
            )
          const id = `${name}-${tier}-${j + 1}`
          conditions.push({
            id,
            condition: {
              kind: 'AlertCondition',
              metadata: { name: openSloName(id) },
              spec: {
                severity: spec.severity,
                condition: {
                  kind: 'burnrate',
                  op: 'gt',
                  threshold: thresholdOf(row.budget, periodMs, row.longMs),
                  lookbackWindow,
                  // Required by the spec, which defaults it to 0m: fire at once.
                  alertAfter: alertAfter ?? '0m',
                },
              },
            },
          })
        }
      }
      if (conditions.length === 0) {
        report(
          'warning',
          [...at, 'selector'],
          `rule \`${rule.name}\` has no window row for SLO \`${slo.id}\` (period ${formatDuration(periodMs)}): no alert policy is written for it`,
          {
            limitation: 'ALERT_RULE_NOT_EXPORTED',
          },
        )
        continue
      }
      // OpenSLO allows one condition per policy: a policy per window row, all annotated with the
      // rule, which the import merges back into one slokit rule.
      const targets = targetObjects(targetsFor(rule, slo, severities))
      const made = conditions.map(({ id, condition }) => {
        const policyId = conditions.length === 1 ? name : id
        const policyName = openSloName(policyId)
        return {
          kind: 'AlertPolicy',
          metadata: {
            name: policyName,
            ...(policyName === name ? {} : { annotations: { [ALERT_RULE_ANNOTATION]: name } }),
          },
          spec: {
            alertWhenNoData: false,
            alertWhenResolved: true,
            alertWhenBreaching: true,
            conditions: [condition],
            notificationTargets: targets.map((t) => structuredClone(t)),
          },
        } satisfies Plain
      })
      const policies = bySlo.get(slo.id) ?? []
      if (policies.some((p) => ruleOf(p) === name)) {
        report(
          'error',
          [...at, 'name'],
          `two rules become the alert policy \`${name}\` of SLO \`${slo.id}\``,
          {
            hint: 'rename one of them',
          },
        )
        continue
      }
      for (const policy of made) {
        policies.push(policy)
        order.set(policy, i)
      }
      bySlo.set(slo.id, policies)
    }
  }

  for (const [i, rule] of rules.entries()) {
    const at: Path = ['alerts', 'rules', i]
    if (rule.type === 'burn_rate') continue
    if (rule.type !== 'no_data') {
      report('warning', at, `a ${rule.type} rule (\`${rule.name}\`) has no OpenSLO form: not exported`, {
        limitation: 'ALERT_RULE_NOT_EXPORTED',
        hint: 'OpenSLO alert policies hold burn-rate conditions and alertWhenNoData',
      })
      continue
    }
    const afterMs = rule.after === undefined ? undefined : toMs(rule.after)
    if (afterMs !== toMs(NO_DATA_RULE.after) || rule.severity !== NO_DATA_RULE.severity)
      report(
        'warning',
        at,
        `alertWhenNoData has no wait or severity: \`${rule.name}\` imports back as after ${NO_DATA_RULE.after}, severity ${NO_DATA_RULE.severity}`,
        { limitation: 'ALERT_SETTING_NOT_EXPORTED' },
      )
    const list = selected(rule, i)
    for (const slo of list) {
      const policies = bySlo.get(slo.id) ?? []
      const name = policyName(rule, slo, list.length, '-no-data')
      let policy = policies.find((p) => ruleOf(p) === name)
      if (policy === undefined) {
        const policyName = openSloName(name)
        policy = {
          kind: 'AlertPolicy',
          metadata: {
            name: policyName,
            ...(policyName === name ? {} : { annotations: { [ALERT_RULE_ANNOTATION]: name } }),
          },
          spec: {
            alertWhenNoData: true,
            alertWhenResolved: true,
            alertWhenBreaching: false,
            // The spec requires one condition; with alertWhenBreaching false it never fires.
            conditions: [noDataCondition(name, periodOf(slo))],
            notificationTargets: [],
          },
        }
        policies.push(policy)
        order.set(policy, i)
        bySlo.set(slo.id, policies)
      }
      ;(policy.spec as Plain).alertWhenNoData = true
      mergeTargets(
        policy,
        targetObjects(targetsFor(rule, slo, rule.severity === undefined ? [] : [rule.severity])),
      )
    }
  }
  for (const policies of bySlo.values()) {
    const names = new Map<string, string>()
    for (const policy of policies) {
      const written = (policy.metadata as Plain).name as string
      const rule = ruleOf(policy)
      const other = names.get(written)
      if (other !== undefined && other !== rule)
        report(
          'error',
          ['alerts', 'rules', order.get(policy) ?? 0, 'name'],
          `rules \`${other}\` and \`${rule}\` both become the OpenSLO alert policy \`${written}\``,
          {
            hint: 'OpenSLO names are lowercase letters, digits and `-`: rename one of the rules',
          },
        )
      names.set(written, rule)
    }
    // In the order of the rules that made them, as the import made the rules.
    policies.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
    for (const policy of policies) {
      const spec = policy.spec as Plain
      if ((spec.notificationTargets as Plain[]).length === 0) delete spec.notificationTargets
    }
  }
  return bySlo
}

/** The slokit rule an exported policy belongs to. */
function ruleOf(policy: Plain): string {
  const metadata = policy.metadata as Plain
  const annotations = (metadata.annotations ?? {}) as Record<string, string>
  return annotations[ALERT_RULE_ANNOTATION] ?? (metadata.name as string)
}

/** `slokit.dev/id` when `id` is not an OpenSLO name as it is. */
export function idAnnotation(id: string): Plain {
  return openSloName(id) === id ? {} : { annotations: { [ID_ANNOTATION]: id } }
}

function periodOf(slo: SloSpec): number {
  return nominalPeriodMs(slo.window)
}

function noDataCondition(name: string, periodMs: number): Plain {
  return {
    kind: 'AlertCondition',
    metadata: { name: openSloName(`${name}-condition`) },
    spec: {
      description:
        'Required by OpenSLO (one condition per policy); alertWhenBreaching is false, so it never fires',
      severity: NO_DATA_RULE.severity,
      condition: {
        kind: 'burnrate',
        op: 'gt',
        threshold: 1,
        lookbackWindow: durationOf(periodMs) ?? '1h',
        alertAfter: '0m',
      },
    },
  }
}

/**
 * The burn-rate threshold of a window row: `budgetSpent × period / long`, with the fewest
 * significant digits that import back to the same `budgetSpent` (2, not 2.00000000001).
 */
export function thresholdOf(budgetSpent: number, periodMs: number, longMs: number): number {
  const exact = (budgetSpent * periodMs) / longMs
  const back = roundRatio(budgetSpent)
  for (let digits = 1; digits < 17; digits++) {
    const threshold = Number(exact.toPrecision(digits))
    if (roundRatio((threshold * longMs) / periodMs) === back) return threshold
  }
  return exact
}
