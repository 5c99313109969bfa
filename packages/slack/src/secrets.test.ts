// A canary secret through every path a Slack delivery can take: it must never reach a log line,
// a result, an error or a printout.
import { inspect } from 'node:util'
import { type DeliveryResult, NOTIFICATION_KINDS, sampleNotification } from '@slokit/alerting'
import { Secret } from '@slokit/core'
import { SlackNotifier } from '@slokit/slack'
import { startFakeSlack } from '@slokit/slack/testing'
import { expect, it } from 'vitest'
import { captureLogger, fakeTime } from './test/helpers.js'

it('a canary webhook URL and token never appear in any log, result, error or printout', async () => {
  const CANARY = 'canary7d1e0b4f9a2c'
  const TOKEN = `xoxb-${CANARY}`
  const { clock, sleep } = fakeTime()
  const log = captureLogger()
  const fake = await startFakeSlack({ now: () => clock.now(), token: TOKEN })
  const seen: unknown[] = []
  try {
    const notifiers = [
      new SlackNotifier({
        name: 'hook',
        webhookUrl: new Secret('SLACK_WEBHOOK', fake.webhookUrl),
        clock,
        sleep,
        logger: log.logger,
        onDisabled: (e) => seen.push(e),
      }),
      new SlackNotifier({
        name: 'bot',
        token: new Secret('SLACK_TOKEN', TOKEN),
        channel: 'C0SRE',
        apiUrl: fake.apiUrl,
        clock,
        sleep,
        logger: log.logger,
      }),
      new SlackNotifier({
        name: 'renders-badly',
        webhookUrl: fake.webhookUrl,
        render: () => {
          throw new Error(`cannot render for ${fake.webhookUrl}`)
        },
        logger: log.logger,
      }),
    ]
    const results: DeliveryResult[] = []
    for (const notifier of notifiers) {
      seen.push(
        String(notifier),
        inspect(notifier, { depth: 10, showHidden: true }),
        JSON.stringify(notifier),
      )
      for (const kind of NOTIFICATION_KINDS) results.push(await notifier.send(sampleNotification(kind)))
      if (notifier.name === 'renders-badly') continue
      fake.script(
        { status: 429, headers: { 'retry-after': '1' }, body: `rate_limited ${fake.webhookUrl}` },
        { status: 500, body: `rollup_error for ${fake.webhookUrl} ${TOKEN}` },
        { status: 400, body: `invalid_payload ${fake.webhookUrl}` },
        { status: 200, body: JSON.stringify({ ok: false, error: 'invalid_auth', token: TOKEN }) },
        'reset',
      )
      for (let i = 0; i < 5; i++) {
        clock.advance(2000)
        results.push(await notifier.send(sampleNotification('alert_firing')))
      }
    }
    fake.revokeWebhook()
    clock.advance(2000)
    results.push(await notifiers[0]!.send(sampleNotification('alert_firing')))
    expect(results.some((r) => r.disableDestination)).toBe(true)
    try {
      new SlackNotifier({ webhookUrl: `ftp://x/${CANARY}` })
    } catch (error) {
      seen.push(String(error), (error as Error).message, inspect(error))
    }
    const everything = JSON.stringify([results, seen]) + log.text()
    expect(log.lines.length).toBeGreaterThan(10)
    expect(everything).not.toContain(CANARY)
    expect(everything).not.toContain('/services/T0FAKE')
  } finally {
    await fake.close()
  }
})
