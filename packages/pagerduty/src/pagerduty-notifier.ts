import type { DeliveryResult, Notification, NotificationKind, Notifier, SendOptions } from '@slokit/alerting'
import { type Logger, noopLogger } from '@slokit/core'
import {
  DEFAULT_PAGERDUTY_ACTIONS,
  type PagerDutyAction,
  type PagerDutyChangeEvent,
  pagerDutyDedupKey,
  toChangeEvent,
  toTriggerEvent,
} from './event.js'
import {
  PagerDutyEventsClient,
  type PagerDutyEventsClientOptions,
  type PagerDutyResult,
} from './events-client.js'

/** Options of {@link PagerDutyNotifier}: the client's, and how notifications map to events. */
export interface PagerDutyNotifierOptions extends PagerDutyEventsClientOptions {
  /** `payload.source`; by default the alert's service, else the notification's, else `slokit`. */
  readonly source?: string | undefined
  /** `client_url` on triggered alerts: where PagerDuty links back to. */
  readonly clientUrl?: string | undefined
  /** What each kind becomes; see {@link DEFAULT_PAGERDUTY_ACTIONS}. */
  readonly actions?: Partial<Record<NotificationKind, PagerDutyAction>> | undefined
  readonly logger?: Logger | undefined
}

/** How many dedup keys PagerDuty answered are remembered (in case it ever answers another key than ours). */
const REMEMBERED_KEYS = 10_000

/**
 * Sends notifications to PagerDuty's Events API v2: an alert's firing triggers an incident and
 * its resolution resolves the same one — the `dedup_key` comes from the notification's stable
 * `dedupKey`, so every transition of an alert lands on one incident, also across restarts.
 * Budget-policy notifications trigger; freezes, reviews and reports become change events (see
 * {@link DEFAULT_PAGERDUTY_ACTIONS}). One attempt per `send`: 429, 5xx and network errors are
 * retryable (429 with `retryAfterMs`), 400 is not and keeps PagerDuty's `errors[]` with the
 * routing key redacted. The routing key never appears in logs, results or printouts.
 *
 * @example
 * ```ts
 * const pagerduty = new PagerDutyNotifier({
 *   name: 'pagerduty-checkout',
 *   routingKey: new Secret('PAGERDUTY_ROUTING_KEY_CHECKOUT', process.env.PAGERDUTY_ROUTING_KEY_CHECKOUT),
 * })
 * await pagerduty.send(firing)   // trigger, dedup_key = firing.dedupKey
 * await pagerduty.send(resolved) // resolve, the same dedup_key
 * ```
 */
export class PagerDutyNotifier implements Notifier {
  /** Name in logs and results. Never a secret. */
  readonly name: string
  readonly #client: PagerDutyEventsClient
  readonly #eventOptions: { readonly source: string | undefined; readonly clientUrl: string | undefined }
  readonly #actions: Readonly<Record<NotificationKind, PagerDutyAction>>
  readonly #logger: Logger
  /** Our dedup key → the one PagerDuty answered, when they differ. */
  readonly #answeredKeys = new Map<string, string>()

  /** @throws `SlokitError` `INVALID_CONFIG` as {@link PagerDutyEventsClient} does. */
  constructor(options: PagerDutyNotifierOptions) {
    this.name = options.name ?? 'pagerduty'
    this.#client = new PagerDutyEventsClient({ ...options, name: this.name })
    this.#eventOptions = { source: options.source, clientUrl: options.clientUrl }
    this.#actions = { ...DEFAULT_PAGERDUTY_ACTIONS, ...options.actions }
    this.#logger = options.logger ?? noopLogger
  }

  /**
   * Delivers a notification: one event, or for a group of alerts (slokit groups alerts of a
   * service that fire together) one event per alert, keyed by the alert's id — the group fires
   * together but resolves alert by alert, and each resolve must close its own incident. The
   * delivery succeeds when every event was accepted; a retry re-sends them all, which PagerDuty
   * deduplicates by key. Never rejects.
   */
  async send(notification: Notification, options: SendOptions = {}): Promise<DeliveryResult> {
    const action = this.#actions[notification.kind]
    if ((action !== 'trigger' && action !== 'resolve') || notification.alerts.length <= 1) {
      return strip(await this.#sendOne(notification, action, options))
    }
    const results: PagerDutyResult[] = []
    for (const alert of notification.alerts) {
      const one: Notification = {
        ...notification,
        dedupKey: alert.alertId,
        severity: alert.severity,
        title: alert.title,
        body: alert.body,
        alerts: [alert],
      }
      results.push(await this.#sendOne(one, action, options))
    }
    const failed = results.filter((r) => !r.ok)
    if (failed.length === 0) return { ok: true, retryable: false }
    const retryAfterMs = Math.max(0, ...failed.map((r) => r.retryAfterMs ?? 0))
    return {
      ok: false,
      retryable: failed.some((r) => r.retryable),
      error: `${failed.length} of ${results.length} events failed: ${failed.map((r) => r.error).join('; ')}`,
      ...(retryAfterMs > 0 ? { retryAfterMs } : {}),
    }
  }

  async #sendOne(
    notification: Notification,
    action: PagerDutyAction,
    options: SendOptions,
  ): Promise<PagerDutyResult> {
    const fields = { notifier: this.name, kind: notification.kind, notification: notification.id, action }
    const eventOptions = this.#eventOptions
    let result: PagerDutyResult
    if (action === 'change') {
      result = await this.#client.change(toChangeEvent(notification, eventOptions), options)
    } else if (action === 'resolve') {
      result = await this.resolve(notification.dedupKey, options)
    } else {
      const event = toTriggerEvent(notification, eventOptions)
      result = await this.#client.enqueue(event, options)
      if (result.ok && result.dedupKey !== undefined && result.dedupKey !== event.dedup_key) {
        this.#remember(notification.dedupKey, result.dedupKey)
        this.#logger.warn('pagerduty answered another dedup_key than sent; using it to resolve', fields)
      }
    }
    this.#log(result, fields)
    return result
  }

  /**
   * Acknowledges the incident of an alert, by the notification's `dedupKey` (e.g. from a chat-ops
   * command). Never rejects.
   */
  acknowledge(dedupKey: string, options: SendOptions = {}): Promise<PagerDutyResult> {
    return this.#client.enqueue({ event_action: 'acknowledge', dedup_key: this.#keyFor(dedupKey) }, options)
  }

  /** Resolves the incident of an alert, by the notification's `dedupKey`. Never rejects. */
  async resolve(dedupKey: string, options: SendOptions = {}): Promise<PagerDutyResult> {
    const result = await this.#client.enqueue(
      { event_action: 'resolve', dedup_key: this.#keyFor(dedupKey) },
      options,
    )
    if (result.ok) this.#answeredKeys.delete(dedupKey)
    return result
  }

  /**
   * Sends a change event (a deploy, a freeze transition) to this notifier's service, e.g.
   * `changeEventFor(transition)` or `deploymentChangeEvent(deploy)`. Never rejects.
   */
  sendChangeEvent(event: PagerDutyChangeEvent, options: SendOptions = {}): Promise<PagerDutyResult> {
    return this.#client.change(event, options)
  }

  #keyFor(dedupKey: string): string {
    return this.#answeredKeys.get(dedupKey) ?? pagerDutyDedupKey(dedupKey)
  }

  #remember(ours: string, theirs: string): void {
    this.#answeredKeys.delete(ours)
    this.#answeredKeys.set(ours, theirs)
    if (this.#answeredKeys.size > REMEMBERED_KEYS) {
      const oldest = this.#answeredKeys.keys().next().value
      if (oldest !== undefined) this.#answeredKeys.delete(oldest)
    }
  }

  #log(result: PagerDutyResult, fields: Record<string, unknown>): void {
    if (result.ok) this.#logger.debug('pagerduty event accepted', { ...fields, status: result.status })
    else
      this.#logger.warn('pagerduty event failed', {
        ...fields,
        status: result.status,
        retryable: result.retryable,
        error: result.error,
        errors: result.errors,
      })
  }

  /** `PagerDutyNotifier(<name>)`: never the routing key. */
  toString(): string {
    return `PagerDutyNotifier(${this.name})`
  }

  /** Shows only what {@link PagerDutyNotifier.toString} does. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString()
  }
}

/** The `DeliveryResult` part of a client result, for the outbox. */
function strip(result: PagerDutyResult): DeliveryResult {
  const { status: _status, errors: _errors, dedupKey: _dedupKey, ...delivery } = result
  return delivery
}
