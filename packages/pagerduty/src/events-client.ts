import { type DeliveryResult, parseRetryAfter, type SendOptions } from '@slokit/alerting'
import { type Clock, Secret, SlokitError, systemClock } from '@slokit/core'
import type { PagerDutyChangeEvent, PagerDutyEvent } from './event.js'

/** Options of {@link PagerDutyEventsClient}. */
export interface PagerDutyEventsClientOptions {
  /** The 32-character Integration Key of an Events API v2 integration. The credential: never logged. */
  readonly routingKey: Secret | string
  /** Where the Events API is; `https://events.pagerduty.com` by default (EU: `https://events.eu.pagerduty.com`). */
  readonly baseUrl?: string | undefined
  /** Name in results; `pagerduty` by default. Never a secret. */
  readonly name?: string | undefined
  /** `retryAfterMs` for a 429 without `Retry-After` (PagerDuty sends none). Default 30,000, as PagerDuty advises. */
  readonly rateLimitBackoffMs?: number | undefined
  /** Per request. Default 10,000. */
  readonly timeoutMs?: number | undefined
  readonly fetch?: typeof fetch | undefined
  readonly clock?: Clock | undefined
}

/** The outcome of one request: a `DeliveryResult`, with what PagerDuty said. */
export interface PagerDutyResult extends DeliveryResult {
  /** The HTTP status, or `null` when no answer came (network error, timeout, abort). */
  readonly status: number | null
  /** PagerDuty's `errors[]`, with the routing key redacted. */
  readonly errors: readonly string[]
  /** The `dedup_key` PagerDuty answered with (on 202 to an event). */
  readonly dedupKey?: string
}

/** Longest summary PagerDuty accepts. */
export const MAX_SUMMARY_LENGTH = 1024
/** PagerDuty's limit on one event's JSON body. */
export const MAX_EVENT_BYTES = 512 * 1024

const ROUTING_KEY_LENGTH = 32

const toSecret = (value: Secret | string): Secret =>
  typeof value === 'string' ? new Secret('inline', value) : value

/**
 * Checks a routing key without ever showing it: set, no whitespace (a trailing newline from an
 * env file is the classic), 32 characters.
 * @throws `SlokitError` `INVALID_CONFIG`
 */
function checkRoutingKey(secret: Secret): void {
  if (!secret.isSet) {
    throw new SlokitError('INVALID_CONFIG', `[slokit/pagerduty] \`routingKey\` (${secret}) is not set.`, {
      hint: `set the environment variable ${secret.name}`,
    })
  }
  const key = secret.reveal()
  if (/\s/.test(key)) {
    throw new SlokitError(
      'INVALID_CONFIG',
      `[slokit/pagerduty] \`routingKey\` (${secret}) contains whitespace.`,
      {
        hint: 'remove the spaces or line break around the key (often a trailing newline in an env file)',
      },
    )
  }
  if (key.length !== ROUTING_KEY_LENGTH) {
    throw new SlokitError(
      'INVALID_CONFIG',
      `[slokit/pagerduty] \`routingKey\` (${secret}) must be ${ROUTING_KEY_LENGTH} characters, got ${key.length}.`,
      { hint: 'use the Integration Key of an Events API v2 integration (Service → Integrations)' },
    )
  }
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text
  let kept = text.slice(0, max - 1)
  const last = kept.charCodeAt(kept.length - 1)
  if (last >= 0xd800 && last <= 0xdbff) kept = kept.slice(0, -1)
  return `${kept}…`
}

/** The answer's JSON (PagerDuty's `{status, message, errors?, dedup_key?}`), read leniently. */
interface Answer {
  status?: unknown
  message?: unknown
  errors?: unknown
  dedup_key?: unknown
}

function parse(body: string): Answer {
  try {
    const value: unknown = JSON.parse(body)
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Answer) : {}
  } catch {
    return {}
  }
}

/**
 * A small client of PagerDuty's Events API v2 on `fetch`, with a configurable base URL (the
 * official client hard-codes https and cannot reach a local fake). One request per call, no
 * retries: the result says whether a retry may help, and when.
 *
 * - 202 → `ok`, with the `dedup_key` PagerDuty answered;
 * - 429 → retryable, `retryAfterMs` from `Retry-After` or `rateLimitBackoffMs` (the event was not taken);
 * - 5xx, network errors, timeouts → retryable;
 * - 400 and other 4xx → not retryable, PagerDuty's `errors[]` kept with the routing key redacted.
 *
 * Summaries over 1024 characters are cut with `…`; an event over 512 KB loses its
 * `custom_details` (replaced by a note) rather than being refused.
 *
 * @example
 * ```ts
 * const events = new PagerDutyEventsClient({ routingKey: new Secret('PD_KEY', process.env.PD_KEY) })
 * await events.change(deploymentChangeEvent({ service: 'checkout', version: 'v1.42.0' }))
 * ```
 */
export class PagerDutyEventsClient {
  /** Name in results. Never a secret. */
  readonly name: string
  readonly #routingKey: Secret
  readonly #baseUrl: string
  readonly #rateLimitBackoffMs: number
  readonly #timeoutMs: number
  readonly #fetch: typeof fetch
  readonly #clock: Clock

  /** @throws `SlokitError` `INVALID_CONFIG` for a routing key that is unset or not 32 characters, or a bad `baseUrl`. */
  constructor(options: PagerDutyEventsClientOptions) {
    this.name = options.name ?? 'pagerduty'
    this.#routingKey = toSecret(options.routingKey)
    checkRoutingKey(this.#routingKey)
    const base = options.baseUrl ?? 'https://events.pagerduty.com'
    let url: URL | undefined
    try {
      url = new URL(base)
    } catch {}
    if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw new SlokitError(
        'INVALID_CONFIG',
        `[slokit/pagerduty] \`baseUrl\` must be an http(s) URL, got ${JSON.stringify(base)}.`,
        {
          hint: 'e.g. https://events.pagerduty.com or https://events.eu.pagerduty.com',
        },
      )
    }
    this.#baseUrl = url.href.replace(/\/+$/, '')
    for (const [option, value, min] of [
      ['rateLimitBackoffMs', options.rateLimitBackoffMs, 0],
      ['timeoutMs', options.timeoutMs, 1],
    ] as const) {
      if (value !== undefined && !(Number.isFinite(value) && value >= min)) {
        throw new SlokitError(
          'INVALID_ARGUMENT',
          `[slokit/pagerduty] \`${option}\` must be a finite number >= ${min}, got ${value}.`,
        )
      }
    }
    this.#rateLimitBackoffMs = options.rateLimitBackoffMs ?? 30_000
    this.#timeoutMs = options.timeoutMs ?? 10_000
    this.#fetch = options.fetch ?? fetch
    this.#clock = options.clock ?? systemClock
  }

  /** Sends a trigger, acknowledge or resolve to `/v2/enqueue`. Never rejects. */
  enqueue(event: PagerDutyEvent, options: SendOptions = {}): Promise<PagerDutyResult> {
    if (event.dedup_key !== undefined && event.dedup_key.length > 255) {
      return Promise.resolve({
        ok: false,
        retryable: false,
        status: null,
        errors: [],
        error: `${this.name}: dedup_key is ${event.dedup_key.length} characters; PagerDuty takes at most 255 (use pagerDutyDedupKey)`,
      })
    }
    const body =
      event.event_action === 'trigger'
        ? { ...event, payload: { ...event.payload, summary: cut(event.payload.summary, MAX_SUMMARY_LENGTH) } }
        : event
    return this.#post('/v2/enqueue', body, options)
  }

  /** Sends a change event to `/v2/change/enqueue`: a deploy or freeze on the service's timeline. Never rejects. */
  change(event: PagerDutyChangeEvent, options: SendOptions = {}): Promise<PagerDutyResult> {
    const body = {
      ...event,
      payload: { ...event.payload, summary: cut(event.payload.summary, MAX_SUMMARY_LENGTH) },
    }
    return this.#post('/v2/change/enqueue', body, options)
  }

  async #post(path: string, event: object, options: SendOptions): Promise<PagerDutyResult> {
    const { signal } = options
    if (signal?.aborted) return this.#failed('aborted')
    let body = JSON.stringify({ routing_key: this.#routingKey.reveal(), ...event })
    if (Buffer.byteLength(body) > MAX_EVENT_BYTES && 'payload' in event) {
      const payload = (event as { payload: Record<string, unknown> }).payload
      const slim = {
        ...event,
        payload: {
          ...payload,
          custom_details: { note: 'custom_details dropped: the event exceeded 512 KB' },
        },
      }
      body = JSON.stringify({ routing_key: this.#routingKey.reveal(), ...slim })
    }
    const timeout = AbortSignal.timeout(this.#timeoutMs)
    let status: number
    let headers: Headers
    let text: string
    try {
      const response = await this.#fetch(`${this.#baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'slokit' },
        body,
        redirect: 'manual',
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      })
      status = response.status
      headers = response.headers
      text = (await response.text()).slice(0, 16_384)
    } catch (error) {
      if (signal?.aborted) return this.#failed('aborted')
      if (timeout.aborted || (error as Error)?.name === 'TimeoutError')
        return this.#failed(`timed out after ${this.#timeoutMs} ms`)
      return this.#failed(`request failed (${errorCode(error)})`)
    }
    const answer = parse(text)
    const errors = Array.isArray(answer.errors) ? answer.errors.map((e) => this.#redact(String(e))) : []
    const dedupKey = typeof answer.dedup_key === 'string' ? answer.dedup_key : undefined
    if (status >= 200 && status < 300) {
      return {
        ok: true,
        retryable: false,
        status,
        errors,
        ...(dedupKey === undefined ? {} : { dedupKey, externalId: dedupKey }),
      }
    }
    const said = [answer.status, answer.message]
      .filter((part): part is string => typeof part === 'string' && part !== '')
      .map((part) => this.#redact(part))
    const detail = [...said, ...errors].join(': ')
    const what = `HTTP ${status}${detail === '' ? '' : ` ${detail}`}`
    if (status === 429) {
      const retryAfterMs =
        parseRetryAfter(headers.get('retry-after'), this.#clock.now()) ?? this.#rateLimitBackoffMs
      return {
        ok: false,
        retryable: true,
        retryAfterMs,
        status,
        errors,
        error: `${this.name}: rate limited by PagerDuty (${what}); the event was not taken`,
      }
    }
    const retryable = status >= 500 || status === 408
    return {
      ok: false,
      retryable,
      status,
      errors,
      error: `${this.name}: PagerDuty ${retryable ? 'failed' : 'refused the event'} (${what})`,
    }
  }

  #failed(why: string): PagerDutyResult {
    return { ok: false, retryable: true, status: null, errors: [], error: `${this.name}: ${why}` }
  }

  #redact(text: string): string {
    return text.split(this.#routingKey.reveal()).join('[routing key]')
  }

  /** `PagerDutyEventsClient(<name>)`: never the routing key. */
  toString(): string {
    return `PagerDutyEventsClient(${this.name})`
  }

  /** Shows only what {@link PagerDutyEventsClient.toString} does. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString()
  }
}

/** A network error's code (`ECONNREFUSED`…), never its message, which may carry the URL. */
function errorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause
  if (typeof cause?.code === 'string') return cause.code
  const code = (error as { code?: unknown } | undefined)?.code
  if (typeof code === 'string') return code
  return (error as Error | undefined)?.name ?? 'error'
}
