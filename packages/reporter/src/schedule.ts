import { DAY_MS, fromZoned, isValidTimeZone, SlokitError, toZoned } from '@slokit/core'

/**
 * When scheduled reports are due: a five-field cron expression in an IANA time zone. Every form
 * the `reporting` section accepts (`daily`, `weekly`, `{ every, at, on }`, `{ cron }`) is
 * normalised to this.
 */
export interface ReportSchedule {
  /** `minute hour day-of-month month day-of-week`, e.g. `0 8 * * MON`. */
  readonly cron: string
  /** IANA time zone the expression is read in; `UTC` by default. */
  readonly timeZone: string
}

interface ParsedCron {
  readonly minutes: readonly number[]
  readonly hours: readonly number[]
  readonly days: ReadonlySet<number>
  readonly months: ReadonlySet<number>
  readonly weekdays: ReadonlySet<number>
  readonly anyDay: boolean
  readonly anyWeekday: boolean
}

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']
const MACROS: Readonly<Record<string, string>> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
}

function parseField(
  text: string,
  min: number,
  max: number,
  names: readonly string[] = [],
  nameBase = 0,
): number[] {
  const values = new Set<number>()
  const value = (token: string): number => {
    const named = names.indexOf(token.toUpperCase())
    if (named >= 0) return named + nameBase
    if (!/^\d+$/.test(token))
      throw new Error(`"${token}" is not a number${names.length > 0 ? ' or a name' : ''}`)
    return Number(token)
  }
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined]
    const step = stepText === undefined ? 1 : Number(stepText)
    if (!(Number.isInteger(step) && step > 0) || (stepText !== undefined && !/^\d+$/.test(stepText))) {
      throw new Error(`"${part}" has a bad step`)
    }
    let lo: number
    let hi: number
    if (range === '*') {
      lo = min
      hi = max
    } else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string]
      lo = value(a)
      hi = value(b)
    } else {
      lo = value(range)
      hi = stepText === undefined ? lo : max
    }
    if (lo < min || hi > max || lo > hi) throw new Error(`"${part}" is outside ${min}–${max}`)
    for (let v = lo; v <= hi; v += step) values.add(v)
  }
  return [...values].sort((a, b) => a - b)
}

const cache = new Map<string, ParsedCron>()

/**
 * Parses a five-field cron expression (`minute hour day-of-month month day-of-week`): numbers,
 * `*`, ranges `a-b`, lists `a,b`, steps `*\/15` and `a-b/2`, month and weekday names (`JAN`,
 * `MON`), weekday 7 as Sunday, and `@hourly`, `@daily`, `@weekly`, `@monthly`. As in Vixie cron,
 * when both day fields are restricted a day matching either runs.
 * @throws `SlokitError` `INVALID_ARGUMENT` naming the field that is wrong.
 */
function parseCron(expression: string): ParsedCron {
  const cached = cache.get(expression)
  if (cached !== undefined) return cached
  const text = MACROS[expression.trim().toLowerCase()] ?? expression
  const fields = text.trim().split(/\s+/)
  if (fields.length !== 5) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `[slokit/reporter] Cron expression ${JSON.stringify(expression)} needs 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}.`,
      { hint: 'e.g. "0 8 * * MON" for Mondays at 08:00' },
    )
  }
  const names = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week']
  let i = 0
  try {
    const [m, h, dom, mon, dow] = fields as [string, string, string, string, string]
    const minutes = parseField(m, 0, 59)
    i++
    const hours = parseField(h, 0, 23)
    i++
    const days = parseField(dom, 1, 31)
    i++
    const months = parseField(mon, 1, 12, MONTH_NAMES, 1)
    i++
    const weekdays = parseField(dow, 0, 7, DAY_NAMES).map((d) => d % 7)
    const parsed: ParsedCron = {
      minutes,
      hours,
      days: new Set(days),
      months: new Set(months),
      weekdays: new Set(weekdays),
      anyDay: dom === '*',
      anyWeekday: dow === '*',
    }
    if (cache.size > 256) cache.clear()
    cache.set(expression, parsed)
    return parsed
  } catch (error) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `[slokit/reporter] Cron expression ${JSON.stringify(expression)}: ${names[i]} field: ${(error as Error).message}.`,
      {
        hint: 'fields are minute (0-59) hour (0-23) day-of-month (1-31) month (1-12 or JAN-DEC) day-of-week (0-7 or SUN-SAT)',
      },
    )
  }
}

/** Checks a cron expression; `undefined` when fine, else what is wrong. */
export function cronProblem(expression: string): string | undefined {
  try {
    parseCron(expression)
    if (nextCronTime(expression, 'UTC', Date.UTC(2000, 0, 1)) === null) return 'it never matches a date'
    return undefined
  } catch (error) {
    return (error as Error).message.replace(/^\[slokit\/reporter\] /, '')
  }
}

/** How far ahead a schedule is searched: Feb 29 on a Monday recurs within 28 years, but nothing sane waits that long. */
const SEARCH_DAYS = 8 * 366

/** The first time strictly after `afterMs` that the expression matches in the time zone; `null` if none within 8 years. */
function nextCronTime(expression: string, timeZone: string, afterMs: number): number | null {
  const cron = parseCron(expression)
  const start = toZoned(afterMs, timeZone)
  // Walk local calendar days (in UTC arithmetic, which has no DST), then map wall times back.
  const firstDay = Date.UTC(start.year, start.month - 1, start.day)
  for (let d = 0; d <= SEARCH_DAYS; d++) {
    const date = new Date(firstDay + d * DAY_MS)
    const month = date.getUTCMonth() + 1
    if (!cron.months.has(month)) continue
    const day = date.getUTCDate()
    const dayMatch = cron.days.has(day)
    const weekdayMatch = cron.weekdays.has(date.getUTCDay())
    const matches =
      cron.anyDay && cron.anyWeekday
        ? true
        : cron.anyDay
          ? weekdayMatch
          : cron.anyWeekday
            ? dayMatch
            : dayMatch || weekdayMatch
    if (!matches) continue
    for (const hour of cron.hours) {
      for (const minute of cron.minutes) {
        const at = fromZoned({ year: date.getUTCFullYear(), month, day, hour, minute }, timeZone)
        if (at > afterMs) return at
      }
    }
  }
  return null
}

/**
 * When the next scheduled report is due: the first time the schedule matches after the last run,
 * or — when there has been none — after `now` (a fresh engine does not fire a report for a slot
 * it never saw). A result at or before `now` means a run was missed (the engine was down): run
 * once now and pass the new run's time as `lastRunMs`; missed slots are not replayed one by one.
 * Pure and cheap: call it on every engine tick. `null` when the schedule never matches again.
 *
 * @example
 * ```ts
 * const dueAt = nextReportDue(job.schedule, state.lastRunMs, clock.now())
 * if (dueAt !== null && dueAt <= clock.now()) await runReport(job) // then store lastRunMs = clock.now()
 * ```
 * @throws `SlokitError` `INVALID_ARGUMENT` for an invalid cron expression or time zone (a schedule
 * from `reportingSectionSchema` has been checked already).
 */
export function nextReportDue(
  schedule: ReportSchedule,
  lastRunMs: number | null | undefined,
  now: number,
): number | null {
  if (!isValidTimeZone(schedule.timeZone)) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `[slokit/reporter] nextReportDue(): ${JSON.stringify(schedule.timeZone)} is not an IANA time zone.`,
    )
  }
  const after = lastRunMs ?? now
  if (!Number.isFinite(after)) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      '[slokit/reporter] nextReportDue(): `lastRunMs` and `now` must be finite epoch ms.',
    )
  }
  return nextCronTime(schedule.cron, schedule.timeZone, after)
}
