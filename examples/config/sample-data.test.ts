import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { END_MS, generateSampleData, SAMPLE_DATA_URL, SLI_ORDER, START_MS } from './generate-sample-data.js'

const committed = readFileSync(SAMPLE_DATA_URL, 'utf8')

it('sample-data.csv is exactly what generate-sample-data.ts writes', () => {
  const generated = generateSampleData()
  if (generated === committed) return
  // Point at the first difference rather than diffing 8,641 lines.
  const a = generated.split('\n')
  const b = committed.split('\n')
  const line = a.findIndex((text, i) => text !== b[i])
  expect.fail(
    `sample-data.csv is out of date (first difference on line ${line + 1}: ` +
      `generated ${JSON.stringify(a[line])}, committed ${JSON.stringify(b[line])}); ` +
      'run npx tsx examples/config/generate-sample-data.ts',
  )
})

it('holds one row per SLI per hour for the 30 days', () => {
  const rows = committed.trimEnd().split('\n')
  expect(rows[0]).toBe('timestamp,sli,good,total,value')
  expect(rows).toHaveLength(1 + ((END_MS - START_MS) / 3_600_000) * SLI_ORDER.length)
  expect(rows[1]?.startsWith('2026-10-28T00:00:00Z,')).toBe(true)
  expect(rows.at(-1)?.startsWith('2026-11-26T23:00:00Z,')).toBe(true)
})
