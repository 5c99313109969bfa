import { formatDuration, nominalPeriodMs, type SloSpec, tryParseDuration } from '@slokit/core'
import { ALERT_RULE_ANNOTATION, ID_ANNOTATION, OPENSLO_DURATION, OPERATORS, own } from './mapping.js'
import { isRecord, type ObjectReader, type Path } from './reader.js'

/** A slokit alert severity (`SEVERITIES` of `@slokit/alerting`). */
export type AlertSeverity = 'critical' | 'high' | 'warning' | 'info'

/** One window row of a slokit `burn_rate` tier, as a config file writes it. */
export interface BurnRateWindowInput {
  readonly long: string
  readonly short: string
  /** Share of the period's error budget spent within `long` (0.02 for 2 %). */
  readonly budgetSpent: number
}

/** A tier (`page` or `ticket`) of a slokit `burn_rate` rule. */
export interface BurnRateTierInput {
  readonly severity: AlertSeverity
  readonly windows: readonly BurnRateWindowInput[]
}

/** A slokit `burn_rate` rule converted from an OpenSLO alert policy of one SLO. */
export interface BurnRateRuleInput {
  readonly name: string
  readonly type: 'burn_rate'
  readonly selector: { readonly slo: readonly string[] }
  /** The conditions' `alertAfter`. */
  readonly for?: string
  readonly page: BurnRateTierInput | false
  readonly ticket: BurnRateTierInput | false
}

/** A slokit `no_data` rule, from an alert policy with `alertWhenNoData: true`. */
export interface NoDataRuleInput {
  readonly name: string
  readonly type: 'no_data'
  readonly selector: { readonly slo: readonly string[] }
  readonly severity: AlertSeverity
  readonly after: string
}

/** A slokit alert rule an OpenSLO import produces. */
export type AlertRuleInput = BurnRateRuleInput | NoDataRuleInput

/** A slokit alert route: the rules of one policy to the channels of its notification targets. */
export interface AlertRouteInput {
  readonly match: { readonly rule: readonly string[] }
  readonly channels: readonly string[]
}

/**
 * The slokit `alerts` section an OpenSLO import produces, in the form a config file writes
 * (durations as `1h`): `alertsSectionSchema` of `@slokit/alerting` parses it.
 */
export interface AlertsInput {
  readonly rules: readonly AlertRuleInput[]
  readonly routes: readonly AlertRouteInput[]
}

/**
 * A slokit channel converted from an `AlertNotificationTarget`, its secret an `${env:NAME}`
 * reference for the user to set (OpenSLO targets carry no address).
 */
export type ChannelInput =
  | { readonly type: 'slack'; readonly webhookUrl: string }
  | { readonly type: 'pagerduty'; readonly routingKey: string }

/** Severity and wait of the `no_data` rule an `alertWhenNoData: true` policy becomes. */
export const NO_DATA_RULE = { severity: 'warning', after: '15m' } as const

/** An OpenSLO object with a name, as read from the documents. */
export interface NamedObject {
  readonly reader: ObjectReader
  readonly value: Record<string, unknown>
  readonly name: string
}

interface ReadCondition {
  readonly name: string | undefined
  readonly reader: ObjectReader
  readonly path: Path
  readonly severity: string | undefined
  readonly op: string | undefined
  readonly threshold: number | undefined
  readonly lookbackWindow: string | undefined
  readonly alertAfter: string | undefined
}

interface ReadTarget {
  readonly name: string | undefined
  readonly reader: ObjectReader
  readonly path: Path
  readonly target: string | undefined
}

/** An alert policy of an SLO, read and checked, waiting for the SLO's period to be converted. */
export interface ReadPolicy {
  readonly name: string | undefined
  /**
   * The slokit rule the policy belongs to (annotation `slokit.dev/alert-rule`): the policies of an
   * SLO with the same rule become one slokit rule again (an export writes a policy per condition).
   */
  readonly group?: string | undefined
  readonly reader: ObjectReader
  readonly path: Path
  readonly noData: boolean | undefined
  readonly resolved: boolean | undefined
  readonly breaching: boolean | undefined
  readonly conditions: readonly ReadCondition[]
  readonly targets: readonly ReadTarget[]
  /** Top-level objects it uses (`AlertPolicy:name`, `AlertCondition:name`, …). */
  readonly uses: readonly string[]
}

const RULE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/
const PAGE_SEVERITIES: Readonly<Record<string, AlertSeverity>> = {
  critical: 'critical',
  page: 'critical',
  high: 'high',
}
const SEVERITY_ORDER: readonly AlertSeverity[] = ['critical', 'high', 'warning', 'info']
const MINUTE_MS = 60_000

/**
 * The short window slokit adds to an OpenSLO condition's lookback window: 1/12 of it (the SRE
 * Workbook's ratio: 1h → 5m, 6h → 30m, 1d → 2h, 3d → 6h) in whole minutes, at least 1m, and in
 * whole seconds for windows under 2m.
 */
export function shortWindowMs(longMs: number): number {
  const minutes = Math.max(MINUTE_MS, Math.round(longMs / 12 / MINUTE_MS) * MINUTE_MS)
  if (minutes < longMs) return minutes
  return Math.max(1000, Math.round(longMs / 12 / 1000) * 1000)
}

/** Rounds away binary noise so `threshold → budgetSpent → threshold` gives back the same number. */
export const roundRatio = (value: number): number => Number(value.toPrecision(12))

/**
 * The environment variable a converted channel reads: `SLACK_ON_CALL_WEBHOOK_URL` from `SLACK`,
 * `on-call` and `WEBHOOK_URL` (and from `slack-on-call`: the prefix is not repeated).
 */
export function envName(prefix: string, name: string, suffix: string): string {
  const upper = name
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
  const middle = upper.startsWith(`${prefix}_`) ? upper.slice(prefix.length + 1) : upper
  return `${prefix}_${middle === '' || middle === prefix ? '' : `${middle}_`}${suffix}`
}

/**
 * Reads OpenSLO alert policies, conditions and notification targets (inline or by reference) and
 * converts the policies of each SLO into slokit alert rules, routes and channels.
 */
export class AlertingReader {
  private readonly rules: AlertRuleInput[] = []
  private readonly routes: AlertRouteInput[] = []
  private readonly channels: Record<string, ChannelInput> = {}
  private readonly channelOrigin = new Map<string, ReadTarget>()
  private readonly used = new Set<string>()
  private readonly referenced = new Set<string>()
  private readonly named = new Map<string, unknown>()

  constructor(
    private readonly policies: ReadonlyMap<string, NamedObject>,
    private readonly conditions: ReadonlyMap<string, NamedObject>,
    private readonly targets: ReadonlyMap<string, NamedObject>,
  ) {}

  /** Reads every top-level policy, condition and target, so unused ones are checked too. */
  checkAll(): void {
    for (const name of this.policies.keys()) this.namedPolicy(name)
    for (const name of this.conditions.keys()) this.namedCondition(name)
    for (const name of this.targets.keys()) this.namedTarget(name)
  }

  /** An item of an SLO's `alertPolicies`: an inline policy or an `alertPolicyRef`. */
  policyOrRef(reader: ObjectReader, path: Path, value: unknown): ReadPolicy | undefined {
    const item = reader.record(value, path)
    if (item === undefined) return undefined
    if (item.alertPolicyRef !== undefined) {
      reader.keys(item, path, ['alertPolicyRef'])
      const ref = reader.string(item.alertPolicyRef, [...path, 'alertPolicyRef'])
      if (ref === undefined) return undefined
      if (!this.policies.has(ref)) {
        reader.error([...path, 'alertPolicyRef'], `unknown AlertPolicy \`${ref}\``, {
          hint: known('alert policies', [...this.policies.keys()]),
        })
        return undefined
      }
      return this.namedPolicy(ref)
    }
    return this.inline(reader, path, item, 'AlertPolicy') ? this.policy(reader, path, item, []) : undefined
  }

  /**
   * Converts the policies of a validated SLO: a `burn_rate` rule per policy (and a `no_data` rule
   * for `alertWhenNoData`), a channel per Slack or PagerDuty target, a route from the policy's
   * rules to its channels. Problems are reported where the OpenSLO field is.
   */
  convert(slo: SloSpec, policies: readonly ReadPolicy[]): void {
    const periodMs = nominalPeriodMs(slo.window)
    for (const policy of mergeGroups(policies)) {
      for (const use of policy.uses) this.used.add(use)
      const { reader, path } = policy
      if (policy.name === undefined) continue
      const base = `${slo.id}-${policy.name}`
      const names: string[] = []
      const addRule = (rule: AlertRuleInput): void => {
        if (this.rules.some((r) => r.name === rule.name)) {
          reader.error(
            [...path, 'metadata', 'name'],
            `rule name \`${rule.name}\` is taken: the SLO \`${slo.id}\` lists alert policy \`${policy.name}\` twice, or another policy's rule has the name`,
          )
          return
        }
        this.rules.push(rule)
        names.push(rule.name)
      }
      if (!RULE_NAME.test(base)) {
        reader.error([...path, 'metadata', 'name'], `\`${base}\` is not a slokit rule name`, {
          hint: 'letters, digits, `_`, `.` or `-`',
        })
        continue
      }
      if (policy.resolved === false) {
        reader.warn([...path, 'spec', 'alertWhenResolved'], 'slokit always notifies when an alert resolves', {
          atKey: true,
          limitation: 'ALERT_WHEN_RESOLVED',
        })
      }
      if (policy.breaching === false) {
        if (policy.conditions.length > 0) {
          reader.warn(
            [...path, 'spec', 'alertWhenBreaching'],
            'alertWhenBreaching is false: the policy’s conditions never alert and are not converted',
            { atKey: true, limitation: 'NOT_ALERTING_WHEN_BREACHING' },
          )
        }
      } else {
        const rule = this.burnRateRule(slo, policy, base, periodMs)
        if (rule !== undefined) addRule(rule)
      }
      if (policy.noData === true) {
        addRule({
          name: `${base}-no-data`,
          type: 'no_data',
          selector: { slo: [slo.id] },
          severity: NO_DATA_RULE.severity,
          after: NO_DATA_RULE.after,
        })
      }
      // A policy that alerts on nothing needs no channels.
      const channels = names.length === 0 ? [] : policy.targets.flatMap((target) => this.channel(target))
      if (channels.length > 0) {
        this.routes.push({ match: { rule: names }, channels: [...new Set(channels)] })
      }
    }
  }

  /** The converted `alerts` section (`undefined` when there is no rule) and channels. */
  result(): { alerts: AlertsInput | undefined; channels: Readonly<Record<string, ChannelInput>> } {
    return {
      alerts: this.rules.length === 0 ? undefined : { rules: this.rules, routes: this.routes },
      channels: this.channels,
    }
  }

  /** Warns about top-level alerting objects no converted SLO uses (nothing to convert them to). */
  warnUnused(): void {
    const warn = (kind: string, map: ReadonlyMap<string, NamedObject>, set: ReadonlySet<string>) => {
      for (const [name, entry] of map) {
        if (set.has(`${kind}:${name}`)) continue
        entry.reader.warn(
          [],
          `${kind} \`${name}\` is not used by ${kind === 'AlertPolicy' ? 'any SLO' : 'any alert policy'} imported: nothing to convert it to`,
          {
            limitation: 'ALERTING_NOT_USED',
            hint:
              kind === 'AlertPolicy'
                ? 'refer to it from an SLO with `alertPolicies: [{ alertPolicyRef: … }]`'
                : 'refer to it from an AlertPolicy',
          },
        )
      }
    }
    warn('AlertPolicy', this.policies, this.used)
    warn('AlertCondition', this.conditions, this.referenced)
    warn('AlertNotificationTarget', this.targets, this.referenced)
  }

  private burnRateRule(
    slo: SloSpec,
    policy: ReadPolicy,
    name: string,
    periodMs: number,
  ): BurnRateRuleInput | undefined {
    const tiers: Record<'page' | 'ticket', { severities: AlertSeverity[]; windows: BurnRateWindowInput[] }> =
      {
        page: { severities: [], windows: [] },
        ticket: { severities: [], windows: [] },
      }
    const waits: number[] = []
    let failed = false
    for (const condition of policy.conditions) {
      const { reader, path } = condition
      const at = (...rest: string[]): Path => [...path, 'spec', 'condition', ...rest]
      if (condition.op === 'lt' || condition.op === 'lte') {
        // Alerting while the burn rate is *below* a threshold is not an alert slokit can run; the
        // policy's other conditions still convert, so the SLO and the rest of its alerting import.
        reader.warn(
          at('op'),
          `op ${condition.op}: a slokit burn-rate alert fires when the burn rate is above the threshold, so this condition is not converted`,
          {
            limitation: 'BURN_RATE_OP',
            hint: 'use gt (or gte) to alert on a fast burn',
          },
        )
        continue
      }
      if (condition.op === 'gte') {
        reader.warn(
          at('op'),
          'op gte is read as gt: slokit fires when the burn rate is strictly above the threshold',
          {
            limitation: 'BURN_RATE_GTE',
          },
        )
      }
      const longMs = this.duration(reader, at('lookbackWindow'), condition.lookbackWindow)
      const afterMs =
        condition.alertAfter === undefined
          ? undefined
          : this.duration(reader, at('alertAfter'), condition.alertAfter, true)
      if (condition.threshold === undefined || longMs === undefined || condition.severity === undefined) {
        failed = true
        continue
      }
      if (!(condition.threshold > 0)) {
        reader.error(at('threshold'), 'a burn-rate threshold is above 0')
        failed = true
        continue
      }
      const budgetSpent = roundRatio((condition.threshold * longMs) / periodMs)
      if (budgetSpent > 1) {
        reader.error(
          at('threshold'),
          `a burn rate of ${condition.threshold} over ${formatDuration(longMs)} spends ${Number((budgetSpent * 100).toFixed(1))}% of the error budget of SLO \`${slo.id}\` (period ${formatDuration(periodMs)}): it can never fire`,
          {
            limitation: 'BURN_RATE_ABOVE_BUDGET',
            hint: `at most ${roundRatio(periodMs / longMs)} over ${formatDuration(longMs)}`,
          },
        )
        failed = true
        continue
      }
      const shortMs = shortWindowMs(longMs)
      reader.warn(
        at('lookbackWindow'),
        `slokit also checks a short window of ${formatDuration(shortMs)} (1/12 of ${formatDuration(longMs)}), so the alert stops soon after the burn stops`,
        { limitation: 'SHORT_WINDOW_ADDED' },
      )
      const page = own(PAGE_SEVERITIES, condition.severity.toLowerCase())
      const tier = page === undefined ? tiers.ticket : tiers.page
      tier.severities.push(page ?? (condition.severity.toLowerCase() === 'info' ? 'info' : 'warning'))
      tier.windows.push({ long: formatDuration(longMs), short: formatDuration(shortMs), budgetSpent })
      if (afterMs !== undefined && afterMs > 0) waits.push(afterMs)
    }
    if (failed || (tiers.page.windows.length === 0 && tiers.ticket.windows.length === 0)) return undefined
    const tierOf = (key: 'page' | 'ticket'): BurnRateTierInput | false => {
      const { severities, windows } = tiers[key]
      if (windows.length === 0) return false
      const severity = SEVERITY_ORDER.find((s) => severities.includes(s)) as AlertSeverity
      if (new Set(severities).size > 1)
        this.merged(
          policy,
          `the ${key} tier takes the most severe of its conditions’ severities (${severity})`,
        )
      return { severity, windows }
    }
    const longest = waits.length === 0 ? undefined : Math.max(...waits)
    if (
      longest !== undefined &&
      (waits.length < policy.conditions.length || waits.some((w) => w !== longest))
    )
      this.merged(
        policy,
        `the rule waits the longest alertAfter of its conditions (${formatDuration(longest)})`,
      )
    return {
      name,
      type: 'burn_rate',
      selector: { slo: [slo.id] },
      ...(longest === undefined ? {} : { for: formatDuration(longest) }),
      page: tierOf('page'),
      ticket: tierOf('ticket'),
    }
  }

  private merged(policy: ReadPolicy, what: string): void {
    policy.reader.warn(
      [...policy.path, 'spec', 'conditions'],
      `its conditions become one slokit rule: ${what}`,
      {
        atKey: true,
        limitation: 'CONDITIONS_MERGED',
      },
    )
  }

  private duration(
    reader: ObjectReader,
    path: Path,
    text: string | undefined,
    zero = false,
  ): number | undefined {
    if (text === undefined) return undefined
    // `alertAfter` defaults to `0m` in the spec: no wait.
    if (zero && /^0[smhdw]$/.test(text)) return 0
    const match = OPENSLO_DURATION.exec(text)
    if (match !== null && 'MQY'.includes(match[2] as string)) {
      reader.error(path, `${text}: months, quarters and years have no fixed length`, {
        limitation: 'VARIABLE_DURATION',
        hint: 'use minutes, hours, days or weeks',
      })
      return undefined
    }
    const ms = tryParseDuration(text)
    if (ms === undefined || ms < 1000 || ms % 1000 !== 0) {
      reader.error(path, `${JSON.stringify(text)} is not a duration of whole seconds (e.g. 5m, 1h)`)
      return undefined
    }
    return ms
  }

  /** The channel a target becomes (Slack, PagerDuty), or a warning for any other target. */
  private channel(target: ReadTarget): string[] {
    const { reader, path, name } = target
    if (name === undefined || target.target === undefined) return []
    const type = target.target.toLowerCase()
    const at = [...path, 'spec', 'target']
    if (type !== 'slack' && type !== 'pagerduty') {
      reader.warn(
        at,
        `target ${target.target}: slokit delivers to Slack and PagerDuty channels (and webhooks); no channel or route is made for it`,
        {
          limitation: 'NOTIFICATION_TARGET_NOT_SUPPORTED',
          hint: 'add a slokit channel under `channels` and a route for it; see docs/alerting.md',
        },
      )
      return []
    }
    if (!RULE_NAME.test(name)) {
      reader.error([...path, 'metadata', 'name'], `\`${name}\` is not a slokit channel name`, {
        hint: 'letters, digits, `_`, `.` or `-`',
      })
      return []
    }
    const channel: ChannelInput =
      type === 'slack'
        ? { type: 'slack', webhookUrl: `\${env:${envName('SLACK', name, 'WEBHOOK_URL')}}` }
        : { type: 'pagerduty', routingKey: `\${env:${envName('PAGERDUTY', name, 'ROUTING_KEY')}}` }
    // Own properties only: a target named `constructor` or `__proto__` is a name like any other.
    const existing = Object.hasOwn(this.channels, name) ? this.channels[name] : undefined
    if (existing !== undefined) {
      if (existing.type !== channel.type) {
        const first = this.channelOrigin.get(name) as ReadTarget
        const where = first.reader.object.locate(first.path)
        reader.error(
          [...path, 'metadata', 'name'],
          `notification target \`${name}\` is ${type} here and ${existing.type} elsewhere`,
          {
            hint: `first defined at ${first.reader.object.file}:${where.line}:${where.column}; slokit channel names are unique`,
          },
        )
        return []
      }
      return [name]
    }
    Object.defineProperty(this.channels, name, {
      value: channel,
      enumerable: true,
      writable: true,
      configurable: true,
    })
    this.channelOrigin.set(name, target)
    const variable = channel.type === 'slack' ? channel.webhookUrl : channel.routingKey
    reader.warn(
      at,
      `becomes the slokit ${type} channel \`${name}\`: set ${variable.slice(6, -1)} to its ${type === 'slack' ? 'incoming webhook URL' : 'Events API v2 routing key'}`,
    )
    return [name]
  }

  private namedPolicy(name: string): ReadPolicy | undefined {
    const key = `AlertPolicy:${name}`
    if (!this.named.has(key)) {
      const entry = this.policies.get(name) as NamedObject
      this.named.set(key, this.policy(entry.reader, [], entry.value, [key]))
    }
    return this.named.get(key) as ReadPolicy | undefined
  }

  private namedCondition(name: string): ReadCondition | undefined {
    const key = `AlertCondition:${name}`
    if (!this.named.has(key)) {
      const entry = this.conditions.get(name) as NamedObject
      this.named.set(key, this.condition(entry.reader, [], entry.value))
    }
    return this.named.get(key) as ReadCondition | undefined
  }

  private namedTarget(name: string): ReadTarget | undefined {
    const key = `AlertNotificationTarget:${name}`
    if (!this.named.has(key)) {
      const entry = this.targets.get(name) as NamedObject
      this.named.set(key, this.target(entry.reader, [], entry.value))
    }
    return this.named.get(key) as ReadTarget | undefined
  }

  private policy(
    reader: ObjectReader,
    path: Path,
    value: Record<string, unknown>,
    uses: string[],
  ): ReadPolicy | undefined {
    const spec = reader.record(value.spec, [...path, 'spec'])
    if (spec === undefined) return undefined
    const at = (...rest: Array<string | number>): Path => [...path, 'spec', ...rest]
    reader.keys(spec, at(), [
      'description',
      'alertWhenNoData',
      'alertWhenResolved',
      'alertWhenBreaching',
      'conditions',
      'notificationTargets',
    ])
    const breaching = reader.boolean(spec.alertWhenBreaching, at('alertWhenBreaching'))
    const conditions: ReadCondition[] = []
    const list = reader.list(spec.conditions, at('conditions'), breaching !== false)
    if (list !== undefined && list.length === 0 && breaching !== false)
      reader.error(at('conditions'), 'an alert policy needs a condition')
    for (const [i, item] of (list ?? []).entries()) {
      const read = this.refOrInline(reader, at('conditions', i), item, 'conditionRef', 'AlertCondition', uses)
      if (read !== undefined) conditions.push(read as ReadCondition)
    }
    const targets: ReadTarget[] = []
    for (const [i, item] of (
      reader.list(spec.notificationTargets, at('notificationTargets'), false) ?? []
    ).entries()) {
      const read = this.refOrInline(
        reader,
        at('notificationTargets', i),
        item,
        'targetRef',
        'AlertNotificationTarget',
        uses,
      )
      if (read !== undefined) targets.push(read as ReadTarget)
    }
    const metadata = isRecord(value.metadata) ? value.metadata : {}
    const annotations = isRecord(metadata.annotations) ? metadata.annotations : {}
    const group = annotations[ALERT_RULE_ANNOTATION]
    return {
      name: typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : undefined,
      ...(typeof group === 'string' && group !== '' ? { group } : {}),
      reader,
      path,
      noData: reader.boolean(spec.alertWhenNoData, at('alertWhenNoData')),
      resolved: reader.boolean(spec.alertWhenResolved, at('alertWhenResolved')),
      breaching,
      conditions,
      targets,
      uses,
    }
  }

  private condition(
    reader: ObjectReader,
    path: Path,
    value: Record<string, unknown>,
  ): ReadCondition | undefined {
    const spec = reader.record(value.spec, [...path, 'spec'])
    if (spec === undefined) return undefined
    reader.keys(spec, [...path, 'spec'], ['description', 'severity', 'condition'])
    const severity = reader.string(spec.severity, [...path, 'spec', 'severity'], true)
    const at = [...path, 'spec', 'condition']
    const condition = reader.record(spec.condition, at)
    if (condition === undefined) return undefined
    reader.keys(condition, at, ['kind', 'op', 'threshold', 'lookbackWindow', 'alertAfter'])
    if (condition.kind !== 'burnrate') reader.error([...at, 'kind'], 'the only condition kind is `burnrate`')
    // The spec's own examples leave `op` out: a burn-rate condition breaches above its threshold.
    const op = reader.string(condition.op, [...at, 'op']) ?? 'gt'
    if (op !== undefined && own(OPERATORS, op) === undefined)
      reader.error(
        [...at, 'op'],
        `unknown operator ${JSON.stringify(op)}: one of ${Object.keys(OPERATORS).join(', ')}`,
      )
    const threshold = reader.number(condition.threshold, [...at, 'threshold'])
    if (condition.threshold === undefined || condition.threshold === null)
      reader.error([...at, 'threshold'], 'missing: the burn rate that fires (e.g. 14.4)')
    const metadata = isRecord(value.metadata) ? value.metadata : {}
    return {
      name: typeof metadata.name === 'string' ? metadata.name : undefined,
      reader,
      path,
      severity,
      op,
      threshold,
      lookbackWindow: this.durationText(reader, condition.lookbackWindow, [...at, 'lookbackWindow'], true),
      alertAfter: this.durationText(reader, condition.alertAfter, [...at, 'alertAfter'], false),
    }
  }

  private durationText(
    reader: ObjectReader,
    value: unknown,
    path: Path,
    required: boolean,
  ): string | undefined {
    return typeof value === 'number' ? `${value}s` : reader.string(value, path, required)
  }

  private target(reader: ObjectReader, path: Path, value: Record<string, unknown>): ReadTarget | undefined {
    const spec = reader.record(value.spec, [...path, 'spec'])
    if (spec === undefined) return undefined
    reader.keys(spec, [...path, 'spec'], ['description', 'target'])
    const metadata = isRecord(value.metadata) ? value.metadata : {}
    const annotations = isRecord(metadata.annotations) ? metadata.annotations : {}
    const id = annotations[ID_ANNOTATION]
    const name = typeof id === 'string' && id !== '' ? id : metadata.name
    return {
      name: typeof name === 'string' && name !== '' ? name : undefined,
      reader,
      path,
      target: reader.string(spec.target, [...path, 'spec', 'target'], true),
    }
  }

  private refOrInline(
    reader: ObjectReader,
    path: Path,
    value: unknown,
    refKey: 'conditionRef' | 'targetRef',
    kind: 'AlertCondition' | 'AlertNotificationTarget',
    uses: string[],
  ): ReadCondition | ReadTarget | undefined {
    const item = reader.record(value, path)
    if (item === undefined) return undefined
    const named = kind === 'AlertCondition' ? this.conditions : this.targets
    if (item[refKey] !== undefined) {
      reader.keys(item, path, [refKey])
      const ref = reader.string(item[refKey], [...path, refKey])
      if (ref === undefined) return undefined
      if (!named.has(ref)) {
        reader.error([...path, refKey], `unknown ${kind} \`${ref}\``, {
          hint: known(`${kind}s`, [...named.keys()]),
        })
        return undefined
      }
      uses.push(`${kind}:${ref}`)
      this.referenced.add(`${kind}:${ref}`)
      return kind === 'AlertCondition' ? this.namedCondition(ref) : this.namedTarget(ref)
    }
    if (!this.inline(reader, path, item, kind)) return undefined
    return kind === 'AlertCondition' ? this.condition(reader, path, item) : this.target(reader, path, item)
  }

  private inline(reader: ObjectReader, path: Path, item: Record<string, unknown>, kind: string): boolean {
    reader.keys(item, path, ['apiVersion', 'kind', 'metadata', 'spec'])
    if (item.kind !== kind) {
      reader.error([...path, 'kind'], `expected \`kind: ${kind}\` for an inline ${kind}`)
      return false
    }
    const metadata = reader.record(item.metadata, [...path, 'metadata'])
    if (metadata !== undefined) {
      reader.keys(metadata, [...path, 'metadata'], ['name', 'displayName', 'labels', 'annotations'])
      reader.string(metadata.name, [...path, 'metadata', 'name'], true)
    }
    return true
  }
}

/**
 * The policies of one SLO with those of a slokit rule (same `slokit.dev/alert-rule`) merged into
 * one, named after the rule: the export writes one policy per burn-rate condition, as OpenSLO
 * allows one condition per policy.
 */
function mergeGroups(policies: readonly ReadPolicy[]): ReadPolicy[] {
  const merged: ReadPolicy[] = []
  const groups = new Map<string, ReadPolicy[]>()
  for (const policy of policies) {
    if (policy.group === undefined) {
      merged.push(policy)
      continue
    }
    const members = groups.get(policy.group)
    if (members !== undefined) {
      members.push(policy)
      continue
    }
    groups.set(policy.group, [policy])
    merged.push(policy)
  }
  return merged.map((first) => {
    const members = first.group === undefined ? undefined : groups.get(first.group)
    if (members === undefined || first.group === undefined) return first
    const breaching = members.filter((m) => m.breaching !== false)
    return {
      ...first,
      name: first.group,
      noData: members.some((m) => m.noData === true) ? true : first.noData,
      resolved: members.every((m) => m.resolved === false) ? false : first.resolved,
      breaching: breaching.length === 0 ? false : (breaching[0] as ReadPolicy).breaching,
      conditions: breaching.flatMap((m) => m.conditions),
      targets: members.flatMap((m) => m.targets),
      uses: members.flatMap((m) => m.uses),
    }
  })
}

/** A hint listing the names a reference could have used. */
export function known(what: string, names: readonly string[]): string {
  return names.length === 0 ? `no ${what} are defined` : `known ${what}: ${names.join(', ')}`
}
