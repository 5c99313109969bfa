// The conformance suite every Notifier runs, for both transports, against the strict fake.
import { describeNotifierContract } from '@slokit/alerting/vitest'
import { Secret } from '@slokit/core'
import { SlackNotifier } from '@slokit/slack'
import { startFakeSlack } from '@slokit/slack/testing'
import { fakeTime } from './test/helpers.js'

const TOKEN = 'xoxb-contract-canary-5e6f'

describeNotifierContract('SlackNotifier (incoming webhook)', async () => {
  const { clock, sleep } = fakeTime()
  const fake = await startFakeSlack({ now: () => clock.now(), minIntervalMs: 1000 })
  const failing = await startFakeSlack()
  failing.script(
    ...Array.from({ length: 5 }, () => ({ status: 500, body: `rollup_error ${failing.webhookUrl}` })),
  )
  return {
    notifier: new SlackNotifier({
      name: 'slack-sre',
      webhookUrl: new Secret('SLACK_WEBHOOK_SRE', fake.webhookUrl),
      clock,
      sleep,
    }),
    failing: new SlackNotifier({ name: 'slack-broken', webhookUrl: failing.webhookUrl, clock, sleep }),
    secrets: [fake.webhookUrl, failing.webhookUrl, 'canary7d1e0b4f9a2c'],
    cleanup: async () => {
      await fake.close()
      await failing.close()
    },
  }
})

describeNotifierContract('SlackNotifier (chat.postMessage)', async () => {
  const { clock, sleep } = fakeTime()
  const fake = await startFakeSlack({ now: () => clock.now(), minIntervalMs: 1000, token: TOKEN })
  const failing = await startFakeSlack({ token: TOKEN })
  failing.script(...Array.from({ length: 5 }, () => ({ status: 503, body: '' })))
  return {
    notifier: new SlackNotifier({
      name: 'slack-incidents',
      token: new Secret('SLACK_BOT_TOKEN', TOKEN),
      channel: 'C0SRE',
      apiUrl: fake.apiUrl,
      clock,
      sleep,
    }),
    failing: new SlackNotifier({
      name: 'slack-down',
      token: TOKEN,
      channel: 'C0SRE',
      apiUrl: failing.apiUrl,
      clock,
      sleep,
    }),
    secrets: [TOKEN],
    cleanup: async () => {
      await fake.close()
      await failing.close()
    },
  }
})
