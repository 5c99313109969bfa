import { parseRetryAfter } from '@slokit/alerting'

/** How one HTTP answer from Slack is to be taken. Internal: the notifier turns it into a `DeliveryResult`. */
export interface SlackOutcome {
  readonly ok: boolean
  readonly retryable: boolean
  /** Slack's error code (`invalid_blocks`, `no_service`…) or `HTTP <status>`. */
  readonly reason?: string
  readonly rateLimited?: boolean
  readonly retryAfterMs?: number
  /** The destination is gone: stop sending. */
  readonly disable?: boolean
  /** What to do about it, when the fix is known. */
  readonly hint?: string
  /** The message's `ts` (Web API). */
  readonly ts?: string
  /** The channel id Slack answered with (Web API). */
  readonly channelId?: string
}

const HINTS: Readonly<Record<string, string>> = {
  no_service: 'the webhook was revoked or removed: create a new incoming webhook and update the channel',
  channel_not_found:
    'the channel was deleted, or the app cannot see it: check the channel and that the app is in it',
  channel_is_archived: 'the channel is archived: unarchive it or point this channel at another webhook',
  is_archived: 'the channel is archived: unarchive it or change `channel`',
  not_in_channel: 'invite the app to the channel (/invite @your-app)',
  invalid_auth: 'the token is not valid: check the bot token (xoxb-…)',
  not_authed: 'no token was sent: check `token`',
  token_revoked: 'the token was revoked: install the app again and update `token`',
  account_inactive: 'the token belongs to a deactivated user or app: update `token`',
  missing_scope: 'the token lacks the `chat:write` scope: add it and reinstall the app',
  invalid_token: 'the webhook token is not valid: create a new incoming webhook',
  action_prohibited: 'a workspace admin restricted posting to this channel',
  invalid_blocks: 'Slack refused the blocks: please report this as a slokit bug with the notification',
  msg_too_long: 'Slack refused the message as too long: please report this as a slokit bug',
}

/** Web API errors (HTTP 200, `ok: false`) that a later attempt may get past. */
const RETRYABLE_API_ERRORS = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
])

/** Errors after which no message to this destination can succeed until someone changes it. */
const DISABLING_ERRORS = new Set([
  'no_service',
  'channel_not_found',
  'channel_is_archived',
  'is_archived',
  'token_revoked',
  'account_inactive',
])

const withHint = (reason: string) => (HINTS[reason] === undefined ? {} : { hint: HINTS[reason] })

/** A short, single-line reason from a response body (Slack's are one word), or `HTTP <status>`. */
function reasonFrom(body: string, status: number): string {
  const word = body.trim().split(/\s+/)[0] ?? ''
  return /^[a-z][a-z0-9_]{0,63}$/.test(word) ? word : `HTTP ${status}`
}

function rateLimited(headers: Headers, now: number, defaultRetryAfterMs: number): SlackOutcome {
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'), now) ?? defaultRetryAfterMs
  return { ok: false, retryable: true, rateLimited: true, reason: 'rate_limited', retryAfterMs }
}

/**
 * An incoming webhook's answer: 200 `ok`; 429 with `Retry-After`; 5xx retryable; 404 (`no_service`,
 * `channel_not_found`) and 410 (`channel_is_archived`) disable the destination; other 4xx are
 * permanent for this message. Bodies are plain text.
 */
export function classifyWebhookResponse(
  status: number,
  headers: Headers,
  body: string,
  now: number,
  defaultRetryAfterMs: number,
): SlackOutcome {
  if (status === 429) return rateLimited(headers, now, defaultRetryAfterMs)
  if (status >= 200 && status < 300) {
    if (body.trim() === 'ok') return { ok: true, retryable: false }
    // Workflow webhooks answer JSON.
    const json = parseJson(body)
    if (json?.ok === true) return { ok: true, retryable: false }
    if (json?.ok === false && typeof json.error === 'string') {
      return {
        ok: false,
        retryable: RETRYABLE_API_ERRORS.has(json.error),
        reason: json.error,
        ...withHint(json.error),
      }
    }
    // Not Slack's answer (a proxy or captive portal answered): the message most likely did not
    // arrive, and a duplicate beats a lost alert.
    return { ok: false, retryable: true, reason: `HTTP ${status} with an unexpected body` }
  }
  const reason = reasonFrom(body, status)
  if (status >= 500) return { ok: false, retryable: true, reason }
  if (status === 404 || status === 410)
    return { ok: false, retryable: false, disable: true, reason, ...withHint(reason) }
  return { ok: false, retryable: false, reason, ...withHint(reason) }
}

/**
 * A `chat.postMessage` answer: errors come as HTTP 200 with `{ ok: false, error }`; the only
 * other status Slack uses is 429 with `Retry-After`.
 */
export function classifyWebApiResponse(
  status: number,
  headers: Headers,
  body: string,
  now: number,
  defaultRetryAfterMs: number,
): SlackOutcome {
  if (status === 429) return rateLimited(headers, now, defaultRetryAfterMs)
  const json = parseJson(body)
  if (status >= 200 && status < 300) {
    if (json?.ok === true) {
      return {
        ok: true,
        retryable: false,
        ...(typeof json.ts === 'string' ? { ts: json.ts } : {}),
        ...(typeof json.channel === 'string' ? { channelId: json.channel } : {}),
      }
    }
    if (json?.ok === false) {
      const reason = typeof json.error === 'string' ? json.error : 'unknown_error'
      return {
        ok: false,
        retryable: RETRYABLE_API_ERRORS.has(reason),
        ...(DISABLING_ERRORS.has(reason) ? { disable: true } : {}),
        reason,
        ...withHint(reason),
      }
    }
    return { ok: false, retryable: true, reason: `HTTP ${status} with an unexpected body` }
  }
  const reason = typeof json?.error === 'string' ? json.error : `HTTP ${status}`
  return { ok: false, retryable: status >= 500, reason, ...withHint(reason) }
}

function parseJson(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body)
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}
