import { sampleNotification } from '@slokit/alerting'
import { parseConfig } from '@slokit/config'
import { Secret } from '@slokit/core'
import {
  createPagerDutyNotifier,
  type PagerDutyChannelConfig,
  PagerDutyNotifier,
  pagerdutyChannelSchema,
  pagerdutyChannelType,
} from '@slokit/pagerduty'
import { startFakePagerDuty } from '@slokit/pagerduty/testing'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'

const KEY = 'e93facc04764012d7bfb002500d5d1a6'
const issues = (input: unknown) => {
  const result = pagerdutyChannelSchema.safeParse(input)
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
}

describe('pagerdutyChannelSchema', () => {
  it('accepts a routing key, a base URL, a source and a timeout in ms', () => {
    const routingKey = new Secret('PD_KEY', KEY)
    expect(
      pagerdutyChannelSchema.parse({
        type: 'pagerduty',
        routingKey,
        baseUrl: 'https://events.eu.pagerduty.com',
        source: 'shop',
        timeout: '5s',
      }),
    ).toEqual({
      type: 'pagerduty',
      routingKey,
      baseUrl: 'https://events.eu.pagerduty.com',
      source: 'shop',
      timeout: 5000,
    })
  })

  it('explains a routing key of the wrong length or with whitespace, never showing it', () => {
    expect(issues({ type: 'pagerduty', routingKey: 'abc-canary' })).toEqual([
      'routingKey: the routing key must be 32 characters, got 10: use the Integration Key of an Events API v2 integration',
    ])
    expect(issues({ type: 'pagerduty', routingKey: `${KEY}\n` })).toEqual([
      'routingKey: the routing key contains whitespace (often a trailing newline in an env file)',
    ])
  })

  it('refuses a missing key, unknown keys and a base URL that is not http(s)', () => {
    expect(issues({ type: 'pagerduty' })).toHaveLength(1)
    expect(issues({ type: 'pagerduty', routingKey: KEY, severity: 'high' })).toHaveLength(1)
    expect(issues({ type: 'pagerduty', routingKey: KEY, baseUrl: 'events.pagerduty.com' })).toHaveLength(1)
  })
})

describe('createPagerDutyNotifier', () => {
  it('builds a notifier from YAML with ${env:…} and it triggers at the configured base URL', async () => {
    const fake = await startFakePagerDuty()
    try {
      const config = parseConfig(
        [
          {
            name: 'slokit.yaml',
            text: [
              'apiVersion: slokit/v1',
              'channels:',
              '  pagerduty-checkout:',
              '    type: pagerduty',
              '    routingKey: ${env:PAGERDUTY_ROUTING_KEY_CHECKOUT}',
              `    baseUrl: ${fake.baseUrl}`,
              '  pagerduty-platform:',
              '    type: pagerduty',
              '    routingKey: ${env:PAGERDUTY_ROUTING_KEY_PLATFORM}',
            ].join('\n'),
          },
        ],
        {
          env: { PAGERDUTY_ROUTING_KEY_CHECKOUT: KEY, PAGERDUTY_ROUTING_KEY_PLATFORM: KEY.replace('e', 'f') },
          sections: { channels: z.record(z.string(), pagerdutyChannelSchema) },
        },
      )
      const channels = config.sections.channels as Record<string, PagerDutyChannelConfig>
      const notifier = createPagerDutyNotifier(channels['pagerduty-checkout']!, {
        name: 'pagerduty-checkout',
      })
      expect(String(notifier)).toBe('PagerDutyNotifier(pagerduty-checkout)')
      expect(await notifier.send(sampleNotification('alert_firing'))).toMatchObject({ ok: true })
      expect(fake.alerts).toHaveLength(1)
    } finally {
      await fake.close()
    }
  })

  it('a config checked without its environment validates, and building the notifier names the variable', () => {
    const config = parseConfig(
      [
        {
          name: 'slokit.yaml',
          text: 'apiVersion: slokit/v1\nchannels:\n  pd:\n    type: pagerduty\n    routingKey: ${env:PD_KEY}\n',
        },
      ],
      { env: {}, unsetSecrets: 'warn', sections: { channels: z.record(z.string(), pagerdutyChannelSchema) } },
    )
    const pd = (config.sections.channels as Record<string, PagerDutyChannelConfig>).pd!
    expect(() => createPagerDutyNotifier(pd)).toThrow(
      expect.objectContaining({
        code: 'INVALID_CONFIG',
        message: '[slokit/pagerduty] `routingKey` ([secret PD_KEY]) is not set.',
      }),
    )
    expect(createPagerDutyNotifier({ ...pd, routingKey: new Secret('PD_KEY', KEY) })).toBeInstanceOf(
      PagerDutyNotifier,
    )
  })
})

describe('pagerdutyChannelType', () => {
  it('parses a channel and builds its notifier, named after the channel', async () => {
    const fake = await startFakePagerDuty()
    try {
      const type = pagerdutyChannelType()
      const notifier = type.create(
        'pagerduty-platform',
        type.schema.parse({ type: 'pagerduty', routingKey: KEY, baseUrl: fake.baseUrl }),
      )
      expect(notifier.name).toBe('pagerduty-platform')
      expect(await notifier.send(sampleNotification('alert_firing'))).toMatchObject({ ok: true })
    } finally {
      await fake.close()
    }
  })
})
