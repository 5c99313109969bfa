// The examples of docs/slack.md and the README, kept as tests so the pages cannot drift from the code.
import { sampleNotification } from '@slokit/alerting'
import { Secret } from '@slokit/core'
import { createSlackNotifier, SlackNotifier, SlackPacer, slackChannelSchema } from '@slokit/slack'
import { startFakeSlack } from '@slokit/slack/testing'
import { expect, it } from 'vitest'

it('docs/slack.md: a runnable example', async () => {
  const fake = await startFakeSlack()
  const env: Record<string, string | undefined> = { SLACK_WEBHOOK_SRE: fake.webhookUrl }
  try {
    const slack = new SlackNotifier({
      name: 'slack-sre',
      webhookUrl: new Secret('SLACK_WEBHOOK_SRE', env.SLACK_WEBHOOK_SRE),
    })
    const result = await slack.send(sampleNotification('alert_firing'))
    expect(result).toEqual({ ok: true, retryable: false })

    fake.script({ status: 429, body: 'rate_limited', headers: { 'retry-after': '2' } })
    const pacer = new SlackPacer()
    const config = slackChannelSchema.parse({
      type: 'slack',
      webhookUrl: new Secret('SLACK_WEBHOOK_SRE', env.SLACK_WEBHOOK_SRE),
    })
    const notifier = createSlackNotifier(config, { name: 'slack-sre', pacer })
    expect(await notifier.send(sampleNotification('alert_firing'))).toEqual({
      ok: false,
      retryable: true,
      retryAfterMs: 2000,
      error: 'slack-sre: rate limited by Slack (HTTP 429), retry after 2s',
    })
  } finally {
    await fake.close()
  }
})
