import { checkDocumentation, parseGovernanceSection } from '@slokit/governance'
import { describe, expect, it } from 'vitest'
import { SECTION, SLOS, slo } from './test/fixtures.js'

describe('checkDocumentation', () => {
  it('reports each missing field with the severity its priority’s rule gives it', () => {
    const slos = [
      slo('checkout-availability', { priority: 'critical', owner: 'team-checkout', rationale: '   ' }),
      slo('search-availability', { priority: 'high' }),
      slo('reports-freshness', { owner: 'team-data' }),
    ]
    expect(checkDocumentation(slos, SECTION)).toEqual([
      {
        sloId: 'checkout-availability',
        field: 'rationale',
        severity: 'error',
        message:
          'SLO `checkout-availability` has no `rationale` (why this objective and window): governance.documentation.critical requires it',
      },
      expect.objectContaining({ sloId: 'checkout-availability', field: 'runbookUrl', severity: 'error' }),
      expect.objectContaining({ sloId: 'checkout-availability', field: 'dashboardUrl', severity: 'error' }),
      {
        sloId: 'checkout-availability',
        field: 'name',
        severity: 'warning',
        message: 'SLO `checkout-availability` has no `name`: governance.documentation.critical asks for it',
      },
      // high has no rule of its own: `default` applies.
      expect.objectContaining({ sloId: 'search-availability', field: 'owner', severity: 'warning' }),
    ])
  })

  it('finds nothing to report on documented SLOs, or without rules', () => {
    expect(checkDocumentation(SLOS.slice(0, 1), SECTION)).toEqual([])
    expect(checkDocumentation(SLOS, parseGovernanceSection({}))).toEqual([])
  })

  it('checks labels, annotations and that the priority has a review cadence', () => {
    const section = parseGovernanceSection({
      reviews: { cadence: { critical: '30d' } },
      documentation: {
        default: { error: ['labels.team', 'annotations.slack', 'reviewCadence', 'priority'] },
      },
    })
    const issues = checkDocumentation(
      [
        slo('a', { labels: { team: 'x' }, annotations: { slack: '#a' }, priority: 'critical' }),
        slo('b', { priority: 'low' }),
      ],
      section,
    )
    expect(issues.map((i) => `${i.sloId} ${i.field}`)).toEqual([
      'b labels.team',
      'b annotations.slack',
      'b reviewCadence',
    ])
    expect(issues[2]?.message).toBe(
      'SLO `b` has no `reviewCadence` (how often it is reviewed): governance.documentation.default requires it — add governance.reviews.cadence.low',
    )
  })
})
