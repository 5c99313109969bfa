import { DAY_MS } from './duration.js'
import { SlokitError } from './errors.js'

/** A wall-clock date and time in some time zone. `month` is 1–12; `weekday` is 1 (Monday)–7. */
export interface ZonedDateTime {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  weekday: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      })
    } catch (cause) {
      throw new SlokitError(
        'INVALID_TIME_ZONE',
        `[slokit/core] Unknown time zone ${JSON.stringify(timeZone)}.`,
        {
          cause,
          hint: 'use an IANA time zone name such as UTC, Europe/Berlin or America/New_York',
        },
      )
    }
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** True when `timeZone` is an IANA time zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone)
    return true
  } catch {
    return false
  }
}

/**
 * The wall-clock date and time at `epochMs` in `timeZone` (second resolution).
 * @throws {@link SlokitError} `INVALID_TIME_ZONE` for an unknown zone.
 */
export function toZoned(epochMs: number, timeZone: string): ZonedDateTime {
  const fields: Record<string, number> = {}
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value)
  }
  const year = fields.year as number
  const month = fields.month as number
  const day = fields.day as number
  const utcDay = new Date(Date.UTC(year, month - 1, day)).getUTCDay()
  return {
    year,
    month,
    day,
    hour: fields.hour as number,
    minute: fields.minute as number,
    second: fields.second as number,
    weekday: utcDay === 0 ? 7 : utcDay,
  }
}

/** The offset of `timeZone` from UTC at `epochMs`, in milliseconds (positive east of Greenwich). */
export function timeZoneOffsetMs(epochMs: number, timeZone: string): number {
  const z = toZoned(epochMs, timeZone)
  const wallAsUtc = Date.UTC(z.year, z.month - 1, z.day, z.hour, z.minute, z.second)
  return wallAsUtc - Math.floor(epochMs / 1000) * 1000
}

/**
 * The instant at which the wall clock in `timeZone` shows the given local date and time.
 * Times that happen twice (when clocks go back) resolve to the earlier instant; times that never
 * happen (when clocks go forward) resolve to the instant just after the gap, shifted by the gap's
 * length, as `Temporal`'s `compatible` disambiguation does. Fields may overflow (day 32 is the
 * first of the next month), as with `Date.UTC`.
 */
export function fromZoned(
  local: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number },
  timeZone: string,
): number {
  const wallAsUtc = Date.UTC(
    local.year,
    local.month - 1,
    local.day,
    local.hour ?? 0,
    local.minute ?? 0,
    local.second ?? 0,
  )
  // At most one offset change happens within a day of any wall time in every real zone.
  const offsetBefore = timeZoneOffsetMs(wallAsUtc - DAY_MS, timeZone)
  const offsetAfter = timeZoneOffsetMs(wallAsUtc + DAY_MS, timeZone)
  const candidateBefore = wallAsUtc - offsetBefore
  const candidateAfter = wallAsUtc - offsetAfter
  const beforeValid = timeZoneOffsetMs(candidateBefore, timeZone) === offsetBefore
  const afterValid = timeZoneOffsetMs(candidateAfter, timeZone) === offsetAfter
  if (beforeValid && afterValid) return Math.min(candidateBefore, candidateAfter)
  if (beforeValid) return candidateBefore
  if (afterValid) return candidateAfter
  return candidateBefore
}
