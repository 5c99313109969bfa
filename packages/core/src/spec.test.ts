import {
  errorBudgetRatio,
  parseSli,
  parseSlo,
  type SlokitError,
  SlokitSpecError,
  type SloSpecInput,
} from '@slokit/core'
import { describe, expect, it } from 'vitest'

const base: SloSpecInput = {
  id: 'checkout-availability',
  service: 'checkout',
  sli: {
    id: 'checkout-requests',
    kind: 'availability',
    measurement: { type: 'ratio', bad: 'errors', total: 'all' },
  },
  objective: 0.999,
  window: '30d',
}

function issuesOf(input: unknown): Array<{ path: string; message: string }> {
  try {
    parseSlo(input as SloSpecInput)
  } catch (error) {
    expect(error).toBeInstanceOf(SlokitSpecError)
    expect((error as SlokitError).code).toBe('INVALID_SPEC')
    return (error as SlokitSpecError).issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
  }
  throw new Error('expected parseSlo to throw')
}

describe('parseSlo', () => {
  it('normalises objective, window and defaults', () => {
    const slo = parseSlo(base)
    expect(slo.objective).toBe(0.999)
    expect(slo.window).toEqual({ type: 'rolling', durationMs: 2_592_000_000 })
    expect(slo.budgetingMethod).toBe('occurrences')
    expect(slo.sli.noData).toBe('ignore')
    expect(slo.labels).toEqual({})
    expect(slo.timeslice).toBeUndefined()
  })

  it.each([
    ['99.9%', 0.999],
    ['99.95%', 0.9995],
    ['95%', 0.95],
    ['5%', 0.05],
    ['99.999%', 0.99999],
    [0.9, 0.9],
  ])('reads objective %j as the ratio %d exactly', (objective, ratio) => {
    expect(parseSlo({ ...base, objective }).objective).toBe(ratio)
  })

  it.each([99.9, 1, 0, -0.5, '100%', '0%', 'high', '99.9'])('rejects objective %j', (objective) => {
    expect(issuesOf({ ...base, objective })).toEqual([
      { path: 'objective', message: expect.stringMatching(/invalid objective/) },
    ])
  })

  it.each([
    [Number.NaN, 'expected number or string, got NaN'],
    [null, 'expected number or string, got null'],
    [[0.9], 'expected number or string, got a list'],
  ])('rejects objective %j of the wrong type', (objective, message) => {
    expect(issuesOf({ ...base, objective })).toEqual([{ path: 'objective', message }])
  })

  it('suggests a percent string for a Sloth-style objective', () => {
    try {
      parseSlo({ ...base, objective: 99.9 })
    } catch (error) {
      expect((error as SlokitSpecError).issues[0]?.hint).toBe('did you mean "99.9%"?')
    }
  })

  it('reads rolling and calendar windows', () => {
    expect(parseSlo({ ...base, window: { rolling: '1h30m' } }).window).toEqual({
      type: 'rolling',
      durationMs: 5_400_000,
    })
    expect(parseSlo({ ...base, window: { calendar: 'month' } }).window).toEqual({
      type: 'calendar',
      unit: 'month',
      timeZone: 'UTC',
    })
    expect(
      parseSlo({ ...base, window: { calendar: 'quarter', timeZone: 'Europe/Berlin' } }).window,
    ).toMatchObject({
      timeZone: 'Europe/Berlin',
    })
  })

  it('reports every problem at once, each with its path', () => {
    const issues = issuesOf({
      ...base,
      id: 'bad id',
      objective: 99.9,
      window: '30x',
      sli: { id: 'x', kind: 'availabilty', measurement: { type: 'ratio', good: 'q' } },
      objectve: 0.99,
    })
    expect(issues.map((i) => i.path).sort()).toEqual(
      ['id', 'objective', 'objectve', 'sli.kind', 'sli.measurement.total', 'window'].sort(),
    )
    expect(issues.find((i) => i.path === 'sli.kind')?.message).toBe(
      'must be one of "availability", "latency", "error_rate", "throughput", "quality", "freshness", "correctness", "coverage", "durability", got "availabilty"',
    )
    expect(issues.find((i) => i.path === 'objectve')?.message).toBe('unknown key')
    expect(issues.find((i) => i.path === 'window')?.message).toMatch(/invalid duration "30x"/)
  })

  it('explains union problems by the alternative that came closest', () => {
    expect(issuesOf({ ...base, window: { calendar: 'mnth' } })).toEqual([
      { path: 'window.calendar', message: 'must be one of "week", "month", "quarter", "year", got "mnth"' },
    ])
    expect(issuesOf({ ...base, window: { rolling: '3' } })).toEqual([
      { path: 'window.rolling', message: expect.stringMatching(/invalid duration "3"/) },
    ])
    expect(issuesOf({ ...base, window: { calendar: 'month', timeZone: 'Mars/Base' } })).toEqual([
      { path: 'window.timeZone', message: expect.stringMatching(/unknown time zone/) },
    ])
    expect(issuesOf({ ...base, sli: { ...base.sli, measurement: { type: 'rati' } } })).toEqual([
      { path: 'sli.measurement.type', message: 'must be one of "ratio", "threshold", got "rati"' },
    ])
  })

  it('never shows long strings back (they may be secrets)', () => {
    const secret = `xoxb-${'a'.repeat(60)}`
    const issues = issuesOf({ ...base, budgetingMethod: secret })
    expect(JSON.stringify(issues)).not.toContain(secret)
  })

  it('requires a timeslice for sliced methods and a slice objective for ratio SLIs', () => {
    expect(issuesOf({ ...base, budgetingMethod: 'timeslices' })).toEqual([
      { path: 'timeslice', message: expect.stringMatching(/needs `timeslice/) },
    ])
    expect(issuesOf({ ...base, budgetingMethod: 'timeslices', timeslice: { length: '1m' } })).toEqual([
      { path: 'timeslice.objective', message: expect.stringMatching(/need `timeslice.objective`/) },
    ])
    expect(issuesOf({ ...base, timeslice: { length: '1m' } })).toEqual([
      { path: 'timeslice', message: expect.stringMatching(/only applies/) },
    ])
    const sliced = parseSlo({
      ...base,
      budgetingMethod: 'timeslices',
      timeslice: { length: '5m', objective: '95%' },
    })
    expect(sliced.timeslice).toEqual({ lengthMs: 300_000, objective: 0.95 })
  })

  it('rejects a threshold SLI with a slice objective', () => {
    const latency = {
      ...base,
      sli: {
        id: 'lat',
        kind: 'latency' as const,
        measurement: { type: 'threshold' as const, comparison: '<=' as const, threshold: 300 },
      },
      budgetingMethod: 'timeslices' as const,
      timeslice: { length: '1m', objective: 0.9 },
    }
    expect(issuesOf(latency)).toEqual([
      { path: 'timeslice.objective', message: expect.stringMatching(/measurement.threshold/) },
    ])
  })

  it('checks ratio measurement queries come as good-or-bad plus total', () => {
    expect(
      issuesOf({
        ...base,
        sli: { ...base.sli, measurement: { type: 'ratio', good: 'a', bad: 'b', total: 'c' } },
      }),
    ).toEqual([{ path: 'sli.measurement.bad', message: 'give either `good` or `bad`, not both' }])
    expect(issuesOf({ ...base, sli: { ...base.sli, measurement: { type: 'ratio', total: 'c' } } })).toEqual([
      { path: 'sli.measurement.good', message: 'give `good` or `bad` alongside `total`' },
    ])
  })

  it('keeps label values as strings, reading YAML numbers and booleans', () => {
    expect(
      parseSlo({ ...base, labels: { tier: 1, public: true, team: 'sre' } } as unknown as SloSpecInput).labels,
    ).toEqual({
      tier: '1',
      public: 'true',
      team: 'sre',
    })
  })

  it('checks label names and URLs', () => {
    const issues = issuesOf({ ...base, labels: { 'team-name': 'x' }, runbookUrl: 'not a url' })
    expect(issues.map((i) => i.path).sort()).toEqual(['labels.team-name', 'runbookUrl'])
  })
})

describe('parseSli', () => {
  it('applies defaults to a threshold SLI', () => {
    const sli = parseSli({
      id: 'lat',
      kind: 'latency',
      measurement: { type: 'threshold', comparison: '<=', threshold: 250 },
    })
    expect(sli.measurement).toEqual({
      type: 'threshold',
      aggregation: 'avg',
      comparison: '<=',
      threshold: 250,
    })
    expect(sli.noData).toBe('ignore')
  })

  it('rejects infinite thresholds', () => {
    expect(() =>
      parseSli({
        id: 'lat',
        kind: 'latency',
        measurement: { type: 'threshold', comparison: '<=', threshold: Infinity },
      }),
    ).toThrow('measurement.threshold: must be a finite number, got Infinity')
  })
})

describe('errorBudgetRatio', () => {
  it('is 1 − objective without floating-point dust', () => {
    expect(errorBudgetRatio(0.999)).toBe(0.001)
    expect(errorBudgetRatio(0.9995)).toBe(0.0005)
    expect(errorBudgetRatio(0.99)).toBe(0.01)
    expect(1 - 0.999).not.toBe(0.001) // why the rounding exists
  })
})
