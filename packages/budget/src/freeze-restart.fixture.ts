// Child process of freeze.test.ts: writes freeze state in one process, reads it in another.
import {
  createFreezeController,
  evaluatePolicy,
  FileFreezeStore,
  policiesSectionSchema,
} from '@slokit/budget'
import { statusWith, testSlo } from './test-support.js'

const [path, step] = process.argv.slice(2) as [string, string]
const freezes = createFreezeController({
  store: new FileFreezeStore(path),
  clock: { now: () => Date.UTC(2026, 10, 1) },
})

if (step === 'write') {
  const slo = testSlo()
  const policy = policiesSectionSchema.parse({
    tiers: {
      critical: [
        {
          when: { budgetRemainingBelow: 0.25 },
          actions: [{ freeze_deployments: { allow: ['fix', 'rollback'] } }],
        },
      ],
    },
  }).tiers.critical!
  await freezes.apply([evaluatePolicy('critical', policy, slo, statusWith(slo, 0.1))])
  await freezes.override('search', { frozen: true, by: 'bob', reason: 'vendor outage', allow: ['rollback'] })
} else {
  const checkout = await freezes.state('checkout')
  const search = await freezes.state('search')
  process.stdout.write(
    JSON.stringify({
      checkout: {
        frozen: checkout.frozen,
        allow: checkout.allow,
        causes: checkout.causes.map((c) => c.sloId),
      },
      search: {
        frozen: search.frozen,
        allow: search.allow,
        override: { by: search.override?.by, reason: search.override?.reason },
      },
      history: (await freezes.history()).map((t) => t.kind),
    }),
  )
}
