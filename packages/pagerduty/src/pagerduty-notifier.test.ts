// CONTRACTS.md §7 "PagerDuty", against the strict fake in ./test/fake-pagerduty.ts.
import { NOTIFICATION_KINDS, sampleNotification } from '@slokit/alerting'
import { Secret } from '@slokit/core'
import {
  PagerDutyEventsClient,
  PagerDutyNotifier,
  type PagerDutyNotifierOptions,
  pagerDutyDedupKey,
} from '@slokit/pagerduty'
import { type FakePagerDuty, startFakePagerDuty } from '@slokit/pagerduty/testing'
import { afterEach, describe, expect, it } from 'vitest'
import { captureLogger, deliverLikeOutbox, FakeClock } from './test/helpers.js'

const KEY = 'e93facc04764012d7bfb002500d5d1a6'
let fake: FakePagerDuty | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function setup(options: Partial<PagerDutyNotifierOptions> = {}) {
  const clock = new FakeClock()
  const log = captureLogger()
  fake = await startFakePagerDuty()
  const notifier = new PagerDutyNotifier({
    name: 'pagerduty-checkout',
    routingKey: new Secret('PAGERDUTY_ROUTING_KEY_CHECKOUT', KEY),
    baseUrl: fake.baseUrl,
    clock,
    logger: log.logger,
    ...options,
  })
  return { clock, ...log, fake, notifier }
}

interface SentEvent {
  readonly event_action?: string
  readonly dedup_key?: string
  readonly payload: { readonly summary: string; readonly custom_details?: unknown }
}
const sent = (fake: FakePagerDuty, index = 0) => JSON.parse(fake.requests[index]!.body) as SentEvent

describe('PagerDuty §7.1: the fake validates like PagerDuty, the adapter sends only valid events', () => {
  it.each(NOTIFICATION_KINDS)('a %s notification is taken (202) by the strict fake', async (kind) => {
    const { fake, notifier } = await setup()
    expect(await notifier.send(sampleNotification(kind))).toMatchObject({ ok: true })
    expect(fake.requests[0]?.status).toBe(202)
  })

  it.each([
    [{ routing_key: 'short' }, "Length of 'routing_key' is incorrect (should be 32 characters)"],
    [
      { event_action: 'escalate' },
      "'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')",
    ],
    [
      { payload: { summary: 's', source: 'x', severity: 'high' } },
      "'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')",
    ],
    [{ payload: { source: 'x', severity: 'info' } }, "'payload.summary' is missing"],
    [
      { payload: { summary: 's'.repeat(1025), source: 'x', severity: 'info' } },
      "'payload.summary' is too long (must be at most 1024 characters)",
    ],
    [{ dedup_key: 'k'.repeat(256) }, "'dedup_key' is too long (must be at most 255 characters)"],
    [{ event_action: 'resolve', payload: undefined }, "'dedup_key' is missing"],
  ])('the fake refuses %j with 400 and errors[]', async (override, error) => {
    fake = await startFakePagerDuty()
    const event = {
      routing_key: KEY,
      event_action: 'trigger',
      payload: { summary: 's', source: 'x', severity: 'info' },
      ...override,
    }
    const response = await fetch(`${fake.baseUrl}/v2/enqueue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      status: 'invalid event',
      message: 'Event object is invalid',
      errors: [error],
    })
  })

  it('refuses a routing key of the wrong length at construction, before anything is sent', () => {
    expect(() => new PagerDutyNotifier({ routingKey: new Secret('PD_KEY', 'R0123456789') })).toThrow(
      '[slokit/pagerduty] `routingKey` ([secret PD_KEY]) must be 32 characters, got 11.',
    )
    expect(() => new PagerDutyNotifier({ routingKey: `${KEY}\n` })).toThrow('contains whitespace')
  })

  it('cuts a summary over 1024 characters with …', async () => {
    const { fake, notifier } = await setup()
    expect(
      await notifier.send(sampleNotification('alert_firing', { title: 'x'.repeat(2000) })),
    ).toMatchObject({ ok: true })
    const summary: string = sent(fake).payload.summary
    expect([summary.length, summary.endsWith('…')]).toEqual([1024, true])
  })

  it('maps severities: critical → critical, high → error, warning → warning, info → info', async () => {
    const { fake, notifier } = await setup()
    for (const severity of ['critical', 'high', 'warning', 'info'] as const) {
      await notifier.send(sampleNotification('alert_firing', { severity, dedupKey: severity }))
    }
    expect(fake.alerts.map((a) => a.severity)).toEqual(['critical', 'error', 'warning', 'info'])
  })

  it('keeps a dedup_key over 255 characters stable by hashing it, so the resolve still closes the incident', async () => {
    const { fake, notifier } = await setup()
    const dedupKey = `group/${'checkout-'.repeat(40)}`
    await notifier.send(sampleNotification('alert_firing', { dedupKey }))
    await notifier.send(sampleNotification('alert_resolved', { dedupKey }))
    expect(fake.alerts).toHaveLength(1)
    expect(fake.alerts[0]).toMatchObject({ dedupKey: pagerDutyDedupKey(dedupKey), status: 'resolved' })
    expect(fake.alerts[0]!.dedupKey.length).toBeLessThanOrEqual(255)
  })
})

describe('PagerDuty §7.2: 202 keeps the dedup_key; the resolve uses it with the same routing key', () => {
  it('triggers with the alert stable key, and the resolve closes that very incident', async () => {
    const { fake, notifier } = await setup()
    const firing = await notifier.send(sampleNotification('alert_firing'))
    expect(firing).toEqual({
      ok: true,
      retryable: false,
      externalId: 'slo-burn-rate/checkout-availability/page',
    })
    expect(fake.alert(KEY, firing.externalId!)).toMatchObject({
      id: 1,
      status: 'triggered',
      severity: 'critical',
    })
    const resolved = await notifier.send(sampleNotification('alert_resolved'))
    expect(resolved).toMatchObject({ ok: true, externalId: firing.externalId })
    expect(sent(fake, 1)).toEqual({ routing_key: KEY, event_action: 'resolve', dedup_key: firing.externalId })
    expect(fake.alerts).toEqual([expect.objectContaining({ id: 1, status: 'resolved' })])
  })

  it('a repeated trigger updates the open incident; a trigger after the resolve opens a new one', async () => {
    const { fake, notifier } = await setup()
    await notifier.send(sampleNotification('alert_firing'))
    await notifier.send(sampleNotification('alert_firing'))
    expect(fake.alerts).toHaveLength(1)
    await notifier.send(sampleNotification('alert_resolved'))
    await notifier.send(sampleNotification('alert_firing'))
    expect(fake.alerts.map((a) => [a.id, a.status])).toEqual([
      [1, 'resolved'],
      [2, 'triggered'],
    ])
  })

  it('sends a group of alerts as one event per alert, so each resolves its own incident', async () => {
    const { fake, notifier } = await setup()
    const firing = sampleNotification('alert_firing')
    const [burn] = firing.alerts
    const budget = {
      ...burn!,
      alertId: 'budget-low/checkout-latency',
      rule: 'budget-low',
      sloId: 'checkout-latency',
      title: 'checkout-latency has 9% of its error budget left',
    }
    const group = { ...firing, dedupKey: 'checkout/group-4f2a9c01de', alerts: [burn!, budget] }
    expect(await notifier.send(group)).toEqual({ ok: true, retryable: false })
    expect(fake.alerts.map((a) => [a.dedupKey, a.status])).toEqual([
      [burn!.alertId, 'triggered'],
      [budget.alertId, 'triggered'],
    ])
    // The burn resolves on its own later (a single notification, keyed by its alert id).
    await notifier.send(sampleNotification('alert_resolved'))
    expect(fake.alerts.map((a) => a.status)).toEqual(['resolved', 'triggered'])
    const resolvedGroup = {
      ...sampleNotification('alert_resolved'),
      dedupKey: 'checkout/group-77aa',
      alerts: [{ ...budget, state: 'resolved' as const }],
    }
    await notifier.send({
      ...resolvedGroup,
      alerts: [...resolvedGroup.alerts, { ...budget, alertId: 'no-data/checkout-latency' }],
    })
    expect(fake.alerts.map((a) => a.status)).toEqual(['resolved', 'resolved'])
  })

  it('reports a group as failed, retryably, when any of its events failed', async () => {
    const { fake, notifier } = await setup()
    fake.script({ status: 500 })
    const firing = sampleNotification('alert_firing')
    const group = {
      ...firing,
      alerts: [firing.alerts[0]!, { ...firing.alerts[0]!, alertId: 'other/checkout-latency' }],
    }
    const result = await notifier.send(group)
    expect(result).toMatchObject({ ok: false, retryable: true })
    expect(result.error).toMatch(/^1 of 2 events failed: /)
  })

  it('resolves across a restart: the key comes from the alert, not from memory', async () => {
    const { fake, notifier } = await setup()
    await notifier.send(sampleNotification('alert_firing'))
    const restarted = new PagerDutyNotifier({ routingKey: KEY, baseUrl: fake.baseUrl })
    await restarted.send(sampleNotification('alert_resolved'))
    expect(fake.alerts[0]?.status).toBe('resolved')
  })

  it('acknowledges by the alert key', async () => {
    const { fake, notifier } = await setup()
    await notifier.send(sampleNotification('alert_firing'))
    expect(await notifier.acknowledge('slo-burn-rate/checkout-availability/page')).toMatchObject({
      ok: true,
      status: 202,
    })
    expect(fake.alerts[0]?.status).toBe('acknowledged')
  })

  it('uses the dedup_key PagerDuty answered, should it ever differ from the one sent', async () => {
    const { fake, notifier, lines } = await setup()
    fake.script({
      status: 202,
      body: { status: 'success', message: 'Event processed', dedup_key: 'pd-made-this-up' },
    })
    expect(await notifier.send(sampleNotification('alert_firing'))).toMatchObject({
      externalId: 'pd-made-this-up',
    })
    await notifier.send(sampleNotification('alert_resolved'))
    expect(sent(fake, 1).dedup_key).toBe('pd-made-this-up')
    expect(lines.some((l) => l.level === 'warn' && l.message.includes('another dedup_key'))).toBe(true)
  })
})

describe('PagerDuty §7.3: 429, 5xx and network errors retry with backoff; 400 never', () => {
  it('429 → retryable with 30 s (PagerDuty sends no Retry-After), or Retry-After when there is one', async () => {
    const { fake, notifier } = await setup()
    fake.script(
      {
        status: 429,
        body: { status: 'throttle event', message: 'Requests for this service are arriving too quickly.' },
      },
      { status: 429, body: {}, headers: { 'retry-after': '7' } },
    )
    const first = await notifier.send(sampleNotification('alert_firing'))
    expect(first).toMatchObject({ ok: false, retryable: true, retryAfterMs: 30_000 })
    expect(first.error).toBe(
      'pagerduty-checkout: rate limited by PagerDuty (HTTP 429 throttle event: Requests for this service are arriving too quickly.); the event was not taken',
    )
    expect(await notifier.send(sampleNotification('alert_firing'))).toMatchObject({ retryAfterMs: 7000 })
  })

  it.each([500, 502, 503, 504])('HTTP %i → retryable', async (status) => {
    const { fake, notifier } = await setup()
    fake.script({
      status,
      body: {
        status: 'Unrecognized object',
        message: 'Event object format is unrecognized',
        errors: ['JSON parse error'],
      },
    })
    const result = await notifier.send(sampleNotification('alert_firing'))
    expect(result).toMatchObject({ ok: false, retryable: true })
    expect(result.error).toContain(`HTTP ${status} Unrecognized object`)
  })

  it('a dropped connection → retryable, naming no address', async () => {
    const { fake, notifier } = await setup()
    fake.script('reset')
    const result = await notifier.send(sampleNotification('alert_firing'))
    expect(result).toMatchObject({ ok: false, retryable: true })
    expect(result.error).toMatch(/^pagerduty-checkout: request failed \(/)
    expect(result.error).not.toContain('127.0.0.1')
  })

  it('a timeout → retryable', async () => {
    const notifier = new PagerDutyNotifier({
      routingKey: KEY,
      fetch: async () => {
        throw new DOMException('The operation was aborted due to timeout', 'TimeoutError')
      },
    })
    expect(await notifier.send(sampleNotification('alert_firing'))).toEqual({
      ok: false,
      retryable: true,
      error: 'pagerduty: timed out after 10000 ms',
    })
  })

  it('429, 500 and a reset are retried by the outbox with backoff (ms here, 30 s in production), then delivered', async () => {
    const { fake, notifier, clock } = await setup()
    fake.script({ status: 429, body: {} }, { status: 500, body: {} }, 'reset')
    const outcome = await deliverLikeOutbox(notifier, sampleNotification('alert_firing'), {
      clock,
      maxAttempts: 4,
      backoffMs: 10,
    })
    expect(outcome.delivered).toBe(true)
    expect(outcome.waitsMs).toEqual([30_000, 20, 40])
    expect(fake.alerts).toHaveLength(1)
  })

  it('a 429 storm delays the event but loses nothing: after the last attempt it is kept, never dropped', async () => {
    const { fake, notifier, clock } = await setup()
    fake.script(...Array.from({ length: 3 }, () => ({ status: 429, body: {} })))
    const outcome = await deliverLikeOutbox(notifier, sampleNotification('alert_firing'), {
      clock,
      maxAttempts: 3,
      backoffMs: 10,
    })
    expect(outcome).toMatchObject({ delivered: false, kept: true })
    expect(outcome.results.every((r) => r.retryable)).toBe(true)
    // The outbox picks it up again later: delivered once PagerDuty takes events again.
    expect(await notifier.send(sampleNotification('alert_firing'))).toMatchObject({ ok: true })
    expect(fake.alerts).toHaveLength(1)
  })

  it('400 → not retried; errors[] surfaced with the routing key redacted', async () => {
    const { fake, notifier, clock, text } = await setup()
    fake.script({
      status: 400,
      body: {
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: [`Routing key ${KEY} is not valid for this account`],
      },
    })
    const outcome = await deliverLikeOutbox(notifier, sampleNotification('alert_firing'), {
      clock,
      maxAttempts: 3,
      backoffMs: 10,
    })
    expect(outcome.results).toHaveLength(1)
    expect(outcome.results[0]).toEqual({
      ok: false,
      retryable: false,
      error:
        'pagerduty-checkout: PagerDuty refused the event (HTTP 400 invalid event: Event object is invalid: Routing key [routing key] is not valid for this account)',
    })
    expect(text()).not.toContain(KEY)
  })

  it('surfaces the strict validation errors of a real 400', async () => {
    fake = await startFakePagerDuty()
    const client = new PagerDutyEventsClient({ routingKey: KEY, baseUrl: fake.baseUrl })
    const result = await client.enqueue({
      event_action: 'trigger',
      payload: { summary: 'x', source: 'checkout', severity: 'high' as never },
    })
    expect(result).toMatchObject({ ok: false, retryable: false, status: 400 })
    expect(result.errors).toEqual([
      "'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')",
    ])
  })

  it('refuses a dedup_key over 255 characters without sending it', async () => {
    fake = await startFakePagerDuty()
    const client = new PagerDutyEventsClient({ routingKey: KEY, baseUrl: fake.baseUrl })
    expect(await client.enqueue({ event_action: 'resolve', dedup_key: 'k'.repeat(256) })).toMatchObject({
      ok: false,
      retryable: false,
    })
    expect(fake.requests).toHaveLength(0)
  })

  it('drops custom_details rather than send an event over 512 KB', async () => {
    const { fake, notifier } = await setup()
    const huge = sampleNotification('alert_firing', { body: 'x'.repeat(600 * 1024) })
    expect(await notifier.send(huge)).toMatchObject({ ok: true })
    expect(sent(fake).payload.custom_details).toEqual({
      note: 'custom_details dropped: the event exceeded 512 KB',
    })
  })
})

describe('PagerDuty §7.4: change events on /v2/change/enqueue, base URL configurable', () => {
  it('freeze, unfreeze, review and report notifications become change events (no page)', async () => {
    const { fake, notifier } = await setup()
    for (const kind of ['freeze', 'unfreeze', 'review_due', 'report'] as const) {
      expect(await notifier.send(sampleNotification(kind))).toEqual({ ok: true, retryable: false })
    }
    expect(fake.requests.map((r) => [r.path, r.status])).toEqual(
      Array.from({ length: 4 }, () => ['/v2/change/enqueue', 202]),
    )
    expect(fake.alerts).toEqual([])
    expect(fake.changes[0]?.payload).toMatchObject({ summary: 'freeze for checkout', source: 'checkout' })
  })

  it('the action per kind is configurable', async () => {
    const { fake, notifier } = await setup({ actions: { policy: 'change', report: 'trigger' } })
    await notifier.send(sampleNotification('policy'))
    await notifier.send(sampleNotification('report'))
    expect(fake.requests.map((r) => r.path)).toEqual(['/v2/change/enqueue', '/v2/enqueue'])
  })

  it('a ruleset routing key (R…) is refused by PagerDuty for change events, and the 400 says so', async () => {
    const { fake } = await setup()
    const client = new PagerDutyEventsClient({
      routingKey: 'R0123456789ABCDEF0123456789ABCDE',
      baseUrl: fake.baseUrl,
    })
    const result = await client.change({ payload: { summary: 'Deployed checkout' } })
    expect(result).toMatchObject({
      ok: false,
      retryable: false,
      errors: ['Change events cannot be sent to ruleset routing keys'],
    })
  })

  it('sends to the configured base URL, with or without a trailing slash', async () => {
    fake = await startFakePagerDuty()
    for (const baseUrl of [fake.baseUrl, `${fake.baseUrl}/`]) {
      const client = new PagerDutyEventsClient({ routingKey: KEY, baseUrl })
      expect(await client.change({ payload: { summary: 'Deployed checkout v1.42.0' } })).toMatchObject({
        ok: true,
        status: 202,
      })
    }
    expect(fake.changes).toHaveLength(2)
    expect(() => new PagerDutyEventsClient({ routingKey: KEY, baseUrl: 'events.pagerduty.com' })).toThrow(
      '`baseUrl` must be an http(s) URL',
    )
  })
})
