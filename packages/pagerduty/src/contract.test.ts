// The conformance suite every Notifier runs, against the strict fake PagerDuty.
import { describeNotifierContract } from '@slokit/alerting/vitest'
import { Secret } from '@slokit/core'
import { PagerDutyNotifier } from '@slokit/pagerduty'
import { startFakePagerDuty } from '@slokit/pagerduty/testing'

const KEY = 'canaryR0utingKey7d1e0b4f9a2c5e6f'

describeNotifierContract('PagerDutyNotifier', async () => {
  const fake = await startFakePagerDuty()
  const failing = await startFakePagerDuty()
  failing.script(
    ...Array.from({ length: 5 }, () => ({ status: 500, body: { status: 'error', message: `boom ${KEY}` } })),
  )
  return {
    notifier: new PagerDutyNotifier({
      name: 'pagerduty-checkout',
      routingKey: new Secret('PD_KEY', KEY),
      baseUrl: fake.baseUrl,
    }),
    failing: new PagerDutyNotifier({ name: 'pagerduty-down', routingKey: KEY, baseUrl: failing.baseUrl }),
    secrets: [KEY],
    cleanup: async () => {
      await fake.close()
      await failing.close()
    },
  }
})
