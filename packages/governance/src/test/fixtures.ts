import { parseSlo, type SloSpec } from '@slokit/core'
import type { Actor, GovernanceSection } from '@slokit/governance'
import { parseGovernanceSection } from '@slokit/governance'

/** 2026-01-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 1)

export const ACTORS = {
  alice: { id: 'alice', roles: ['sre'] },
  bob: { id: 'bob', roles: ['sre'] },
  carol: { id: 'carol', roles: ['sre', 'sre-lead'] },
  dave: { id: 'dave', roles: ['developer'], teams: ['team-checkout'] },
  erin: { id: 'erin', roles: ['product-owner'] },
} as const satisfies Record<string, Actor>

/** The governance section the workflow tests run under. */
export const SECTION_INPUT = {
  actors: {
    alice: { roles: ['sre'] },
    bob: { roles: ['sre'] },
    carol: { roles: ['sre', 'sre-lead'] },
    dave: { roles: ['developer'], teams: ['team-checkout'] },
    erin: { roles: ['product-owner'] },
  },
  reviews: {
    cadence: { critical: '30d', high: '90d', default: '365d' },
    dueSoon: '7d',
  },
  approvals: {
    critical: {
      default: { approvers: ['sre'], minApprovals: 2 },
      window: { approvers: ['sre', 'sre-lead'], minApprovals: 2, requiredRoles: ['sre-lead'] },
      metadata: { approvers: ['owner', 'sre'], minApprovals: 1 },
    },
    high: { default: { approvers: ['sre', 'owner'], minApprovals: 1 } },
    default: { default: { approvers: ['owner', 'sre'], minApprovals: 1 } },
  },
  documentation: {
    critical: { error: ['owner', 'rationale', 'runbookUrl', 'dashboardUrl'], warning: ['name'] },
    default: { warning: ['owner'] },
  },
}

export const SECTION: GovernanceSection = parseGovernanceSection(SECTION_INPUT)

export function slo(id: string, extra: Record<string, unknown> = {}): SloSpec {
  return parseSlo({
    id,
    service: id.split('-')[0] as string,
    sli: { id: `${id}-requests`, kind: 'availability', measurement: { type: 'ratio' } },
    objective: '99.9%',
    window: '30d',
    ...extra,
  } as Parameters<typeof parseSlo>[0])
}

/** A documented critical SLO, a high one and one without priority. */
export const SLOS: readonly SloSpec[] = [
  slo('checkout-availability', {
    name: 'Checkout requests succeed',
    priority: 'critical',
    owner: 'team-checkout',
    rationale: 'A failed checkout is a lost order.',
    runbookUrl: 'https://runbooks.example.com/checkout',
    dashboardUrl: 'https://grafana.example.com/d/checkout',
  }),
  slo('search-availability', { priority: 'high', owner: 'team-search', objective: '99.5%', window: '7d' }),
  slo('reports-freshness', { objective: '99%' }),
]
