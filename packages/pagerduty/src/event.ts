import { createHash } from 'node:crypto'
import type { AlertSummary, Notification, NotificationKind, Severity } from '@slokit/alerting'

/** PagerDuty's event severities, most urgent first. */
export const PAGERDUTY_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const
/** One of {@link PAGERDUTY_SEVERITIES}. */
export type PagerDutySeverity = (typeof PAGERDUTY_SEVERITIES)[number]

/** How slokit's severities map to PagerDuty's: `high` becomes `error`, the others keep their name. */
export const PAGERDUTY_SEVERITY_FOR: Readonly<Record<Severity, PagerDutySeverity>> = {
  critical: 'critical',
  high: 'error',
  warning: 'warning',
  info: 'info',
}

/** A link shown on the PagerDuty alert and incident. */
export interface PagerDutyLink {
  readonly href: string
  readonly text?: string
}

/** The `payload` of a trigger event (Events API v2 field names). */
export interface PagerDutyPayload {
  /** What is wrong, as shown in pages and the incident title; at most 1024 characters (longer is cut). */
  readonly summary: string
  /** The affected system, e.g. the service's name. */
  readonly source: string
  readonly severity: PagerDutySeverity
  /** ISO 8601. */
  readonly timestamp?: string
  readonly component?: string
  readonly group?: string
  readonly class?: string
  readonly custom_details?: Readonly<Record<string, unknown>>
}

/**
 * An Events API v2 event, without the `routing_key` (the client adds it). Trigger opens or
 * updates the alert with `dedup_key`; acknowledge and resolve act on it.
 */
export type PagerDutyEvent =
  | {
      readonly event_action: 'trigger'
      /** At most 255 characters. PagerDuty makes one up (and answers it) when missing. */
      readonly dedup_key?: string
      readonly payload: PagerDutyPayload
      readonly client?: string
      readonly client_url?: string
      readonly links?: readonly PagerDutyLink[]
    }
  | {
      readonly event_action: 'acknowledge' | 'resolve'
      readonly dedup_key: string
    }

/** A change event (`/v2/change/enqueue`): a deploy or a config change on the service's timeline. No paging. */
export interface PagerDutyChangeEvent {
  readonly payload: {
    /** At most 1024 characters (longer is cut). */
    readonly summary: string
    readonly source?: string
    /** ISO 8601. */
    readonly timestamp?: string
    readonly custom_details?: Readonly<Record<string, unknown>>
  }
  readonly links?: readonly PagerDutyLink[]
}

/** What a notification of each kind becomes at PagerDuty. */
export type PagerDutyAction = 'trigger' | 'resolve' | 'change'

/**
 * The default action per kind: alerts trigger and resolve an incident; budget-policy
 * notifications trigger one (routed to PagerDuty, they are meant to page: an exhausted budget, a
 * fast burn); freezes, reviews and reports become change events — on the service's timeline,
 * never a page.
 */
export const DEFAULT_PAGERDUTY_ACTIONS: Readonly<Record<NotificationKind, PagerDutyAction>> = {
  alert_firing: 'trigger',
  alert_resolved: 'resolve',
  policy: 'trigger',
  freeze: 'change',
  unfreeze: 'change',
  review_due: 'change',
  report: 'change',
}

/** Longest `dedup_key` PagerDuty accepts. */
export const MAX_DEDUP_KEY_LENGTH = 255

/**
 * The `dedup_key` for a notification's stable key: the key itself when it fits in 255
 * characters, else its first 180 characters and a SHA-256 of the whole — the same for every
 * transition of an alert, so the resolve closes what the trigger opened.
 *
 * @example
 * ```ts
 * pagerDutyDedupKey('slo-burn-rate/checkout-availability/page') // unchanged
 * ```
 */
export function pagerDutyDedupKey(stableKey: string): string {
  if (stableKey.length <= MAX_DEDUP_KEY_LENGTH) return stableKey
  return `${stableKey.slice(0, 180)}#${createHash('sha256').update(stableKey).digest('hex')}`
}

const isWebUrl = (value: string | null | undefined): value is string => {
  if (value === null || value === undefined) return false
  try {
    const { protocol } = new URL(value)
    return protocol === 'https:' || protocol === 'http:'
  } catch {
    return false
  }
}

const label = (windowMs: number): string => {
  for (const [unit, ms] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (windowMs % ms === 0) return `${windowMs / ms}${unit}`
  }
  return `${windowMs}ms`
}

function alertDetails(alert: AlertSummary): Record<string, unknown> {
  return {
    slo: alert.sloId,
    service: alert.service,
    rule: alert.rule,
    severity: alert.severity,
    state: alert.state,
    sli: alert.sli,
    objective: alert.objective,
    budget_remaining: alert.budgetRemaining,
    burn_rates: Object.fromEntries(alert.burnRates.map((b) => [label(b.windowMs), b.burnRate])),
    started_at: new Date(alert.startsAtMs).toISOString(),
    ...(alert.endsAtMs === null ? {} : { resolved_at: new Date(alert.endsAtMs).toISOString() }),
    ...(Object.keys(alert.labels).length === 0 ? {} : { labels: alert.labels }),
    ...(Object.keys(alert.annotations).length === 0 ? {} : { annotations: alert.annotations }),
  }
}

/** Runbook and dashboard links of a notification (http(s) only), for `links`. */
export function linksOf(notification: Notification): PagerDutyLink[] {
  const first = notification.alerts[0]
  const links: PagerDutyLink[] = []
  const runbook = notification.links.runbook ?? first?.runbookUrl
  const dashboard = notification.links.dashboard ?? first?.dashboardUrl
  if (isWebUrl(runbook)) links.push({ href: runbook, text: 'Runbook' })
  if (isWebUrl(dashboard)) links.push({ href: dashboard, text: 'Dashboard' })
  return links
}

/** Options of {@link toTriggerEvent} and {@link toChangeEvent}. */
export interface PagerDutyEventOptions {
  /** `payload.source`; by default the alert's service, else the notification's, else `slokit`. */
  readonly source?: string | undefined
  /** `client_url`: where the PagerDuty alert links back to (a slokit dashboard, say). */
  readonly clientUrl?: string | undefined
}

function sourceOf(notification: Notification, options: PagerDutyEventOptions): string {
  return options.source ?? notification.alerts[0]?.service ?? notification.service ?? 'slokit'
}

function summaryOf(notification: Notification): string {
  const title = notification.title.replace(/\s+/g, ' ').trim()
  return title === '' ? `slokit ${notification.kind.replace('_', ' ')}` : title
}

/**
 * The trigger event for a notification: the summary from its title, severity mapped with
 * {@link PAGERDUTY_SEVERITY_FOR}, component the SLO, group the service, class the rule, and
 * `custom_details` with the body, the SLI against its objective, burn rates per window, the
 * budget remaining (every alert of a group under `alerts`); links to the runbook and dashboard.
 */
export function toTriggerEvent(
  notification: Notification,
  options: PagerDutyEventOptions = {},
): Extract<PagerDutyEvent, { event_action: 'trigger' }> {
  const alerts = notification.alerts
  const first = alerts[0]
  const component =
    first?.sloId ?? (typeof notification.details.sloId === 'string' ? notification.details.sloId : undefined)
  const group = first?.service ?? notification.service ?? undefined
  const klass = first?.rule ?? notification.kind
  const custom_details: Record<string, unknown> = {
    ...(notification.body === '' ? {} : { body: notification.body }),
    kind: notification.kind,
    ...(alerts.length === 1 && first !== undefined ? alertDetails(first) : {}),
    ...(alerts.length > 1 ? { alerts: alerts.map(alertDetails) } : {}),
    ...(Object.keys(notification.details).length === 0 ? {} : { details: notification.details }),
  }
  const links = linksOf(notification)
  return {
    event_action: 'trigger',
    dedup_key: pagerDutyDedupKey(notification.dedupKey),
    payload: {
      summary: summaryOf(notification),
      source: sourceOf(notification, options),
      severity: PAGERDUTY_SEVERITY_FOR[notification.severity],
      timestamp: new Date(first?.startsAtMs ?? notification.createdAtMs).toISOString(),
      ...(component === undefined ? {} : { component }),
      ...(group === undefined ? {} : { group }),
      class: klass,
      custom_details,
    },
    client: 'slokit',
    ...(options.clientUrl === undefined ? {} : { client_url: options.clientUrl }),
    ...(links.length === 0 ? {} : { links }),
  }
}

/** The change event for an informational notification (a freeze, a review, a report). */
export function toChangeEvent(
  notification: Notification,
  options: PagerDutyEventOptions = {},
): PagerDutyChangeEvent {
  const links = linksOf(notification)
  return {
    payload: {
      summary: summaryOf(notification),
      source: sourceOf(notification, options),
      timestamp: new Date(notification.createdAtMs).toISOString(),
      custom_details: {
        kind: notification.kind,
        ...(notification.service === null ? {} : { service: notification.service }),
        ...(notification.body === '' ? {} : { body: notification.body }),
        ...notification.details,
      },
    },
    ...(links.length === 0 ? {} : { links }),
  }
}
