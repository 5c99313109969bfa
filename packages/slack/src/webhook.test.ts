// CONTRACTS.md §7 "Slack webhook", against the strict fake in ./test/fake-slack.ts.
import { sampleNotification } from '@slokit/alerting'
import { Secret } from '@slokit/core'
import { SlackNotifier, type SlackNotifierSettings } from '@slokit/slack'
import { type FakeSlack, startFakeSlack } from '@slokit/slack/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { captureLogger, deliverLikeOutbox, fakeTime, manualTimers } from './test/helpers.js'

let fake: FakeSlack | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function setup(settings: SlackNotifierSettings = {}, minIntervalMs = 1000) {
  const time = fakeTime()
  const log = captureLogger()
  fake = await startFakeSlack({ now: () => time.clock.now(), minIntervalMs })
  const notifier = new SlackNotifier({
    name: 'slack-sre',
    webhookUrl: new Secret('SLACK_WEBHOOK_SRE', fake.webhookUrl),
    clock: time.clock,
    sleep: time.sleep,
    logger: log.logger,
    ...settings,
  })
  return { ...time, ...log, fake, notifier }
}

describe('Slack webhook §7.1: success is 200 with the text body `ok`', () => {
  it('delivers a Block Kit message with a text fallback as JSON', async () => {
    const { fake, notifier } = await setup()
    expect(await notifier.send(sampleNotification('alert_firing'))).toEqual({ ok: true, retryable: false })
    expect(fake.requests).toHaveLength(1)
    expect(fake.requests[0]?.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(fake.requests[0]?.answer).toBe('ok')
    const [message] = fake.delivered
    expect(message?.text).toContain('FIRING (critical): checkout-availability is burning its error budget')
    expect(message?.blocks[0]).toMatchObject({ type: 'header' })
  })

  it('does not take a 200 with some other body (a proxy, a captive portal) as delivered', async () => {
    const { fake, notifier } = await setup()
    fake.script({ status: 200, body: '<html>Sign in to the guest network</html>' })
    const result = await notifier.send(sampleNotification('alert_firing'))
    expect(result).toMatchObject({ ok: false, retryable: true })
    expect(result.error).toContain('unexpected body')
  })
})

describe('Slack webhook §7.2: 429 with Retry-After', () => {
  it('answers retryable with retryAfterMs from Retry-After', async () => {
    const { fake, notifier } = await setup()
    fake.script({ status: 429, body: 'rate_limited', headers: { 'retry-after': '2' } })
    expect(await notifier.send(sampleNotification('alert_firing'))).toEqual({
      ok: false,
      retryable: true,
      retryAfterMs: 2000,
      error: 'slack-sre: rate limited by Slack (HTTP 429), retry after 2s',
    })
  })

  it('holds the destination until Retry-After has passed: nothing reaches Slack sooner', async () => {
    const { fake, notifier, clock } = await setup()
    fake.script({ status: 429, body: 'rate_limited', headers: { 'retry-after': '2' } })
    await notifier.send(sampleNotification('alert_firing'))
    clock.advance(1500)
    const other = await notifier.send(sampleNotification('policy'))
    expect(other).toMatchObject({ ok: false, retryable: true, retryAfterMs: 500 })
    expect(other.error).toContain('not sent')
    expect(fake.requests).toHaveLength(1)
    clock.advance(500)
    expect(await notifier.send(sampleNotification('policy'))).toMatchObject({ ok: true })
    expect(fake.violations).toEqual([])
  })

  it('waits at least 2 s and retries once through the outbox, and the retry is delivered', async () => {
    const { fake, notifier, sleep } = await setup()
    fake.script({ status: 429, body: 'rate_limited', headers: { 'retry-after': '2' } })
    const outcome = await deliverLikeOutbox(notifier, sampleNotification('alert_firing'), {
      sleep,
      maxAttempts: 2,
    })
    expect(outcome.delivered).toBe(true)
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200])
    expect(fake.requests[1]!.atMs - fake.requests[0]!.atMs).toBeGreaterThanOrEqual(2000)
    expect(fake.violations).toEqual([])
  })

  it('still 429 after the retry → reported as rate limited and kept, never dropped', async () => {
    const { fake, notifier, sleep } = await setup()
    fake.script(
      { status: 429, body: 'rate_limited', headers: { 'retry-after': '2' } },
      { status: 429, body: 'rate_limited', headers: { 'retry-after': '30' } },
    )
    const outcome = await deliverLikeOutbox(notifier, sampleNotification('alert_firing'), {
      sleep,
      maxAttempts: 2,
    })
    expect(outcome).toMatchObject({ delivered: false, kept: true })
    expect(outcome.results.at(-1)).toMatchObject({ ok: false, retryable: true, retryAfterMs: 30_000 })
    expect(outcome.results.at(-1)?.error).toContain('rate limited by Slack (HTTP 429)')
    expect(fake.requests).toHaveLength(2)
  })

  it('falls back to 30 s when Retry-After is missing', async () => {
    const { fake, notifier } = await setup()
    fake.script({ status: 429, body: 'rate_limited' })
    expect(await notifier.send(sampleNotification('alert_firing'))).toMatchObject({ retryAfterMs: 30_000 })
  })
})

describe('Slack webhook §7.3: 4xx is permanent, 404 and 410 disable, 5xx is retryable', () => {
  it.each([
    [400, 'invalid_payload', false],
    [400, 'user_not_found', false],
    [403, 'action_prohibited', false],
    [403, 'invalid_token', false],
    [404, 'channel_not_found', true],
    [404, 'no_service', true],
    [410, 'channel_is_archived', true],
  ])('HTTP %i %s → not retryable, reason kept (disabled: %s)', async (status, reason, disabled) => {
    const { fake, notifier } = await setup()
    fake.script({ status, body: reason })
    const result = await notifier.send(sampleNotification('alert_firing'))
    expect(result.ok).toBe(false)
    expect(result.retryable).toBe(false)
    expect(result.error).toContain(`Slack answered ${reason} (HTTP ${status})`)
    expect(result.disableDestination ?? false).toBe(disabled)
    expect(notifier.disabledReason).toBe(disabled ? reason : null)
  })

  it('a revoked webhook (404 no_service) disables the destination, tells the host once, and stops sending', async () => {
    const onDisabled = vi.fn()
    const { fake, notifier, lines, clock } = await setup({ onDisabled })
    fake.revokeWebhook()
    const first = await notifier.send(sampleNotification('alert_firing'))
    expect(first).toMatchObject({ ok: false, retryable: false, disableDestination: true })
    expect(first.error).toContain('create a new incoming webhook')
    expect(onDisabled).toHaveBeenCalledExactlyOnceWith({
      notifier: 'slack-sre',
      reason: 'no_service',
      hint: expect.stringContaining('revoked'),
    })
    expect(lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      'slack destination disabled',
    ])
    clock.advance(60_000)
    const later = await notifier.send(sampleNotification('alert_resolved'))
    expect(later).toMatchObject({ ok: false, retryable: false, disableDestination: true })
    expect(fake.requests).toHaveLength(1)
    expect(onDisabled).toHaveBeenCalledTimes(1)
  })

  it('an archived channel (410) disables the destination', async () => {
    const { fake, notifier } = await setup()
    fake.archive()
    expect(await notifier.send(sampleNotification('alert_firing'))).toMatchObject({
      ok: false,
      retryable: false,
      disableDestination: true,
    })
  })

  it.each([500, 502, 503])('HTTP %i → retryable', async (status) => {
    const { fake, notifier } = await setup()
    fake.script({ status, body: 'rollup_error' })
    const result = await notifier.send(sampleNotification('alert_firing'))
    expect(result).toMatchObject({ ok: false, retryable: true })
    expect(result.error).toContain('rollup_error')
  })

  it('500 → bounded backoff in the outbox, then delivered; each send is one attempt', async () => {
    const { fake, notifier, sleep, sleeps } = await setup()
    fake.script({ status: 500, body: 'rollup_error' }, { status: 503, body: '' })
    const outcome = await deliverLikeOutbox(notifier, sampleNotification('alert_firing'), {
      sleep,
      maxAttempts: 3,
      backoffMs: 1000,
    })
    expect(outcome.delivered).toBe(true)
    expect(fake.requests.map((r) => r.status)).toEqual([500, 503, 200])
    expect(sleeps).toEqual([1000, 2000])
  })

  it('a dropped connection is retryable and names no address', async () => {
    const { fake, notifier } = await setup()
    fake.script('reset')
    const result = await notifier.send(sampleNotification('alert_firing'))
    expect(result).toMatchObject({ ok: false, retryable: true })
    expect(result.error).toMatch(/^slack-sre: request failed \(/)
    expect(result.error).not.toContain('127.0.0.1')
  })
})

describe('Slack webhook §7.4: oversized payloads are truncated, never rejected', () => {
  it('a grouped alert with 60 alerts, a huge body and a long title is accepted by the strict fake', async () => {
    const { fake, notifier } = await setup({}, 0)
    const base = sampleNotification('alert_firing')
    const alert = base.alerts[0]!
    const alerts = Array.from({ length: 60 }, (_, i) => ({
      ...alert,
      alertId: `a${i}`,
      sloId: `slo-${i}`,
      title: `SLO ${i} burning`,
    }))
    const notification = { ...base, title: 'T'.repeat(300), body: 'line of text\n'.repeat(1200), alerts }
    expect(await notifier.send(notification)).toMatchObject({ ok: true })
    const blocks = fake.delivered[0]!.blocks as Array<{ type: string; text?: { text: string } }>
    expect(blocks.length).toBeLessThanOrEqual(50)
    expect(blocks[0]!.text!.text).toHaveLength(150)
    expect(blocks[0]!.text!.text.endsWith('…')).toBe(true)
    expect(JSON.stringify(blocks)).toContain('not shown')
    expect(blocks.at(-2)).toMatchObject({ type: 'actions' })
  })

  it('fits a custom layout over every limit (blocks, section, header, fields, field length)', async () => {
    const { fake, notifier } = await setup(
      {
        render: () => ({
          text: 'over every limit',
          blocks: [
            { type: 'header', text: { type: 'plain_text', text: 'H'.repeat(151) } },
            { type: 'section', text: { type: 'mrkdwn', text: 's'.repeat(3001) } },
            {
              type: 'section',
              fields: Array.from({ length: 11 }, (_, i) => ({
                type: 'mrkdwn' as const,
                text: i === 0 ? 'f'.repeat(2001) : `field ${i}`,
              })),
            },
            ...Array.from({ length: 50 }, (_, i) => ({
              type: 'section' as const,
              text: { type: 'mrkdwn' as const, text: `block ${i}` },
            })),
          ],
        }),
      },
      0,
    )
    const raw = await fetch(fake.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        text: 'x',
        blocks: [{ type: 'header', text: { type: 'plain_text', text: 'H'.repeat(151) } }],
      }),
    })
    expect([raw.status, await raw.text()]).toEqual([400, 'invalid_blocks'])
    expect(await notifier.send(sampleNotification('report'))).toMatchObject({ ok: true })
    expect(fake.delivered).toHaveLength(1)
  })
})

describe('Slack webhook §7.5: text fallback, no URL in logs, sends ≥1 s apart', () => {
  it('every kind carries a non-empty text fallback (the fake answers no_text otherwise)', async () => {
    const { fake, notifier } = await setup({}, 0)
    for (const kind of [
      'alert_firing',
      'alert_resolved',
      'policy',
      'freeze',
      'unfreeze',
      'review_due',
      'report',
    ] as const) {
      expect(await notifier.send(sampleNotification(kind, { title: '' }))).toMatchObject({ ok: true })
    }
    expect(fake.delivered.every((m) => m.text.trim() !== '')).toBe(true)
    const raw = await fetch(fake.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ blocks: [] }),
    })
    expect(await raw.text()).toBe('no_text')
  })

  it('never logs the webhook URL or its path', async () => {
    const { fake, notifier, text } = await setup()
    fake.script(
      { status: 500, body: `rollup_error at ${fake.webhookUrl}` },
      { status: 400, body: 'invalid_payload' },
      'reset',
    )
    for (let i = 0; i < 4; i++) await notifier.send(sampleNotification('alert_firing'))
    const logged = text()
    expect(logged).not.toContain('canary7d1e0b4f9a2c')
    expect(logged).not.toContain('/services/')
  })

  it('spaces sequential sends at least 1 s apart on the fake clock, waiting with the injected sleep', async () => {
    const { fake, notifier, sleeps } = await setup()
    for (let i = 0; i < 4; i++) await notifier.send(sampleNotification('alert_firing'))
    expect(fake.delivered).toHaveLength(4)
    expect(sleeps).toEqual([1000, 1000, 1000])
    expect(fake.violations).toEqual([])
  })

  it('spaces concurrent sends too: each takes its own slot', async () => {
    const time = fakeTime()
    const timers = manualTimers(time.clock)
    fake = await startFakeSlack({ now: () => time.clock.now(), minIntervalMs: 1000 })
    const notifier = new SlackNotifier({
      webhookUrl: fake.webhookUrl,
      clock: time.clock,
      sleep: timers.sleep,
    })
    const sends = [0, 1, 2].map(() => notifier.send(sampleNotification('alert_firing')))
    expect(await sends[0]).toMatchObject({ ok: true })
    expect(timers.pending()).toBe(2)
    timers.releaseNext()
    expect(await sends[1]).toMatchObject({ ok: true })
    timers.releaseNext()
    expect(await sends[2]).toMatchObject({ ok: true })
    expect(fake.delivered.map((m) => m.atMs - time.clock.now())).toEqual([-2000, -1000, 0])
    expect(fake.violations).toEqual([])
  })

  it('hands a send back to the outbox instead of waiting longer than maxPacingDelayMs', async () => {
    const time = fakeTime()
    const timers = manualTimers(time.clock)
    fake = await startFakeSlack({ now: () => time.clock.now(), minIntervalMs: 1000 })
    const notifier = new SlackNotifier({
      webhookUrl: fake.webhookUrl,
      clock: time.clock,
      sleep: timers.sleep,
      maxPacingDelayMs: 1500,
    })
    const sends = [0, 1, 2].map(() => notifier.send(sampleNotification('alert_firing')))
    expect(await sends[2]).toMatchObject({ ok: false, retryable: true, retryAfterMs: 2000 })
    expect(await sends[0]).toMatchObject({ ok: true })
    timers.releaseNext()
    expect(await sends[1]).toMatchObject({ ok: true })
    expect(fake.requests).toHaveLength(2)
  })

  it('an abort while waiting for a slot resolves as a retryable failure and sends nothing', async () => {
    const time = fakeTime()
    const timers = manualTimers(time.clock)
    fake = await startFakeSlack({ now: () => time.clock.now() })
    const notifier = new SlackNotifier({
      webhookUrl: fake.webhookUrl,
      clock: time.clock,
      sleep: timers.sleep,
    })
    await notifier.send(sampleNotification('alert_firing'))
    const controller = new AbortController()
    const pending = notifier.send(sampleNotification('alert_firing'), { signal: controller.signal })
    controller.abort()
    expect(await pending).toEqual({ ok: false, retryable: true, error: 'slack: aborted' })
    expect(fake.requests).toHaveLength(1)
  })
})
