import { type AuditRecord, createGovernance, MemoryGovernanceStore } from '@slokit/governance'
import { FakeClock } from '@slokit/testing'
import { ACTORS, SECTION, SLOS, T0 } from './fixtures.js'

/** A real audit log of 12 entries: proposals approved, rejected and withdrawn, reviews. */
export async function sampleLog(): Promise<readonly AuditRecord[]> {
  const store = new MemoryGovernanceStore()
  const clock = new FakeClock(T0)
  const governance = createGovernance({ store, config: SECTION, slos: SLOS, clock })
  const { alice, bob, carol } = ACTORS
  await governance.propose(alice, {
    sloId: 'checkout-availability',
    set: { objective: '99.95%' },
    reason: 'ünïcode ✓ reason',
  })
  clock.advance(1000)
  await governance.approve(bob, 'P-1', { comment: 'LGTM' })
  clock.advance(1000)
  await governance.approve(carol, 'P-1')
  await governance.propose(bob, { sloId: 'search-availability', set: { window: '28d' }, reason: 'align' })
  await governance.reject(carol, 'P-2', { reason: 'not now' })
  await governance.propose(alice, {
    sloId: 'reports-freshness',
    set: { owner: 'team-data' },
    reason: 'owned',
  })
  await governance.withdraw(alice, 'P-3')
  await governance.scheduleReview(alice, {
    sloId: 'search-availability',
    dueMs: T0 + 86_400_000,
    reviewers: ['bob'],
  })
  await governance.completeReview(bob, 'R-1', { outcome: 'confirmed', notes: 'fine' })
  await governance.scheduleReview(alice, { sloId: 'reports-freshness', dueMs: T0, reviewers: ['carol'] })
  return store.read()
}
