/** Alert severities, most urgent first. */
export const SEVERITIES = ['critical', 'high', 'warning', 'info'] as const
/** One of {@link SEVERITIES}. */
export type Severity = (typeof SEVERITIES)[number]

/** What a notification is about; notifiers lay each kind out differently. */
export const NOTIFICATION_KINDS = [
  'alert_firing',
  'alert_resolved',
  'policy',
  'freeze',
  'unfreeze',
  'review_due',
  'report',
] as const
/** One of {@link NOTIFICATION_KINDS}. */
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number]

/** A burn rate over one window, as carried in alerts. */
export interface BurnRateValue {
  readonly windowMs: number
  readonly burnRate: number | null
}

/** One alert inside a notification (several when alerts of one service are grouped). */
export interface AlertSummary {
  /** Stable id of the alert: rule, SLO and tier; the same across every transition. */
  readonly alertId: string
  readonly rule: string
  readonly sloId: string
  readonly service: string
  readonly severity: Severity
  readonly state: 'firing' | 'resolved'
  readonly title: string
  readonly body: string
  /** When the alert started firing (epoch ms). */
  readonly startsAtMs: number
  /** When it resolved; `null` while firing. */
  readonly endsAtMs: number | null
  readonly sli: number | null
  readonly objective: number
  readonly budgetRemaining: number | null
  readonly burnRates: readonly BurnRateValue[]
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  readonly runbookUrl: string | null
  readonly dashboardUrl: string | null
}

/**
 * A message to deliver to one channel. Title and body are plain text: each notifier escapes them
 * for its medium (Slack mrkdwn, HTML, …), so text written by operators can never break a layout.
 */
export interface Notification {
  /**
   * Unique per notification: the dedup key, the transition and the channel. The outbox delivers
   * each id at most once, also across restarts; notifiers may use it as an idempotency key.
   */
  readonly id: string
  /**
   * Stable across the transitions of one alert (or one group of alerts): PagerDuty's `dedup_key`,
   * so a resolve closes the incident its trigger opened.
   */
  readonly dedupKey: string
  readonly kind: NotificationKind
  /** The channel (by name, from the config) this notification is routed to. */
  readonly channel: string
  readonly severity: Severity
  readonly title: string
  readonly body: string
  readonly service: string | null
  readonly createdAtMs: number
  /** The alerts, for `alert_firing` and `alert_resolved`; empty otherwise. */
  readonly alerts: readonly AlertSummary[]
  readonly links: { readonly runbook?: string; readonly dashboard?: string }
  /** Kind-specific facts (a policy decision, a freeze transition, a report summary…). */
  readonly details: Readonly<Record<string, unknown>>
}

/**
 * How a delivery went. Notifiers never throw for a failed delivery: they say whether trying again
 * could help, and how long to wait.
 */
export interface DeliveryResult {
  readonly ok: boolean
  /** For a failure: whether a later attempt may succeed (429, 5xx, network errors). */
  readonly retryable: boolean
  /** Wait at least this long before the next attempt (e.g. from `Retry-After`). */
  readonly retryAfterMs?: number
  /** Why it failed, in words. Never contains a secret. */
  readonly error?: string
  /** The destination is gone for good (a revoked webhook, an archived channel): stop sending to it. */
  readonly disableDestination?: boolean
  /** An id the service gave the message (a Slack `ts`, a PagerDuty dedup key). */
  readonly externalId?: string
}

/** Options of one {@link Notifier.send} call. */
export interface SendOptions {
  readonly signal?: AbortSignal | undefined
}

/**
 * Where notifications go: Slack, PagerDuty, a webhook, the console. One method. Run
 * `describeNotifierContract` from `@slokit/alerting/vitest` in an implementation's tests.
 *
 * @example
 * ```ts
 * const notifier: Notifier = {
 *   name: 'teams',
 *   async send(notification) {
 *     const response = await fetch(url, { method: 'POST', body: JSON.stringify({ text: notification.title }) })
 *     return response.ok ? { ok: true, retryable: false } : { ok: false, retryable: response.status >= 500, error: `HTTP ${response.status}` }
 *   },
 * }
 * ```
 */
export interface Notifier {
  /** A short name for logs, e.g. `slack`. Never contains a secret. */
  readonly name: string
  /** Delivers one notification. Resolves with the outcome; never rejects for a delivery failure. */
  send(notification: Notification, options?: SendOptions): Promise<DeliveryResult>
}
