// A canary routing key through every path a PagerDuty delivery can take: it must never reach a log
// line, a result, an error or a printout.
import { inspect } from 'node:util'
import { NOTIFICATION_KINDS, sampleNotification } from '@slokit/alerting'
import { Secret } from '@slokit/core'
import { changeEventFor, PagerDutyEventsClient, PagerDutyNotifier } from '@slokit/pagerduty'
import { startFakePagerDuty } from '@slokit/pagerduty/testing'
import { expect, it } from 'vitest'
import { captureLogger } from './test/helpers.js'

it('a canary routing key never appears in any log, result, error or printout', async () => {
  const CANARY = 'canary7d1e0b4f9a2c5e6f0a1b2c3d4e'
  const fake = await startFakePagerDuty()
  const log = captureLogger()
  const seen: unknown[] = []
  try {
    const notifier = new PagerDutyNotifier({
      name: 'pd',
      routingKey: new Secret('PD_KEY', CANARY),
      baseUrl: fake.baseUrl,
      logger: log.logger,
    })
    const client = new PagerDutyEventsClient({ routingKey: CANARY, baseUrl: fake.baseUrl })
    seen.push(String(notifier), inspect(notifier, { showHidden: true, depth: 10 }), JSON.stringify(notifier))
    seen.push(String(client), inspect(client, { showHidden: true, depth: 10 }), JSON.stringify(client))
    for (const kind of NOTIFICATION_KINDS) seen.push(await notifier.send(sampleNotification(kind)))
    const echo = {
      status: 'invalid event',
      message: `bad key ${CANARY}`,
      errors: [`routing_key ${CANARY} unknown`],
    }
    fake.script(
      { status: 400, body: echo },
      { status: 429, body: echo },
      { status: 500, body: echo },
      { status: 404, body: echo },
      'reset',
      { status: 400, body: echo },
      { status: 400, body: echo },
    )
    for (let i = 0; i < 5; i++) seen.push(await notifier.send(sampleNotification('alert_firing')))
    seen.push(
      await notifier.sendChangeEvent(
        changeEventFor({ service: 'checkout', kind: 'entered', atMs: 0, reason: 'r', frozen: true }),
      ),
    )
    seen.push(await client.enqueue({ event_action: 'resolve', dedup_key: 'x' }))
    for (const bad of [`${CANARY}x`, ` ${CANARY}`]) {
      try {
        new PagerDutyNotifier({ routingKey: new Secret('PD_KEY', bad) })
      } catch (error) {
        seen.push(String(error), inspect(error))
      }
    }
    expect(fake.requests.length).toBeGreaterThan(10)
    expect(log.lines.some((l) => l.level === 'warn')).toBe(true)
    expect(JSON.stringify(seen) + log.text()).not.toContain(CANARY)
    // …while PagerDuty did receive it, on the wire only.
    expect(fake.requests[0]?.body).toContain(CANARY)
  } finally {
    await fake.close()
  }
})
