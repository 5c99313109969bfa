import {
  describeUnknownField,
  emptyRowFields,
  INVALID,
  quote,
  ROW_FIELDS,
  type RowField,
  type RowFields,
} from './row.js'
import { parseEpochDigits, parseIsoTimestamp, TIMESTAMP_FORMS } from './timestamp.js'

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

/**
 * Splits one CSV line into its fields per RFC 4180 (double quotes around a field, `""` for a quote
 * inside one, commas inside quotes), without line breaks inside fields. Whitespace around an
 * unquoted field is dropped; a quoted field is kept exactly. Returns the problem as a string when
 * the line is not valid CSV.
 */
export function splitCsvLine(line: string): string[] | string {
  const fields: string[] = []
  let i = 0
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++
    if (line[i] === '"') {
      let text = ''
      let from = i + 1
      for (;;) {
        const quote = line.indexOf('"', from)
        if (quote === -1) return `unterminated quoted field starting at column ${i + 1}`
        text += line.slice(from, quote)
        if (line[quote + 1] === '"') {
          text += '"'
          from = quote + 2
          continue
        }
        i = quote + 1
        break
      }
      while (line[i] === ' ' || line[i] === '\t') i++
      if (i < line.length && line[i] !== ',') {
        return `unexpected text after a closing quote at column ${i + 1} (write a quote inside a quoted field as "")`
      }
      fields.push(text)
    } else {
      const comma = line.indexOf(',', i)
      const end = comma === -1 ? line.length : comma
      const text = line.slice(i, end).trim()
      if (text.includes('"')) {
        return `stray quote in unquoted field ${quote(text)} (quote the whole field and double the quote: "a""b")`
      }
      fields.push(text)
      i = end
    }
    if (i >= line.length) return fields
    i++ // past the comma
  }
}

/** The columns of a CSV file, in file order. */
export type CsvColumns = readonly RowField[]

/**
 * Reads a CSV header row: `timestamp`, `sli`, and `good` with `total` or `value` (or all five), in
 * any order. Returns the columns, or every problem with the header.
 */
export function parseCsvHeader(line: string): { columns: CsvColumns } | { problems: string[] } {
  const names = splitCsvLine(line)
  if (typeof names === 'string') return { problems: [names] }
  const problems: string[] = []
  const columns: RowField[] = []
  for (const name of names) {
    if (!(ROW_FIELDS as readonly string[]).includes(name)) {
      problems.push(describeUnknownField('column', name))
    } else if (columns.includes(name as RowField)) {
      problems.push(`column "${name}" appears more than once`)
    } else {
      columns.push(name as RowField)
    }
  }
  const has = (field: RowField) => columns.includes(field)
  if (!has('timestamp')) problems.push('missing column "timestamp"')
  if (!has('sli')) problems.push('missing column "sli"')
  if (has('good') !== has('total')) {
    problems.push(
      `column "${has('good') ? 'good' : 'total'}" needs a "${has('good') ? 'total' : 'good'}" column`,
    )
  } else if (!has('good') && !has('value')) {
    problems.push('needs columns "good" and "total" (ratio SLIs) or "value" (threshold SLIs)')
  }
  return problems.length > 0 ? { problems } : { columns }
}

/**
 * Reads one CSV data line against the header's columns. An empty cell is an absent field. Adds
 * what cannot be read to `problems`; returns `undefined` when the line cannot be split into the
 * header's columns at all.
 */
export function readCsvRow(line: string, columns: CsvColumns, problems: string[]): RowFields | undefined {
  const cells = splitCsvLine(line)
  if (typeof cells === 'string') {
    problems.push(cells)
    return undefined
  }
  if (cells.length !== columns.length) {
    problems.push(`has ${cells.length} fields, the header has ${columns.length} columns`)
    return undefined
  }
  const fields = emptyRowFields()
  for (let c = 0; c < columns.length; c++) {
    const cell = cells[c] as string
    if (cell === '') continue
    const column = columns[c] as RowField
    if (column === 'sli') {
      fields.sli = cell
    } else if (column === 'timestamp') {
      const t = parseEpochDigits(cell) ?? parseIsoTimestamp(cell)
      if (t === undefined) problems.push(`bad timestamp ${quote(cell)}: ${TIMESTAMP_FORMS}`)
      fields.timestamp = t ?? INVALID
    } else if (NUMBER.test(cell) && Number.isFinite(Number(cell))) {
      fields[column] = Number(cell)
    } else {
      problems.push(`\`${column}\` is not a number: ${quote(cell)}`)
      fields[column] = INVALID
    }
  }
  return fields
}
