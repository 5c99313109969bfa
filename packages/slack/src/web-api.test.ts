// CONTRACTS.md §7 "Slack Web API" (chat.postMessage), and threading, against the strict fake.
import { sampleNotification } from '@slokit/alerting'
import { Secret } from '@slokit/core'
import { MemorySlackThreadStore, SlackNotifier, type SlackNotifierSettings } from '@slokit/slack'
import { type FakeSlack, startFakeSlack } from '@slokit/slack/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { captureLogger, fakeTime } from './test/helpers.js'

const TOKEN = 'xoxb-canary-0b4f9a2c7d1e'
let fake: FakeSlack | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function setup(settings: SlackNotifierSettings & { token?: string; channel?: string } = {}) {
  const time = fakeTime()
  const log = captureLogger()
  fake = await startFakeSlack({ now: () => time.clock.now(), minIntervalMs: 1000, token: TOKEN })
  const notifier = new SlackNotifier({
    name: 'slack-incidents',
    apiUrl: fake.apiUrl,
    clock: time.clock,
    sleep: time.sleep,
    logger: log.logger,
    ...settings,
    token: new Secret('SLACK_BOT_TOKEN', settings.token ?? TOKEN),
    channel: settings.channel ?? 'C0SRE',
  })
  return { ...time, ...log, fake, notifier }
}

describe('Slack Web API: chat.postMessage', () => {
  it('posts JSON with the bot token, the channel and the text fallback; the ts is the externalId', async () => {
    const { fake, notifier } = await setup()
    const result = await notifier.send(sampleNotification('alert_firing'))
    expect(result).toEqual({ ok: true, retryable: false, externalId: fake.delivered[0]?.ts })
    const request = fake.requests[0]!
    expect(request.path).toBe('/api/chat.postMessage')
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(JSON.parse(request.body)).toMatchObject({
      channel: 'C0SRE',
      unfurl_links: false,
      unfurl_media: false,
    })
    expect(fake.delivered[0]?.text).toContain('FIRING')
  })

  it('§7.1: a 200 with ok:false is an error, its code kept, not retried', async () => {
    const { fake, notifier } = await setup({ channel: '#sre' })
    fake.script({ status: 200, body: JSON.stringify({ ok: false, error: 'not_in_channel' }) })
    const result = await notifier.send(sampleNotification('alert_firing'))
    expect(result).toMatchObject({ ok: false, retryable: false })
    expect(result.error).toBe(
      'slack-incidents: Slack answered not_in_channel (HTTP 200); invite the app to the channel (/invite @your-app)',
    )
    expect(result.disableDestination).toBeUndefined()
  })

  it.each([
    ['internal_error', true, false],
    ['fatal_error', true, false],
    ['missing_scope', false, false],
    ['msg_too_long', false, false],
    ['is_archived', false, true],
    ['token_revoked', false, true],
  ])('§7.1: ok:false %s → retryable %s, disables %s', async (code, retryable, disables) => {
    const { fake, notifier } = await setup()
    fake.script({ status: 200, body: JSON.stringify({ ok: false, error: code }) })
    const result = await notifier.send(sampleNotification('alert_firing'))
    expect(result).toMatchObject({ ok: false, retryable })
    expect(result.disableDestination ?? false).toBe(disables)
    expect(result.error).toContain(code)
  })

  it('an unknown channel is channel_not_found, and disables the destination', async () => {
    const { notifier } = await setup({ channel: 'C0NOPE' })
    const result = await notifier.send(sampleNotification('alert_firing'))
    expect(result).toMatchObject({ ok: false, retryable: false, disableDestination: true })
    expect(notifier.disabledReason).toBe('channel_not_found')
  })

  it('an archived channel is is_archived, and disables the destination', async () => {
    const { fake, notifier } = await setup()
    fake.archive('C0SRE')
    expect(await notifier.send(sampleNotification('alert_firing'))).toMatchObject({
      disableDestination: true,
    })
  })

  it('§7.2: 429 + Retry-After is honoured: retryAfterMs, and nothing sent before it passed', async () => {
    const { fake, notifier, clock } = await setup()
    fake.script({
      status: 429,
      body: JSON.stringify({ ok: false, error: 'ratelimited' }),
      headers: { 'retry-after': '3' },
    })
    expect(await notifier.send(sampleNotification('alert_firing'))).toMatchObject({
      ok: false,
      retryable: true,
      retryAfterMs: 3000,
    })
    clock.advance(1000)
    expect(await notifier.send(sampleNotification('alert_firing'))).toMatchObject({
      retryable: true,
      retryAfterMs: 2000,
    })
    clock.advance(2000)
    expect(await notifier.send(sampleNotification('alert_firing'))).toMatchObject({ ok: true })
    expect(fake.requests).toHaveLength(2)
    expect(fake.violations).toEqual([])
  })

  it('§7.3: a bad token → invalid_auth, not retryable, the token nowhere in the result', async () => {
    const { notifier } = await setup({ token: 'xoxb-wrong-canary-1234' })
    const result = await notifier.send(sampleNotification('alert_firing'))
    expect(result).toMatchObject({ ok: false, retryable: false })
    expect(result.error).toContain('invalid_auth')
    expect(result.error).toContain('check the bot token')
    expect(result.error).not.toContain('canary')
  })

  it('§7.3: no token → not_authed, not retryable', async () => {
    const { fake, notifier } = await setup()
    fake.script({ status: 200, body: JSON.stringify({ ok: false, error: 'not_authed' }) })
    const result = await notifier.send(sampleNotification('alert_firing'))
    expect(result).toMatchObject({ ok: false, retryable: false })
    expect(result.error).toContain('not_authed')
  })

  it('a 5xx (no JSON) is retryable', async () => {
    const { fake, notifier } = await setup()
    fake.script({ status: 503, body: '<html>upstream down</html>' })
    expect(await notifier.send(sampleNotification('alert_firing'))).toMatchObject({
      ok: false,
      retryable: true,
    })
  })
})

describe('Slack Web API: resolved messages in the firing message thread', () => {
  it('posts the resolved message in the thread of the firing one, broadcast to the channel', async () => {
    const { fake, notifier } = await setup()
    const firing = await notifier.send(sampleNotification('alert_firing'))
    const resolved = await notifier.send(sampleNotification('alert_resolved'))
    expect(resolved.ok).toBe(true)
    const [root, reply] = fake.delivered
    expect(firing.externalId).toBe(root?.ts)
    expect(reply).toMatchObject({ threadTs: root?.ts, replyBroadcast: true })
    expect(reply?.text).toContain('RESOLVED')
  })

  it('a resolved message for an unknown alert goes to the channel', async () => {
    const { fake, notifier } = await setup()
    expect(await notifier.send(sampleNotification('alert_resolved'))).toMatchObject({ ok: true })
    expect(fake.delivered[0]?.threadTs).toBeUndefined()
  })

  it('a later firing of the same alert starts a new thread', async () => {
    const { fake, notifier } = await setup()
    await notifier.send(sampleNotification('alert_firing'))
    await notifier.send(sampleNotification('alert_resolved'))
    await notifier.send(sampleNotification('alert_firing'))
    await notifier.send(sampleNotification('alert_resolved'))
    const [first, , second, reply] = fake.delivered
    expect(second?.threadTs).toBeUndefined()
    expect(reply?.threadTs).toBe(second?.ts)
    expect(reply?.threadTs).not.toBe(first?.ts)
  })

  it('threads across a restart when the host keeps the thread store', async () => {
    const threadStore = new MemorySlackThreadStore()
    const { fake, notifier, clock, sleep } = await setup({ threadStore })
    await notifier.send(sampleNotification('alert_firing'))
    const restarted = new SlackNotifier({
      token: TOKEN,
      channel: 'C0SRE',
      apiUrl: fake.apiUrl,
      threadStore,
      clock,
      sleep,
    })
    clock.advance(1000)
    await restarted.send(sampleNotification('alert_resolved'))
    expect(fake.delivered[1]?.threadTs).toBe(fake.delivered[0]?.ts)
  })

  it('threadResolved: false posts every message to the channel', async () => {
    const { fake, notifier } = await setup({ threadResolved: false })
    await notifier.send(sampleNotification('alert_firing'))
    await notifier.send(sampleNotification('alert_resolved'))
    expect(fake.delivered[1]?.threadTs).toBeUndefined()
  })

  it('a failing thread store never fails the delivery: the message goes unthreaded and a warning is logged', async () => {
    const broken = {
      // Throws synchronously, as a careless implementation might.
      get: (): Promise<string | undefined> => {
        throw new Error('disk full')
      },
      set: async () => {
        throw new Error('disk full')
      },
      delete: async () => {},
    }
    const { fake, notifier, lines } = await setup({ threadStore: broken })
    expect(await notifier.send(sampleNotification('alert_firing'))).toMatchObject({ ok: true })
    expect(await notifier.send(sampleNotification('alert_resolved'))).toMatchObject({ ok: true })
    expect(fake.delivered[1]?.threadTs).toBeUndefined()
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(2)
  })

  it('keeps at most maxEntries thread roots, forgetting the oldest', async () => {
    const store = new MemorySlackThreadStore({ maxEntries: 2 })
    await store.set('a', '1')
    await store.set('b', '2')
    await store.set('c', '3')
    expect([await store.get('a'), await store.get('b'), await store.get('c')]).toEqual([undefined, '2', '3'])
  })
})
