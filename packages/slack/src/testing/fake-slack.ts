import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A canned answer for the next request, or `reset` to drop the connection (a network error). */
export type Scripted = { status: number; body?: string; headers?: Record<string, string> } | 'reset'

/** A request the fake received, and what it answered (`status` -1: the connection was dropped). */
export interface RecordedRequest {
  readonly path: string
  readonly headers: IncomingMessage['headers']
  readonly body: string
  /** When it arrived, by the fake's clock. */
  readonly atMs: number
  status: number
  answer: string
}

/** A message the fake accepted (what a channel would show). */
export interface DeliveredMessage {
  readonly via: 'webhook' | 'web-api'
  readonly channel: string
  readonly ts: string
  readonly text: string
  readonly blocks: unknown[]
  readonly threadTs: string | undefined
  readonly replyBroadcast: boolean | undefined
  readonly atMs: number
}

/** Options of {@link startFakeSlack}. */
export interface FakeSlackOptions {
  /** Time as the fake sees it: pacing and Retry-After are checked against it. */
  readonly now?: () => number
  /** Requests to one destination closer together than this get 429 (and count as violations). 0: off. */
  readonly minIntervalMs?: number
  /** The bot token chat.postMessage accepts. */
  readonly token?: string
  /** Channels chat.postMessage knows. */
  readonly channels?: readonly string[]
}

const BLOCK_TYPES = new Set([
  'header',
  'section',
  'context',
  'actions',
  'divider',
  'image',
  'rich_text',
  'markdown',
])

type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

function textObject(value: unknown, max: number, types: readonly string[]): boolean {
  return (
    isObject(value) &&
    types.includes(value.type as string) &&
    typeof value.text === 'string' &&
    value.text.length >= 1 &&
    value.text.length <= max
  )
}

/**
 * Slack's error code for blocks it would refuse (`invalid_blocks`: a Block Kit limit or shape
 * broken; `msg_blocks_too_long`: over ~13k characters of text), or `undefined` when they are valid.
 */
export function blocksProblem(blocks: unknown): string | undefined {
  if (!Array.isArray(blocks) || blocks.length > 50) return 'invalid_blocks'
  const blockIds = new Set<string>()
  const actionIds = new Set<string>()
  let total = 0
  for (const block of blocks) {
    if (!isObject(block) || !BLOCK_TYPES.has(block.type as string)) return 'invalid_blocks'
    if (block.block_id !== undefined) {
      if (typeof block.block_id !== 'string' || block.block_id.length > 255 || blockIds.has(block.block_id))
        return 'invalid_blocks'
      blockIds.add(block.block_id)
    }
    switch (block.type) {
      case 'header':
        if (!textObject(block.text, 150, ['plain_text'])) return 'invalid_blocks'
        total += (block.text as Json & { text: string }).text.length
        break
      case 'section': {
        const hasText = block.text !== undefined
        if (hasText && !textObject(block.text, 3000, ['plain_text', 'mrkdwn'])) return 'invalid_blocks'
        if (block.fields !== undefined) {
          if (!Array.isArray(block.fields) || block.fields.length === 0 || block.fields.length > 10)
            return 'invalid_blocks'
          for (const field of block.fields) {
            if (!textObject(field, 2000, ['plain_text', 'mrkdwn'])) return 'invalid_blocks'
            total += (field as { text: string }).text.length
          }
        } else if (!hasText) return 'invalid_blocks'
        if (hasText) total += (block.text as { text: string }).text.length
        break
      }
      case 'context': {
        const elements = block.elements
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10) return 'invalid_blocks'
        for (const element of elements) {
          if (isObject(element) && element.type === 'image') continue
          if (!textObject(element, 3000, ['plain_text', 'mrkdwn'])) return 'invalid_blocks'
          total += (element as { text: string }).text.length
        }
        break
      }
      case 'actions': {
        const elements = block.elements
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > 25) return 'invalid_blocks'
        for (const element of elements) {
          if (!isObject(element) || element.type !== 'button') return 'invalid_blocks'
          if (!textObject(element.text, 75, ['plain_text'])) return 'invalid_blocks'
          if (element.url !== undefined) {
            if (typeof element.url !== 'string' || element.url.length > 3000) return 'invalid_blocks'
            try {
              new URL(element.url)
            } catch {
              return 'invalid_blocks'
            }
          }
          if (element.action_id !== undefined) {
            if (typeof element.action_id !== 'string' || actionIds.has(element.action_id))
              return 'invalid_blocks'
            actionIds.add(element.action_id)
          }
        }
        break
      }
      default:
        break
    }
  }
  return total > 13_000 ? 'msg_blocks_too_long' : undefined
}

/** A running fake Slack; see {@link startFakeSlack}. */
export interface FakeSlack {
  /** The incoming webhook URL; its path is the secret. */
  readonly webhookUrl: string
  /** The Web API base URL (`…/api/`). */
  readonly apiUrl: string
  /** Every request, in order. */
  readonly requests: RecordedRequest[]
  /** Every message accepted, in order. */
  readonly delivered: DeliveredMessage[]
  /** Requests sent sooner than `minIntervalMs` after the previous one, or before a Retry-After ran out. */
  readonly violations: string[]
  /** Answer the next requests with these, in order. */
  script(...responses: Scripted[]): void
  /** From now on the webhook answers 404 `no_service`. */
  revokeWebhook(): void
  /** From now on the channel is archived: webhook 410 `channel_is_archived`, Web API `is_archived`. */
  archive(channel?: string): void
  /** Stops the server and drops open connections. */
  close(): Promise<void>
}

/**
 * Starts a strict local Slack on 127.0.0.1 (a free port): an incoming webhook (`webhookUrl`) and
 * `chat.postMessage` (`apiUrl`) that answer as Slack documents — 200 `ok` / `{ok:true,ts}`;
 * `invalid_payload`, `no_text`, `invalid_blocks`, `msg_blocks_too_long`; `not_authed`,
 * `invalid_auth`, `channel_not_found`, `is_archived`, `thread_not_found` — and can be told to
 * answer anything else (429 with `Retry-After`, 5xx, 404 `no_service`, 410, a dropped connection).
 * With `now` and `minIntervalMs` it enforces Slack's pacing: a request sooner than
 * `minIntervalMs` after the previous one, or before a `Retry-After` ran out, gets 429 and is
 * recorded in `violations`.
 *
 * @example
 * ```ts
 * const slack = await startFakeSlack({ now: () => clock.now(), minIntervalMs: 1000 })
 * slack.script({ status: 429, body: 'rate_limited', headers: { 'retry-after': '2' } })
 * const notifier = new SlackNotifier({ webhookUrl: slack.webhookUrl, clock, sleep })
 * // …
 * expect(slack.violations).toEqual([])
 * await slack.close()
 * ```
 */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const now = options.now ?? (() => Date.now())
  const minIntervalMs = options.minIntervalMs ?? 0
  const token = options.token ?? 'xoxb-fake-token'
  const channels = new Set(options.channels ?? ['C0SRE', '#sre'])
  const webhookPath = '/services/T0FAKE/B0FAKE/canary7d1e0b4f9a2c'
  const requests: RecordedRequest[] = []
  const delivered: DeliveredMessage[] = []
  const violations: string[] = []
  const scripted: Scripted[] = []
  const archived = new Set<string>()
  let revoked = false
  let seq = 0
  const lastAt = new Map<string, number>()
  const holdUntil = new Map<string, number>()

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const at = now()
    const record: RecordedRequest = {
      path: req.url ?? '',
      headers: req.headers,
      body: raw,
      atMs: at,
      status: 0,
      answer: '',
    }
    requests.push(record)
    const answer = (status: number, body: string, headers: Record<string, string> = {}) => {
      record.status = status
      record.answer = body
      const type = body.startsWith('{') ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8'
      res.writeHead(status, { 'content-type': type, ...headers }).end(body)
    }
    const isWebhook = req.url === webhookPath
    const isApi = req.url === '/api/chat.postMessage'
    const fail = (status: number, code: string) =>
      isWebhook ? answer(status, code) : answer(200, JSON.stringify({ ok: false, error: code }))

    // The pacing contract: nothing sooner than minIntervalMs after the last message, nothing
    // before a Retry-After has passed. Breaking it is a violation the tests assert never happens.
    const lane = isWebhook ? 'webhook' : 'api'
    const held = holdUntil.get(lane) ?? Number.NEGATIVE_INFINITY
    if (at < held) {
      violations.push(`${lane}: request ${held - at} ms before Retry-After ran out`)
      return answer(429, isWebhook ? 'rate_limited' : JSON.stringify({ ok: false, error: 'ratelimited' }), {
        'retry-after': String(Math.ceil((held - at) / 1000)),
      })
    }
    const last = lastAt.get(lane)
    if (minIntervalMs > 0 && last !== undefined && at - last < minIntervalMs) {
      violations.push(`${lane}: request ${at - last} ms after the previous one`)
      holdUntil.set(lane, at + 1000)
      return answer(429, isWebhook ? 'rate_limited' : JSON.stringify({ ok: false, error: 'ratelimited' }), {
        'retry-after': '1',
      })
    }
    lastAt.set(lane, at)

    const next = scripted.shift()
    if (next === 'reset') {
      record.status = -1
      req.socket.destroy()
      return
    }
    if (next !== undefined) {
      if (next.status === 429) {
        const seconds = Number(next.headers?.['retry-after'] ?? 'NaN')
        if (Number.isFinite(seconds)) holdUntil.set(lane, at + seconds * 1000)
      }
      return answer(next.status, next.body ?? '', next.headers)
    }
    if (!isWebhook && !isApi) return answer(404, isWebhook ? 'no_service' : 'not_found')
    if (req.method !== 'POST') return answer(405, 'invalid_method')
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
      return fail(400, 'invalid_payload')

    let payload: unknown
    try {
      payload = JSON.parse(raw)
    } catch {
      return fail(400, 'invalid_payload')
    }
    if (!isObject(payload)) return fail(400, 'invalid_payload')

    let channel = 'webhook-channel'
    if (isWebhook) {
      if (revoked) return answer(404, 'no_service')
      if (archived.has(channel)) return answer(410, 'channel_is_archived')
    } else {
      const auth = req.headers.authorization
      if (auth === undefined) return fail(200, 'not_authed')
      if (auth !== `Bearer ${token}`) return fail(200, 'invalid_auth')
      if (typeof payload.channel !== 'string' || !channels.has(payload.channel))
        return fail(200, 'channel_not_found')
      channel = payload.channel
      if (archived.has(channel)) return fail(200, 'is_archived')
      if (payload.thread_ts !== undefined) {
        const root = delivered.find((m) => m.channel === channel && m.ts === payload.thread_ts)
        if (root === undefined) return fail(200, 'thread_not_found')
      }
    }
    if (typeof payload.text !== 'string' || payload.text.trim() === '') return fail(400, 'no_text')
    if (payload.blocks !== undefined) {
      const problem = blocksProblem(payload.blocks)
      if (problem !== undefined) return fail(400, problem)
    }
    seq += 1
    const ts = `${Math.floor(at / 1000)}.${String(seq).padStart(6, '0')}`
    delivered.push({
      via: isWebhook ? 'webhook' : 'web-api',
      channel,
      ts,
      text: payload.text,
      blocks: (payload.blocks as unknown[] | undefined) ?? [],
      threadTs: payload.thread_ts as string | undefined,
      replyBroadcast: payload.reply_broadcast as boolean | undefined,
      atMs: at,
    })
    if (isWebhook) return answer(200, 'ok')
    return answer(200, JSON.stringify({ ok: true, channel, ts, message: { text: payload.text } }))
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    webhookUrl: `${base}${webhookPath}`,
    apiUrl: `${base}/api/`,
    requests,
    delivered,
    violations,
    script: (...responses) => void scripted.push(...responses),
    revokeWebhook: () => {
      revoked = true
    },
    archive: (channel = 'webhook-channel') => void archived.add(channel),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
