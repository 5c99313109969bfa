// The example end to end, offline: a local Slack and PagerDuty, 45 minutes of checkout errors on
// fake time, and what each side received. `pnpm --filter @slokit/example-notifications start`
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HOUR_MS, type Logger, MINUTE_MS } from '@slokit/core'
import { startFakePagerDuty } from '@slokit/pagerduty/testing'
import { startFakeSlack } from '@slokit/slack/testing'
import { FakeClock } from '@slokit/testing'
import { startNotifications } from './app.js'
import { notificationsConfig } from './config.js'
import { runOnFakeTime } from './fake-time.js'
import { checkoutIncident } from './incident.js'

const incident = checkoutIncident()
const clock = new FakeClock(incident.incidentStartMs - 10 * MINUTE_MS)
const at = (ms: number = clock.now()) => new Date(ms).toISOString().slice(11, 19)

// Slack as Slack behaves: one message a second per webhook, and it is rate limiting right now.
const slack = await startFakeSlack({ now: () => clock.now(), minIntervalMs: 1000 })
slack.script({ status: 429, body: 'rate_limited', headers: { 'retry-after': '5' } })
const pagerduty = await startFakePagerDuty()
const stateDir = await mkdtemp(join(tmpdir(), 'slokit-notifications-'))

const lines: string[] = []
const print = (line: string) => lines.push(line)
const logger: Logger = {
  debug: () => {},
  info: (message) => print(`${at()}   info  ${message}`),
  warn: (message, fields) =>
    print(
      `${at()}   warn  ${message}${fields?.retryAfterMs === undefined ? '' : ` (${fields.retryAfterMs} ms)`}`,
    ),
  error: (message) => print(`${at()}   error ${message}`),
}

try {
  const app = startNotifications({
    configText: notificationsConfig({ pagerdutyBaseUrl: pagerduty.baseUrl }),
    // In production: process.env. Here the secrets point at the fakes.
    env: { SLACK_WEBHOOK_URL: slack.webhookUrl, PAGERDUTY_ROUTING_KEY: 'e93facc04764012d7bfb002500d5d1a6' },
    source: incident.source,
    stateDir,
    clock,
    logger,
    // Slack pacing waits on the fake clock, not for real.
    sleep: async (ms) => void clock.advance(ms),
  })
  app.engine.on('alert', (t) => print(`${at()} ${t.kind.padEnd(8)} ${t.state.alertId}`))
  app.engine.on('delivery', ({ entry, result }) =>
    print(
      `${at()}   → ${entry.notification.channel}: ${entry.status}${result.ok ? '' : ` (${result.error ?? 'failed'})`}`,
    ),
  )

  console.log(
    `slokit notifications example — ${app.notifiers['slack-sre']}, ${app.notifiers['pagerduty-checkout']}`,
  )
  console.log(
    `checkout: 25 % errors from ${at(incident.incidentStartMs)} to ${at(incident.incidentEndMs)} UTC (fake time), evaluated every minute\n`,
  )
  const run = await runOnFakeTime(app.engine, clock, incident.incidentEndMs + 8 * HOUR_MS)
  console.log(lines.join('\n'))

  console.log(
    `\nSlack received ${slack.requests.length} requests and showed ${slack.delivered.length} messages:`,
  )
  for (const message of slack.delivered) console.log(`  ${at(message.atMs)} ${message.text.split('\n')[0]}`)
  console.log(`\nPagerDuty received ${pagerduty.requests.length} events:`)
  for (const alert of pagerduty.alerts) {
    const actions = alert.events.map((e) => e.event_action).join(' → ')
    console.log(`  ${alert.dedupKey} (${alert.severity}): ${actions}; now ${alert.status}`)
  }
  const pending = await app.engine.outbox.entries('pending')
  const dead = await app.engine.outbox.entries('dead')
  const delivered = await app.engine.outbox.entries('delivered')
  console.log(
    `\n${run.ticks} evaluations, ${run.drains} retry drains; outbox: ${delivered.length} delivered, ${pending.length} pending, ${dead.length} dead`,
  )
} finally {
  await Promise.all([slack.close(), pagerduty.close()])
  await rm(stateDir, { recursive: true, force: true })
}
