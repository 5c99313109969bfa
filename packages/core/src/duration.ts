import { SlokitError } from './errors.js'

const MS_PER: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
}

// Units must appear from largest to smallest, each at most once: `1h30m`, not `30m1h`.
const UNIT_ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'] as const
const TOKEN = /(\d+)(ms|y|w|d|h|m|s)/y

/** Milliseconds in one minute. */
export const MINUTE_MS = 60_000
/** Milliseconds in one hour. */
export const HOUR_MS = 3_600_000
/** Milliseconds in one day (24 hours; calendar days across DST changes are computed in `window`). */
export const DAY_MS = 86_400_000

/**
 * Parses a Prometheus-style duration into milliseconds: one or more `<integer><unit>` terms with
 * units `ms`, `s`, `m`, `h`, `d` (24 h), `w` (7 d), `y` (365 d), largest unit first.
 *
 * @example
 * ```ts
 * parseDuration('5m')    // 300_000
 * parseDuration('1h30m') // 5_400_000
 * parseDuration('4w')    // 2_419_200_000 (28 days)
 * ```
 * @throws {@link SlokitError} with code `INVALID_DURATION` for anything else, including `0s`.
 */
export function parseDuration(text: string): number {
  const ms = tryParseDuration(text)
  if (ms === undefined) {
    throw new SlokitError('INVALID_DURATION', `[slokit/core] Invalid duration ${JSON.stringify(text)}.`, {
      hint: 'use a positive Prometheus duration such as 30s, 5m, 1h30m, 28d or 4w',
    })
  }
  return ms
}

/**
 * Like {@link parseDuration} but returns `undefined` instead of throwing, for validators that
 * collect problems rather than stop at the first.
 */
export function tryParseDuration(text: string): number | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined
  TOKEN.lastIndex = 0
  let total = 0
  let lastUnitRank = -1
  while (TOKEN.lastIndex < text.length) {
    const match = TOKEN.exec(text)
    if (match === null) return undefined
    const unit = match[2] as (typeof UNIT_ORDER)[number]
    const rank = UNIT_ORDER.indexOf(unit)
    if (rank <= lastUnitRank) return undefined
    lastUnitRank = rank
    total += Number(match[1]) * (MS_PER[unit] as number)
  }
  return total > 0 && Number.isSafeInteger(total) ? total : undefined
}

/**
 * Formats milliseconds the way Prometheus prints durations: years and weeks only when they divide
 * the duration exactly (so 28 days is `4w` but 30 days stays `30d`), then days, hours, minutes,
 * seconds and milliseconds.
 *
 * @example
 * ```ts
 * formatDuration(2_419_200_000) // '4w'
 * formatDuration(2_592_000_000) // '30d'
 * formatDuration(5_400_000)     // '1h30m'
 * ```
 */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `[slokit/core] formatDuration() needs a non-negative integer of milliseconds, got ${ms}.`,
    )
  }
  if (ms === 0) return '0s'
  let rest = ms
  let out = ''
  for (const unit of UNIT_ORDER) {
    const size = MS_PER[unit] as number
    const exactOnly = unit === 'y' || unit === 'w'
    if (exactOnly && rest % size !== 0) continue
    const count = Math.floor(rest / size)
    if (count > 0) {
      out += `${count}${unit}`
      rest -= count * size
    }
  }
  return out
}
