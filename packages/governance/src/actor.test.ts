import { checkActor, GovernanceError } from '@slokit/governance'
import { describe, expect, it } from 'vitest'

describe('checkActor', () => {
  it('returns a frozen copy with roles and teams sorted and deduplicated', () => {
    const actor = checkActor({
      id: 'carol@example.com',
      roles: ['sre-lead', 'sre', 'sre'],
      teams: ['b', 'a'],
    })
    expect(actor).toEqual({ id: 'carol@example.com', roles: ['sre', 'sre-lead'], teams: ['a', 'b'] })
    expect(Object.isFrozen(actor) && Object.isFrozen(actor.roles)).toBe(true)
    expect(checkActor({ id: 'x', roles: [], teams: [] })).toEqual({ id: 'x', roles: [] })
  })

  it('refuses ids, roles and teams that are not names', () => {
    for (const actor of [
      { id: '', roles: [] },
      { id: 'x'.repeat(129), roles: [] },
      { id: 'a\u0000b', roles: [] },
      { id: 'x', roles: ['sre', 3] },
      { id: 'x', roles: 'sre' },
      { id: 'x', roles: [''] },
      { id: 'x', roles: [], teams: 'team' },
      { roles: [] },
      'alice',
    ]) {
      expect(() => checkActor(actor as never)).toThrow(GovernanceError)
    }
  })
})
