// The examples of docs/pagerduty.md and the README, kept as tests so the pages cannot drift from the code.
import { sampleNotification } from '@slokit/alerting'
import { createFreezeController } from '@slokit/budget'
import { Secret } from '@slokit/core'
import { changeEventFor, deploymentChangeEvent, PagerDutyNotifier } from '@slokit/pagerduty'
import { startFakePagerDuty } from '@slokit/pagerduty/testing'
import { expect, it } from 'vitest'

it('docs/pagerduty.md: a runnable example and change events', async () => {
  const fake = await startFakePagerDuty()
  const env: Record<string, string | undefined> = {
    PAGERDUTY_ROUTING_KEY_CHECKOUT: 'e93facc04764012d7bfb002500d5d1a6',
  }
  try {
    const pagerduty = new PagerDutyNotifier({
      name: 'pagerduty-checkout',
      routingKey: new Secret('PAGERDUTY_ROUTING_KEY_CHECKOUT', env.PAGERDUTY_ROUTING_KEY_CHECKOUT),
      baseUrl: fake.baseUrl, // the docs use the default, https://events.pagerduty.com
    })
    expect(await pagerduty.send(sampleNotification('alert_firing'))).toEqual({
      ok: true,
      retryable: false,
      externalId: 'slo-burn-rate/checkout-availability/page',
    })
    await pagerduty.send(sampleNotification('alert_resolved'))
    expect(fake.alerts.map((a) => a.status)).toEqual(['resolved'])

    const runUrl = 'https://ci.example.com/runs/991'
    await pagerduty.sendChangeEvent(
      deploymentChangeEvent({
        service: 'checkout',
        version: 'v1.42.0',
        environment: 'production',
        url: runUrl,
      }),
    )
    const freezes = createFreezeController()
    for (const transition of await freezes.override('checkout', {
      frozen: true,
      by: 'alice',
      reason: 'INC-42',
    })) {
      await pagerduty.sendChangeEvent(changeEventFor(transition))
    }
    expect(fake.changes.map((c) => c.payload.summary)).toEqual([
      'Deployed checkout v1.42.0 to production',
      'checkout: frozen by alice: INC-42',
      'checkout: deployments frozen: frozen by alice: INC-42',
    ])
  } finally {
    await fake.close()
  }
})
