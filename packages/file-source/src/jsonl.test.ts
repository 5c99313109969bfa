import { describe, expect, it } from 'vitest'
import { readJsonLine } from './jsonl.js'
import { INVALID } from './row.js'

const T0 = Date.UTC(2026, 10, 1)

describe('readJsonLine', () => {
  it('reads an object, null as absent', () => {
    const problems: string[] = []
    expect(
      readJsonLine(
        '{"timestamp":"2026-11-01T00:00:00Z","sli":"a","good":9,"total":10,"value":null}',
        problems,
      ),
    ).toEqual({ timestamp: T0, sli: 'a', good: 9, total: 10, value: undefined })
    expect(readJsonLine(`{"timestamp":${T0},"sli":"b","value":1.5}`, problems)).toEqual({
      timestamp: T0,
      sli: 'b',
      good: undefined,
      total: undefined,
      value: 1.5,
    })
    expect(problems).toEqual([])
  })

  it.each([
    ['{"timestamp":', /^not valid JSON: /],
    ['[1,2]', /^expected a JSON object, got an array$/],
    ['42', /^expected a JSON object, got 42$/],
    ['null', /^expected a JSON object, got null$/],
  ])('refuses %j', (line, problem) => {
    const problems: string[] = []
    expect(readJsonLine(line, problems)).toBeUndefined()
    expect(problems).toEqual([expect.stringMatching(problem)])
  })

  it('reports fields of the wrong type and unknown fields', () => {
    const problems: string[] = []
    const fields = readJsonLine(
      `{"timestamp":"${T0}","sli":7,"good":"9","total":1e400,"god":1,"region":"eu"}`,
      problems,
    )
    expect(fields).toMatchObject({ timestamp: INVALID, sli: INVALID, good: INVALID, total: INVALID })
    expect(problems).toEqual([
      expect.stringMatching(/^bad timestamp "1793491200000": use ISO 8601 .* as a number$/),
      '`sli` must be a string, got 7',
      '`good` must be a number, got the string "9"',
      '`total` must be a number, got Infinity',
      'unknown field "god" (did you mean "good"?)',
      'unknown field "region" (known: timestamp, sli, good, total, value)',
    ])
  })

  it('refuses epoch milliseconds that are negative or fractional', () => {
    const problems: string[] = []
    readJsonLine('{"timestamp":-1,"sli":"a","value":1}', problems)
    readJsonLine('{"timestamp":1.5,"sli":"a","value":1}', problems)
    expect(problems).toEqual([
      expect.stringMatching(/^bad timestamp -1: /),
      expect.stringMatching(/^bad timestamp 1\.5: /),
    ])
  })
})
