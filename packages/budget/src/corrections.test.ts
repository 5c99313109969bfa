import { exclusionsFor, policiesSectionSchema } from '@slokit/budget'
import { DAY_MS, evaluateSlo, HOUR_MS, MINUTE_MS, SlokitError } from '@slokit/core'
import { describe, expect, it } from 'vitest'
import { testSlo } from './test-support.js'

const { corrections } = policiesSectionSchema.parse({
  corrections: [
    {
      name: 'drill',
      reason: 'failover drill',
      slos: ['checkout-availability'],
      start: '2026-11-10T10:00:00Z',
      end: '2026-11-10T11:00:00Z',
    },
    {
      name: 'sunday',
      reason: 'weekly DB maintenance',
      selector: { service: ['checkout'] },
      start: '2026-11-01T02:00:00Z',
      duration: '1h',
      rrule: 'FREQ=WEEKLY;BYDAY=SU',
    },
    { name: 'other', reason: 'not ours', slos: ['search'], start: '2026-11-10T00:00:00Z', duration: '1d' },
  ],
})
const slo = testSlo()

describe('exclusionsFor', () => {
  it('expands one-off and weekly corrections that apply to the SLO within the range', () => {
    const range = { startMs: Date.UTC(2026, 10, 1), endMs: Date.UTC(2026, 10, 16) }
    expect(
      exclusionsFor(slo, corrections, range).map((e) => [
        new Date(e.startMs).toISOString(),
        (e.endMs - e.startMs) / HOUR_MS,
        e.reason,
      ]),
    ).toEqual([
      ['2026-11-01T02:00:00.000Z', 1, 'sunday: weekly DB maintenance'],
      ['2026-11-08T02:00:00.000Z', 1, 'sunday: weekly DB maintenance'],
      ['2026-11-10T10:00:00.000Z', 1, 'drill: failover drill'],
      ['2026-11-15T02:00:00.000Z', 1, 'sunday: weekly DB maintenance'],
    ])
  })

  it('keeps an occurrence that began before the range but overlaps it', () => {
    const range = { startMs: Date.UTC(2026, 10, 8, 2, 30), endMs: Date.UTC(2026, 10, 8, 5) }
    expect(exclusionsFor(slo, corrections, range)).toHaveLength(1)
  })

  it('feeds evaluateSlo, which leaves the excluded events out and reports them', () => {
    const now = Date.UTC(2026, 10, 11)
    const points = [
      { t: Date.UTC(2026, 10, 10, 9), good: 1000, total: 1000 },
      { t: Date.UTC(2026, 10, 10, 10), good: 0, total: 1000 }, // the drill broke everything
      { t: Date.UTC(2026, 10, 10, 11), good: 1000, total: 1000 },
    ]
    const exclusions = exclusionsFor(slo, corrections, { startMs: now - 30 * DAY_MS, endMs: now })
    const status = evaluateSlo(
      slo,
      { kind: 'events', resolutionMs: HOUR_MS, points },
      { now, exclusions, minCoverage: 0 },
    )
    expect(status.sli).toBe(1)
    expect(status.excluded?.total).toBe(1000)
    expect(status.excluded?.ranges.map((r) => r.reason)).toContain('drill: failover drill')
    void MINUTE_MS
  })

  it('rejects a malformed rule with a typed error', () => {
    const bad = policiesSectionSchema.parse({
      corrections: [
        {
          name: 'x',
          reason: 'y',
          slos: ['checkout-availability'],
          start: '2026-11-01T00:00:00Z',
          duration: '1h',
          rrule: 'FREQ=SOMETIMES',
        },
      ],
    })
    expect(() => exclusionsFor(slo, bad.corrections, { startMs: 0, endMs: Date.UTC(2027, 0, 1) })).toThrow(
      SlokitError,
    )
  })

  it('validates corrections: a target, and either end or duration', () => {
    const result = policiesSectionSchema.safeParse({
      corrections: [{ name: 'x', reason: 'y', start: '2026-11-01T00:00:00Z' }],
    })
    expect(result.error?.issues.map((i) => i.message)).toEqual([
      'say which SLOs it applies to: `slos` or `selector`',
      'give either `end` or `duration`',
    ])
  })
})
