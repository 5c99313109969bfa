import { canonicalJson, GovernanceError } from '@slokit/governance'
import { describe, expect, it } from 'vitest'

describe('canonicalJson', () => {
  it('sorts keys at every level, drops undefined values and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null], c: 'x' }, e: undefined })).toBe(
      '{"a":{"c":"x","d":[true,null]},"b":1}',
    )
  })

  it('gives the same bytes whatever order the keys were built in', () => {
    expect(canonicalJson({ x: 1, y: 2, z: { q: 1, p: 2 } })).toBe(
      canonicalJson({ z: { p: 2, q: 1 }, y: 2, x: 1 }),
    )
  })

  it('sorts keys by UTF-16 code units and writes numbers and strings as JSON.stringify (RFC 8785 examples)', () => {
    // From RFC 8785 section 3.2.3: keys sorted by UTF-16 code units.
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    }
    expect(canonicalJson(value)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    )
    expect(canonicalJson([1e21, 1e-7, -0, 0.1 + 0.2, 333333333.3333333])).toBe(
      '[1e+21,1e-7,0,0.30000000000000004,333333333.3333333]',
    )
    expect(canonicalJson('\u2028"\\\n')).toBe('"\u2028\\"\\\\\\n"')
  })

  it('refuses what JSON cannot hold exactly, naming where', () => {
    for (const [value, where] of [
      [{ a: Number.NaN }, '$.a'],
      [{ a: [1, undefined] }, '$.a[1]'],
      [{ a: new Date(0) }, '$.a'],
      [{ a: 1n }, '$.a'],
      [{ a: () => 1 }, '$.a'],
      [Number.POSITIVE_INFINITY, '$'],
    ] as const) {
      expect(() => canonicalJson(value)).toThrow(GovernanceError)
      expect(() => canonicalJson(value)).toThrow(`at ${where}:`)
    }
    let deep: unknown = 1
    for (let i = 0; i < 70; i++) deep = [deep]
    expect(() => canonicalJson(deep)).toThrow(/deeper than 64/)
    expect(canonicalJson(Object.create(null))).toBe('{}')
  })
})
