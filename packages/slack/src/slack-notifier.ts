import { createHash } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import type { DeliveryResult, Notification, Notifier, SendOptions } from '@slokit/alerting'
import { type Clock, type Logger, noopLogger, Secret, SlokitError, systemClock } from '@slokit/core'
import { fitSlackLimits, type SlackMessage } from './limits.js'
import { buildSlackMessage } from './message.js'
import { SlackPacer } from './pacer.js'
import { classifyWebApiResponse, classifyWebhookResponse, type SlackOutcome } from './response.js'
import { MemorySlackThreadStore, type SlackThreadStore } from './thread-store.js'

/** Waits `ms`, or rejects when `signal` aborts. Inject a fake in tests so nothing sleeps for real. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>

/** Where a {@link SlackNotifier} posts: an incoming webhook, or `chat.postMessage` with a bot token. */
export type SlackDestination =
  | {
      /** An incoming webhook URL (`https://hooks.slack.com/services/…`). The URL is the secret. */
      readonly webhookUrl: Secret | string
      readonly token?: undefined
      readonly channel?: undefined
    }
  | {
      /** A bot token (`xoxb-…`) with the `chat:write` scope. */
      readonly token: Secret | string
      /** The channel id (`C0123…`) or name (`#sre`) to post to; the app must be in it. */
      readonly channel: string
      readonly webhookUrl?: undefined
    }

/** Told when a {@link SlackNotifier} disables its destination. */
export interface SlackDisabledEvent {
  /** The notifier's name (the channel's name in the config). */
  readonly notifier: string
  /** Slack's reason: `no_service`, `channel_is_archived`, `token_revoked`… */
  readonly reason: string
  /** What to do about it. */
  readonly hint: string | undefined
}

/** Settings of a {@link SlackNotifier}, besides its destination. All optional. */
export interface SlackNotifierSettings {
  /** Name in logs and results, e.g. the channel's key in the config; `slack` by default. Never a secret. */
  readonly name?: string | undefined
  /** The Web API's base URL; `https://slack.com/api/` by default (GovSlack: `https://slack-gov.com/api/`). */
  readonly apiUrl?: string | undefined
  /**
   * Web API only: post an alert's resolved message in the thread of its firing message. Default
   * `true`. The firing message's `ts` is kept in `threadStore`.
   */
  readonly threadResolved?: boolean | undefined
  /** Web API only: also show a threaded resolved message in the channel (`reply_broadcast`). Default `true`. */
  readonly broadcastResolved?: boolean | undefined
  /** Where firing messages' `ts` are kept; in memory (10,000 newest) by default. */
  readonly threadStore?: SlackThreadStore | undefined
  /** Pacing shared with other notifiers; a pacer of its own (1 message/s) by default. */
  readonly pacer?: SlackPacer | undefined
  /**
   * Longest a send waits for its pacing slot. Beyond it the send does not wait: it answers
   * `retryable` with `retryAfterMs`, and the outbox tries again then. Default 10,000.
   */
  readonly maxPacingDelayMs?: number | undefined
  /** `retryAfterMs` for a 429 without a usable `Retry-After`. Default 30,000. */
  readonly defaultRetryAfterMs?: number | undefined
  /** Per request. Default 10,000. */
  readonly timeoutMs?: number | undefined
  /** Lays a notification out; `buildSlackMessage` by default. Its output is fitted to Slack's limits. */
  readonly render?: ((notification: Notification) => SlackMessage) | undefined
  /** Called when the destination is disabled (revoked webhook, archived channel, revoked token). */
  readonly onDisabled?: ((event: SlackDisabledEvent) => void) | undefined
  readonly fetch?: typeof fetch | undefined
  readonly clock?: Clock | undefined
  /** How pacing waits; `node:timers/promises` by default. */
  readonly sleep?: Sleep | undefined
  readonly logger?: Logger | undefined
}

/** Options of {@link SlackNotifier}: a destination and settings. */
export type SlackNotifierOptions = SlackDestination & SlackNotifierSettings

const realSleep: Sleep = (ms, signal) => delay(ms, undefined, signal === undefined ? undefined : { signal })

const toSecret = (value: Secret | string, name: string): Secret =>
  typeof value === 'string' ? new Secret(name, value) : value

function requireSet(secret: Secret, option: string): string {
  if (!secret.isSet) {
    throw new SlokitError('INVALID_CONFIG', `[slokit/slack] \`${option}\` (${secret}) is not set.`, {
      hint: `set the environment variable ${secret.name}`,
    })
  }
  return secret.reveal()
}

function requireHttpUrl(value: string, option: string, isSecret: boolean): URL {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {}
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    // A secret URL is never shown, not even when it is wrong.
    const shown = isSecret ? '' : ` (got ${JSON.stringify(value)})`
    throw new SlokitError('INVALID_CONFIG', `[slokit/slack] \`${option}\` must be an http(s) URL${shown}.`, {
      hint:
        option === 'webhookUrl'
          ? 'copy the URL Slack shows for the incoming webhook'
          : 'e.g. https://slack.com/api/',
    })
  }
  return url
}

function checkedMs(value: number | undefined, fallback: number, option: string, min: 0 | 1): number {
  const result = value ?? fallback
  if (!(Number.isFinite(result) && result >= min)) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `[slokit/slack] SlackNotifier: \`${option}\` must be a finite number >= ${min}, got ${result}.`,
    )
  }
  return result
}

/**
 * Posts notifications to Slack, through an incoming webhook or `chat.postMessage`, honouring
 * Slack's contract:
 *
 * - Block Kit messages with a `text` fallback, fitted to Slack's limits before sending;
 * - one attempt per `send`; 429 answers `retryable` with `retryAfterMs` from `Retry-After`, and
 *   holds the destination until then (further sends answer the same without calling Slack);
 *   5xx and network errors are retryable; other 4xx and `{ ok: false }` are not;
 * - 404 (`no_service`), 410 (`channel_is_archived`) and a revoked token or archived channel on the
 *   Web API disable the destination: the result says `disableDestination`, `onDisabled` and the
 *   logger are told, and later sends fail at once without calling Slack;
 * - messages to one destination at least a second apart (see {@link SlackPacer});
 * - with the Web API, resolved messages go in the thread of the firing one.
 *
 * The webhook URL and the token never appear in logs, results, errors or printouts.
 *
 * @example
 * ```ts
 * const slack = new SlackNotifier({ name: 'slack-sre', webhookUrl: new Secret('SLACK_WEBHOOK_SRE', process.env.SLACK_WEBHOOK_SRE) })
 * const result = await slack.send(notification)
 * // { ok: false, retryable: true, retryAfterMs: 2000, error: 'slack-sre: rate limited by Slack (HTTP 429), retry after 2s' }
 * ```
 */
export class SlackNotifier implements Notifier {
  /** Name in logs and results. Never a secret. */
  readonly name: string
  /** `webhook` (incoming webhook) or `web-api` (`chat.postMessage`). */
  readonly transport: 'webhook' | 'web-api'
  readonly #endpoint: Secret
  readonly #token: Secret | undefined
  readonly #channel: string | undefined
  readonly #paceKey: string
  readonly #pacer: SlackPacer
  readonly #threads: SlackThreadStore
  readonly #threadResolved: boolean
  readonly #broadcastResolved: boolean
  readonly #maxPacingDelayMs: number
  readonly #defaultRetryAfterMs: number
  readonly #timeoutMs: number
  readonly #render: (notification: Notification) => SlackMessage
  readonly #onDisabled: ((event: SlackDisabledEvent) => void) | undefined
  readonly #fetch: typeof fetch
  readonly #clock: Clock
  readonly #sleep: Sleep
  readonly #logger: Logger
  /** Texts that must never leave the notifier: the URL, its path, the token. */
  readonly #secrets: readonly string[]
  #disabled: { reason: string; hint: string | undefined } | undefined

  /**
   * @throws `SlokitError` `INVALID_CONFIG` when the destination is missing, both kinds are given,
   * a secret is not set or the URL is not http(s); `INVALID_ARGUMENT` for bad numeric settings.
   */
  constructor(options: SlackNotifierOptions) {
    this.name = options.name ?? 'slack'
    const hasWebhook = options.webhookUrl !== undefined
    const hasToken = options.token !== undefined
    if (hasWebhook === hasToken) {
      throw new SlokitError(
        'INVALID_CONFIG',
        `[slokit/slack] Slack channel \`${this.name}\` needs either \`webhookUrl\` or \`token\` with \`channel\`${hasWebhook ? ', not both' : ''}.`,
        {
          hint: 'an incoming webhook posts to the channel it was created for; a bot token posts anywhere the app is invited',
        },
      )
    }
    this.#clock = options.clock ?? systemClock
    if (options.webhookUrl !== undefined) {
      this.transport = 'webhook'
      this.#endpoint = toSecret(options.webhookUrl, 'inline')
      const url = requireHttpUrl(requireSet(this.#endpoint, 'webhookUrl'), 'webhookUrl', true)
      this.#secrets = [url.href, this.#endpoint.reveal(), url.pathname].filter((s) => s.length > 8)
      this.#paceKey = hash(`webhook\n${url.href}`)
    } else {
      this.transport = 'web-api'
      if (options.channel === undefined || options.channel.trim() === '') {
        throw new SlokitError(
          'INVALID_CONFIG',
          `[slokit/slack] Slack channel \`${this.name}\` has a \`token\` but no \`channel\`.`,
          {
            hint: 'set `channel` to the channel id (C0123…) or name (#sre) the app should post to',
          },
        )
      }
      this.#token = toSecret(options.token, 'inline')
      const token = requireSet(this.#token, 'token')
      if (token.trim() === '') {
        throw new SlokitError('INVALID_CONFIG', `[slokit/slack] \`token\` (${this.#token}) is empty.`, {
          hint: "use the bot token (xoxb-…) from the app's OAuth & Permissions page",
        })
      }
      const base = requireHttpUrl(options.apiUrl ?? 'https://slack.com/api/', 'apiUrl', false)
      this.#endpoint = new Secret(
        'apiUrl',
        new URL('chat.postMessage', base.href.endsWith('/') ? base : `${base.href}/`).href,
      )
      this.#channel = options.channel
      this.#secrets = [token]
      this.#paceKey = hash(`web-api\n${this.#endpoint.reveal()}\n${token}\n${options.channel}`)
    }
    this.#pacer = options.pacer ?? new SlackPacer({ clock: this.#clock })
    this.#threads = options.threadStore ?? new MemorySlackThreadStore()
    this.#threadResolved = options.threadResolved ?? true
    this.#broadcastResolved = options.broadcastResolved ?? true
    this.#maxPacingDelayMs = checkedMs(options.maxPacingDelayMs, 10_000, 'maxPacingDelayMs', 0)
    this.#defaultRetryAfterMs = checkedMs(options.defaultRetryAfterMs, 30_000, 'defaultRetryAfterMs', 0)
    this.#timeoutMs = checkedMs(options.timeoutMs, 10_000, 'timeoutMs', 1)
    this.#render = options.render ?? buildSlackMessage
    this.#onDisabled = options.onDisabled
    this.#fetch = options.fetch ?? fetch
    this.#sleep = options.sleep ?? realSleep
    this.#logger = options.logger ?? noopLogger
  }

  /** Why the destination was disabled (`no_service`, `channel_is_archived`…), or `null` while it is enabled. */
  get disabledReason(): string | null {
    return this.#disabled?.reason ?? null
  }

  /** Delivers one notification in one attempt (after its pacing slot). Never rejects. */
  async send(notification: Notification, options: SendOptions = {}): Promise<DeliveryResult> {
    const { signal } = options
    const fields = {
      notifier: this.name,
      transport: this.transport,
      kind: notification.kind,
      notification: notification.id,
    }
    if (this.#disabled !== undefined) {
      return {
        ok: false,
        retryable: false,
        disableDestination: true,
        error: `${this.name}: destination disabled after Slack answered ${this.#disabled.reason}; not sent`,
      }
    }
    if (signal?.aborted) return this.#aborted()

    let message: SlackMessage
    try {
      const fitted = fitSlackLimits(this.#render(notification))
      if (fitted.cuts.length > 0)
        this.#logger.debug('slack message cut to fit Slack limits', { ...fields, cuts: fitted.cuts })
      message = fitted.message
    } catch (error) {
      this.#logger.error('slack message could not be rendered', {
        ...fields,
        error: this.#redact(String(error)),
      })
      return {
        ok: false,
        retryable: false,
        error: `${this.name}: the message could not be rendered (${(error as Error)?.name ?? 'error'})`,
      }
    }

    const threadKey = `${this.#channel ?? ''}\n${notification.dedupKey}`
    const threadTs =
      this.transport === 'web-api' && this.#threadResolved && notification.kind === 'alert_resolved'
        ? await Promise.resolve()
            .then(() => this.#threads.get(threadKey))
            .catch((error: unknown) => {
              this.#logger.warn('slack thread store failed; posting unthreaded', {
                ...fields,
                error: this.#redact(String(error)),
              })
              return undefined
            })
        : undefined

    const slot = this.#pacer.reserve(this.#paceKey, this.#maxPacingDelayMs)
    if (slot.retryAfterMs !== undefined) return this.#notSent(slot.reason, slot.retryAfterMs, fields)
    if (slot.waitMs > 0) {
      try {
        await this.#sleep(slot.waitMs, signal)
      } catch {
        return this.#aborted()
      }
      // A 429 may have come in for this destination while we waited.
      const held = this.#pacer.heldForMs(this.#paceKey)
      if (held > 0) return this.#notSent('rate_limited', held, fields)
    }

    const body =
      this.transport === 'webhook'
        ? { text: message.text, blocks: message.blocks }
        : {
            channel: this.#channel,
            text: message.text,
            blocks: message.blocks,
            unfurl_links: false,
            unfurl_media: false,
            ...(threadTs === undefined
              ? {}
              : { thread_ts: threadTs, reply_broadcast: this.#broadcastResolved }),
          }
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'slokit',
    }
    if (this.#token !== undefined) headers.authorization = `Bearer ${this.#token.reveal()}`

    const timeout = AbortSignal.timeout(this.#timeoutMs)
    let status: number
    let responseHeaders: Headers
    let text: string
    try {
      const response = await this.#fetch(this.#endpoint.reveal(), {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        redirect: 'manual',
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      })
      status = response.status
      responseHeaders = response.headers
      text = (await response.text()).slice(0, 4096)
    } catch (error) {
      const why = signal?.aborted
        ? 'aborted'
        : timeout.aborted || (error as Error)?.name === 'TimeoutError'
          ? `timed out after ${this.#timeoutMs} ms`
          : `request failed (${errorCode(error)})`
      this.#logger.warn('slack delivery failed', { ...fields, reason: why })
      return { ok: false, retryable: true, error: `${this.name}: ${why}` }
    }

    const now = this.#clock.now()
    const outcome =
      this.transport === 'webhook'
        ? classifyWebhookResponse(status, responseHeaders, text, now, this.#defaultRetryAfterMs)
        : classifyWebApiResponse(status, responseHeaders, text, now, this.#defaultRetryAfterMs)
    return this.#result(outcome, status, notification, threadKey, fields)
  }

  async #result(
    outcome: SlackOutcome,
    status: number,
    notification: Notification,
    threadKey: string,
    fields: Record<string, unknown>,
  ): Promise<DeliveryResult> {
    const reason = this.#redact(outcome.reason ?? `HTTP ${status}`)
    const answered = `Slack answered ${reason}${reason.startsWith('HTTP ') ? '' : ` (HTTP ${status})`}`
    if (outcome.ok) {
      this.#logger.debug('slack message delivered', { ...fields, status })
      if (outcome.ts !== undefined && this.transport === 'web-api' && this.#threadResolved) {
        const ts = outcome.ts
        const threads = this.#threads
        // A custom store may throw synchronously: wrapped, a failing store never fails a delivery.
        await Promise.resolve()
          .then(() =>
            notification.kind === 'alert_firing'
              ? threads.set(threadKey, ts)
              : notification.kind === 'alert_resolved'
                ? threads.delete(threadKey)
                : undefined,
          )
          .catch((error: unknown) =>
            this.#logger.warn('slack thread store failed', { ...fields, error: this.#redact(String(error)) }),
          )
      }
      return { ok: true, retryable: false, ...(outcome.ts === undefined ? {} : { externalId: outcome.ts }) }
    }
    if (outcome.rateLimited) {
      const retryAfterMs = outcome.retryAfterMs ?? this.#defaultRetryAfterMs
      this.#pacer.hold(this.#paceKey, retryAfterMs)
      this.#logger.warn('slack rate limited (429); holding this destination', {
        ...fields,
        status,
        retryAfterMs,
      })
      return {
        ok: false,
        retryable: true,
        retryAfterMs,
        error: `${this.name}: rate limited by Slack (HTTP 429), retry after ${formatSeconds(retryAfterMs)}`,
      }
    }
    const hint = outcome.hint === undefined ? '' : `; ${outcome.hint}`
    if (outcome.disable) {
      this.#disabled = { reason, hint: outcome.hint }
      this.#logger.error('slack destination disabled', { ...fields, status, reason, hint: outcome.hint })
      try {
        this.#onDisabled?.({ notifier: this.name, reason, hint: outcome.hint })
      } catch (error) {
        this.#logger.warn('onDisabled threw', { ...fields, error: this.#redact(String(error)) })
      }
      return {
        ok: false,
        retryable: false,
        disableDestination: true,
        error: `${this.name}: ${answered}; destination disabled${hint}`,
      }
    }
    this.#logger.warn('slack delivery failed', { ...fields, status, reason, retryable: outcome.retryable })
    return {
      ok: false,
      retryable: outcome.retryable,
      ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }),
      error: `${this.name}: ${answered}${hint}`,
    }
  }

  #notSent(
    reason: 'paced' | 'rate_limited',
    retryAfterMs: number,
    fields: Record<string, unknown>,
  ): DeliveryResult {
    this.#logger.debug('slack message held back', { ...fields, reason, retryAfterMs })
    return {
      ok: false,
      retryable: true,
      retryAfterMs,
      error:
        reason === 'rate_limited'
          ? `${this.name}: not sent, Slack rate-limited this destination (429); retry after ${formatSeconds(retryAfterMs)}`
          : `${this.name}: not sent, too many messages queued for this destination; retry after ${formatSeconds(retryAfterMs)}`,
    }
  }

  #aborted(): DeliveryResult {
    return { ok: false, retryable: true, error: `${this.name}: aborted` }
  }

  #redact(text: string): string {
    let out = text
    for (const secret of this.#secrets) out = out.split(secret).join('[redacted]')
    return out
  }

  /** `SlackNotifier(<name>, <transport>)`: never the URL or token. */
  toString(): string {
    return `SlackNotifier(${this.name}, ${this.transport})`
  }

  /** Shows only what {@link SlackNotifier.toString} does. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString()
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32)
}

function formatSeconds(ms: number): string {
  return `${Math.ceil(ms / 1000)}s`
}

/** A network error's code (`ECONNREFUSED`, `ECONNRESET`…), never its message, which may name the URL. */
function errorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause
  if (typeof cause?.code === 'string') return cause.code
  const code = (error as { code?: unknown } | undefined)?.code
  if (typeof code === 'string') return code
  return (error as Error | undefined)?.name ?? 'error'
}
