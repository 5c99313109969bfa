import {
  describeUnknownField,
  emptyRowFields,
  INVALID,
  quote,
  ROW_FIELDS,
  type RowField,
  type RowFields,
} from './row.js'
import { isEpochMs, parseIsoTimestamp, TIMESTAMP_FORMS } from './timestamp.js'

/**
 * Reads one JSON Lines line: an object with `timestamp`, `sli`, and `good` with `total` or
 * `value`. `null` counts as absent. Adds what cannot be read to `problems`; returns `undefined`
 * when the line is not a JSON object at all.
 */
export function readJsonLine(line: string, problems: string[]): RowFields | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch (error) {
    problems.push(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`)
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push(`expected a JSON object, got ${Array.isArray(parsed) ? 'an array' : describe(parsed)}`)
    return undefined
  }
  const fields = emptyRowFields()
  for (const [key, raw] of Object.entries(parsed)) {
    if (!(ROW_FIELDS as readonly string[]).includes(key)) {
      problems.push(describeUnknownField('field', key))
      continue
    }
    if (raw === null) continue
    const field = key as RowField
    if (field === 'sli') {
      if (typeof raw === 'string' && raw !== '') fields.sli = raw
      else if (raw !== '') {
        problems.push(`\`sli\` must be a string, got ${describe(raw)}`)
        fields.sli = INVALID
      }
    } else if (field === 'timestamp') {
      const t =
        typeof raw === 'string'
          ? parseIsoTimestamp(raw)
          : typeof raw === 'number' && isEpochMs(raw)
            ? raw
            : undefined
      if (t === undefined)
        problems.push(
          `bad timestamp ${typeof raw === 'string' ? quote(raw) : describe(raw)}: ${TIMESTAMP_FORMS} as a number`,
        )
      fields.timestamp = t ?? INVALID
    } else if (typeof raw === 'number' && Number.isFinite(raw)) {
      fields[field] = raw
    } else {
      problems.push(`\`${field}\` must be a number, got ${describe(raw)}`)
      fields[field] = INVALID
    }
  }
  return fields
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `the string ${quote(value)}`
  if (typeof value === 'number') return String(value)
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : typeof value
}
