import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A canned answer for the next request (`body` is sent as JSON unless a string), or `reset` to drop the connection. */
export type Scripted = { status: number; body?: unknown; headers?: Record<string, string> } | 'reset'

/** A request the fake received, and what it answered (`status` -1: the connection was dropped). */
export interface RecordedRequest {
  readonly path: string
  readonly contentType: string | undefined
  readonly body: string
  status: number
  answer: unknown
}

/** An alert (incident) as the fake keeps it, by routing key and dedup key. */
export interface FakeAlert {
  /** A new id each time a trigger opens an alert (a trigger after a resolve opens a new one). */
  readonly id: number
  readonly routingKey: string
  readonly dedupKey: string
  status: 'triggered' | 'acknowledged' | 'resolved'
  /** The latest trigger's summary and severity. */
  summary: string
  severity: string
  /** Every event applied to it, in order. */
  readonly events: Array<Record<string, unknown>>
}

/** A change event the fake accepted. */
export interface FakeChange {
  readonly routingKey: string
  readonly payload: Record<string, unknown>
  readonly links: unknown
}

const SEVERITIES = ['critical', 'error', 'warning', 'info']
const ACTIONS = ['trigger', 'acknowledge', 'resolve']
type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
const invalid = (...errors: string[]) => ({
  status: 'invalid event',
  message: 'Event object is invalid',
  errors,
})

/** The `errors[]` PagerDuty would answer for an Events API v2 event, empty when it would take it. */
export function eventProblems(event: Readonly<Record<string, unknown>>): string[] {
  const errors: string[] = []
  if (typeof event.routing_key !== 'string' || event.routing_key.length !== 32)
    errors.push("Length of 'routing_key' is incorrect (should be 32 characters)")
  if (!ACTIONS.includes(event.event_action as string))
    errors.push(
      "'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')",
    )
  if (event.dedup_key !== undefined && (typeof event.dedup_key !== 'string' || event.dedup_key.length > 255))
    errors.push("'dedup_key' is too long (must be at most 255 characters)")
  if (
    (event.event_action === 'acknowledge' || event.event_action === 'resolve') &&
    typeof event.dedup_key !== 'string'
  )
    errors.push("'dedup_key' is missing")
  if (event.event_action === 'trigger') {
    const payload = event.payload
    if (!isObject(payload)) errors.push("'payload' is missing")
    else {
      if (typeof payload.summary !== 'string' || payload.summary === '')
        errors.push("'payload.summary' is missing")
      else if (payload.summary.length > 1024)
        errors.push("'payload.summary' is too long (must be at most 1024 characters)")
      if (typeof payload.source !== 'string' || payload.source === '')
        errors.push("'payload.source' is missing")
      if (!SEVERITIES.includes(payload.severity as string))
        errors.push(
          "'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')",
        )
      if (payload.timestamp !== undefined && Number.isNaN(Date.parse(String(payload.timestamp))))
        errors.push("'payload.timestamp' is invalid (must be ISO 8601)")
      if (payload.custom_details !== undefined && !isObject(payload.custom_details))
        errors.push("'payload.custom_details' must be an object")
    }
  }
  errors.push(...linkProblems(event.links))
  return errors
}

function linkProblems(links: unknown): string[] {
  if (links === undefined) return []
  if (!Array.isArray(links)) return ["'links' must be an array"]
  return links.some((l) => !isObject(l) || typeof l.href !== 'string' || l.href === '')
    ? ["'links[].href' is missing"]
    : []
}

/** A running fake PagerDuty; see {@link startFakePagerDuty}. */
export interface FakePagerDuty {
  /** Pass it as `baseUrl`. */
  readonly baseUrl: string
  /** Every request, in order. */
  readonly requests: RecordedRequest[]
  /** Every alert opened, in order; a trigger after a resolve opens a new one. */
  readonly alerts: FakeAlert[]
  /** Every change event accepted, in order. */
  readonly changes: FakeChange[]
  /** Answer the next requests with these, in order. */
  script(...responses: Scripted[]): void
  /** The alert a routing key and dedup key point to now (the newest one). */
  alert(routingKey: string, dedupKey: string): FakeAlert | undefined
  /** Stops the server and drops open connections. */
  close(): Promise<void>
}

/**
 * Starts a strict local PagerDuty Events API v2 on 127.0.0.1 (a free port). `/v2/enqueue` refuses
 * what PagerDuty refuses with its 400 body (routing key not 32 characters, `event_action` or
 * `severity` outside the enums, a trigger without `summary`/`source`, summary over 1024,
 * `dedup_key` over 255 or missing for acknowledge/resolve) and keeps alerts as PagerDuty does:
 * a trigger with the dedup key of an open alert updates it, acknowledge and resolve act on it, a
 * trigger after a resolve opens a new one. `/v2/change/enqueue` takes change events (refusing
 * ruleset keys, `R…`). `script` makes it answer 429, 5xx or drop the connection.
 *
 * @example
 * ```ts
 * const pagerduty = await startFakePagerDuty()
 * const notifier = new PagerDutyNotifier({ routingKey, baseUrl: pagerduty.baseUrl })
 * await notifier.send(firing)
 * await notifier.send(resolved)
 * expect(pagerduty.alerts.map((a) => a.status)).toEqual(['resolved'])
 * await pagerduty.close()
 * ```
 */
export async function startFakePagerDuty(): Promise<FakePagerDuty> {
  const requests: RecordedRequest[] = []
  const alerts: FakeAlert[] = []
  const changes: FakeChange[] = []
  const scripted: Scripted[] = []
  const latest = (routingKey: string, dedupKey: string) =>
    alerts.findLast((a) => a.routingKey === routingKey && a.dedupKey === dedupKey)

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const record: RecordedRequest = {
      path: req.url ?? '',
      contentType: req.headers['content-type'],
      body: raw,
      status: 0,
      answer: undefined,
    }
    requests.push(record)
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status
      record.answer = body
      res
        .writeHead(status, { 'content-type': 'application/json', ...headers })
        .end(typeof body === 'string' ? body : JSON.stringify(body))
    }
    const next = scripted.shift()
    if (next === 'reset') {
      record.status = -1
      req.socket.destroy()
      return
    }
    if (next !== undefined) return answer(next.status, next.body ?? '', next.headers)
    if (req.method !== 'POST')
      return answer(405, { status: 'Method Not Allowed', message: 'Method Not Allowed' })
    if (req.url !== '/v2/enqueue' && req.url !== '/v2/change/enqueue')
      return answer(404, { status: 'Not Found', message: 'Not Found' })
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
      return answer(400, invalid('Content-Type must be application/json'))
    if (Buffer.byteLength(raw) > 512 * 1024)
      return answer(413, { status: 'Payload Too Large', message: 'Event too large' })
    let event: unknown
    try {
      event = JSON.parse(raw)
    } catch {
      return answer(400, {
        status: 'Unrecognized object',
        message: 'Event object format is unrecognized',
        errors: ['JSON parse error'],
      })
    }
    if (!isObject(event)) return answer(400, invalid('Event must be an object'))

    if (req.url === '/v2/change/enqueue') {
      const errors: string[] = []
      if (typeof event.routing_key !== 'string' || event.routing_key.length !== 32)
        errors.push("Length of 'routing_key' is incorrect (should be 32 characters)")
      else if (event.routing_key.startsWith('R'))
        errors.push('Change events cannot be sent to ruleset routing keys')
      if ('event_action' in event || 'dedup_key' in event)
        errors.push('Change events take no event_action or dedup_key')
      const payload = event.payload
      if (!isObject(payload) || typeof payload.summary !== 'string' || payload.summary === '')
        errors.push("'payload.summary' is missing")
      else if (payload.summary.length > 1024)
        errors.push("'payload.summary' is too long (must be at most 1024 characters)")
      errors.push(...linkProblems(event.links))
      if (errors.length > 0) return answer(400, invalid(...errors))
      changes.push({ routingKey: event.routing_key as string, payload: payload as Json, links: event.links })
      return answer(202, { status: 'success', message: 'Change event processed' })
    }

    const errors = eventProblems(event)
    if (errors.length > 0) return answer(400, invalid(...errors))
    const routingKey = event.routing_key as string
    const dedupKey = (event.dedup_key as string | undefined) ?? randomBytes(16).toString('hex')
    const open = latest(routingKey, dedupKey)
    const isOpen = open !== undefined && open.status !== 'resolved'
    if (event.event_action === 'trigger') {
      const payload = event.payload as Json
      if (isOpen) {
        open.events.push(event)
        open.summary = payload.summary as string
        open.severity = payload.severity as string
      } else {
        alerts.push({
          id: alerts.length + 1,
          routingKey,
          dedupKey,
          status: 'triggered',
          summary: payload.summary as string,
          severity: payload.severity as string,
          events: [event],
        })
      }
    } else if (isOpen) {
      open.events.push(event)
      open.status = event.event_action === 'acknowledge' ? 'acknowledged' : 'resolved'
    }
    return answer(202, { status: 'success', message: 'Event processed', dedup_key: dedupKey })
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    alerts,
    changes,
    script: (...responses) => void scripted.push(...responses),
    alert: latest,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
