import {
  calendarPeriod,
  fromZoned,
  HOUR_MS,
  isValidTimeZone,
  nominalPeriodMs,
  SlokitError,
  timeZoneOffsetMs,
  toZoned,
  windowRange,
} from '@slokit/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const hours = (p: { startMs: number; endMs: number }) => (p.endMs - p.startMs) / HOUR_MS

describe('calendarPeriod', () => {
  it('a calendar month in Europe/Berlin across the spring DST change is 743 hours', () => {
    const march = calendarPeriod('month', 'Europe/Berlin', Date.UTC(2026, 2, 15, 12))
    expect(new Date(march.startMs).toISOString()).toBe('2026-02-28T23:00:00.000Z') // 00:00 CET
    expect(new Date(march.endMs).toISOString()).toBe('2026-03-31T22:00:00.000Z') // 00:00 CEST
    expect(hours(march)).toBe(31 * 24 - 1)
  })

  it('a calendar month in Europe/Berlin across the autumn DST change is 745 hours', () => {
    expect(hours(calendarPeriod('month', 'Europe/Berlin', Date.UTC(2026, 9, 10)))).toBe(31 * 24 + 1)
  })

  it('a UTC month without DST is days × 24 hours', () => {
    expect(hours(calendarPeriod('month', 'UTC', Date.UTC(2026, 1, 10)))).toBe(28 * 24)
    expect(hours(calendarPeriod('month', 'UTC', Date.UTC(2028, 1, 10)))).toBe(29 * 24)
  })

  it('weeks start on Monday at local midnight', () => {
    // Sunday 2026-03-29 in New York is in the week starting Monday 2026-03-23.
    const week = calendarPeriod('week', 'America/New_York', Date.UTC(2026, 2, 29, 12))
    expect(toZoned(week.startMs, 'America/New_York')).toMatchObject({
      year: 2026,
      month: 3,
      day: 23,
      hour: 0,
      weekday: 1,
    })
    expect(hours(week)).toBe(7 * 24)
  })

  it('the New York week containing the spring change (Sunday 8 March 2026) is 167 hours', () => {
    expect(hours(calendarPeriod('week', 'America/New_York', Date.UTC(2026, 2, 5, 12)))).toBe(7 * 24 - 1)
  })

  it('quarters and years align to their first month', () => {
    const q = calendarPeriod('quarter', 'UTC', Date.UTC(2026, 7, 20))
    expect(new Date(q.startMs).toISOString()).toBe('2026-07-01T00:00:00.000Z')
    expect(new Date(q.endMs).toISOString()).toBe('2026-10-01T00:00:00.000Z')
    const y = calendarPeriod('year', 'Asia/Tokyo', Date.UTC(2026, 0, 1, 0)) // already 09:00 Jan 1 in Tokyo
    expect(new Date(y.startMs).toISOString()).toBe('2025-12-31T15:00:00.000Z')
    expect(hours(y)).toBe(365 * 24)
  })

  it('handles a time zone whose midnight is skipped (America/Santiago, September 2026)', () => {
    // Chile moves clocks from 00:00 to 01:00 on the first Sunday of September.
    const start = fromZoned({ year: 2026, month: 9, day: 6 }, 'America/Santiago')
    expect(toZoned(start, 'America/Santiago')).toMatchObject({ day: 6, hour: 1, minute: 0 })
  })

  it('every instant lies inside its own period, for any zone and unit', () => {
    const zones = [
      'UTC',
      'Europe/Berlin',
      'America/New_York',
      'Australia/Lord_Howe',
      'Asia/Kolkata',
      'Pacific/Chatham',
    ]
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(...zones),
        fc.constantFrom('week', 'month', 'quarter', 'year' as const),
        (at, zone, unit) => {
          const p = calendarPeriod(unit, zone, at)
          expect(p.startMs).toBeLessThanOrEqual(at)
          expect(p.endMs).toBeGreaterThan(at)
          const z = toZoned(p.startMs, zone)
          expect(z.minute).toBe(0)
          if (unit === 'week') expect(z.weekday).toBe(1)
          else expect(z.day).toBe(1)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('time zones', () => {
  it('rejects unknown zones with INVALID_TIME_ZONE', () => {
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false)
    expect(() => toZoned(0, 'Mars/Olympus_Mons')).toThrow(
      expect.objectContaining({ code: 'INVALID_TIME_ZONE' }),
    )
    expect(() => toZoned(0, 'Mars/Olympus_Mons')).toThrow(SlokitError)
  })

  it('knows offsets east and west of Greenwich, including half hours', () => {
    expect(timeZoneOffsetMs(Date.UTC(2026, 0, 1), 'Asia/Kolkata')).toBe(5.5 * HOUR_MS)
    expect(timeZoneOffsetMs(Date.UTC(2026, 0, 1), 'America/New_York')).toBe(-5 * HOUR_MS)
    expect(timeZoneOffsetMs(Date.UTC(2026, 6, 1), 'America/New_York')).toBe(-4 * HOUR_MS)
  })

  it('resolves a repeated wall time to the earlier instant', () => {
    // 02:30 on 2026-10-25 happens twice in Berlin: first at 00:30 UTC (CEST), then 01:30 UTC (CET).
    expect(fromZoned({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Berlin')).toBe(
      Date.UTC(2026, 9, 25, 0, 30),
    )
  })

  it('moves a skipped wall time forward by the gap', () => {
    // 02:30 on 2026-03-29 never happens in Berlin; it resolves to 03:30 CEST = 01:30 UTC.
    expect(fromZoned({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Berlin')).toBe(
      Date.UTC(2026, 2, 29, 1, 30),
    )
  })
})

describe('windowRange', () => {
  const now = Date.UTC(2026, 4, 17, 10, 30)

  it('a rolling window ends now and is its own period', () => {
    expect(windowRange({ type: 'rolling', durationMs: HOUR_MS }, now)).toEqual({
      startMs: now - HOUR_MS,
      endMs: now,
      periodStartMs: now - HOUR_MS,
      periodEndMs: now,
    })
  })

  it('a calendar window measures from the period start, against the whole period', () => {
    const range = windowRange({ type: 'calendar', unit: 'month', timeZone: 'UTC' }, now)
    expect(range).toEqual({
      startMs: Date.UTC(2026, 4, 1),
      endMs: now,
      periodStartMs: Date.UTC(2026, 4, 1),
      periodEndMs: Date.UTC(2026, 5, 1),
    })
  })

  it('nominal periods scale alert thresholds: rolling durations, 30 days for a month', () => {
    expect(nominalPeriodMs({ type: 'rolling', durationMs: 7 * 24 * HOUR_MS })).toBe(7 * 24 * HOUR_MS)
    expect(nominalPeriodMs({ type: 'calendar', unit: 'month', timeZone: 'UTC' })).toBe(30 * 24 * HOUR_MS)
  })
})
