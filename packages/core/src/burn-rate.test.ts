import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  type BurnRateWindowSpec,
  burnRate,
  burnRateWindowDurations,
  burnRateWindows,
  DAY_MS,
  defaultBurnRateTable,
  describeBurnRateWindow,
  parseDuration,
  SEVEN_DAY_BURN_RATE_TABLE,
  SRE_WORKBOOK_BURN_RATE_TABLE,
  timeToExhaustionMs,
} from '@slokit/core'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const SEVEN_DAY_TABLE: BurnRateWindowSpec[] = [
  {
    severity: 'page',
    longWindowMs: parseDuration('1h'),
    shortWindowMs: parseDuration('5m'),
    budgetPercent: 8,
  },
  {
    severity: 'page',
    longWindowMs: parseDuration('6h'),
    shortWindowMs: parseDuration('30m'),
    budgetPercent: 12.5,
  },
  {
    severity: 'ticket',
    longWindowMs: parseDuration('1d'),
    shortWindowMs: parseDuration('2h'),
    budgetPercent: 20,
  },
  {
    severity: 'ticket',
    longWindowMs: parseDuration('3d'),
    shortWindowMs: parseDuration('6h'),
    budgetPercent: 42,
  },
]

describe('burnRateWindows', () => {
  it('gives the SRE Workbook factors for 30 days: 14.4, 6, 3, 1', () => {
    const rows = burnRateWindows(30 * DAY_MS)
    expect(rows.map((r) => r.factor)).toEqual([14.4, 6, 3, 1])
    expect(rows.map(describeBurnRateWindow)).toEqual([
      'page 1h/5m ×14.4',
      'page 6h/30m ×6',
      'ticket 1d/2h ×3',
      'ticket 3d/6h ×1',
    ])
  })

  it("gives Sloth's 28-day factors: 13.44, 5.6, 2.8, 0.9333…", () => {
    expect(burnRateWindows(parseDuration('4w')).map((r) => r.factor)).toEqual([13.44, 5.6, 2.8, 14 / 15])
  })

  it("gives Sloth's 7-day factors with its 7-day table: 13.44, 3.5, 1.4, 0.98", () => {
    expect(burnRateWindows(7 * DAY_MS, SEVEN_DAY_TABLE).map((r) => r.factor)).toEqual([13.44, 3.5, 1.4, 0.98])
    expect(SEVEN_DAY_BURN_RATE_TABLE).toEqual(SEVEN_DAY_TABLE)
  })

  it('defaults below 28 days to the 7-day burn rates whatever the period, so no default row alerts far below 1', () => {
    expect(burnRateWindows(7 * DAY_MS).map((r) => r.factor)).toEqual([13.44, 3.5, 1.4, 0.98])
    expect(defaultBurnRateTable(28 * DAY_MS)).toBe(SRE_WORKBOOK_BURN_RATE_TABLE)
    expect(defaultBurnRateTable(7 * DAY_MS)).toBe(SEVEN_DAY_BURN_RATE_TABLE)
    for (const days of [4, 10, 14, 21, 27]) {
      const factors = burnRateWindows(days * DAY_MS).map((r) => r.factor)
      expect(factors).toHaveLength(4)
      for (const [i, f] of factors.entries()) expect(f).toBeCloseTo([13.44, 3.5, 1.4, 0.98][i]!, 12)
    }
    // One day: the 3-day row cannot fit, and the 1-day row, which would need 140 % of the
    // budget, is capped at all of it (burn rate 1: the day's budget is gone).
    expect(burnRateWindows(DAY_MS).map((r) => [describeBurnRateWindow(r), r.budgetPercent])).toEqual([
      [expect.stringMatching(/^page 1h\/5m ×13\.44/), 56],
      [expect.stringMatching(/^page 6h\/30m ×3\.5/), 87.5],
      [expect.stringMatching(/^ticket 1d\/2h ×1$/), 100],
    ])
    for (const days of [1, 2, 7, 10, 14, 21, 28, 30, 60, 90]) {
      for (const row of burnRateWindows(days * DAY_MS)) expect(row.factor).toBeGreaterThanOrEqual(0.9)
    }
  })

  it('leaves out rows whose long window is longer than the period', () => {
    expect(burnRateWindows(DAY_MS, SRE_WORKBOOK_BURN_RATE_TABLE).map((r) => r.longWindowMs)).toEqual([
      parseDuration('1h'),
      parseDuration('6h'),
      DAY_MS,
    ])
  })

  it('rejects malformed rows', () => {
    const bad = { ...SRE_WORKBOOK_BURN_RATE_TABLE[0]!, shortWindowMs: parseDuration('2h') }
    expect(() => burnRateWindows(30 * DAY_MS, [bad])).toThrow(/shortWindowMs < longWindowMs/)
    expect(() => burnRateWindows(30 * DAY_MS, [{ ...bad, shortWindowMs: 1, budgetPercent: 0 }])).toThrow(
      /budgetPercent/,
    )
    expect(() => burnRateWindows(0)).toThrow(/periodMs/)
  })

  it('lists the distinct windows the table reads', () => {
    expect(burnRateWindowDurations(burnRateWindows(30 * DAY_MS)).map((ms) => ms / 60_000)).toEqual([
      5, 30, 60, 120, 360, 1440, 4320,
    ])
  })
})

// The same factors, read from Sloth's own window files when the shared corpus is present.
const corpus = fileURLToPath(new URL('../../../../shared/corpus/sloth/', import.meta.url))
describe.skipIf(!existsSync(corpus))('burnRateWindows against Sloth window specs in ../shared/corpus', () => {
  interface SlothWindow {
    errorBudgetPercent: number
    shortWindow: string
    longWindow: string
  }
  function table(file: string): { periodMs: number; rows: BurnRateWindowSpec[] } {
    const doc = parse(readFileSync(`${corpus}${file}`, 'utf8')) as {
      spec: {
        sloPeriod: string
        page: Record<'quick' | 'slow', SlothWindow>
        ticket: Record<'quick' | 'slow', SlothWindow>
      }
    }
    const row = (severity: 'page' | 'ticket', w: SlothWindow): BurnRateWindowSpec => ({
      severity,
      budgetPercent: w.errorBudgetPercent,
      shortWindowMs: parseDuration(w.shortWindow),
      longWindowMs: parseDuration(w.longWindow),
    })
    const { spec } = doc
    return {
      periodMs: parseDuration(spec.sloPeriod),
      rows: [
        row('page', spec.page.quick),
        row('page', spec.page.slow),
        row('ticket', spec.ticket.quick),
        row('ticket', spec.ticket.slow),
      ],
    }
  }

  it.each([
    ['internal/alert/windows/google-30d.yaml', [14.4, 6, 3, 1]],
    ['internal/alert/windows/google-28d.yaml', [13.44, 5.6, 2.8, 14 / 15]],
    ['examples/windows/7d.yaml', [13.44, 3.5, 1.4, 0.98]],
  ])('%s', (file, factors) => {
    const { periodMs, rows } = table(file)
    expect(burnRateWindows(periodMs, rows).map((r) => r.factor)).toEqual(factors)
  })
})

describe('burnRate', () => {
  it('is the error ratio over the allowed error ratio', () => {
    expect(burnRate(1, 1000, 0.001)).toBe(1)
    expect(burnRate(144, 10_000, 0.001)).toBeCloseTo(14.4, 12)
    expect(burnRate(0, 10, 0.001)).toBe(0)
  })

  it('is null without events, never 0', () => {
    expect(burnRate(0, 0, 0.001)).toBeNull()
  })
})

describe('timeToExhaustionMs', () => {
  it('spends a full 30-day budget in 50 hours at 14.4×', () => {
    expect(timeToExhaustionMs(1, 14.4, 30 * DAY_MS)).toBe(50 * 3_600_000)
  })

  it('is 0 when spent and null when nothing burns', () => {
    expect(timeToExhaustionMs(-0.1, 2, DAY_MS)).toBe(0)
    expect(timeToExhaustionMs(0.5, 0, DAY_MS)).toBeNull()
    expect(timeToExhaustionMs(0.5, null, DAY_MS)).toBeNull()
  })
})
