import { DAY_MS } from './duration.js'
import { fromZoned, toZoned } from './time-zone.js'

/** The calendar periods an SLO window can be aligned to. Weeks start on Monday (ISO 8601). */
export const CALENDAR_UNITS = ['week', 'month', 'quarter', 'year'] as const
/** One of {@link CALENDAR_UNITS}. */
export type CalendarUnit = (typeof CALENDAR_UNITS)[number]

/** A window that always covers the last `durationMs` milliseconds. */
export interface RollingWindow {
  readonly type: 'rolling'
  readonly durationMs: number
}

/**
 * A window that covers the current calendar period (this week, month, quarter or year) in an IANA
 * time zone. The error budget is measured against the whole period, not the part elapsed.
 */
export interface CalendarWindow {
  readonly type: 'calendar'
  readonly unit: CalendarUnit
  readonly timeZone: string
}

/** The window an SLO is measured over. */
export type SloWindow = RollingWindow | CalendarWindow

/** The concrete time range a window covers at some instant. All times are epoch milliseconds. */
export interface WindowRange {
  /** Start of the measured range (inclusive). */
  readonly startMs: number
  /** End of the measured range (exclusive): the evaluation time. */
  readonly endMs: number
  /** Start of the budget period: equals `startMs`. */
  readonly periodStartMs: number
  /**
   * End of the budget period: `endMs` for rolling windows, the end of the calendar period for
   * calendar windows (so `periodEndMs - periodStartMs` is the length the budget is measured on).
   */
  readonly periodEndMs: number
}

const NOMINAL_CALENDAR_MS: Readonly<Record<CalendarUnit, number>> = {
  week: 7 * DAY_MS,
  month: 30 * DAY_MS,
  quarter: 90 * DAY_MS,
  year: 365 * DAY_MS,
}

/**
 * The calendar period of `unit` that contains `atMs` in `timeZone`, as `[startMs, endMs)`.
 * Boundaries are local midnights, so a month that contains a DST change is an hour shorter or
 * longer than its days times 24 hours.
 *
 * @example
 * ```ts
 * // March 2026 in Berlin has 31 days but only 743 hours (clocks go forward on the 29th).
 * const { startMs, endMs } = calendarPeriod('month', 'Europe/Berlin', Date.UTC(2026, 2, 15))
 * (endMs - startMs) / 3_600_000 // 743
 * ```
 */
export function calendarPeriod(
  unit: CalendarUnit,
  timeZone: string,
  atMs: number,
): { startMs: number; endMs: number } {
  const local = toZoned(atMs, timeZone)
  let start: { year: number; month: number; day: number }
  let next: { year: number; month: number; day: number }
  switch (unit) {
    case 'week': {
      const day = local.day - (local.weekday - 1)
      start = { year: local.year, month: local.month, day }
      next = { year: local.year, month: local.month, day: day + 7 }
      break
    }
    case 'month':
      start = { year: local.year, month: local.month, day: 1 }
      next = { year: local.year, month: local.month + 1, day: 1 }
      break
    case 'quarter': {
      const month = local.month - ((local.month - 1) % 3)
      start = { year: local.year, month, day: 1 }
      next = { year: local.year, month: month + 3, day: 1 }
      break
    }
    case 'year':
      start = { year: local.year, month: 1, day: 1 }
      next = { year: local.year + 1, month: 1, day: 1 }
      break
  }
  return { startMs: fromZoned(start, timeZone), endMs: fromZoned(next, timeZone) }
}

/**
 * The range a window covers when evaluated at `now`.
 *
 * @example
 * ```ts
 * windowRange({ type: 'rolling', durationMs: 3_600_000 }, now)
 * // { startMs: now - 3_600_000, endMs: now, periodStartMs: now - 3_600_000, periodEndMs: now }
 * ```
 */
export function windowRange(window: SloWindow, now: number): WindowRange {
  if (window.type === 'rolling') {
    const startMs = now - window.durationMs
    return { startMs, endMs: now, periodStartMs: startMs, periodEndMs: now }
  }
  const period = calendarPeriod(window.unit, window.timeZone, now)
  return { startMs: period.startMs, endMs: now, periodStartMs: period.startMs, periodEndMs: period.endMs }
}

/**
 * The length used to scale burn-rate alert thresholds for a window: the rolling duration, or the
 * nominal length of a calendar period (7, 30, 90 or 365 days).
 */
export function nominalPeriodMs(window: SloWindow): number {
  return window.type === 'rolling' ? window.durationMs : NOMINAL_CALENDAR_MS[window.unit]
}

/** The longest a window can be (31-day month plus a DST hour, etc.), for sizing buffers. */
export function maxPeriodMs(window: SloWindow): number {
  if (window.type === 'rolling') return window.durationMs
  const longest: Record<CalendarUnit, number> = { week: 7, month: 31, quarter: 92, year: 366 }
  return longest[window.unit] * DAY_MS + 3_600_000
}
