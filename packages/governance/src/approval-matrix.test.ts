import {
  applicableRules,
  describeProgress,
  evaluateApprovals,
  holdsRole,
  parseGovernanceSection,
} from '@slokit/governance'
import { describe, expect, it } from 'vitest'
import { SECTION } from './test/fixtures.js'

describe('applicableRules', () => {
  it('finds the cell of each change type, falling back to the priority’s default, then the default priority', () => {
    const { rules, uncovered } = applicableRules(
      SECTION,
      ['critical'],
      ['target', 'window', 'metadata', 'sli'],
    )
    expect(uncovered).toEqual([])
    expect(rules.map((r) => [`${r.cell.priority}.${r.cell.changeType}`, r.changeTypes])).toEqual([
      ['critical.default', ['target', 'sli']],
      ['critical.window', ['window']],
      ['critical.metadata', ['metadata']],
    ])
    expect(applicableRules(SECTION, ['low'], ['target']).rules[0]?.cell).toEqual({
      priority: 'default',
      changeType: 'default',
    })
    expect(applicableRules(SECTION, [undefined], ['target']).rules[0]?.cell).toEqual({
      priority: 'default',
      changeType: 'default',
    })
  })

  it('applies the rules of every priority given once each, and lists what no cell covers', () => {
    const section = parseGovernanceSection({ approvals: { critical: { target: { approvers: ['sre'] } } } })
    const { rules, uncovered } = applicableRules(
      section,
      ['critical', 'critical', 'low'],
      ['target', 'window'],
    )
    expect(rules.map((r) => r.cell)).toEqual([{ priority: 'critical', changeType: 'target' }])
    expect(uncovered).toEqual([
      { priority: 'critical', changeType: 'window' },
      { priority: 'low', changeType: 'target' },
      { priority: 'low', changeType: 'window' },
    ])
  })
})

describe('evaluateApprovals', () => {
  const rules = applicableRules(SECTION, ['critical'], ['window']).rules
  const context = { proposerId: 'alice', sloOwner: 'team-checkout' }

  it('counts distinct approvers holding a rule role, never the proposer, and the required roles', () => {
    const progress = evaluateApprovals(
      rules,
      [
        { actor: { id: 'alice', roles: ['sre', 'sre-lead'] } },
        { actor: { id: 'bob', roles: ['sre'] } },
        { actor: { id: 'bob', roles: ['sre'] } },
        { actor: { id: 'erin', roles: ['product-owner'] } },
      ],
      context,
    )
    expect(progress).toEqual({
      satisfied: false,
      rules: [
        expect.objectContaining({
          approvedBy: ['bob'],
          missingApprovals: 1,
          missingRoles: ['sre-lead'],
          satisfied: false,
        }),
      ],
    })
    expect(describeProgress(progress.rules[0] as never)).toBe(
      'approvals.critical.window: 1 of 2 approvals from sre or sre-lead; needs one from sre-lead',
    )
    const done = evaluateApprovals(
      rules,
      [{ actor: { id: 'bob', roles: ['sre'] } }, { actor: { id: 'carol', roles: ['sre-lead'] } }],
      context,
    )
    expect(done.satisfied).toBe(true)
  })

  it('is satisfied by no rules at all only vacuously (governance refuses proposals without rules)', () => {
    expect(evaluateApprovals([], [], context).satisfied).toBe(true)
  })
})

describe('holdsRole', () => {
  it('grants `owner` to members of the SLO’s owning team only, never to a role named owner', () => {
    expect(holdsRole({ id: 'd', roles: [], teams: ['team-checkout'] }, 'owner', 'team-checkout')).toBe(true)
    expect(holdsRole({ id: 'd', roles: [], teams: ['team-checkout'] }, 'owner', undefined)).toBe(false)
    expect(holdsRole({ id: 'm', roles: ['owner'] }, 'owner', 'team-checkout')).toBe(false)
    expect(holdsRole({ id: 'm', roles: ['sre'] }, 'sre', undefined)).toBe(true)
  })
})
