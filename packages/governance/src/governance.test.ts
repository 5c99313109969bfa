import { DAY_MS, SlokitError, type SloSpec } from '@slokit/core'
import {
  AuditLogError,
  applySloPatch,
  createGovernance,
  type Governance,
  GovernanceError,
  type GovernanceOptions,
  type GovernanceStore,
  MemoryGovernanceStore,
  parseAuditRecord,
  verifyAuditLog,
} from '@slokit/governance'
import { FakeClock } from '@slokit/testing'
import { describe, expect, it } from 'vitest'
import { ACTORS, SECTION, SLOS, T0 } from './test/fixtures.js'

const { alice, bob, carol, dave, erin } = ACTORS

function setup(options: Partial<GovernanceOptions> = {}) {
  const store = new MemoryGovernanceStore()
  const clock = new FakeClock(T0)
  const governance = createGovernance({ store, config: SECTION, slos: SLOS, clock, ...options })
  return { store, clock, governance }
}

async function refusal(promise: Promise<unknown>): Promise<GovernanceError> {
  const error = await promise.then(
    () => expect.fail('expected the action to be refused'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(GovernanceError)
  expect(error).toBeInstanceOf(SlokitError)
  return error as GovernanceError
}

const raiseTarget = (governance: Governance, actor = alice) =>
  governance.propose(actor, {
    sloId: 'checkout-availability',
    set: { objective: '99.95%' },
    reason: 'Two quarters at 99.97 %: promise what we deliver.',
  })

describe('a change to a critical SLO', () => {
  it('needs two approvals from the SRE role, then yields the new definition and a version entry', async () => {
    const { governance, clock, store } = setup()
    const proposal = await raiseTarget(governance)
    expect(proposal).toMatchObject({
      id: 'P-1',
      status: 'open',
      changeTypes: ['target'],
      changes: [{ field: 'objective', changeType: 'target', from: 0.999, to: 0.9995 }],
    })
    expect(proposal.progress.rules).toEqual([
      expect.objectContaining({
        cell: { priority: 'critical', changeType: 'default' },
        minApprovals: 2,
        approvedBy: [],
        missingApprovals: 2,
      }),
    ])

    clock.advance(DAY_MS)
    const once = await governance.approve(bob, 'P-1', { comment: 'numbers check out' })
    expect(once.status).toBe('open')
    expect(once.progress).toMatchObject({
      satisfied: false,
      rules: [{ approvedBy: ['bob'], missingApprovals: 1 }],
    })
    expect((await governance.history('checkout-availability')).versions).toHaveLength(1)

    clock.advance(DAY_MS)
    const done = await governance.approve(carol, 'P-1')
    expect(done.status).toBe('approved')
    expect(done.decision).toMatchObject({
      status: 'approved',
      actor: { id: 'carol' },
      atMs: T0 + 2 * DAY_MS,
      version: 2,
    })
    expect(done.version?.slo.objective).toBe(0.9995)
    expect(done.version?.definition).toMatchObject({
      id: 'checkout-availability',
      objective: 0.9995,
      window: '30d',
    })
    expect(done.rollout).toBe('pending')

    const history = await governance.history('checkout-availability')
    expect(history.status).toBe('pending')
    expect(history.versions.map((v) => [v.version, v.source, v.slo.objective])).toEqual([
      [1, 'baseline', 0.999],
      [2, 'proposal', 0.9995],
    ])
    expect(history.versions[1]).toMatchObject({
      proposalId: 'P-1',
      proposedBy: { id: 'alice' },
      approvedBy: ['bob', 'carol'],
      reason: 'Two quarters at 99.97 %: promise what we deliver.',
      atMs: T0 + 2 * DAY_MS,
      changes: [{ field: 'objective', from: 0.999, to: 0.9995 }],
      outsideChanges: [],
    })

    const actions = (await store.read()).map((r) => {
      const parsed = parseAuditRecord(r)
      return 'entry' in parsed ? [parsed.entry.sequence, parsed.entry.action, parsed.entry.actor.id] : r
    })
    expect(actions).toEqual([
      [1, 'proposal.opened', 'alice'],
      [2, 'proposal.approval', 'bob'],
      [3, 'proposal.approval', 'carol'],
      [4, 'proposal.approved', 'carol'],
      [5, 'slo.versioned', 'carol'],
    ])
    expect(verifyAuditLog(await store.read())).toMatchObject({ ok: true, entries: 5 })
  })

  it('refuses self-approval, naming the proposer and the rule', async () => {
    const { governance, store } = setup()
    await raiseTarget(governance, alice)
    const error = await refusal(governance.approve(alice, 'P-1'))
    expect(error.reason).toBe('SELF_APPROVAL')
    expect(error.message).toBe(
      '[slokit/governance] `alice` proposed P-1 and cannot approve it: a change needs approval from someone other than its proposer.',
    )
    expect(await store.read()).toHaveLength(1)
  })

  it('refuses an approval by a role outside the matrix, saying which roles it needs', async () => {
    const { governance } = setup()
    await raiseTarget(governance)
    const error = await refusal(governance.approve(erin, 'P-1'))
    expect(error.reason).toBe('NOT_AUTHORIZED')
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toBe(
      '[slokit/governance] `erin` (roles: product-owner) may not approve P-1: approvals.critical.default needs sre.',
    )
    // Owner-team members count only where the matrix names `owner`: not for a critical target.
    expect((await refusal(governance.approve(dave, 'P-1'))).reason).toBe('NOT_AUTHORIZED')
  })

  it('never trusts a role it was not given: roles are the ones passed with each action', async () => {
    const { governance } = setup()
    await raiseTarget(governance)
    // bob is an SRE in the config, but the host vouches for no role this time.
    expect((await refusal(governance.approve({ id: 'bob', roles: [] }, 'P-1'))).reason).toBe('NOT_AUTHORIZED')
    // A role literally named `owner` does not make anyone the SLO's owner.
    const owner = { id: 'mallory', roles: ['owner'] }
    const meta = await governance.propose(alice, {
      sloId: 'checkout-availability',
      set: { rationale: 'Clearer wording.' },
      reason: 'docs',
    })
    expect((await refusal(governance.approve(owner, meta.id))).reason).toBe('NOT_AUTHORIZED')
    // …while a member of the owning team (teams from the host) may approve a metadata change.
    expect((await governance.approve(dave, meta.id)).status).toBe('approved')
  })

  it('counts each approver once and refuses a second approval by the same actor', async () => {
    const { governance } = setup()
    await raiseTarget(governance)
    await governance.approve(bob, 'P-1')
    expect((await refusal(governance.approve(bob, 'P-1'))).reason).toBe('ALREADY_APPROVED')
    expect((await governance.proposal('P-1')).status).toBe('open')
  })

  it('needs a required role on top of the count (window changes need an sre-lead)', async () => {
    const { governance } = setup()
    const proposal = await governance.propose(alice, {
      sloId: 'checkout-availability',
      set: { window: '28d' },
      reason: 'Align with the four-week planning cycle.',
    })
    expect(proposal.changes).toEqual([{ field: 'window', changeType: 'window', from: '30d', to: '4w' }])
    await governance.approve(bob, proposal.id)
    const still = await governance.approve({ id: 'frank', roles: ['sre'] }, proposal.id)
    expect(still.status).toBe('open')
    expect(still.progress.rules[0]).toMatchObject({ missingApprovals: 0, missingRoles: ['sre-lead'] })
    expect((await governance.approve(carol, proposal.id)).status).toBe('approved')
  })

  it('applies the rules of both priorities when a proposal changes the priority', async () => {
    const { governance } = setup()
    const downgrade = await governance.propose(alice, {
      sloId: 'checkout-availability',
      set: { priority: 'high' },
      reason: 'Checkout has a fallback now.',
    })
    expect(downgrade.progress.rules.map((r) => `${r.cell.priority}.${r.cell.changeType}`)).toEqual([
      'critical.default',
      'high.default',
    ])
    // One SRE satisfies the high rule but not the critical one.
    expect((await governance.approve(bob, downgrade.id)).status).toBe('open')
    expect((await governance.approve(carol, downgrade.id)).status).toBe('approved')
  })
})

describe('proposals', () => {
  it('are refused when they change nothing, touch an unknown SLO or field, or make an invalid SLO', async () => {
    const { governance, store } = setup()
    const same = await refusal(
      governance.propose(alice, {
        sloId: 'checkout-availability',
        set: { objective: 0.999 },
        reason: 'noop',
      }),
    )
    expect(same.reason).toBe('NO_CHANGE')
    const unknown = await refusal(
      governance.propose(alice, { sloId: 'checkout', set: { objective: 0.99 }, reason: 'x' }),
    )
    expect(unknown).toMatchObject({ reason: 'UNKNOWN_SLO', code: 'UNKNOWN_SLO' })
    expect(unknown.hint).toContain('checkout-availability')
    const field = await refusal(
      governance.propose(alice, { sloId: 'checkout-availability', set: { id: 'x' } as never, reason: 'x' }),
    )
    expect(field.message).toContain('An SLO id cannot be changed')
    await expect(
      governance.propose(alice, { sloId: 'checkout-availability', set: { objective: 99.95 }, reason: 'x' }),
    ).rejects.toMatchObject({ code: 'INVALID_SPEC' })
    expect(
      (
        await refusal(
          governance.propose(alice, {
            sloId: 'checkout-availability',
            set: { objective: 0.99 },
            reason: ' ',
          }),
        )
      ).reason,
    ).toBe('INVALID_INPUT')
    expect(await store.read()).toHaveLength(0)
  })

  it('are refused when the approval matrix has no rule for them, since nobody could approve them', async () => {
    const { governance } = setup({
      config: {
        ...SECTION,
        approvals: { critical: { target: SECTION.approvals.critical?.default as never } },
      },
    })
    const error = await refusal(
      governance.propose(alice, {
        sloId: 'search-availability',
        set: { objective: '99.9%' },
        reason: 'tighter',
      }),
    )
    expect(error.reason).toBe('NO_APPROVAL_RULE')
    expect(error.message).toContain('high/target')
    expect(error.hint).toBe('add governance.approvals.high.target (or a `default` entry)')
  })

  it('can be rejected by an approver (not by the proposer) and withdrawn by the proposer only', async () => {
    const { governance } = setup()
    await raiseTarget(governance)
    expect((await refusal(governance.reject(alice, 'P-1', { reason: 'no' }))).message).toContain(
      'withdraw it rather than reject it',
    )
    expect((await refusal(governance.reject(erin, 'P-1', { reason: 'no' }))).reason).toBe('NOT_AUTHORIZED')
    const rejected = await governance.reject(bob, 'P-1', {
      reason: 'Not before the payment provider migration.',
    })
    expect(rejected).toMatchObject({
      status: 'rejected',
      decision: { actor: { id: 'bob' }, reason: 'Not before the payment provider migration.' },
    })
    const closed = await refusal(governance.approve(carol, 'P-1'))
    expect(closed.reason).toBe('NOT_OPEN')
    expect(closed.message).toMatch(
      /^\[slokit\/governance\] Cannot approve P-1: it was rejected by `bob` at 2026-01-01T00:00:00Z\.$/,
    )

    const second = await raiseTarget(governance)
    expect((await refusal(governance.withdraw(bob, second.id))).reason).toBe('NOT_AUTHORIZED')
    expect(await governance.withdraw(alice, second.id, { reason: 'superseded' })).toMatchObject({
      status: 'withdrawn',
    })
    expect((await governance.proposals({ status: 'open' })).map((p) => p.id)).toEqual([])
    expect((await refusal(governance.approve(bob, 'P-9'))).reason).toBe('UNKNOWN_PROPOSAL')
  })

  it('wait for the configuration to catch up with an approved version before new ones open', async () => {
    const { governance, store } = setup()
    await raiseTarget(governance)
    const owner = await governance.propose(alice, {
      sloId: 'checkout-availability',
      set: { owner: 'team-payments' },
      reason: 'The payments team took checkout over.',
    })
    await governance.approve(bob, 'P-1')
    await governance.approve(carol, 'P-1')
    const pending = await refusal(raiseTarget(governance))
    expect(pending.reason).toBe('CONFLICT')
    expect(pending.hint).toBe('roll it out first (slokit governance apply P-1), then propose')
    expect((await refusal(governance.approve(bob, owner.id))).reason).toBe('CONFLICT')

    // The host rolls P-1 out: its configuration now has version 2.
    const version2 = (await governance.proposal('P-1')).version?.slo as SloSpec
    const after = createGovernance({
      store,
      config: SECTION,
      slos: [version2, ...SLOS.slice(1)],
      clock: new FakeClock(T0),
    })
    expect((await after.history('checkout-availability')).status).toBe('in-sync')
    expect((await after.proposal('P-1')).rollout).toBe('applied')
    // P-2 changes another field: it applies on top of version 2.
    await after.approve(bob, owner.id)
    const approved = await after.approve(carol, owner.id)
    expect(approved.version).toMatchObject({ version: 3, changes: [{ field: 'owner', to: 'team-payments' }] })
    expect(approved.version?.slo).toMatchObject({ objective: 0.9995, owner: 'team-payments' })
    expect((await after.proposal('P-1')).rollout).toBe('superseded')
  })

  it('conflict when a field they change was changed since, naming both values', async () => {
    const { governance, store } = setup()
    await raiseTarget(governance)
    // Someone edits the YAML by hand.
    const edited = applySloPatch(SLOS[0] as SloSpec, { objective: 0.9999 })
    const after = createGovernance({
      store,
      config: SECTION,
      slos: [edited, ...SLOS.slice(1)],
      clock: new FakeClock(T0),
    })
    const error = await refusal(after.approve(bob, 'P-1'))
    expect(error.reason).toBe('CONFLICT')
    expect(error.message).toBe(
      '[slokit/governance] P-1 changes `objective` from 0.999, but `checkout-availability` now has 0.9999.',
    )
    expect(error.hint).toBe('withdraw P-1 and propose again against the current definition')
  })
})

describe('the registry', () => {
  it('lists SLOs with version, review and documentation state, filtered by priority', async () => {
    const { governance } = setup()
    const all = await governance.listSlos()
    expect(all.map((r) => [r.slo.id, r.version, r.status, r.review?.state])).toEqual([
      ['checkout-availability', 1, 'baseline', 'unscheduled'],
      ['search-availability', 1, 'baseline', 'unscheduled'],
      ['reports-freshness', 1, 'baseline', 'unscheduled'],
    ])
    expect(all[2]?.documentation).toEqual([
      expect.objectContaining({ sloId: 'reports-freshness', field: 'owner', severity: 'warning' }),
    ])
    expect((await governance.listSlos({ priority: 'high' })).map((r) => r.slo.id)).toEqual([
      'search-availability',
    ])
  })

  it('tells a configuration changed outside governance (drift) from one awaiting rollout', async () => {
    const { governance, store } = setup()
    await raiseTarget(governance)
    await governance.approve(bob, 'P-1')
    await governance.approve(carol, 'P-1')
    const drifted = applySloPatch(SLOS[0] as SloSpec, { objective: '99.99%' })
    const after = createGovernance({
      store,
      config: SECTION,
      slos: [drifted, ...SLOS.slice(1)],
      clock: new FakeClock(T0),
    })
    const history = await after.history('checkout-availability')
    expect(history.status).toBe('drifted')
    expect(history.configChanges).toEqual([
      { field: 'objective', changeType: 'target', from: 0.9995, to: 0.9999 },
    ])
    expect((await after.dashboard()).drifted).toEqual(['checkout-availability'])
    expect((await after.proposal('P-1')).rollout).toBe('drifted')
    // A proposal made on the drifted configuration records the drift in the next version.
    await after.propose(alice, {
      sloId: 'checkout-availability',
      set: { objective: '99.95%' },
      reason: 'back to the approved target',
    })
    await after.approve(bob, 'P-2')
    const v3 = (await after.approve(carol, 'P-2')).version
    expect(v3?.outsideChanges).toEqual([
      { field: 'objective', changeType: 'target', from: 0.9995, to: 0.9999 },
    ])
    expect(v3?.changes).toEqual([{ field: 'objective', changeType: 'target', from: 0.9999, to: 0.9995 }])
  })

  it('keeps the history of an SLO that left the configuration, and refuses an id it never saw', async () => {
    const { governance, store } = setup()
    await raiseTarget(governance)
    const after = createGovernance({ store, config: SECTION, slos: SLOS.slice(1), clock: new FakeClock(T0) })
    const history = await after.history('checkout-availability')
    expect(history.current).toBeUndefined()
    expect(history.proposals.map((p) => p.id)).toEqual(['P-1'])
    expect((await refusal(after.history('nope'))).reason).toBe('UNKNOWN_SLO')
  })
})

describe('reviews', () => {
  it('are scheduled, listed as due then overdue, and completed by a reviewer with outcome and notes', async () => {
    const { governance, clock } = setup()
    const review = await governance.scheduleReview(alice, {
      sloId: 'checkout-availability',
      dueMs: T0 + 10 * DAY_MS,
      reviewers: ['carol', 'bob', 'bob'],
    })
    expect(review).toMatchObject({
      id: 'R-1',
      status: 'scheduled',
      reviewers: ['bob', 'carol'],
      scheduledBy: { id: 'alice' },
    })
    expect((await governance.reviewsDue()).find((n) => n.sloId === 'checkout-availability')).toBeUndefined()

    clock.set(T0 + 4 * DAY_MS)
    const due = (await governance.reviewsDue()).find((n) => n.sloId === 'checkout-availability')
    expect(due).toMatchObject({
      kind: 'review-due',
      state: 'due',
      dueMs: T0 + 10 * DAY_MS,
      reviewId: 'R-1',
      reviewers: ['bob', 'carol'],
      cadenceMs: 30 * DAY_MS,
      message:
        'checkout-availability (critical): review due in 6 days (2026-01-11T00:00:00Z); reviewers bob, carol',
    })

    clock.set(T0 + 13 * DAY_MS)
    const overdue = await governance.reviewsDue()
    expect(overdue[0]).toMatchObject({
      sloId: 'checkout-availability',
      state: 'overdue',
      overdueByMs: 3 * DAY_MS,
    })
    expect(overdue[0]?.message).toBe(
      'checkout-availability (critical): review overdue by 3 days (due 2026-01-11T00:00:00Z); reviewers bob, carol',
    )

    expect(
      (await refusal(governance.completeReview(alice, 'R-1', { outcome: 'confirmed', notes: 'ok' }))).reason,
    ).toBe('NOT_AUTHORIZED')
    const completed = await governance.completeReview(carol, 'R-1', {
      outcome: 'confirmed',
      notes: 'Error budget 40 % spent, all from one incident with a postmortem; objective stands.',
    })
    expect(completed).toMatchObject({
      status: 'completed',
      completed: { actor: { id: 'carol' }, outcome: 'confirmed', atMs: T0 + 13 * DAY_MS },
    })
    expect(
      (await refusal(governance.completeReview(carol, 'R-1', { outcome: 'confirmed', notes: 'x' }))).reason,
    ).toBe('NOT_OPEN')

    // The next review falls due a cadence after the completed one.
    const [record] = await governance.listSlos({ priority: 'critical' })
    expect(record).toMatchObject({
      lastReviewedMs: T0 + 13 * DAY_MS,
      nextReviewDueMs: T0 + 43 * DAY_MS,
      review: undefined,
    })
    clock.set(T0 + 37 * DAY_MS)
    expect((await governance.reviewsDue()).find((n) => n.sloId === 'checkout-availability')).toMatchObject({
      state: 'due',
      reviewId: null,
      dueMs: T0 + 43 * DAY_MS,
    })
  })

  it('are one open review per SLO, cancellable by their scheduler or a reviewer', async () => {
    const { governance } = setup()
    await governance.scheduleReview(alice, {
      sloId: 'search-availability',
      dueMs: T0 + DAY_MS,
      reviewers: ['bob'],
    })
    const twice = await refusal(
      governance.scheduleReview(alice, {
        sloId: 'search-availability',
        dueMs: T0 + DAY_MS,
        reviewers: ['bob'],
      }),
    )
    expect(twice.reason).toBe('ALREADY_SCHEDULED')
    expect(twice.message).toContain('R-1 scheduled (due 2026-01-02T00:00:00Z)')
    expect((await refusal(governance.cancelReview(erin, 'R-1', { reason: 'x' }))).reason).toBe(
      'NOT_AUTHORIZED',
    )
    expect(
      await governance.cancelReview(bob, 'R-1', { reason: 'Covered by the quarterly review.' }),
    ).toMatchObject({ status: 'cancelled' })
    expect(
      (await refusal(governance.completeReview(bob, 'R-2', { outcome: 'confirmed', notes: 'x' }))).reason,
    ).toBe('UNKNOWN_REVIEW')
    expect(
      (
        await refusal(
          governance.scheduleReview(alice, { sloId: 'search-availability', dueMs: T0, reviewers: [] }),
        )
      ).reason,
    ).toBe('INVALID_INPUT')
    expect(
      (await refusal(governance.completeReview(bob, 'R-1', { outcome: 'fine' as never, notes: 'x' }))).reason,
    ).toBe('INVALID_INPUT')
  })

  it('are due in priority cadence order, never-reviewed SLOs listed as unscheduled, SLOs without cadence left out', async () => {
    const { governance } = setup({
      config: { ...SECTION, reviews: { cadenceMs: { critical: 30 * DAY_MS }, dueSoonMs: DAY_MS } },
    })
    const notices = await governance.reviewsDue()
    expect(notices.map((n) => [n.sloId, n.state])).toEqual([['checkout-availability', 'unscheduled']])
    expect(notices[0]?.message).toBe(
      'checkout-availability (critical): never reviewed and no review scheduled',
    )
  })
})

describe('the dashboard', () => {
  it('summarises reviews due, open proposals, rollouts pending, drift, missing documentation and the audit head', async () => {
    const { governance } = setup()
    await raiseTarget(governance)
    await governance.propose(alice, {
      sloId: 'search-availability',
      set: { owner: 'team-discovery' },
      reason: 'reorg',
    })
    await governance.approve(bob, 'P-2')
    const dashboard = await governance.dashboard()
    expect(dashboard.openProposals.map((p) => p.id)).toEqual(['P-1'])
    expect(dashboard.pendingRollout.map((p) => p.id)).toEqual(['P-2'])
    expect(dashboard.reviews.map((n) => n.sloId)).toEqual([
      'checkout-availability',
      'search-availability',
      'reports-freshness',
    ])
    expect(dashboard.documentation.map((i) => `${i.sloId}.${i.field}`)).toEqual(['reports-freshness.owner'])
    expect(dashboard.audit).toMatchObject({ entries: 5, head: { sequence: 5 } })
    expect(dashboard.audit.head?.hash).toMatch(/^[0-9a-f]{64}$/)
  })
})

describe('the audit log', () => {
  it('is verified before anything is decided: a tampered log refuses every action and names the entry', async () => {
    const { governance, store } = setup()
    await raiseTarget(governance)
    await governance.approve(bob, 'P-1')
    const records = await store.read()
    const forged = records.map((r) =>
      r.sequence === 2 ? { ...r, json: r.json.replace('"bob"', '"eve"') } : r,
    )
    const tampered = createGovernance({
      store: new MemoryGovernanceStore(forged),
      config: SECTION,
      slos: SLOS,
    })
    const error = await tampered.approve(carol, 'P-1').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuditLogError)
    expect(error).toMatchObject({ reason: 'AUDIT_LOG_INVALID', firstBad: { sequence: 2, reason: 'edited' } })
    await expect(tampered.listSlos()).rejects.toBeInstanceOf(AuditLogError)
    await expect(tampered.auditLog()).rejects.toBeInstanceOf(AuditLogError)
    expect(await tampered.verify()).toMatchObject({ ok: false, firstBad: { sequence: 2, reason: 'edited' } })
  })

  it('returns the verified entries, by SLO if asked', async () => {
    const { governance } = setup()
    await raiseTarget(governance)
    await governance.scheduleReview(alice, { sloId: 'search-availability', dueMs: T0, reviewers: ['bob'] })
    expect((await governance.auditLog()).map((e) => e.action)).toEqual([
      'proposal.opened',
      'review.scheduled',
    ])
    expect((await governance.auditLog({ sloId: 'search-availability' })).map((e) => e.sequence)).toEqual([2])
  })

  it('records the actor as the host passed it, roles sorted, and the injected time', async () => {
    const { governance } = setup()
    await governance.propose(
      { id: 'carol', roles: ['sre-lead', 'sre', 'sre'] },
      {
        sloId: 'reports-freshness',
        set: { owner: 'team-data' },
        reason: 'owned now',
      },
    )
    const [entry] = await governance.auditLog()
    expect(entry).toMatchObject({
      atMs: T0,
      actor: { id: 'carol', roles: ['sre', 'sre-lead'] },
      sloId: 'reports-freshness',
    })
  })

  it('refuses malformed actors before writing anything', async () => {
    const { governance, store } = setup()
    for (const actor of [{ id: '', roles: [] }, { id: 'x', roles: 'sre' }, { id: 'x\n', roles: [] }, null]) {
      expect((await refusal(raiseTarget(governance, actor as never))).reason).toBe('INVALID_INPUT')
    }
    expect(await store.read()).toHaveLength(0)
  })
})

describe('several writers on one store', () => {
  it('serialise: an instance that lost the race re-reads, re-checks and appends after the winner', async () => {
    const store = new MemoryGovernanceStore()
    const one = createGovernance({ store, config: SECTION, slos: SLOS, clock: new FakeClock(T0) })
    const two = createGovernance({ store, config: SECTION, slos: SLOS, clock: new FakeClock(T0) })
    await raiseTarget(one)
    const [a, b] = await Promise.all([one.approve(bob, 'P-1'), two.approve(carol, 'P-1')])
    expect([a.status, b.status].sort()).toEqual(['approved', 'open'])
    expect(verifyAuditLog(await store.read())).toMatchObject({ ok: true, entries: 5 })
    // Both instances now agree; a third approval is refused by either.
    expect((await refusal(one.approve(dave, 'P-1'))).reason).toBe('NOT_OPEN')
    expect((await refusal(two.approve(dave, 'P-1'))).reason).toBe('NOT_OPEN')
  })

  it('re-check after losing the race: the same proposal id is not issued twice', async () => {
    const store = new MemoryGovernanceStore()
    const one = createGovernance({ store, config: SECTION, slos: SLOS })
    const two = createGovernance({ store, config: SECTION, slos: SLOS })
    const [p, q] = await Promise.all([raiseTarget(one), raiseTarget(two)])
    expect([p.id, q.id].sort()).toEqual(['P-1', 'P-2'])
  })

  it('give up with BUSY when other writers always win, having written nothing', async () => {
    const inner = new MemoryGovernanceStore()
    const store: GovernanceStore = { read: (o) => inner.read(o), append: async () => false }
    const { governance } = setup({ store, maxWriteAttempts: 3 })
    const error = await refusal(raiseTarget(governance))
    expect(error).toMatchObject({ reason: 'BUSY', code: 'SOURCE_TIMEOUT' })
    expect(await inner.read()).toHaveLength(0)
  })

  it('report a failing store as STORE_FAILED with the cause', async () => {
    const cause = new Error('disk full')
    const store: GovernanceStore = {
      read: async () => [],
      append: async () => {
        throw cause
      },
    }
    const { governance } = setup({ store })
    const error = await refusal(raiseTarget(governance))
    expect(error).toMatchObject({ reason: 'STORE_FAILED', code: 'SOURCE_FAILED', cause })
    expect(error.message).toBe('[slokit/governance] Could not append to the governance store: disk full')
  })
})

describe('options', () => {
  it('are checked at construction', () => {
    expect(() => createGovernance({ store: {} as never, config: SECTION, slos: SLOS })).toThrow(
      /Missing required option `store`/,
    )
    expect(() =>
      createGovernance({ store: new MemoryGovernanceStore(), config: undefined as never, slos: SLOS }),
    ).toThrow(/Missing required option `config`/)
    expect(() =>
      createGovernance({
        store: new MemoryGovernanceStore(),
        config: SECTION,
        slos: [SLOS[0], SLOS[0]] as never,
      }),
    ).toThrow('Option `slos` has SLO `checkout-availability` twice.')
    expect(() =>
      createGovernance({
        store: new MemoryGovernanceStore(),
        config: SECTION,
        slos: SLOS,
        maxWriteAttempts: 0,
      }),
    ).toThrow(/maxWriteAttempts/)
  })
})
