import { createHash } from 'node:crypto'
import {
  type Clock,
  formatDuration,
  type Logger,
  noopLogger,
  type SloSpec,
  type SloStatus,
  systemClock,
} from '@slokit/core'
import type { AlertRule, AlertsSection } from './alert-schema.js'
import {
  type AlertPhase,
  type AlertState,
  type AlertStateStore,
  MemoryAlertStateStore,
} from './alert-state-store.js'
import { type AlertCondition, type ConditionContext, evaluateConditions } from './conditions.js'
import { type AlertSummary, type Notification, SEVERITIES, type Severity } from './notification.js'
import { routeAlert } from './routing.js'
import { type AlertField, renderAlertTemplate } from './template.js'

/** One change of an alert's phase that people hear about. */
export interface AlertTransition {
  readonly kind: 'firing' | 'resolved' | 'escalated'
  readonly state: AlertState
  readonly condition: AlertCondition
}

/** What one evaluation produced. */
export interface AlertingResult {
  readonly transitions: readonly AlertTransition[]
  /** Notifications to hand to the outbox, one per channel. */
  readonly notifications: readonly Notification[]
  /** Every alert's state after the evaluation (including suppressed and pending ones). */
  readonly states: readonly AlertState[]
}

/** Options of {@link createAlerting}. */
export interface AlertingOptions {
  readonly section: AlertsSection
  /** Where alert states survive restarts; in memory by default. */
  readonly store?: AlertStateStore | undefined
  readonly clock?: Clock | undefined
  readonly logger?: Logger | undefined
}

/** Runs alert rules over SLO statuses, keeps each alert's state, and builds the notifications. */
/** Options of {@link Alerting.evaluate}. */
export interface EvaluateOptions {
  /**
   * Takes the evaluation's notifications somewhere durable (an outbox) before the new alert states
   * are saved. If it throws, nothing is saved and the next evaluation produces the same
   * notifications, with the same ids — so a crash between the two can neither lose a page nor
   * send it twice.
   */
  readonly handOff?: ((notifications: readonly Notification[]) => Promise<unknown>) | undefined
}

export interface Alerting {
  /** Evaluates the rules for these statuses at `now` (default: the clock). */
  evaluate(
    entries: ReadonlyArray<{ readonly slo: SloSpec; readonly status: SloStatus }>,
    context?: ConditionContext,
    now?: number,
    options?: EvaluateOptions,
  ): Promise<AlertingResult>
  /** Every alert's state. */
  states(): Promise<AlertState[]>
}

const pct = (ratio: number | null) => (ratio === null ? 'no data' : `${Number((ratio * 100).toFixed(3))}%`)
const rate = (value: number | null | undefined) => (value == null ? '—' : String(Number(value.toFixed(2))))

const DEFAULT_TITLES: Readonly<Record<AlertRule['type'], string>> = {
  burn_rate: '{{slo}} is burning its error budget {{burnRate}}× ({{tier}}, {{window}})',
  budget_remaining: '{{slo}} has {{budgetRemaining}} of its error budget left',
  slo_not_met: '{{slo}} is missing its objective: {{sli}} < {{objective}}',
  trend: '{{slo}} is degrading',
  no_data: 'No data for {{slo}}',
}
/** Resolve titles say what is over; a custom `title` resolves as `Resolved: <title>`. */
const DEFAULT_RESOLVED_TITLES: Readonly<Record<AlertRule['type'], string>> = {
  burn_rate: '{{slo}} no longer burns its error budget too fast ({{tier}})',
  budget_remaining: '{{slo}} has {{budgetRemaining}} of its error budget left again',
  slo_not_met: '{{slo}} meets its objective again: {{sli}}',
  trend: '{{slo}} is no longer degrading',
  no_data: 'Data for {{slo}} is back',
}
const DEFAULT_BODY =
  '{{reason}}.\nSLI {{sli}} (objective {{objective}}), {{budgetRemaining}} of the error budget left.'

/**
 * Creates the alerting state machine. Each alert (rule × SLO × tier) moves inactive → pending
 * (while its condition has held for less than `for`) → firing → resolved (for the cooldown) →
 * inactive. Transitions to firing and resolved, and escalations, become notifications routed by
 * severity, service, rule and labels; alerts of one service that change together are grouped;
 * ticket-tier alerts stay quiet while a page-tier alert of the same SLO fires. A condition that
 * cannot be judged (no data) changes nothing.
 *
 * @example
 * ```ts
 * const alerting = createAlerting({ section: alertsSectionSchema.parse(config.alerts), store: new FileAlertStateStore('.slokit/alerts.json') })
 * const { notifications } = await alerting.evaluate(slos.map((slo, i) => ({ slo, status: statuses[i] })))
 * await outbox.enqueue(notifications)
 * ```
 */
export function createAlerting(options: AlertingOptions): Alerting {
  const { section } = options
  const store = options.store ?? new MemoryAlertStateStore()
  const clock = options.clock ?? systemClock
  const logger = options.logger ?? noopLogger
  let states: Record<string, AlertState> | undefined
  let queue: Promise<unknown> = Promise.resolve()

  const load = async (): Promise<Record<string, AlertState>> => {
    states ??= { ...((await store.load())?.alerts ?? {}) }
    return states
  }

  const evaluateNow = async (
    entries: ReadonlyArray<{ readonly slo: SloSpec; readonly status: SloStatus }>,
    context: ConditionContext,
    now: number,
    handOff: EvaluateOptions['handOff'],
  ): Promise<AlertingResult> => {
    const saved = await load()
    const before = JSON.stringify(saved)
    // Work on a copy: the states change only once the notifications are handed off and saved.
    const current = { ...saved }
    const conditions = entries.flatMap(({ slo, status }) =>
      evaluateConditions(section.rules, slo, status, context),
    )
    const paging = new Map<string, string>()
    if (section.inhibitTicketsWhilePaging) {
      for (const c of conditions) {
        // A page that fires now, or fired before and cannot be judged now, inhibits the SLO's tickets.
        const firing = current[c.alertId]?.phase === 'firing'
        if (c.tier === 'page' && (c.active === true || (firing && c.active === null)))
          paging.set(c.slo.id, c.alertId)
      }
    }
    const transitions: AlertTransition[] = []
    for (const condition of conditions) {
      const inhibitedBy = condition.tier === 'ticket' ? paging.get(condition.slo.id) : undefined
      const previous = current[condition.alertId] ?? initial(condition, now)
      const { state, kind } = step(previous, condition, inhibitedBy, now)
      current[condition.alertId] = state
      if (kind !== undefined) transitions.push({ kind, state, condition })
    }
    const notifications = buildNotifications(transitions, now)
    if (handOff !== undefined && notifications.length > 0) await handOff(notifications)
    if (JSON.stringify(current) !== before) await store.save({ version: 1, alerts: current })
    states = current
    for (const t of transitions)
      logger.info(`[slokit/alerting] ${t.state.alertId} ${t.kind}`, {
        alertId: t.state.alertId,
        reason: t.state.reason,
      })
    return { transitions, notifications, states: Object.values(current) }
  }

  const step = (
    previous: AlertState,
    condition: AlertCondition,
    inhibitedBy: string | undefined,
    now: number,
  ): { state: AlertState; kind?: AlertTransition['kind'] } => {
    const rule = condition.rule
    // A no-data rule fires once data has been missing for `after` (and `for`, when longer).
    const forMs = rule.type === 'no_data' ? Math.max(rule.for ?? 0, rule.after) : (rule.for ?? 0)
    let base: AlertState = {
      ...previous,
      severity: condition.severity,
      reason: condition.reason,
      suppressed: condition.suppressed,
    }
    const enter = (phase: AlertPhase, extra: Partial<AlertState> = {}): AlertState => ({
      ...base,
      phase,
      sinceMs: now,
      ...extra,
    })
    if (condition.active === null) return { state: { ...base, reason: condition.reason } }
    if (condition.active) {
      if (inhibitedBy !== undefined && previous.phase !== 'firing') {
        return {
          state: {
            ...base,
            phase: previous.phase === 'resolved' ? 'resolved' : 'inactive',
            suppressed: `inhibited while ${inhibitedBy} pages`,
          },
        }
      }
      switch (previous.phase) {
        case 'firing': {
          if (previous.quietSinceMs != null) base = { ...base, quietSinceMs: null }
          const escalation = routeAlert(section.routes, summaryFields(condition)).escalations.find(
            (e) => !previous.escalated && now - (previous.firingSinceMs ?? now) >= e.afterMs,
          )
          if (escalation !== undefined)
            return { state: { ...base, escalated: true, sequence: previous.sequence + 1 }, kind: 'escalated' }
          return { state: base }
        }
        case 'resolved':
          if (now < (previous.resolvedAtMs ?? 0) + section.cooldown) {
            return {
              state: {
                ...base,
                suppressed: `cooldown until ${new Date((previous.resolvedAtMs ?? 0) + section.cooldown).toISOString()}`,
              },
            }
          }
          return forMs > 0 ? { state: enter('pending') } : fire()
        case 'inactive':
          return forMs > 0 ? { state: enter('pending') } : fire()
        case 'pending':
          return now - previous.sinceMs >= forMs ? fire() : { state: base }
      }
    }
    switch (previous.phase) {
      case 'firing': {
        // keepFiringFor: a lull shorter than it keeps the alert firing, so a burn at the threshold pages once.
        const keepMs = rule.keepFiringFor ?? 0
        const quietSinceMs = previous.quietSinceMs ?? now
        if (keepMs > 0 && now - quietSinceMs < keepMs) {
          return {
            state: { ...base, quietSinceMs },
          }
        }
        return {
          state: enter('resolved', {
            resolvedAtMs: now,
            sequence: previous.sequence + 1,
            quietSinceMs: null,
          }),
          kind: 'resolved',
        }
      }
      case 'pending':
        return { state: enter('inactive') }
      case 'resolved':
        return now >= (previous.resolvedAtMs ?? 0) + section.cooldown
          ? { state: enter('inactive') }
          : { state: base }
      case 'inactive':
        return { state: base }
    }
    function fire(): { state: AlertState; kind: 'firing' } {
      const channels = routeAlert(section.routes, summaryFields(condition)).channels
      return {
        state: enter('firing', {
          firingSinceMs: now,
          resolvedAtMs: null,
          escalated: false,
          sequence: previous.sequence + 1,
          notifiedChannels: channels,
        }),
        kind: 'firing',
      }
    }
  }

  const buildNotifications = (transitions: readonly AlertTransition[], now: number): Notification[] => {
    // channel → kind → service → alerts
    const buckets = new Map<
      string,
      {
        kind: Notification['kind']
        escalated: boolean
        service: string
        alerts: AlertSummary[]
        seqs: string[]
      }
    >()
    for (const t of transitions) {
      const summary = toSummary(t, now)
      const route = routeAlert(section.routes, summaryFields(t.condition))
      const channels =
        t.kind === 'firing'
          ? route.channels
          : t.kind === 'escalated'
            ? route.escalations.flatMap((e) => e.channels)
            : [
                ...t.state.notifiedChannels,
                ...(t.state.escalated ? route.escalations.flatMap((e) => e.channels) : []),
              ]
      if (channels.length === 0 && t.kind === 'firing') {
        logger.warn(`[slokit/alerting] no route sends ${t.state.alertId} anywhere`, {
          alertId: t.state.alertId,
        })
      }
      for (const channel of new Set(channels)) {
        const kind = t.kind === 'resolved' ? 'alert_resolved' : 'alert_firing'
        const group = section.groupByService
          ? `${channel}|${kind}|${t.kind === 'escalated'}|${t.state.service}`
          : `${channel}|${kind}|${t.kind === 'escalated'}|${t.state.alertId}`
        const bucket = buckets.get(group) ?? {
          kind,
          escalated: t.kind === 'escalated',
          service: t.state.service,
          alerts: [],
          seqs: [],
        }
        bucket.alerts.push(summary)
        bucket.seqs.push(`${t.state.alertId}#${t.state.sequence}`)
        buckets.set(group, bucket)
      }
    }
    const notifications: Notification[] = []
    for (const [group, bucket] of buckets) {
      const channel = group.split('|')[0] as string
      const single = bucket.alerts.length === 1 ? bucket.alerts[0] : undefined
      const key =
        single?.alertId ??
        `${bucket.service}/group-${createHash('sha1').update(bucket.seqs.sort().join(',')).digest('hex').slice(0, 10)}`
      const sequence = single === undefined ? '0' : (bucket.seqs[0]?.split('#')[1] ?? '0')
      const severity = bucket.alerts.reduce<Severity>(
        (worst, a) => (SEVERITIES.indexOf(a.severity) < SEVERITIES.indexOf(worst) ? a.severity : worst),
        'info',
      )
      const prefix = bucket.kind === 'alert_resolved' ? 'Resolved: ' : bucket.escalated ? 'Escalated: ' : ''
      const title =
        single !== undefined
          ? `${bucket.escalated ? prefix : ''}${single.title}`
          : `${prefix}${bucket.alerts.length} alerts for ${bucket.service}: ${[...new Set(bucket.alerts.map((a) => `${a.rule} on ${a.sloId}`))].join(', ')}`
      const body =
        single !== undefined
          ? single.body
          : bucket.alerts.map((a) => `• ${a.title}\n  ${a.body.split('\n')[0]}`).join('\n')
      const first = bucket.alerts[0] as AlertSummary
      notifications.push({
        id: `${key}:${sequence}${bucket.escalated ? ':escalated' : ''}:${channel}`,
        dedupKey: key,
        kind: bucket.kind,
        channel,
        severity,
        title,
        body,
        service: bucket.service,
        createdAtMs: now,
        alerts: bucket.alerts,
        links: {
          ...(first.runbookUrl === null ? {} : { runbook: first.runbookUrl }),
          ...(first.dashboardUrl === null ? {} : { dashboard: first.dashboardUrl }),
        },
        details: bucket.escalated ? { escalated: true } : {},
      })
    }
    return notifications
  }

  const exclusive = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run)
    queue = next.catch(() => {})
    return next
  }

  return {
    evaluate: (entries, context = {}, now = clock.now(), options = {}) =>
      exclusive(() => evaluateNow(entries, context, now, options.handOff)),
    states: () => exclusive(async () => Object.values(await load())),
  }
}

function initial(condition: AlertCondition, now: number): AlertState {
  return {
    alertId: condition.alertId,
    rule: condition.rule.name,
    sloId: condition.slo.id,
    service: condition.slo.service,
    tier: condition.tier,
    severity: condition.severity,
    phase: 'inactive',
    sinceMs: now,
    firingSinceMs: null,
    resolvedAtMs: null,
    sequence: 0,
    escalated: false,
    notifiedChannels: [],
    suppressed: null,
    reason: condition.reason,
  }
}

function summaryFields(condition: AlertCondition) {
  return {
    severity: condition.severity,
    service: condition.slo.service,
    rule: condition.rule.name,
    labels: { ...condition.slo.labels, ...condition.rule.labels },
  }
}

function templateValues(condition: AlertCondition): Record<AlertField, string> {
  const { slo, status, burn } = condition
  return {
    slo: slo.id,
    sloName: slo.name ?? slo.id,
    service: slo.service,
    rule: condition.rule.name,
    tier: condition.tier ?? '',
    severity: condition.severity,
    sli: pct(status.sli),
    objective: pct(slo.objective),
    budgetRemaining: pct(status.budget?.remaining ?? null),
    burnRate: rate(burn?.longBurnRate),
    burnRateShort: rate(burn?.shortBurnRate),
    factor: rate(burn?.factor),
    window: burn === null ? '' : `${formatDuration(burn.longWindowMs)}/${formatDuration(burn.shortWindowMs)}`,
    reason: condition.reason,
    runbook: slo.runbookUrl ?? '',
    dashboard: slo.dashboardUrl ?? '',
  }
}

function toSummary(transition: AlertTransition, now: number): AlertSummary {
  const { condition, state } = transition
  const values = templateValues(condition)
  const custom = condition.rule.title
  const title =
    transition.kind !== 'resolved'
      ? renderAlertTemplate(custom ?? DEFAULT_TITLES[condition.rule.type], values)
      : custom !== undefined
        ? `Resolved: ${renderAlertTemplate(custom, values)}`
        : renderAlertTemplate(DEFAULT_RESOLVED_TITLES[condition.rule.type], values)
  const body = renderAlertTemplate(condition.rule.body ?? DEFAULT_BODY, values)
  return {
    alertId: state.alertId,
    rule: state.rule,
    sloId: state.sloId,
    service: state.service,
    severity: state.severity,
    state: transition.kind === 'resolved' ? 'resolved' : 'firing',
    title,
    body,
    startsAtMs: state.firingSinceMs ?? now,
    endsAtMs: transition.kind === 'resolved' ? now : null,
    sli: condition.status.sli,
    objective: condition.slo.objective,
    budgetRemaining: condition.status.budget?.remaining ?? null,
    burnRates: condition.status.burnRates.map((b) => ({ windowMs: b.windowMs, burnRate: b.burnRate })),
    labels: { ...condition.slo.labels, ...condition.rule.labels },
    annotations: { ...condition.slo.annotations, ...condition.rule.annotations },
    runbookUrl: condition.slo.runbookUrl ?? null,
    dashboardUrl: condition.slo.dashboardUrl ?? null,
  }
}
