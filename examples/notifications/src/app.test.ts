import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import type { AlertTransition, DeliveryResult, OutboxEntry } from '@slokit/alerting'
import { HOUR_MS, type Logger, MINUTE_MS } from '@slokit/core'
import { type FakePagerDuty, startFakePagerDuty } from '@slokit/pagerduty/testing'
import { type FakeSlack, startFakeSlack } from '@slokit/slack/testing'
import { FakeClock } from '@slokit/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { type NotificationsApp, startNotifications } from './app.js'
import { notificationsConfig } from './config.js'
import { type FakeTimeRun, runOnFakeTime } from './fake-time.js'
import { checkoutIncident } from './incident.js'

const PAGE = 'slo-burn-rate/checkout-availability/page'
/** 32 characters, as PagerDuty requires; it must never show up anywhere but on the wire. */
const ROUTING_KEY = 'CANARYroutingKEY7f3a9c2e51d04b86'
/** PagerDuty answers 429 without `Retry-After`; the client then waits its documented default. */
const PAGERDUTY_BACKOFF_MS = 30_000
const SLACK_RETRY_AFTER_MS = 5000

const incident = checkoutIncident()
const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

/** One request through the host's `fetch`, on the fake clock. The URL is not kept: it is a secret. */
interface Exchange {
  readonly to: 'slack' | 'pagerduty'
  readonly atMs: number
  readonly status: number
}

/** One delivery attempt as the engine reported it, on the fake clock. */
interface Attempt {
  readonly id: string
  readonly channel: string
  readonly atMs: number
  readonly status: OutboxEntry['status']
  readonly result: DeliveryResult
}

interface IncidentRun {
  readonly app: NotificationsApp
  readonly slack: FakeSlack
  readonly pagerduty: FakePagerDuty
  readonly clock: FakeClock
  readonly stateDir: string
  readonly exchanges: Exchange[]
  readonly attempts: Attempt[]
  readonly transitions: AlertTransition[]
  readonly logs: string[]
  readonly run: FakeTimeRun
}

/**
 * The example as a user wires it, against a strict local Slack (pacing enforced on the fake
 * clock) and PagerDuty: 10 minutes before the incident to 8 hours after it, evaluated every
 * minute, retries drained when due. `script` sets up failures before anything is sent.
 */
async function runIncident(
  script?: (slack: FakeSlack, pagerduty: FakePagerDuty) => void,
): Promise<IncidentRun> {
  const clock = new FakeClock(incident.incidentStartMs - 10 * MINUTE_MS)
  const slack = await startFakeSlack({ now: () => clock.now(), minIntervalMs: 1000 })
  const pagerduty = await startFakePagerDuty()
  const stateDir = await mkdtemp(join(tmpdir(), 'slokit-notifications-test-'))
  cleanups.push(async () => {
    await Promise.all([slack.close(), pagerduty.close()])
    await rm(stateDir, { recursive: true, force: true })
  })
  script?.(slack, pagerduty)

  const exchanges: Exchange[] = []
  const hostFetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input)
    const to = url.startsWith(pagerduty.baseUrl) ? 'pagerduty' : 'slack'
    const atMs = clock.now()
    const response = await fetch(input, init)
    exchanges.push({ to, atMs, status: response.status })
    return response
  }
  const logs: string[] = []
  const log =
    (level: string) =>
    (message: string, fields?: object): void =>
      void logs.push(`${level} ${message} ${inspect(fields, { depth: 10 })}`)
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }

  const app = startNotifications({
    configText: notificationsConfig({ pagerdutyBaseUrl: pagerduty.baseUrl }),
    env: { SLACK_WEBHOOK_URL: slack.webhookUrl, PAGERDUTY_ROUTING_KEY: ROUTING_KEY },
    source: incident.source,
    stateDir,
    clock,
    fetch: hostFetch,
    logger,
    sleep: async (ms) => void clock.advance(ms),
    random: () => 0.5,
  })
  const attempts: Attempt[] = []
  const transitions: AlertTransition[] = []
  app.engine.on('alert', (t) => void transitions.push(t))
  app.engine.on('delivery', ({ entry, result }) => {
    attempts.push({
      id: entry.id,
      channel: entry.notification.channel,
      atMs: clock.now(),
      status: entry.status,
      result,
    })
  })
  const run = await runOnFakeTime(app.engine, clock, incident.incidentEndMs + 8 * HOUR_MS)
  return { app, slack, pagerduty, clock, stateDir, exchanges, attempts, transitions, logs, run }
}

/** An Events API v2 event as it went over the wire. */
interface SentEvent {
  readonly routing_key: string
  readonly event_action: string
  readonly dedup_key?: string
  readonly payload?: { readonly severity: string; readonly source: string }
}

/** The Events API v2 events PagerDuty took (202), in order. */
function acceptedEvents(pagerduty: FakePagerDuty): SentEvent[] {
  return pagerduty.requests
    .filter((r) => r.path === '/v2/enqueue' && r.status === 202)
    .map((r) => JSON.parse(r.body) as SentEvent)
}

/** Slack messages about one alert (its stable key is in the message's context block), as FIRING/RESOLVED. */
function slackStates(slack: FakeSlack, alertId: string): string[] {
  return slack.delivered
    .filter((m) => JSON.stringify(m.blocks).includes(alertId))
    .map((m) => /FIRING \([a-z]+\)|RESOLVED/.exec(m.text)?.[0] ?? m.text)
}

/** The outbox entries of a channel that ended delivered. */
async function deliveredTo(app: NotificationsApp, channel: string): Promise<OutboxEntry[]> {
  return (await app.engine.outbox.entries('delivered')).filter((e) => e.notification.channel === channel)
}

describe('the notifications example, end to end on fake time', () => {
  it('pages PagerDuty once and resolves the same incident; Slack shows the firing and the resolution', async () => {
    const { app, slack, pagerduty, transitions, attempts } = await runIncident()

    const fired = transitions.find((t) => t.kind === 'firing' && t.state.alertId === PAGE)
    expect(fired, 'the page fired').toBeDefined()
    const firedAtMs = fired?.state.firingSinceMs ?? Number.NaN
    expect(firedAtMs).toBeGreaterThan(incident.incidentStartMs)
    expect(firedAtMs - incident.incidentStartMs).toBeLessThanOrEqual(15 * MINUTE_MS)

    // PagerDuty: one trigger, one resolve, both keyed by the alert's stable key.
    const events = acceptedEvents(pagerduty)
    expect(events.map((e) => [e.event_action, e.dedup_key])).toEqual([
      ['trigger', PAGE],
      ['resolve', PAGE],
    ])
    expect(events[0]?.payload).toMatchObject({ severity: 'critical', source: 'checkout' })
    expect(events.every((e) => e.routing_key === ROUTING_KEY)).toBe(true)
    expect(pagerduty.alerts.map((a) => [a.dedupKey, a.status])).toEqual([[PAGE, 'resolved']])

    // Slack: the page's firing and resolution, in that order; the ticket that follows goes to Slack only.
    expect(slackStates(slack, PAGE)).toEqual(['FIRING (critical)', 'RESOLVED'])
    const resolvedAtMs = slack.delivered.find((m) => m.text.includes('RESOLVED'))?.atMs ?? Number.NaN
    expect(resolvedAtMs).toBeGreaterThanOrEqual(incident.incidentEndMs)
    expect(slackStates(slack, 'slo-burn-rate/checkout-availability/ticket')).toEqual([
      'FIRING (warning)',
      'RESOLVED',
    ])
    expect(slack.violations).toEqual([])

    // Everything went out at the first attempt, and nothing is left over.
    expect(attempts.every((a) => a.result.ok)).toBe(true)
    expect(await app.engine.outbox.entries('pending')).toEqual([])
    expect(await app.engine.outbox.entries('dead')).toEqual([])
    expect(await deliveredTo(app, 'slack-sre')).toHaveLength(slack.delivered.length)
    expect(await deliveredTo(app, 'pagerduty-checkout')).toHaveLength(events.length)
  })

  it('rides out a 429 storm: every notification once, never before Retry-After, nothing left pending or dead', async () => {
    const { app, slack, pagerduty, exchanges, attempts, run } = await runIncident((slack, pagerduty) => {
      const tooMany = { status: 429, body: 'rate_limited', headers: { 'retry-after': '5' } }
      slack.script(tooMany, tooMany, tooMany, tooMany)
      pagerduty.script({ status: 429, body: '' }, { status: 429, body: '' }, { status: 429, body: '' })
    })

    // The storm happened: exactly the scripted 429s, no more (a paced request never provoked one).
    expect(exchanges.filter((e) => e.to === 'slack' && e.status === 429)).toHaveLength(4)
    expect(exchanges.filter((e) => e.to === 'pagerduty' && e.status === 429)).toHaveLength(3)
    expect(slack.violations).toEqual([])

    // Every notification was delivered exactly once, in the same order as without the storm.
    const events = acceptedEvents(pagerduty)
    expect(events.map((e) => [e.event_action, e.dedup_key])).toEqual([
      ['trigger', PAGE],
      ['resolve', PAGE],
    ])
    expect(events[0]?.payload?.severity).toBe('critical')
    expect(slackStates(slack, PAGE)).toEqual(['FIRING (critical)', 'RESOLVED'])
    expect(await app.engine.outbox.entries('pending')).toEqual([])
    expect(await app.engine.outbox.entries('dead')).toEqual([])
    const entries = await app.engine.outbox.entries()
    expect(entries.every((e) => e.status === 'delivered')).toBe(true)
    expect(await deliveredTo(app, 'slack-sre')).toHaveLength(slack.delivered.length)
    expect(await deliveredTo(app, 'pagerduty-checkout')).toHaveLength(events.length)
    expect(new Set(attempts.filter((a) => a.result.ok).map((a) => a.id)).size).toBe(entries.length)
    expect(attempts.filter((a) => a.result.ok)).toHaveLength(entries.length)

    // The notifiers said when to retry: Slack's Retry-After, PagerDuty's documented backoff.
    const rateLimited = attempts.filter((a) => a.result.error?.includes('HTTP 429'))
    expect(rateLimited.map((a) => [a.channel, a.result.retryAfterMs])).toEqual([
      ['pagerduty-checkout', PAGERDUTY_BACKOFF_MS],
      ['slack-sre', SLACK_RETRY_AFTER_MS],
      ['slack-sre', SLACK_RETRY_AFTER_MS],
      ['slack-sre', SLACK_RETRY_AFTER_MS],
      ['slack-sre', SLACK_RETRY_AFTER_MS],
      ['pagerduty-checkout', PAGERDUTY_BACKOFF_MS],
      ['pagerduty-checkout', PAGERDUTY_BACKOFF_MS],
    ])
    // The outbox retried each notification no sooner than its retryAfterMs…
    const byId = new Map<string, Attempt[]>()
    for (const attempt of attempts) byId.set(attempt.id, [...(byId.get(attempt.id) ?? []), attempt])
    for (const [id, tries] of byId) {
      for (let i = 1; i < tries.length; i++) {
        const previous = tries[i - 1] as Attempt
        const waitedMs = (tries[i] as Attempt).atMs - previous.atMs
        expect(waitedMs, `${id}, attempt ${i + 1}`).toBeGreaterThanOrEqual(previous.result.retryAfterMs ?? 0)
      }
    }
    // …and on the wire, nothing reached a service before its 429 ran out.
    for (const [i, exchange] of exchanges.entries()) {
      if (exchange.status !== 429) continue
      const next = exchanges.slice(i + 1).find((e) => e.to === exchange.to)
      const waitMs = exchange.to === 'slack' ? SLACK_RETRY_AFTER_MS : PAGERDUTY_BACKOFF_MS
      expect(next, `a request after the ${exchange.to} 429`).toBeDefined()
      expect((next as Exchange).atMs - exchange.atMs).toBeGreaterThanOrEqual(waitMs)
    }
    // Retries ran when due, between evaluations, not a minute later each.
    const firstSlack429 = exchanges.find((e) => e.to === 'slack' && e.status === 429) as Exchange
    const slackPage = slack.delivered[0]
    expect((slackPage?.atMs ?? 0) - firstSlack429.atMs).toBeGreaterThanOrEqual(4 * SLACK_RETRY_AFTER_MS)
    expect((slackPage?.atMs ?? 0) - firstSlack429.atMs).toBeLessThan(MINUTE_MS)
    expect(run.drains).toBeGreaterThanOrEqual(6)
  })

  it('never lets the webhook URL or the routing key out: logs, outbox, dead letters, results, printouts', async () => {
    let webhookUrl = ''
    const { app, slack, attempts, logs, stateDir } = await runIncident((slack, pagerduty) => {
      webhookUrl = slack.webhookUrl
      // Failures whose bodies echo the secrets back, as a misbehaving proxy might.
      slack.script(
        { status: 429, body: 'rate_limited', headers: { 'retry-after': '5' } },
        { status: 500, body: `upstream ${slack.webhookUrl} failed` },
        'reset',
      )
      pagerduty.script(
        { status: 429, body: '' },
        { status: 503, body: { status: 'unavailable', message: `key ${ROUTING_KEY} unavailable` } },
        'reset',
        {
          status: 400,
          body: {
            status: 'invalid event',
            message: 'Event object is invalid',
            errors: [`routing_key ${ROUTING_KEY} is not known`],
          },
        },
      )
    })
    const { pathname } = new URL(webhookUrl)
    const canaries = [webhookUrl, pathname, pathname.split('/').at(-1) as string, ROUTING_KEY]
    const leaks = (what: string, text: string) =>
      canaries.filter((canary) => text.includes(canary)).map((canary) => `${what} shows ${canary}`)

    // The failure paths ran: errors were logged, redacted, and one event was dead-lettered.
    const dead = await app.engine.outbox.entries('dead')
    expect(dead.map((e) => e.id)).toEqual([`${PAGE}:1:pagerduty-checkout`])
    expect(dead[0]?.lastError).toContain('[routing key]')
    expect(attempts.filter((a) => !a.result.ok).length).toBeGreaterThanOrEqual(6)
    expect(logs.some((line) => line.startsWith('warn'))).toBe(true)
    expect(slackStates(slack, PAGE)).toEqual(['FIRING (critical)', 'RESOLVED'])

    const outboxFile = await readFile(app.outboxPath, 'utf8')
    const alertsFile = await readFile(join(stateDir, 'alerts.json'), 'utf8')
    expect(outboxFile.split('\n').length).toBeGreaterThan(10)
    expect([
      ...logs.flatMap((line, i) => leaks(`log line ${i}`, line)),
      ...leaks('the outbox file', outboxFile),
      ...leaks('the alert state file', alertsFile),
      ...dead.flatMap((e) => leaks(`dead letter ${e.id}`, inspect(e, { depth: 10 }))),
      ...attempts.flatMap((a) => leaks(`the result of ${a.id}`, `${a.result.error} ${inspect(a.result)}`)),
      ...Object.entries(app.notifiers).flatMap(([name, notifier]) => [
        ...leaks(`String(${name})`, String(notifier)),
        ...leaks(`inspect(${name})`, inspect(notifier, { depth: 10, showHidden: true })),
        ...leaks(`JSON of ${name}`, JSON.stringify(notifier) ?? ''),
      ]),
      ...leaks('inspect(app.notifiers)', inspect(app.notifiers, { depth: 10 })),
      ...leaks('the disabled channels', inspect(app.engine.outbox.disabledChannels())),
    ]).toEqual([])
  })
})
