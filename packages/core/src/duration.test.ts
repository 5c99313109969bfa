import { formatDuration, parseDuration, SlokitError, tryParseDuration } from '@slokit/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

describe('parseDuration', () => {
  it.each([
    ['1ms', 1],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['30d', 2_592_000_000],
    ['4w', 2_419_200_000],
    ['1y', 31_536_000_000],
    ['1d12h', 129_600_000],
    ['2h0m', 7_200_000],
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })

  it.each(['', '5', 'm', '5 m', '1.5h', '-5m', '30m1h', '1h1h', '0s', '5min', ' 5m', '5M'])(
    'rejects %j with INVALID_DURATION',
    (text) => {
      expect(tryParseDuration(text)).toBeUndefined()
      expect(() => parseDuration(text)).toThrow(SlokitError)
      try {
        parseDuration(text)
      } catch (error) {
        expect((error as SlokitError).code).toBe('INVALID_DURATION')
        expect((error as SlokitError).hint).toMatch(/1h30m/)
      }
    },
  )
})

describe('formatDuration', () => {
  it.each([
    [2_419_200_000, '4w'],
    [2_592_000_000, '30d'],
    [604_800_000, '1w'],
    [7_776_000_000, '90d'],
    [31_536_000_000, '1y'],
    [5_400_000, '1h30m'],
    [300_000, '5m'],
    [1_500, '1s500ms'],
    [0, '0s'],
  ])('formats %d as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })

  it('round-trips every whole-millisecond duration', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 * 31_536_000_000 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms)
      }),
    )
  })

  it('rejects negative and fractional input', () => {
    expect(() => formatDuration(-1)).toThrow(/non-negative integer/)
    expect(() => formatDuration(1.5)).toThrow(SlokitError)
  })
})
