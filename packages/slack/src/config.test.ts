import { sampleNotification, webhookChannelSchema } from '@slokit/alerting'
import { parseConfig } from '@slokit/config'
import { Secret, SlokitError } from '@slokit/core'
import {
  createSlackNotifier,
  type SlackChannelConfig,
  SlackNotifier,
  slackChannelSchema,
  slackChannelType,
} from '@slokit/slack'
import { startFakeSlack } from '@slokit/slack/testing'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { captureLogger, fakeTime } from './test/helpers.js'

const messages = (input: unknown) => {
  const result = slackChannelSchema.safeParse(input)
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
}

describe('slackChannelSchema', () => {
  it('accepts an incoming webhook, wrapping a plain string into a Secret', () => {
    const config = slackChannelSchema.parse({
      type: 'slack',
      webhookUrl: 'https://hooks.slack.com/services/T/B/x',
    })
    expect(config.webhookUrl).toBeInstanceOf(Secret)
    expect(JSON.stringify(config)).toBe('{"type":"slack","webhookUrl":"[secret inline]"}')
  })

  it('accepts a bot token with a channel, an API URL and a timeout in ms', () => {
    const token = new Secret('SLACK_BOT_TOKEN', 'xoxb-1')
    expect(
      slackChannelSchema.parse({
        type: 'slack',
        token,
        channel: 'C0SRE',
        apiUrl: 'https://slack-gov.com/api/',
        timeout: '5s',
      }),
    ).toEqual({ type: 'slack', token, channel: 'C0SRE', apiUrl: 'https://slack-gov.com/api/', timeout: 5000 })
  })

  it.each([
    [
      { type: 'slack' },
      'webhookUrl: a Slack channel needs `webhookUrl` (an incoming webhook) or `token` with `channel` (chat.postMessage)',
    ],
    [
      { type: 'slack', webhookUrl: 'https://h', token: 't', channel: 'C' },
      'token: give either `webhookUrl` (an incoming webhook) or `token` with `channel` (chat.postMessage), not both',
    ],
    [
      { type: 'slack', token: 't' },
      'channel: `token` needs `channel`: the channel id (C0123…) or name (#sre) to post to',
    ],
    [
      { type: 'slack', webhookUrl: 'https://h', channel: '#sre' },
      'channel: `channel` applies to `token` (chat.postMessage) only: an incoming webhook always posts to the channel it was created for',
    ],
  ])('explains what is missing or extra: %j', (input, message) => {
    expect(messages(input)).toEqual([message])
  })

  it('refuses unknown keys, empty secrets and non-http API URLs', () => {
    expect(messages({ type: 'slack', webhookUrl: 'https://h', colour: 'red' })).toHaveLength(1)
    expect(messages({ type: 'slack', webhookUrl: '' })).toHaveLength(1)
    expect(
      messages({ type: 'slack', token: 't', channel: 'C', apiUrl: 'ftp://slack.example/' }),
    ).toHaveLength(1)
  })

  it('composes into a discriminated `channels` union with the other channel types', () => {
    const channels = z.record(
      z.string(),
      z.discriminatedUnion('type', [webhookChannelSchema, slackChannelSchema]),
    )
    const parsed = channels.parse({
      'slack-sre': { type: 'slack', webhookUrl: 'https://hooks.slack.com/services/T/B/x' },
      audit: { type: 'webhook', url: 'https://audit.example/hook' },
    })
    expect(Object.values(parsed).map((c) => c.type)).toEqual(['slack', 'webhook'])
  })
})

describe('createSlackNotifier', () => {
  it('builds a webhook notifier from a YAML channels section with ${env:…} secrets, and it delivers', async () => {
    const { clock, sleep } = fakeTime()
    const fake = await startFakeSlack({ now: () => clock.now() })
    try {
      const config = parseConfig(
        [
          {
            name: 'slokit.yaml',
            text: [
              'apiVersion: slokit/v1',
              'channels:',
              '  slack-sre:',
              '    type: slack',
              '    webhookUrl: ${env:SLACK_WEBHOOK_SRE}',
              '    timeout: 5s',
            ].join('\n'),
          },
        ],
        {
          env: { SLACK_WEBHOOK_SRE: fake.webhookUrl },
          sections: { channels: z.record(z.string(), slackChannelSchema) },
        },
      )
      const channels = config.sections.channels as Record<string, SlackChannelConfig>
      const notifier = createSlackNotifier(channels['slack-sre']!, { name: 'slack-sre', clock, sleep })
      expect(notifier).toBeInstanceOf(SlackNotifier)
      expect(String(notifier)).toBe('SlackNotifier(slack-sre, webhook)')
      expect(await notifier.send(sampleNotification('alert_firing'))).toMatchObject({ ok: true })
    } finally {
      await fake.close()
    }
  })

  it('builds a chat.postMessage notifier from a token and channel', () => {
    const notifier = createSlackNotifier(
      slackChannelSchema.parse({ type: 'slack', token: 'xoxb-1', channel: '#sre' }),
      { name: 'slack-bot' },
    )
    expect(notifier.transport).toBe('web-api')
  })

  it('refuses a secret that is not set (a config checked without its environment), naming the variable', () => {
    const config = slackChannelSchema.parse({
      type: 'slack',
      webhookUrl: new Secret('SLACK_WEBHOOK_SRE', undefined),
    })
    expect(() => createSlackNotifier(config, { name: 'slack-sre' })).toThrow(
      expect.objectContaining({
        code: 'INVALID_CONFIG',
        message: '[slokit/slack] `webhookUrl` ([secret SLACK_WEBHOOK_SRE]) is not set.',
        hint: 'set the environment variable SLACK_WEBHOOK_SRE',
      }),
    )
  })

  it('refuses a webhook URL that is not http(s) without showing it', () => {
    const error = (() => {
      try {
        new SlackNotifier({ webhookUrl: 'hooks.slack.com/services/T/B/canary-9' })
      } catch (caught) {
        return caught as SlokitError
      }
    })()
    expect(error).toBeInstanceOf(SlokitError)
    expect(error?.message).toBe('[slokit/slack] `webhookUrl` must be an http(s) URL.')
    expect(error?.message).not.toContain('canary')
  })

  it('refuses both or neither destination, and a token without a channel', () => {
    expect(() => new SlackNotifier({} as never)).toThrow(
      'needs either `webhookUrl` or `token` with `channel`.',
    )
    expect(() => new SlackNotifier({ webhookUrl: 'https://h.example/x', token: 't' } as never)).toThrow(
      ', not both.',
    )
    expect(() => new SlackNotifier({ token: 'xoxb-1', channel: ' ' })).toThrow(
      'has a `token` but no `channel`',
    )
  })
})

describe('slackChannelType', () => {
  it('builds every channel with the host I/O and one shared pacer: two channels on one webhook are paced together', async () => {
    const { clock, sleep, sleeps } = fakeTime()
    const log = captureLogger()
    const fake = await startFakeSlack({ now: () => clock.now(), minIntervalMs: 1000 })
    try {
      const type = slackChannelType({ clock, sleep, logger: log.logger })
      const config = type.schema.parse({ type: 'slack', webhookUrl: fake.webhookUrl })
      const sre = type.create('slack-sre', config)
      const oncall = type.create('slack-oncall', config)
      expect([sre.name, oncall.name]).toEqual(['slack-sre', 'slack-oncall'])
      expect(await sre.send(sampleNotification('alert_firing'))).toMatchObject({ ok: true })
      expect(await oncall.send(sampleNotification('alert_firing'))).toMatchObject({ ok: true })
      expect(sleeps).toEqual([1000])
      expect(fake.violations).toEqual([])
      expect(log.lines.length).toBeGreaterThan(0)
    } finally {
      await fake.close()
    }
  })
})
