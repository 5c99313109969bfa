import { DAY_MS, SlokitError } from '@slokit/core'
import { describe, expect, it } from 'vitest'
import { reportingSectionSchema } from './reporting-schema.js'
import { nextReportDue } from './schedule.js'

const at = (iso: string) => Date.parse(iso)
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

describe('nextReportDue', () => {
  const daily = { cron: '0 0 * * *', timeZone: 'UTC' }

  it('is the next slot after the last run, or after now when there was none', () => {
    expect(iso(nextReportDue(daily, at('2026-11-02T00:00:00Z'), at('2026-11-02T10:00:00Z')))).toBe(
      '2026-11-03T00:00:00.000Z',
    )
    expect(iso(nextReportDue(daily, null, at('2026-11-02T10:00:00Z')))).toBe('2026-11-03T00:00:00.000Z')
  })

  it('reports a missed slot as due now, once: the next call after running looks ahead again', () => {
    const now = at('2026-11-20T10:00:00Z')
    const due = nextReportDue(daily, at('2026-11-01T00:00:00Z'), now)
    expect(iso(due)).toBe('2026-11-02T00:00:00.000Z')
    expect((due as number) <= now).toBe(true)
    expect(iso(nextReportDue(daily, now, now))).toBe('2026-11-21T00:00:00.000Z')
  })

  it('reads the expression in the time zone, across daylight saving changes', () => {
    const berlin = { cron: '0 8 * * MON', timeZone: 'Europe/Berlin' }
    // Summer time (UTC+2) until Sunday 25 October 2026, then UTC+1.
    expect(iso(nextReportDue(berlin, at('2026-10-19T06:00:00Z'), 0))).toBe('2026-10-26T07:00:00.000Z')
    expect(iso(nextReportDue(berlin, at('2026-10-12T06:00:00Z'), 0))).toBe('2026-10-19T06:00:00.000Z')
    // 02:30 does not exist on 29 March 2026 in Berlin: it runs just after the gap, at 03:30.
    const gap = { cron: '30 2 * * *', timeZone: 'Europe/Berlin' }
    expect(iso(nextReportDue(gap, at('2026-03-28T01:30:00Z'), 0))).toBe('2026-03-29T01:30:00.000Z')
  })

  it('supports lists, ranges, steps, names and the Vixie rule for two day fields', () => {
    const next = (cron: string, after: string) => iso(nextReportDue({ cron, timeZone: 'UTC' }, at(after), 0))
    expect(next('*/15 9-17 * * MON-FRI', '2026-11-27T17:50:00Z')).toBe('2026-11-30T09:00:00.000Z') // Fri → Mon
    expect(next('0 6 1,15 * *', '2026-11-02T00:00:00Z')).toBe('2026-11-15T06:00:00.000Z')
    expect(next('0 0 29 FEB *', '2026-03-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z')
    // Day 13 or a Friday, whichever comes first.
    expect(next('0 0 13 * FRI', '2026-11-01T00:00:00Z')).toBe('2026-11-06T00:00:00.000Z')
    expect(next('@weekly', '2026-11-27T00:00:00Z')).toBe('2026-11-29T00:00:00.000Z')
    expect(next('0 12 * * 7', '2026-11-27T00:00:00Z')).toBe('2026-11-29T12:00:00.000Z')
  })

  it('is null for a schedule that never matches, and refuses bad input', () => {
    expect(nextReportDue({ cron: '0 0 31 FEB *', timeZone: 'UTC' }, 0, 0)).toBeNull()
    expect(() => nextReportDue({ cron: '0 0 * *', timeZone: 'UTC' }, 0, 0)).toThrow(/needs 5 fields/)
    expect(() => nextReportDue({ cron: '0 25 * * *', timeZone: 'UTC' }, 0, 0)).toThrow(
      /hour field: "25" is outside 0–23/,
    )
    expect(() => nextReportDue({ cron: '0 0 * * *', timeZone: 'Mars/Olympus' }, 0, 0)).toThrow(SlokitError)
  })
})

describe('reportingSectionSchema', () => {
  it('accepts the example config: cron in a time zone, a file, the parts to include', () => {
    const section = reportingSectionSchema.parse({
      'weekly-slo-review': {
        schedule: { cron: '0 8 * * MON', timeZone: 'Europe/Berlin' },
        format: 'markdown',
        output: { file: 'reports/weekly-slo-review.md' },
        include: ['summary', 'budgets', 'burnRates', 'policyActions', 'trends'],
      },
    })
    expect(section['weekly-slo-review']).toEqual({
      schedule: { cron: '0 8 * * MON', timeZone: 'Europe/Berlin' },
      format: 'markdown',
      output: { file: 'reports/weekly-slo-review.md', notify: [] },
      days: 7,
      include: ['summary', 'budgets', 'burnRates', 'policyActions', 'trends'],
      title: null,
      timeZone: 'Europe/Berlin',
    })
  })

  it('normalises daily and weekly shorthands to cron', () => {
    const section = reportingSectionSchema.parse({
      nightly: { schedule: 'daily', output: { notify: ['slack-sre'] } },
      weekly: {
        schedule: { every: 'weekly', on: 'friday', at: '16:30', timeZone: 'America/New_York' },
        format: 'html',
        output: { file: 'r.html' },
        days: 30,
      },
    })
    expect(section.nightly).toMatchObject({
      schedule: { cron: '0 0 * * *', timeZone: 'UTC' },
      format: 'markdown',
      days: 1,
    })
    expect(section.nightly?.output).toEqual({ file: null, notify: ['slack-sre'] })
    expect(section.weekly).toMatchObject({
      schedule: { cron: '30 16 * * 5', timeZone: 'America/New_York' },
      days: 30,
    })
    const due = nextReportDue(section.weekly!.schedule, Date.parse('2026-11-27T21:30:00Z'), 0)
    expect(new Date(due as number).toISOString()).toBe('2026-12-04T21:30:00.000Z')
  })

  it('reports every problem with its path', () => {
    const result = reportingSectionSchema.safeParse({
      bad: {
        schedule: { cron: '0 8 * * FUNDAY' },
        format: 'pdf',
        output: {},
        include: ['everything'],
        days: 0,
      },
      'also bad': { schedule: { every: 'daily', on: 'monday', at: '8am' }, output: { file: 'x' } },
    })
    expect(result.success).toBe(false)
    const paths = result.error?.issues.map((i) => i.path.join('.')).sort()
    expect(paths).toEqual([
      'also bad',
      'bad.days',
      'bad.format',
      'bad.include.0',
      'bad.output',
      'bad.schedule',
    ])
  })
})

describe('schedule arithmetic sanity', () => {
  it('a daily schedule in UTC is due every 24 hours', () => {
    let last = Date.UTC(2026, 0, 1)
    for (let i = 0; i < 400; i++) {
      const next = nextReportDue({ cron: '0 0 * * *', timeZone: 'UTC' }, last, last) as number
      expect(next - last).toBe(DAY_MS)
      last = next
    }
    expect(last).toBe(Date.UTC(2026, 0, 1) + 400 * DAY_MS)
  })
})
