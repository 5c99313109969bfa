/** The columns (CSV) or fields (JSON Lines) a row may have. */
export const ROW_FIELDS = ['timestamp', 'sli', 'good', 'total', 'value'] as const

/** One of {@link ROW_FIELDS}. */
export type RowField = (typeof ROW_FIELDS)[number]

/** Marks a field that was present but could not be read; its problem is already reported. */
export const INVALID: unique symbol = Symbol('invalid')

type Read<T> = T | undefined | typeof INVALID

/** A row's fields as a format reader found them: absent, invalid, or typed. */
export interface RowFields {
  timestamp: Read<number>
  sli: Read<string>
  good: Read<number>
  total: Read<number>
  value: Read<number>
}

/** A valid row: event counts for a ratio SLI, or one value for a threshold SLI. */
export type Row =
  | {
      readonly kind: 'events'
      readonly sli: string
      readonly t: number
      readonly good: number
      readonly total: number
    }
  | { readonly kind: 'values'; readonly sli: string; readonly t: number; readonly value: number }

/** Fields with every field absent, for a reader to fill in. */
export function emptyRowFields(): RowFields {
  return { timestamp: undefined, sli: undefined, good: undefined, total: undefined, value: undefined }
}

/**
 * Checks what holds across fields (required fields, counts versus a value, `good <= total`, no
 * negative counts) and returns the row, or `undefined` after adding its problems to `problems`.
 * `problems` may already hold what the format reader found; the row is valid only when no
 * problem was found at all.
 */
export function checkRow(fields: RowFields, problems: string[]): Row | undefined {
  const before = problems.length
  const { timestamp, sli, good, total, value } = fields
  if (timestamp === undefined) problems.push('missing `timestamp`')
  if (sli === undefined) problems.push('missing `sli`')
  const hasCounts = good !== undefined || total !== undefined
  if (hasCounts && value !== undefined) {
    problems.push('both `value` and `good`/`total` are set; a row holds either counts or a value')
  } else if (hasCounts) {
    if (good === undefined) problems.push('`total` is set but `good` is missing')
    if (total === undefined) problems.push('`good` is set but `total` is missing')
    if (typeof good === 'number' && good < 0) problems.push(`\`good\` is negative (${good})`)
    if (typeof total === 'number' && total < 0) problems.push(`\`total\` is negative (${total})`)
    if (typeof good === 'number' && typeof total === 'number' && good > total) {
      problems.push(`\`good\` (${good}) is greater than \`total\` (${total})`)
    }
  } else if (value === undefined) {
    problems.push('no data: set `good` and `total` (ratio SLIs) or `value` (threshold SLIs)')
  }
  if (problems.length > before || typeof timestamp !== 'number' || typeof sli !== 'string') return undefined
  if (typeof good === 'number' && typeof total === 'number')
    return { kind: 'events', sli, t: timestamp, good, total }
  if (typeof value === 'number') return { kind: 'values', sli, t: timestamp, value }
  return undefined
}

/**
 * The known field a misspelt name most likely meant: the same name in another case, one at most
 * two edits away, or one the name starts or ends (`time`, `timestamp_ms`). `undefined` when
 * nothing is close.
 */
export function suggestField(name: string): RowField | undefined {
  const lower = name.trim().toLowerCase()
  let best: RowField | undefined
  let bestDistance = 3
  for (const field of ROW_FIELDS) {
    const distance = editDistance(lower, field)
    if (distance < bestDistance) {
      best = field
      bestDistance = distance
    }
  }
  if (best !== undefined || lower.length < 3) return best
  return ROW_FIELDS.find((field) => field.startsWith(lower) || lower.startsWith(field))
}

/** Names an unknown column or field, with a suggestion when one is close. */
export function describeUnknownField(what: 'column' | 'field', name: string): string {
  const suggestion = suggestField(name)
  const known = ROW_FIELDS.join(', ')
  return suggestion === undefined
    ? `unknown ${what} ${quote(name)} (known: ${known})`
    : `unknown ${what} ${quote(name)} (did you mean "${suggestion}"?)`
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current[j] = Math.min(substitution, (previous[j] as number) + 1, (current[j - 1] as number) + 1)
    }
    previous = current
  }
  return previous[b.length] as number
}

/** Quotes text from the file for a problem message, cut to a readable length. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)
}
