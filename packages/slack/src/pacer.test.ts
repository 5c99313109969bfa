import { sampleNotification } from '@slokit/alerting'
import { SlackNotifier, SlackPacer } from '@slokit/slack'
import { startFakeSlack } from '@slokit/slack/testing'
import { describe, expect, it } from 'vitest'
import { FakeClock, fakeTime } from './test/helpers.js'

describe('SlackPacer', () => {
  it('gives messages to one destination slots minIntervalMs apart', () => {
    const clock = new FakeClock()
    const pacer = new SlackPacer({ clock })
    expect([0, 1, 2].map(() => pacer.reserve('a', 10_000))).toEqual([
      { waitMs: 0 },
      { waitMs: 1000 },
      { waitMs: 2000 },
    ])
    expect(pacer.reserve('b', 10_000)).toEqual({ waitMs: 0 })
    clock.advance(5000)
    expect(pacer.reserve('a', 10_000)).toEqual({ waitMs: 0 })
  })

  it('takes no slot beyond maxWaitMs and says when to come back', () => {
    const pacer = new SlackPacer({ clock: new FakeClock() })
    pacer.reserve('a', 0)
    expect(pacer.reserve('a', 500)).toEqual({ retryAfterMs: 1000, reason: 'paced' })
    expect(pacer.reserve('a', 1000)).toEqual({ waitMs: 1000 })
  })

  it('holds a destination after a 429 until Retry-After has passed', () => {
    const clock = new FakeClock()
    const pacer = new SlackPacer({ clock })
    pacer.hold('a', 2000)
    expect(pacer.reserve('a', 10_000)).toEqual({ retryAfterMs: 2000, reason: 'rate_limited' })
    expect(pacer.heldForMs('a')).toBe(2000)
    clock.advance(2000)
    expect(pacer.heldForMs('a')).toBe(0)
    expect(pacer.reserve('a', 10_000)).toEqual({ waitMs: 0 })
  })

  it('refuses a negative interval', () => {
    expect(() => new SlackPacer({ minIntervalMs: -1 })).toThrow(
      '`minIntervalMs` must be a finite number >= 0',
    )
  })

  it('paces two notifiers of one webhook together when they share a pacer', async () => {
    const { clock, sleep, sleeps } = fakeTime()
    const fake = await startFakeSlack({ now: () => clock.now(), minIntervalMs: 1000 })
    try {
      const pacer = new SlackPacer({ clock })
      const a = new SlackNotifier({ name: 'a', webhookUrl: fake.webhookUrl, pacer, clock, sleep })
      const b = new SlackNotifier({ name: 'b', webhookUrl: fake.webhookUrl, pacer, clock, sleep })
      expect(await a.send(sampleNotification('alert_firing'))).toMatchObject({ ok: true })
      expect(await b.send(sampleNotification('alert_firing'))).toMatchObject({ ok: true })
      expect(sleeps).toEqual([1000])
      expect(fake.violations).toEqual([])
    } finally {
      await fake.close()
    }
  })
})
