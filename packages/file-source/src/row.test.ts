import { describe, expect, it } from 'vitest'
import { checkRow, emptyRowFields, INVALID, type RowFields, suggestField } from './row.js'

const fields = (overrides: Partial<RowFields>): RowFields => ({ ...emptyRowFields(), ...overrides })

describe('checkRow', () => {
  it('makes events of counts and values of a value', () => {
    const problems: string[] = []
    expect(checkRow(fields({ timestamp: 5, sli: 'a', good: 9, total: 10 }), problems)).toEqual({
      kind: 'events',
      sli: 'a',
      t: 5,
      good: 9,
      total: 10,
    })
    expect(checkRow(fields({ timestamp: 5, sli: 'b', value: -3.5 }), problems)).toEqual({
      kind: 'values',
      sli: 'b',
      t: 5,
      value: -3.5,
    })
    expect(checkRow(fields({ timestamp: 5, sli: 'a', good: 0, total: 0 }), problems)).toMatchObject({
      good: 0,
      total: 0,
    })
    expect(problems).toEqual([])
  })

  it.each<[Partial<RowFields>, string[]]>([
    [{ sli: 'a', good: 1, total: 1 }, ['missing `timestamp`']],
    [{ timestamp: 1, good: 1, total: 1 }, ['missing `sli`']],
    [
      { timestamp: 1, sli: 'a' },
      ['no data: set `good` and `total` (ratio SLIs) or `value` (threshold SLIs)'],
    ],
    [{ timestamp: 1, sli: 'a', good: 1 }, ['`good` is set but `total` is missing']],
    [{ timestamp: 1, sli: 'a', total: 1 }, ['`total` is set but `good` is missing']],
    [{ timestamp: 1, sli: 'a', good: 11, total: 10 }, ['`good` (11) is greater than `total` (10)']],
    [
      { timestamp: 1, sli: 'a', good: -1, total: -1 },
      ['`good` is negative (-1)', '`total` is negative (-1)'],
    ],
    [
      { timestamp: 1, sli: 'a', good: 1, total: 1, value: 3 },
      ['both `value` and `good`/`total` are set; a row holds either counts or a value'],
    ],
    [
      { sli: 'a', good: 1, total: 1, value: 3 },
      [
        'missing `timestamp`',
        'both `value` and `good`/`total` are set; a row holds either counts or a value',
      ],
    ],
  ])('reports %j', (given, expected) => {
    const problems: string[] = []
    expect(checkRow(fields(given), problems)).toBeUndefined()
    expect(problems).toEqual(expected)
  })

  it('refuses a row whose fields the reader already found invalid, without reporting them again', () => {
    const problems = ['bad timestamp "noon"']
    expect(checkRow(fields({ timestamp: INVALID, sli: 'a', good: 1, total: 1 }), problems)).toBeUndefined()
    expect(problems).toEqual(['bad timestamp "noon"'])
  })
})

describe('suggestField', () => {
  it.each([
    ['god', 'good'],
    ['TOTAL', 'total'],
    ['time_stamp', 'timestamp'],
    ['values', 'value'],
    ['slo', 'sli'],
    ['time', 'timestamp'],
    ['timestamp_ms', 'timestamp'],
  ])('suggests %s → %s', (name, expected) => {
    expect(suggestField(name)).toBe(expected)
  })

  it('suggests nothing far off', () => {
    expect(suggestField('region')).toBeUndefined()
    expect(suggestField('ts')).toBeUndefined()
    expect(suggestField('t')).toBeUndefined()
  })
})
