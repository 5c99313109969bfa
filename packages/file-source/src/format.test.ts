import { formatOfPath } from '@slokit/file-source'
import { expect, it } from 'vitest'

it.each([
  ['a.csv', 'csv', false],
  ['dir.jsonl/a.CSV', 'csv', false],
  ['a.csv.gz', 'csv', true],
  ['a.jsonl', 'jsonl', false],
  ['a.ndjson', 'jsonl', false],
  ['a.ndjson.gz', 'jsonl', true],
  ['a.tsv', undefined, false],
  ['a.gz', undefined, true],
  ['a.csv.bak', undefined, false],
])('formatOfPath(%j) is %s, gzip %s', (path, format, gzip) => {
  expect(formatOfPath(path)).toEqual({ format, gzip })
})
