// The example of docs/governance.md, kept as a test so the page cannot drift from the code.
import { parseSlo } from '@slokit/core'
import {
  createGovernance,
  type GovernanceError,
  MemoryGovernanceStore,
  parseGovernanceSection,
  verifyAuditLog,
} from '@slokit/governance'
import { expect, it } from 'vitest'

it('a critical target change: proposed, refused to its proposer, approved by two SREs, verified', async () => {
  const config = parseGovernanceSection({
    reviews: { cadence: { critical: '30d', default: '180d' } },
    approvals: {
      critical: { default: { approvers: ['sre'], minApprovals: 2 } },
      default: { default: { approvers: ['owner', 'sre'] } },
    },
    documentation: { critical: { error: ['owner', 'runbookUrl'] } },
  })
  const checkout = parseSlo({
    id: 'checkout-availability',
    service: 'checkout',
    sli: { id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio' } },
    objective: '99.9%',
    window: '30d',
    priority: 'critical',
    owner: 'team-checkout',
    runbookUrl: 'https://runbooks.example.com/checkout',
  })

  let now = Date.UTC(2026, 5, 1)
  const store = new MemoryGovernanceStore()
  const governance = createGovernance({ store, config, slos: [checkout], clock: { now: () => now } })

  const alice = { id: 'alice', roles: ['sre'] }
  const bob = { id: 'bob', roles: ['sre'] }
  const carol = { id: 'carol', roles: ['sre', 'sre-lead'] }

  const proposal = await governance.propose(alice, {
    sloId: 'checkout-availability',
    set: { objective: '99.95%' },
    reason: 'Two quarters at 99.97 %: promise what we deliver.',
  })
  expect(proposal.changes).toEqual([{ field: 'objective', changeType: 'target', from: 0.999, to: 0.9995 }])

  expect(await governance.approve(alice, proposal.id).catch((error: GovernanceError) => error.reason)).toBe(
    'SELF_APPROVAL',
  )
  now += 3_600_000
  expect((await governance.approve(bob, proposal.id)).status).toBe('open')
  const approved = await governance.approve(carol, proposal.id)
  expect(approved.status).toBe('approved')
  expect(approved.version?.version).toBe(2)
  expect(approved.version?.slo.objective).toBe(0.9995)
  expect(approved.rollout).toBe('pending')

  expect(verifyAuditLog(await store.read())).toEqual({
    ok: true,
    entries: 5,
    head: { sequence: 5, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
  })
})
