import { describe, expect, it } from 'vitest'
import { parseCsvHeader, readCsvRow, splitCsvLine } from './csv.js'
import { INVALID } from './row.js'

describe('splitCsvLine', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['a,,c,', ['a', '', 'c', '']],
    ['', ['']],
    [' a , b ', ['a', 'b']],
    ['"a,b",c', ['a,b', 'c']],
    ['"say ""hi""",x', ['say "hi"', 'x']],
    ['"",""', ['', '']],
    ['""""', ['"']],
    ['" padded ",x', [' padded ', 'x']],
    ['  "quoted"  ,x', ['quoted', 'x']],
    ['x,"last"', ['x', 'last']],
  ])('splits %j', (line, fields) => {
    expect(splitCsvLine(line)).toEqual(fields)
  })

  it('reports an unterminated quote', () => {
    expect(splitCsvLine('a,"b,c')).toBe('unterminated quoted field starting at column 3')
  })

  it('reports text after a closing quote, and stray quotes', () => {
    expect(splitCsvLine('"a"b,c')).toMatch(/^unexpected text after a closing quote at column 4/)
    expect(splitCsvLine('a"b,c')).toMatch(/^stray quote in unquoted field "a\\"b"/)
  })
})

describe('parseCsvHeader', () => {
  it('takes the columns in any order, with or without the columns that do not apply', () => {
    expect(parseCsvHeader('value,total,sli,good,timestamp')).toEqual({
      columns: ['value', 'total', 'sli', 'good', 'timestamp'],
    })
    expect(parseCsvHeader('timestamp,sli,value')).toEqual({ columns: ['timestamp', 'sli', 'value'] })
    expect(parseCsvHeader('"sli", timestamp ,good,total')).toEqual({
      columns: ['sli', 'timestamp', 'good', 'total'],
    })
  })

  it('lists every problem with a header, suggesting near misses', () => {
    expect(parseCsvHeader('Timestamp,god,total,sli,sli,region')).toEqual({
      problems: [
        'unknown column "Timestamp" (did you mean "timestamp"?)',
        'unknown column "god" (did you mean "good"?)',
        'column "sli" appears more than once',
        'unknown column "region" (known: timestamp, sli, good, total, value)',
        'missing column "timestamp"',
        'column "total" needs a "good" column',
      ],
    })
    expect(parseCsvHeader('timestamp,sli')).toEqual({
      problems: ['needs columns "good" and "total" (ratio SLIs) or "value" (threshold SLIs)'],
    })
  })
})

describe('readCsvRow', () => {
  const columns = ['timestamp', 'sli', 'good', 'total', 'value'] as const

  it('reads typed fields, empty cells as absent', () => {
    const problems: string[] = []
    expect(readCsvRow('1793491200000,"a,b",9.5,1e1,', columns, problems)).toEqual({
      timestamp: 1793491200000,
      sli: 'a,b',
      good: 9.5,
      total: 10,
      value: undefined,
    })
    expect(problems).toEqual([])
  })

  it('reports fields that are not numbers or timestamps', () => {
    const problems: string[] = []
    const fields = readCsvRow('noon,a,0x10,,NaN', columns, problems)
    expect(fields).toMatchObject({ timestamp: INVALID, good: INVALID, value: INVALID })
    expect(problems).toEqual([
      expect.stringMatching(/^bad timestamp "noon": use ISO 8601/),
      '`good` is not a number: "0x10"',
      '`value` is not a number: "NaN"',
    ])
  })

  it('reports a line with the wrong number of fields', () => {
    const problems: string[] = []
    expect(readCsvRow('1,a,1', columns, problems)).toBeUndefined()
    expect(problems).toEqual(['has 3 fields, the header has 5 columns'])
  })
})
