import { createHmac } from 'node:crypto'
import { type Clock, durationSchema, type Secret, SlokitError, secretSchema, systemClock } from '@slokit/core'
import { z } from 'zod'
import type { DeliveryResult, Notification, Notifier, SendOptions } from './notification.js'

/** Options of {@link WebhookNotifier}. */
export interface WebhookNotifierOptions {
  /** Where to POST. A secret, since webhook URLs often carry a token. */
  readonly url: Secret | string
  /** Signs each body with HMAC-SHA256 so the receiver can check it came from slokit. */
  readonly signingSecret?: Secret | string | undefined
  /** Extra headers (e.g. an API key). */
  readonly headers?: Readonly<Record<string, string>>
  readonly timeoutMs?: number
  readonly name?: string
  readonly fetch?: typeof fetch
  readonly clock?: Clock
}

/** The JSON body a {@link WebhookNotifier} POSTs: the notification, versioned. */
export interface WebhookBody {
  readonly version: 1
  readonly notification: Notification
}

/** The config form of a webhook channel (`type: webhook` in the `channels` section). */
export const webhookChannelSchema = z.strictObject({
  type: z.literal('webhook'),
  url: secretSchema,
  signingSecret: secretSchema.optional(),
  headers: z.record(z.string(), z.string()).default({}),
  /** Give up on a request after this long (a duration such as `5s`); 10 s by default. */
  timeout: durationSchema.optional(),
})

/**
 * Signature headers for a body: `X-Slokit-Timestamp` (epoch seconds) and
 * `X-Slokit-Signature-256: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`. A receiver
 * recomputes it, compares in constant time, and refuses timestamps more than a few minutes old
 * (replay protection).
 */
export function signWebhook(secret: string, body: string, timestampSeconds: number): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')
  return { 'x-slokit-timestamp': String(timestampSeconds), 'x-slokit-signature-256': `sha256=${signature}` }
}

const reveal = (value: Secret | string): string => (typeof value === 'string' ? value : value.reveal())

/**
 * POSTs each notification as JSON ({@link WebhookBody}) to a URL, optionally signed. 2xx is
 * delivered; 408, 425, 429 (honouring `Retry-After`) and 5xx are retryable; other 4xx are not, and
 * neither is a redirect, which is never followed (it would send the signed body elsewhere).
 */
export class WebhookNotifier implements Notifier {
  readonly name: string
  readonly #options: WebhookNotifierOptions

  constructor(options: WebhookNotifierOptions) {
    if (reveal(options.url) === '') {
      throw new SlokitError('INVALID_ARGUMENT', '[slokit/alerting] WebhookNotifier needs a `url`.')
    }
    this.name = options.name ?? 'webhook'
    this.#options = options
  }

  async send(notification: Notification, options: SendOptions = {}): Promise<DeliveryResult> {
    const body = JSON.stringify({ version: 1, notification } satisfies WebhookBody)
    const now = (this.#options.clock ?? systemClock).now()
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'slokit',
      'idempotency-key': notification.id,
      ...this.#options.headers,
    }
    if (this.#options.signingSecret !== undefined)
      Object.assign(headers, signWebhook(reveal(this.#options.signingSecret), body, Math.floor(now / 1000)))
    const timeout = AbortSignal.timeout(this.#options.timeoutMs ?? 10_000)
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout])
    let response: Response
    try {
      response = await (this.#options.fetch ?? fetch)(reveal(this.#options.url), {
        method: 'POST',
        headers,
        body,
        signal,
        // A redirect would forward the signed body to an address nobody configured: refuse it.
        redirect: 'manual',
      })
    } catch (error) {
      const timedOut = timeout.aborted
      // The URL is a secret: the error names the notifier, never the address.
      return {
        ok: false,
        retryable: true,
        error: `${this.name}: ${timedOut ? 'timed out' : `request failed (${(error as Error)?.name ?? 'error'})`}`,
      }
    }
    await response.body?.cancel().catch(() => {})
    if (response.ok) return { ok: true, retryable: false }
    if (response.status >= 300 && response.status < 400) {
      return {
        ok: false,
        retryable: false,
        error: `${this.name}: HTTP ${response.status}: redirects are not followed; configure the final URL`,
      }
    }
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now)
    const retryable =
      response.status === 408 || response.status === 425 || response.status === 429 || response.status >= 500
    return {
      ok: false,
      retryable,
      error: `${this.name}: HTTP ${response.status}`,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    }
  }

  toString(): string {
    return `WebhookNotifier(${this.name})`
  }
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}
