import { describe, expect, it } from 'vitest'
import { isEpochMs, parseEpochDigits, parseIsoTimestamp } from './timestamp.js'

const T0 = Date.UTC(2026, 10, 1) // 2026-11-01T00:00:00Z

describe('parseIsoTimestamp', () => {
  it.each([
    ['2026-11-01T00:00:00Z', T0],
    ['2026-11-01t00:00:00z', T0],
    ['2026-11-01 00:00:00Z', T0],
    ['2026-11-01T00:00Z', T0],
    ['2026-11-01T01:00:00+01:00', T0],
    ['2026-10-31T18:30:00-0530', T0],
    ['2026-11-01T00:00:00.5Z', T0 + 500],
    ['2026-11-01T00:00:00,25Z', T0 + 250],
    ['2026-11-01T00:00:00.123456789Z', T0 + 123],
    ['2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29)],
    ['2000-02-29T12:00:00Z', Date.UTC(2000, 1, 29, 12)],
  ])('reads %s', (text, expected) => {
    expect(parseIsoTimestamp(text)).toBe(expected)
  })

  it('keeps years before 100 (Date.UTC would move them to 19xx)', () => {
    expect(new Date(parseIsoTimestamp('0099-01-01T00:00:00Z') as number).getUTCFullYear()).toBe(99)
  })

  it.each([
    '2026-11-01T00:00:00', // no offset: UTC or local time would be a guess
    '2026-11-01',
    '2026-11-01T00:00:00 Z',
    '2026-02-29T00:00:00Z', // 2026 is no leap year
    '2100-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-00-01T00:00:00Z',
    '2026-11-01T24:00:00Z',
    '2026-11-01T00:60:00Z',
    '2026-11-01T00:00:60Z',
    '2026-11-01T00:00:00+24:00',
    '1793491200000',
    'yesterday',
    '',
  ])('refuses %j', (text) => {
    expect(parseIsoTimestamp(text)).toBeUndefined()
  })
})

describe('epoch milliseconds', () => {
  it('reads digits as epoch milliseconds', () => {
    expect(parseEpochDigits('1793491200000')).toBe(T0)
    expect(parseEpochDigits('0')).toBe(0)
  })

  it.each(['-1', '1.5', '1e12', ' 1', '0x10', '', '99999999999999999999'])('refuses %j', (text) => {
    expect(parseEpochDigits(text)).toBeUndefined()
  })

  it('takes non-negative safe integers as numbers', () => {
    expect(isEpochMs(T0)).toBe(true)
    expect(isEpochMs(0)).toBe(true)
    expect(isEpochMs(-1)).toBe(false)
    expect(isEpochMs(1.5)).toBe(false)
    expect(isEpochMs(2 ** 53)).toBe(false)
  })
})
