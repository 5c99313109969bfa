// ISO 8601 / RFC 3339 date-times with an explicit offset. A time without an offset is refused:
// reading it as UTC or as the machine's local time would both be a guess.
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/
const DIGITS = /^\d+$/

/** How to write a timestamp, for problem messages. */
export const TIMESTAMP_FORMS =
  'use ISO 8601 with `Z` or an offset (2026-11-01T00:00:00Z, 2026-11-01T01:00:00+01:00) or epoch milliseconds'

/**
 * Parses an ISO 8601 date-time with `Z` or an explicit offset into epoch milliseconds (fractions
 * beyond milliseconds are truncated); `undefined` when the text is not one, or names a date or time
 * that does not exist (February 30th, 24:00).
 */
export function parseIsoTimestamp(text: string): number | undefined {
  const match = ISO_DATE_TIME.exec(text)
  if (match === null) return undefined
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, offsetH, offsetMi] = match
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h)
  const minute = Number(mi)
  const second = s === undefined ? 0 : Number(s)
  const ms = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'))
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined
  if (hour > 23 || minute > 59 || second > 59) return undefined
  let offsetMs = 0
  if (zulu === undefined) {
    const offsetHours = Number(offsetH)
    const offsetMinutes = Number(offsetMi)
    if (offsetHours > 23 || offsetMinutes > 59) return undefined
    offsetMs = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000
  }
  const utc = new Date(0)
  utc.setUTCFullYear(year, month - 1, day)
  utc.setUTCHours(hour, minute, second, ms)
  return utc.getTime() - offsetMs
}

/** Parses non-negative epoch milliseconds written as decimal digits; `undefined` otherwise. */
export function parseEpochDigits(text: string): number | undefined {
  if (!DIGITS.test(text)) return undefined
  const ms = Number(text)
  return Number.isSafeInteger(ms) ? ms : undefined
}

/** Accepts epoch milliseconds given as a number: a non-negative safe integer. */
export function isEpochMs(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number)
}
