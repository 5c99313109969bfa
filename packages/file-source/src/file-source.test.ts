import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { type EventSeries, parseSli, type SliSpec, SlokitError, type ValueSeries } from '@slokit/core'
import { FileSource, FileSourceDataError, type OpenFile } from '@slokit/file-source'
import { describeSliSourceContract } from '@slokit/testing/vitest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const T0 = Date.UTC(2026, 10, 1) // 2026-11-01T00:00:00Z = 1793491200000
const MIN = 60_000
const HOUR = 60 * MIN
const firstHour = { startMs: T0, endMs: T0 + HOUR }
const everything = { startMs: 0, endMs: T0 + 365 * 24 * HOUR }

const ratio = (id: string): SliSpec => parseSli({ id, kind: 'availability', measurement: { type: 'ratio' } })
const threshold = (id: string): SliSpec =>
  parseSli({ id, kind: 'latency', measurement: { type: 'threshold', comparison: '<=', threshold: 300 } })

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slokit-file-source-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

let fileCount = 0
/** Writes `content` to a fresh file named `name` in the temp dir and returns its path. */
async function file(name: string, content: string | Uint8Array): Promise<string> {
  const sub = join(dir, String(fileCount++))
  await mkdir(sub)
  const path = join(sub, name)
  await writeFile(path, content)
  return path
}

async function rejectionOf(promise: Promise<unknown>): Promise<SlokitError> {
  const error = await promise.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(SlokitError)
  return error as SlokitError
}

// checkout-requests in [T0, T0 + 1h): 990 + 1000 + (495 + 500) + 0 + 980 = 3965 good of
// 1000 + 1000 + (500 + 500) + 0 + 1000 = 4000; rows at T0 + 1h and T0 + 3h lie outside.
// checkout-latency in [T0, T0 + 1h): 120, 250, 300, 90 = 4 values.
// The CSV mixes column order, timestamp forms, quoting, CRLF line ends and a byte order mark.
const CSV_FIXTURE = [
  '\uFEFFsli,timestamp,good,total,value',
  'checkout-requests,2026-11-01T00:00:00Z,990,1000,',
  '"checkout-requests",2026-11-01T01:01:00+01:00,1000,1000,',
  `checkout-requests,${T0 + 2 * MIN},495,500,`,
  `checkout-requests,${T0 + 2 * MIN},500,500,`,
  'checkout-requests,2026-10-31T19:03:00-05:00,0,0,',
  '"checkout-requests","2026-11-01T00:04:00.000Z","980","1000",""',
  '',
  'checkout-requests,2026-11-01T01:00:00Z,50,50,',
  'checkout-requests,2026-11-01T03:00:00Z,100,100,',
  'checkout-latency,2026-11-01T00:00:00Z,,,120',
  'checkout-latency,2026-11-01T00:01:00Z,,,250',
  'checkout-latency,2026-11-01T00:01:00Z,,,300',
  'checkout-latency,2026-11-01T00:02:00Z,,,90',
].join('\r\n')

// api-requests every 5 minutes in [T0, T0 + 1h): 99 + 100 + 97 = 296 good of 300; api-latency
// 3 values. Blank lines are ignored; null is an absent field.
const JSONL_FIXTURE = [
  `{"timestamp":"2026-11-01T00:00:00Z","sli":"api-requests","good":99,"total":100}`,
  '',
  `{"timestamp":${T0 + 5 * MIN},"sli":"api-requests","good":100,"total":100,"value":null}`,
  `{"sli":"api-requests","timestamp":"2026-11-01T00:10:00Z","total":100,"good":97}`,
  '   ',
  `{"timestamp":"2026-11-01T02:00:00Z","sli":"api-requests","good":10,"total":10}`,
  `{"timestamp":"2026-11-01T00:00:00Z","sli":"api-latency","value":180.5}`,
  `{"timestamp":"2026-11-01T00:05:00Z","sli":"api-latency","value":210}`,
  `{"timestamp":"2026-11-01T00:10:00Z","sli":"api-latency","value":95.25,"good":null,"total":null}`,
  '',
].join('\n')

describeSliSourceContract('FileSource over CSV', async () => ({
  source: new FileSource({ path: await file('checkout.csv', CSV_FIXTURE) }),
  ratio: { sli: ratio('checkout-requests'), range: firstHour, expected: { good: 3965, total: 4000 } },
  threshold: { sli: threshold('checkout-latency'), range: firstHour, expectedCount: 4 },
  empty: { sli: ratio('checkout-requests'), range: { startMs: T0 + 2 * HOUR, endMs: T0 + 3 * HOUR } },
  unknownSli: ratio('payments-requests'),
}))

describeSliSourceContract('FileSource over JSON Lines', async () => ({
  source: new FileSource({ path: await file('api.jsonl', JSONL_FIXTURE), name: 'api-export' }),
  ratio: { sli: ratio('api-requests'), range: firstHour, expected: { good: 296, total: 300 } },
  threshold: { sli: threshold('api-latency'), range: firstHour, expectedCount: 3 },
  empty: { sli: threshold('api-latency'), range: { startMs: T0 + HOUR, endMs: T0 + 2 * HOUR } },
  unknownSli: ratio('checkout-requests'),
}))

describe('FileSource queries', () => {
  it('sums the counts of rows at the same time and keeps every value', async () => {
    const source = new FileSource({ path: await file('checkout.csv', CSV_FIXTURE) })
    const events = (await source.query(ratio('checkout-requests'), firstHour)) as EventSeries
    expect(events).toEqual({
      kind: 'events',
      resolutionMs: MIN,
      points: [
        { t: T0, good: 990, total: 1000 },
        { t: T0 + MIN, good: 1000, total: 1000 },
        { t: T0 + 2 * MIN, good: 995, total: 1000 },
        { t: T0 + 3 * MIN, good: 0, total: 0 },
        { t: T0 + 4 * MIN, good: 980, total: 1000 },
      ],
    })
    const values = (await source.query(threshold('checkout-latency'), firstHour)) as ValueSeries
    expect(values).toEqual({
      kind: 'values',
      resolutionMs: MIN,
      points: [
        { t: T0, value: 120 },
        { t: T0 + MIN, value: 250 },
        { t: T0 + MIN, value: 300 },
        { t: T0 + 2 * MIN, value: 90 },
      ],
    })
  })

  it('answers [startMs, endMs): the start included, the end excluded', async () => {
    const source = new FileSource({ path: await file('checkout.csv', CSV_FIXTURE) })
    const sli = ratio('checkout-requests')
    const at = async (startMs: number, endMs: number) =>
      ((await source.query(sli, { startMs, endMs })) as EventSeries).points.map((p) => p.t)
    expect(await at(T0 + HOUR, T0 + 3 * HOUR)).toEqual([T0 + HOUR])
    expect(await at(T0 + HOUR + 1, T0 + 3 * HOUR + 1)).toEqual([T0 + 3 * HOUR])
    expect(await at(T0 + MIN, T0 + MIN)).toEqual([])
    expect(await at(0, T0)).toEqual([])
    expect(await at(T0 + 4 * HOUR, T0 + 5 * HOUR)).toEqual([])
  })

  it('returns fresh arrays and points: changing an answer changes no later answer', async () => {
    const source = new FileSource({ path: await file('checkout.csv', CSV_FIXTURE) })
    const sli = ratio('checkout-requests')
    const first = (await source.query(sli, firstHour)) as unknown as { points: Array<{ good: number }> }
    first.points[0]!.good = -1
    first.points.length = 0
    const second = (await source.query(sli, firstHour)) as EventSeries
    expect(second.points).toHaveLength(5)
    expect(second.points[0]).toEqual({ t: T0, good: 990, total: 1000 })
  })

  it('rejects an SLI without rows with UNKNOWN_SLO, naming at most 10 of the file SLIs', async () => {
    const lines = ['timestamp,sli,value']
    for (let i = 12; i >= 1; i--) lines.push(`${T0},sli-${String(i).padStart(2, '0')},1`)
    const path = await file('many.csv', lines.join('\n'))
    const error = await rejectionOf(new FileSource({ path }).query(ratio('nope'), firstHour))
    expect(error.code).toBe('UNKNOWN_SLO')
    expect(error.message).toBe(
      `[slokit/file-source] ${path} has no rows for SLI "nope"; its SLIs: "sli-01", "sli-02", "sli-03", ` +
        '"sli-04", "sli-05", "sli-06", "sli-07", "sli-08", "sli-09", "sli-10", … and 2 more.',
    )
  })

  it('rejects any SLI of a file without rows with UNKNOWN_SLO', async () => {
    const path = await file('empty.jsonl', '\n\n')
    const source = new FileSource({ path })
    expect(await source.load()).toMatchObject({ rows: 0, slis: [] })
    const error = await rejectionOf(source.query(ratio('a'), firstHour))
    expect(error.code).toBe('UNKNOWN_SLO')
    expect(error.message).toContain('the file has no rows at all')
  })

  it('rejects an SLI whose rows are of the other kind with INVALID_ARGUMENT', async () => {
    const path = await file('checkout.csv', CSV_FIXTURE)
    const source = new FileSource({ path })
    const asRatio = await rejectionOf(source.query(ratio('checkout-latency'), firstHour))
    expect(asRatio.code).toBe('INVALID_ARGUMENT')
    expect(asRatio.message).toBe(
      `[slokit/file-source] SLI "checkout-latency" is a ratio SLI, which needs rows with counts (\`good\`, \`total\`), but ${path} holds values (\`value\`) for it.`,
    )
    const asThreshold = await rejectionOf(source.query(threshold('checkout-requests'), firstHour))
    expect(asThreshold.code).toBe('INVALID_ARGUMENT')
    expect(asThreshold.message).toContain('is a threshold SLI, which needs rows with values')
    expect(asThreshold.hint).toContain('make the SLI a ratio SLI')
  })

  it('rejects a range that ends before it starts with INVALID_ARGUMENT, before reading anything', async () => {
    let opened = 0
    const source = new FileSource({
      path: 'never.csv',
      openFile: async () => {
        opened++
        throw new Error('not expected')
      },
    })
    const error = await rejectionOf(source.query(ratio('a'), { startMs: T0 + 1, endMs: T0 }))
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(opened).toBe(0)
  })
})

describe('FileSource formats', () => {
  const gzipCases = [
    ['checkout.csv.gz', CSV_FIXTURE, 'checkout-requests', 3965, 4000],
    ['api.ndjson.gz', JSONL_FIXTURE, 'api-requests', 296, 300],
    ['api.JSONL.GZ', JSONL_FIXTURE, 'api-requests', 296, 300],
  ] as const
  it.each(gzipCases)('gunzips %s while streaming', async (name, content, sliId, good, total) => {
    const source = new FileSource({ path: await file(name, gzipSync(content)) })
    const series = (await source.query(ratio(sliId), firstHour)) as EventSeries
    expect(series.points.reduce((sum, p) => sum + p.good, 0)).toBe(good)
    expect(series.points.reduce((sum, p) => sum + p.total, 0)).toBe(total)
    expect((await source.load()).gzip).toBe(true)
  })

  it('takes the format option over the extension', async () => {
    const source = new FileSource({ path: await file('export.txt', JSONL_FIXTURE), format: 'jsonl' })
    expect(source.format).toBe('jsonl')
    expect((await source.load()).rows).toBe(7)
  })

  it('reads every timestamp form to the same instant', async () => {
    const forms = [
      '2026-11-01T00:00:00Z',
      '2026-11-01T01:00:00+01:00',
      '2026-10-31T19:00:00-0500',
      '2026-11-01 00:00:00.000Z',
      String(T0),
    ]
    const csv = ['timestamp,sli,good,total', ...forms.map((t) => `${t},a,1,2`)].join('\n')
    const jsonl = [...forms.map((t) => `{"timestamp":"${t}","sli":"a","good":1,"total":2}`)]
      .slice(0, 4)
      .concat(`{"timestamp":${T0},"sli":"a","good":1,"total":2}`)
      .join('\n')
    for (const path of [await file('forms.csv', csv), await file('forms.jsonl', jsonl)]) {
      const series = await new FileSource({ path }).query(ratio('a'), everything)
      expect(series.points).toEqual([{ t: T0, good: 5, total: 10 }])
    }
  })
})

describe('FileSource resolution', () => {
  const csv = [
    'timestamp,sli,good,total,value',
    `${T0 + 15 * MIN},gappy,1,1,`,
    `${T0},gappy,1,1,`,
    `${T0 + 5 * MIN},gappy,1,1,`,
    `${T0 + 5 * MIN},gappy,1,1,`, // a repeated time is no gap of 0
    `${T0},single,1,1,`,
    `${T0},values,,,1`,
    `${T0},values,,,2`,
    `${T0 + 30 * 1000},values,,,3`,
  ].join('\n')

  it('infers each SLI resolution from its smallest gap, one minute for a single time', async () => {
    const source = new FileSource({ path: await file('gaps.csv', csv) })
    const summary = await source.load()
    expect(summary.slis).toEqual([
      { id: 'gappy', kind: 'events', rows: 4, firstMs: T0, lastMs: T0 + 15 * MIN, resolutionMs: 5 * MIN },
      { id: 'single', kind: 'events', rows: 1, firstMs: T0, lastMs: T0, resolutionMs: MIN },
      { id: 'values', kind: 'values', rows: 3, firstMs: T0, lastMs: T0 + 30_000, resolutionMs: 30_000 },
    ])
    const gappy = (await source.query(ratio('gappy'), everything)) as EventSeries
    expect(gappy.resolutionMs).toBe(5 * MIN)
    expect(gappy.points).toEqual([
      { t: T0, good: 1, total: 1 },
      { t: T0 + 5 * MIN, good: 2, total: 2 },
      { t: T0 + 15 * MIN, good: 1, total: 1 },
    ])
  })

  it('uses the resolutionMs option for every SLI when given', async () => {
    const source = new FileSource({ path: await file('gaps.csv', csv), resolutionMs: HOUR })
    expect((await source.load()).slis.map((s) => s.resolutionMs)).toEqual([HOUR, HOUR, HOUR])
    expect((await source.query(threshold('values'), everything)).resolutionMs).toBe(HOUR)
  })
})

describe('FileSource bad input', () => {
  it('reports every malformed row with its line number, and serves nothing of the file', async () => {
    const path = await file(
      'bad.csv',
      [
        'timestamp,sli,good,total,value', // 1
        '2026-11-01T00:00:00Z,a,10,9,', // 2: good > total
        '', // 3: blank, ignored
        'yesterday,a,1,1,', // 4: bad timestamp
        '2026-11-01T00:01:00Z,a,x,10,', // 5: not a number
        '2026-11-01T00:02:00Z,a,-1,10,', // 6: negative
        '2026-11-01T00:03:00Z,a,1,10,5', // 7: counts and a value
        '2026-11-01T00:04:00Z,,1,10,', // 8: no sli
        '2026-11-01T00:05:00Z,a,1,10', // 9: a field short
        '2026-11-01T00:06:00,a,1,10,', // 10: no offset
        '2026-11-01T00:07:00Z,a,9,10,', // 11: fine
        '2026-11-01T00:08:00Z,a,,,7', // 12: a value for an SLI with counts
        '2026-11-01T00:09:00Z,b,1,10,', // 13: fine
      ].join('\n'),
    )
    const source = new FileSource({ path })
    const error = await rejectionOf(source.load())
    expect(error).toBeInstanceOf(FileSourceDataError)
    expect(error.code).toBe('SOURCE_INVALID_DATA')
    expect(error.message).toBe(
      [
        `[slokit/file-source] ${path}: 9 bad lines, nothing loaded:`,
        `  ${path}:2: \`good\` (10) is greater than \`total\` (9)`,
        `  ${path}:4: bad timestamp "yesterday": use ISO 8601 with \`Z\` or an offset (2026-11-01T00:00:00Z, 2026-11-01T01:00:00+01:00) or epoch milliseconds`,
        `  ${path}:5: \`good\` is not a number: "x"`,
        `  ${path}:6: \`good\` is negative (-1)`,
        `  ${path}:7: both \`value\` and \`good\`/\`total\` are set; a row holds either counts or a value`,
        `  ${path}:8: missing \`sli\``,
        `  ${path}:9: has 4 fields, the header has 5 columns`,
        `  ${path}:10: bad timestamp "2026-11-01T00:06:00": use ISO 8601 with \`Z\` or an offset (2026-11-01T00:00:00Z, 2026-11-01T01:00:00+01:00) or epoch milliseconds`,
        `  ${path}:12: SLI "a" has a \`value\` here but counts from line 11 on; an SLI's rows hold either counts or values`,
      ].join('\n'),
    )
    expect((error as FileSourceDataError).badLineCount).toBe(9)
    expect((error as FileSourceDataError).problems.map((p) => p.line)).toEqual([2, 4, 5, 6, 7, 8, 9, 10, 12])
    // The same error for every later call: nothing partially loaded is served.
    expect(await rejectionOf(source.load())).toBe(error)
    expect(await rejectionOf(source.query(ratio('b'), everything))).toBe(error)
  })

  it('lists the first 20 bad lines and counts the rest', async () => {
    const lines = ['{"timestamp":"2026-11-01T00:00:00Z","sli":"a","good":1,"total":1}']
    for (let i = 0; i < 25; i++)
      lines.push(i % 2 === 0 ? `{"timestamp":${T0},"sli":"a","god":1,"total":1}` : 'oops')
    const path = await file('bad.jsonl', lines.join('\n'))
    const error = (await rejectionOf(new FileSource({ path }).load())) as FileSourceDataError
    expect(error.badLineCount).toBe(25)
    expect(error.problems).toHaveLength(20)
    expect(error.problems[0]).toEqual({
      line: 2,
      message: 'unknown field "god" (did you mean "good"?); `total` is set but `good` is missing',
    })
    expect(error.problems[1]).toEqual({ line: 3, message: expect.stringMatching(/^not valid JSON: /) })
    expect(error.message.split('\n')).toHaveLength(22)
    expect(error.message).toMatch(/^\[slokit\/file-source\] .*bad\.jsonl: 25 bad lines, nothing loaded:\n/)
    expect(error.message).toMatch(/\n {2}… and 5 more bad lines$/)
  })

  it('reports a CSV header with unknown or missing columns as its first line', async () => {
    const path = await file('header.csv', 'time,sli,good,totals\n2026-11-01T00:00:00Z,a,1,1\n')
    const error = (await rejectionOf(new FileSource({ path }).load())) as FileSourceDataError
    expect(error.code).toBe('SOURCE_INVALID_DATA')
    expect(error.problems).toEqual([
      {
        line: 1,
        message:
          'header row: unknown column "time" (did you mean "timestamp"?); unknown column "totals" (did you mean "total"?); missing column "timestamp"; column "good" needs a "total" column',
      },
    ])
  })

  it('reports an empty CSV file, which lacks its header row', async () => {
    const path = await file('empty.csv', '')
    const error = (await rejectionOf(new FileSource({ path }).load())) as FileSourceDataError
    expect(error.code).toBe('SOURCE_INVALID_DATA')
    expect(error.problems[0]?.message).toMatch(/^the file is empty/)
  })

  it('rejects a file that does not exist with SOURCE_FAILED, the fs error as cause', async () => {
    const path = join(dir, 'missing.csv')
    const source = new FileSource({ path })
    const error = await rejectionOf(source.query(ratio('a'), firstHour))
    expect(error.code).toBe('SOURCE_FAILED')
    expect(error.message).toBe(`[slokit/file-source] Cannot read ${path}: no such file or directory`)
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT')
    expect(await rejectionOf(source.load())).toBe(error)
  })

  it('rejects a directory with SOURCE_FAILED', async () => {
    const path = join(dir, 'a-directory.csv')
    await mkdir(path)
    const error = await rejectionOf(new FileSource({ path }).load())
    expect(error.code).toBe('SOURCE_FAILED')
    expect(error.message).toBe(`[slokit/file-source] Cannot read ${path}: it is a directory, not a file`)
  })

  it('rejects gzip files that are not gzip or are cut short with SOURCE_FAILED', async () => {
    const notGzip = await file('plain.csv.gz', CSV_FIXTURE)
    const notGzipError = await rejectionOf(new FileSource({ path: notGzip }).load())
    expect(notGzipError.code).toBe('SOURCE_FAILED')
    expect(notGzipError.message).toBe(
      `[slokit/file-source] Cannot read ${notGzip}: not valid gzip data (incorrect header check)`,
    )
    const gzipped = gzipSync(CSV_FIXTURE)
    const cut = await file('cut.csv.gz', gzipped.subarray(0, gzipped.length - 10))
    const cutError = await rejectionOf(new FileSource({ path: cut }).load())
    expect(cutError.code).toBe('SOURCE_FAILED')
    expect(cutError.message).toBe(
      `[slokit/file-source] Cannot read ${cut}: the gzip data is cut short (unexpected end of file)`,
    )
  })

  it('rejects with SOURCE_FAILED when the file fails while it is read', async () => {
    const cause = new Error('connection reset')
    const source = new FileSource({
      path: 's3://bucket/export.csv',
      openFile: async () => ({
        size: 1000,
        chunks: (async function* () {
          yield new TextEncoder().encode('timestamp,sli,value\n')
          throw cause
        })(),
      }),
    })
    const error = await rejectionOf(source.load())
    expect(error.code).toBe('SOURCE_FAILED')
    expect(error.message).toBe('[slokit/file-source] Cannot read s3://bucket/export.csv: connection reset')
    expect(error.cause).toBe(cause)
  })

  it('validates its options at construction', () => {
    const invalid = (options: ConstructorParameters<typeof FileSource>[0]) => {
      try {
        new FileSource(options)
      } catch (error) {
        expect(error).toBeInstanceOf(SlokitError)
        expect((error as SlokitError).code).toBe('INVALID_ARGUMENT')
        return (error as SlokitError).message
      }
      return expect.fail('expected new FileSource() to throw')
    }
    expect(invalid({ path: '' })).toBe(
      '[slokit/file-source] new FileSource(options): `path` must be a non-empty string, got "".',
    )
    expect(invalid({ path: 'export.tsv' })).toBe(
      '[slokit/file-source] new FileSource(options): cannot tell the format of export.tsv from its name.',
    )
    expect(invalid({ path: 'a.csv', format: 'xml' as 'csv' })).toContain('`format` must be "csv" or "jsonl"')
    expect(invalid({ path: 'a.csv', resolutionMs: 0 })).toContain('`resolutionMs` must be a positive number')
    expect(invalid({ path: 'a.csv', resolutionMs: Number.NaN })).toContain('`resolutionMs`')
    expect(invalid({ path: 'a.csv', name: ' ' })).toContain('`name` must be a non-empty string')
    expect(new FileSource({ path: 'a.csv' }).name).toBe('file')
  })
})

describe('FileSource loading', () => {
  it('reads the file once: load() returns the same promise, queries share the read', async () => {
    let opened = 0
    const path = await file('checkout.csv', CSV_FIXTURE)
    const source = new FileSource({
      path,
      openFile: async (p, options) => {
        opened++
        const { createReadStream } = await import('node:fs')
        return { size: 0, chunks: createReadStream(p, { signal: options.signal }) }
      },
    })
    const first = source.load()
    expect(source.load()).toBe(first)
    const answers = await Promise.all([
      source.query(ratio('checkout-requests'), firstHour),
      source.query(threshold('checkout-latency'), firstHour, { signal: new AbortController().signal }),
      source.load({ signal: new AbortController().signal }),
    ])
    expect(answers[0].points).toHaveLength(5)
    expect(await first).toBe(answers[2])
    expect(source.load()).toBe(first)
    expect(opened).toBe(1)
  })

  it('summarises the file: rows, format, bytes, and each SLI', async () => {
    const path = await file('checkout.csv', CSV_FIXTURE)
    const summary = await new FileSource({ path }).load()
    expect(summary).toEqual({
      path,
      format: 'csv',
      gzip: false,
      bytes: Buffer.byteLength(CSV_FIXTURE),
      rows: 12,
      slis: [
        {
          id: 'checkout-latency',
          kind: 'values',
          rows: 4,
          firstMs: T0,
          lastMs: T0 + 2 * MIN,
          resolutionMs: MIN,
        },
        {
          id: 'checkout-requests',
          kind: 'events',
          rows: 8,
          firstMs: T0,
          lastMs: T0 + 3 * HOUR,
          resolutionMs: MIN,
        },
      ],
    })
    expect(Object.isFrozen(summary)).toBe(true)
    expect(Object.isFrozen(summary.slis[0])).toBe(true)
  })

  it('rejects a query with an already-aborted signal without reading', async () => {
    let opened = 0
    const source = new FileSource({
      path: 'x.csv',
      openFile: async () => {
        opened++
        throw new Error('not expected')
      },
    })
    const controller = new AbortController()
    const reason = new Error('stop')
    controller.abort(reason)
    const error = await rejectionOf(source.query(ratio('a'), firstHour, { signal: controller.signal }))
    expect(error.code).toBe('ABORTED')
    expect(error.cause).toBe(reason)
    expect((await rejectionOf(source.load({ signal: controller.signal }))).code).toBe('ABORTED')
    expect(opened).toBe(0)
  })

  it('stops reading when every waiting caller aborted, and reads afresh on the next call', async () => {
    const signals: AbortSignal[] = []
    let release: () => void = () => {}
    const stalled = new Promise<void>((resolve) => {
      release = resolve
    })
    const openFile: OpenFile = async (_path, { signal }) => {
      signals.push(signal)
      const call = signals.length
      return {
        size: 100,
        chunks: (async function* () {
          yield new TextEncoder().encode(`timestamp,sli,good,total\n${T0},a,1,2\n`)
          if (call === 1) await stalled // the first read hangs until released
        })(),
      }
    }
    const source = new FileSource({ path: 'slow.csv', openFile })
    const one = new AbortController()
    const two = new AbortController()
    const first = source.query(ratio('a'), firstHour, { signal: one.signal })
    const second = source.load({ signal: two.signal })
    await new Promise((resolve) => setImmediate(resolve))
    one.abort()
    expect((await rejectionOf(first)).code).toBe('ABORTED')
    expect(signals[0]?.aborted).toBe(false) // the load still has a caller waiting
    two.abort()
    expect((await rejectionOf(second)).code).toBe('ABORTED')
    expect(signals[0]?.aborted).toBe(true)
    release()
    const series = await source.query(ratio('a'), firstHour)
    expect(series.points).toEqual([{ t: T0, good: 1, total: 2 }])
    expect(signals).toHaveLength(2)
  })

  it('keeps reading for a caller without a signal when others abort', async () => {
    let release: () => void = () => {}
    const stalled = new Promise<void>((resolve) => {
      release = resolve
    })
    let readSignal: AbortSignal | undefined
    const source = new FileSource({
      path: 'slow.jsonl',
      openFile: async (_path, { signal }) => {
        readSignal = signal
        return {
          size: 0,
          chunks: (async function* () {
            await stalled
            yield new TextEncoder().encode(`{"timestamp":${T0},"sli":"a","value":3}\n`)
          })(),
        }
      },
    })
    const pinned = source.load()
    const controller = new AbortController()
    const impatient = source.query(threshold('a'), firstHour, { signal: controller.signal })
    controller.abort()
    expect((await rejectionOf(impatient)).code).toBe('ABORTED')
    expect(readSignal?.aborted).toBe(false)
    release()
    expect((await pinned).rows).toBe(1)
  })

  it('reports progress with increasing bytes, at most every 64 KiB, ending at the total', async () => {
    const lines = ['timestamp,sli,good,total']
    for (let i = 0; i < 20_000; i++) lines.push(`${T0 + i * MIN},checkout-requests,99,100`)
    const content = lines.join('\n')
    const size = Buffer.byteLength(content)
    const calls: Array<[number, number]> = []
    const source = new FileSource({
      path: await file('big.csv', content),
      onProgress: (bytesRead, totalBytes) => calls.push([bytesRead, totalBytes]),
    })
    await source.load()
    expect(size).toBeGreaterThan(3 * 64 * 1024)
    expect(calls.at(-1)).toEqual([size, size])
    expect(calls.length).toBeGreaterThanOrEqual(2)
    expect(calls.length).toBeLessThanOrEqual(Math.ceil(size / (64 * 1024)) + 1)
    for (let i = 1; i < calls.length; i++) {
      expect(calls[i]![0]).toBeGreaterThan(calls[i - 1]![0])
      expect(calls[i]![0] - calls[i - 1]![0]).toBeGreaterThanOrEqual(i === calls.length - 1 ? 1 : 64 * 1024)
    }
    for (const [, total] of calls) expect(total).toBe(size)
  })

  it('reports progress in bytes of the gzipped file, once for a small file', async () => {
    const gzipped = gzipSync(JSONL_FIXTURE)
    const calls: Array<[number, number]> = []
    const source = new FileSource({
      path: await file('api.jsonl.gz', gzipped),
      onProgress: (bytesRead, totalBytes) => calls.push([bytesRead, totalBytes]),
    })
    expect((await source.load()).bytes).toBe(gzipped.length)
    expect(calls).toEqual([[gzipped.length, gzipped.length]])
  })

  it('fails the load with SOURCE_FAILED when onProgress throws', async () => {
    const cause = new Error('progress bar broke')
    const source = new FileSource({
      path: await file('checkout.csv', CSV_FIXTURE),
      onProgress: () => {
        throw cause
      },
    })
    const error = await rejectionOf(source.load())
    expect(error.code).toBe('SOURCE_FAILED')
    expect(error.message).toContain('The `onProgress` callback threw while reading')
    expect(error.cause).toBe(cause)
  })

  it('loads a 200k-row file, rows in reverse time order, to the sums computed by hand', async () => {
    // Minute i holds 10 requests, 9 of them good when i is a multiple of 10: over 200,000 minutes
    // that is 2,000,000 requests and 20,000 bad ones. Half the rows come as JSON-quoted CSV fields.
    const rows = 200_000
    const lines = ['sli,timestamp,good,total,value']
    for (let i = rows - 1; i >= 0; i--) {
      const good = i % 10 === 0 ? 9 : 10
      lines.push(
        i % 2 === 0 ? `bulk,${T0 + i * MIN},${good},10,` : `"bulk","${T0 + i * MIN}","${good}","10",""`,
      )
    }
    const source = new FileSource({ path: await file('bulk.csv', lines.join('\n')) })
    const summary = await source.load()
    expect(summary.rows).toBe(rows)
    expect(summary.slis).toEqual([
      { id: 'bulk', kind: 'events', rows, firstMs: T0, lastMs: T0 + (rows - 1) * MIN, resolutionMs: MIN },
    ])
    const all = (await source.query(ratio('bulk'), everything)) as EventSeries
    expect(all.points).toHaveLength(rows)
    let good = 0
    let total = 0
    for (const point of all.points) {
      good += point.good
      total += point.total
    }
    expect([good, total]).toEqual([1_980_000, 2_000_000])
    // The first day: 1440 minutes, 144 of them with a failure.
    const day = (await source.query(ratio('bulk'), { startMs: T0, endMs: T0 + 24 * HOUR })) as EventSeries
    expect(day.points).toHaveLength(1440)
    expect(day.points.reduce((sum, p) => sum + (p.total - p.good), 0)).toBe(144)
  })
})
