import { DAY_MS } from '@slokit/core'
import {
  configuredActor,
  GovernanceError,
  governanceSectionSchema,
  parseGovernanceSection,
} from '@slokit/governance'
import { describe, expect, it } from 'vitest'
import { SECTION_INPUT } from './test/fixtures.js'

const problems = (input: unknown) => {
  const result = governanceSectionSchema.safeParse(input)
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
}

describe('governanceSectionSchema', () => {
  it('accepts a realistic section and parses durations to milliseconds', () => {
    const section = parseGovernanceSection({
      ...SECTION_INPUT,
      actors: { ...SECTION_INPUT.actors, 'release-bot': {} },
      reviews: { cadence: { critical: '30d', high: '90d', medium: '180d', low: '365d' }, dueSoon: '14d' },
      documentation: { default: { warning: ['owner'] } },
    })
    expect(section.reviews).toEqual({
      cadenceMs: { critical: 30 * DAY_MS, high: 90 * DAY_MS, medium: 180 * DAY_MS, low: 365 * DAY_MS },
      dueSoonMs: 14 * DAY_MS,
    })
    expect(section.approvals.default?.default).toEqual({
      approvers: ['owner', 'sre'],
      minApprovals: 1,
      requiredRoles: [],
    })
    expect(section.actors['release-bot']).toEqual({ roles: [], teams: [] })
    expect(section.documentation.default).toEqual({ error: [], warning: ['owner'] })
  })

  it('fills in defaults for an empty section', () => {
    expect(parseGovernanceSection({})).toEqual({
      actors: {},
      reviews: { cadenceMs: {}, dueSoonMs: 14 * DAY_MS },
      approvals: {},
      documentation: {},
    })
    expect(parseGovernanceSection(SECTION_INPUT).reviews.dueSoonMs).toBe(7 * DAY_MS)
  })

  it('refuses unknown keys everywhere (typos are caught, not ignored)', () => {
    expect(problems({ approval: {} })).toEqual([': Unrecognized key: "approval"'])
    expect(problems({ approvals: { critcal: {} } })).toEqual(['approvals: Unrecognized key: "critcal"'])
    expect(problems({ approvals: { high: { targets: { approvers: ['sre'] } } } })).toEqual([
      'approvals.high: Unrecognized key: "targets"',
    ])
    expect(problems({ approvals: { high: { target: { approvers: ['sre'], minApproval: 2 } } } })).toEqual([
      'approvals.high.target: Unrecognized key: "minApproval"',
    ])
    expect(problems({ reviews: { cadence: { critical: '30 days' } } })).toEqual([
      'reviews.cadence.critical: invalid duration "30 days": use a positive duration such as 30s, 5m, 1h30m, 28d or 4w',
    ])
  })

  it('checks approval rules: roles listed, at least one approval, required roles among approvers', () => {
    expect(problems({ approvals: { high: { default: { approvers: [] } } } })).toEqual([
      'approvals.high.default.approvers: list at least one role that may approve',
    ])
    expect(problems({ approvals: { high: { default: { approvers: ['sre'], minApprovals: 0 } } } })).toEqual([
      'approvals.high.default.minApprovals: must be at least 1',
    ])
    expect(
      problems({ approvals: { high: { default: { approvers: ['sre'], requiredRoles: ['sre-lead'] } } } }),
    ).toEqual([
      'approvals.high.default.requiredRoles.0: required role `sre-lead` is not among `approvers`, so its approval would be refused',
    ])
  })

  it('refuses `owner` as a role an actor holds: it stands for the SLO’s owning team', () => {
    expect(problems({ actors: { bob: { roles: ['owner'] } } })).toEqual([
      'actors.bob.roles.0: `owner` is reserved: in an approval rule it means a member of the SLO’s owning team',
    ])
  })

  it('refuses a rule the configured actors cannot satisfy', () => {
    const section = {
      actors: { alice: { roles: ['sre'] }, bob: { roles: ['developer'] } },
      approvals: {
        critical: { default: { approvers: ['sre'], minApprovals: 2 } },
        high: { default: { approvers: ['dev', 'sre'], requiredRoles: ['dev'] } },
      },
    }
    expect(problems(section)).toEqual([
      'approvals.critical.default.minApprovals: needs 2 approvals from sre, but only 1 configured actor holds one of these roles',
      'approvals.high.default.requiredRoles: requires an approval from `dev`, but no configured actor holds that role',
    ])
    // Without actors (a host with its own directory) the matrix cannot be checked against people.
    expect(problems({ approvals: section.approvals })).toEqual([])
  })

  it('checks documentation fields: known names, labels.<name>, annotations.<name>, each under one severity', () => {
    expect(
      problems({
        documentation: { high: { error: ['runbook', 'labels.team', 'annotations.slack_channel'] } },
      }),
    ).toEqual([
      'documentation.high.error.0: unknown documentation field "runbook": use name, description, owner, rationale, runbookUrl, dashboardUrl, priority, reviewCadence, labels.<name> or annotations.<name>',
    ])
    expect(problems({ documentation: { high: { error: ['owner'], warning: ['owner'] } } })).toEqual([
      'documentation.high.warning.0: `owner` is listed under both `error` and `warning`',
    ])
  })
})

describe('configuredActor', () => {
  it('gives the configured roles and teams, and refuses ids the section does not list', () => {
    const section = parseGovernanceSection(SECTION_INPUT)
    expect(configuredActor(section, 'dave')).toEqual({
      id: 'dave',
      roles: ['developer'],
      teams: ['team-checkout'],
    })
    expect(() => configuredActor(section, 'mallory')).toThrow(
      'Unknown actor `mallory`: governance.actors does not list it.',
    )
    expect(() => configuredActor(section, 'constructor')).toThrow(GovernanceError)
  })
})

describe('parseGovernanceSection', () => {
  it('throws one GovernanceError listing every problem with its path', () => {
    const error = (() => {
      try {
        parseGovernanceSection({
          reviews: { cadence: { high: 'soon' } },
          approvals: { low: { default: { approvers: [] } } },
        })
      } catch (e) {
        return e
      }
    })() as GovernanceError
    expect(error).toBeInstanceOf(GovernanceError)
    expect(error).toMatchObject({ reason: 'INVALID_CONFIG', code: 'INVALID_CONFIG' })
    expect(error.message).toBe(
      [
        '[slokit/governance] Invalid governance section: 2 problems',
        '  - governance.reviews.cadence.high: invalid duration "soon": use a positive duration such as 30s, 5m, 1h30m, 28d or 4w',
        '  - governance.approvals.low.default.approvers: list at least one role that may approve',
      ].join('\n'),
    )
  })
})
