import { closest, didYouMean, editDistance, knownKeysAt } from '@slokit/config'
import { sloSpecSchema } from '@slokit/core'
import { describe, expect, it } from 'vitest'

describe('editDistance', () => {
  it.each([
    ['objective', 'objectve', 1],
    ['objective', 'obejctive', 1], // transposition
    ['window', 'windw', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('%s → %s = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d)
  })
})

describe('closest', () => {
  it('finds plausible typos and nothing for unrelated words', () => {
    expect(closest('objectve', ['objective', 'owner'])).toBe('objective')
    expect(closest('Objective', ['objective'])).toBe('objective')
    expect(closest('xyz', ['objective', 'owner'])).toBeUndefined()
    expect(didYouMean('polices', ['policies', 'alerts'])).toBe('did you mean `policies`?')
  })
})

describe('knownKeysAt', () => {
  it('looks through transforms, defaults and unions', () => {
    expect(knownKeysAt(sloSpecSchema, [])).toContain('objective')
    expect(knownKeysAt(sloSpecSchema, ['sli', 'measurement']).sort()).toEqual(
      ['aggregation', 'bad', 'comparison', 'good', 'query', 'threshold', 'total', 'type', 'unit'].sort(),
    )
    expect(knownKeysAt(sloSpecSchema, ['window']).sort()).toEqual(['calendar', 'rolling', 'timeZone'])
    expect(knownKeysAt(sloSpecSchema, ['timeslice'])).toEqual(['length', 'objective'])
    expect(knownKeysAt(sloSpecSchema, ['nope'])).toEqual([])
  })
})
