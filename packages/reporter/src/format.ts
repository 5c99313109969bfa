import { DAY_MS, formatDuration, HOUR_MS, MINUTE_MS, type SloWindow, toZoned } from '@slokit/core'

// Formatting for people, shared by the renderers. Written by hand rather than with
// Intl.NumberFormat/DateTimeFormat so that golden files do not change with the ICU version.

/** `99.95%`: a ratio as a percentage with at most `digits` decimals, trailing zeros dropped. */
export function percent(ratio: number, digits = 3): string {
  const value = Number((ratio * 100).toFixed(digits))
  return `${Object.is(value, -0) ? 0 : value}%`
}

/** A budget fraction with one decimal: `41.2%`, `-12.5%`. */
export function budgetPercent(fraction: number): string {
  const value = Number((fraction * 100).toFixed(1))
  return `${Object.is(value, -0) ? 0 : value}%`
}

/** A burn rate: `0.42×`, `14.4×`, `120×`. */
export function burnRateText(rate: number): string {
  if (rate >= 100) return `${Math.round(rate)}×`
  if (rate >= 10) return `${Number(rate.toFixed(1))}×`
  return `${Number(rate.toFixed(2))}×`
}

/** A duration for people, two units at most: `3d 4h`, `2h 5m`, `45m`, `< 1m`. */
export function humanDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—'
  if (ms < MINUTE_MS) return '< 1m'
  const units: Array<[string, number]> = [
    ['d', DAY_MS],
    ['h', HOUR_MS],
    ['m', MINUTE_MS],
  ]
  const parts: string[] = []
  let rest = Math.round(ms / MINUTE_MS) * MINUTE_MS
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size)
    if (n > 0 || parts.length > 0) {
      if (n > 0) parts.push(`${n}${unit}`)
      rest -= n * size
    }
    if (parts.length === 2) break
  }
  return parts.join(' ')
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** `2026-10-31 14:00 UTC`, or with the zone's name for others: `2026-10-31 15:00 Europe/Berlin`. */
export function formatInstant(ms: number, timeZone: string): string {
  const z = toZoned(ms, timeZone)
  return `${z.year}-${pad(z.month)}-${pad(z.day)} ${pad(z.hour)}:${pad(z.minute)} ${timeZone}`
}

/** `2026-10-31`, in the time zone. */
export function formatDate(ms: number, timeZone: string): string {
  const z = toZoned(ms, timeZone)
  return `${z.year}-${pad(z.month)}-${pad(z.day)}`
}

/** `Oct 31` style short date for chart axes, in the time zone. */
export function formatAxisDate(ms: number, timeZone: string): string {
  const z = toZoned(ms, timeZone)
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  return `${months[z.month - 1]} ${z.day}`
}

/** `30d`, `month (Europe/Berlin)`. */
export function describeWindow(window: SloWindow): string {
  return window.type === 'rolling' ? formatDuration(window.durationMs) : `${window.unit} (${window.timeZone})`
}

/** A count with thousands separators: `1,234,567`. */
export function count(n: number): string {
  const whole = Math.round(n)
  return String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** SLI change per day in percentage points: `-0.004 pp/day`. */
export function slopeText(slopePerDay: number): string {
  const pp = slopePerDay * 100
  if (pp === 0 || !Number.isFinite(pp)) return '0 pp/day'
  // Two significant digits in plain decimals: people do not read 1.6e-4.
  const digits = Math.min(10, Math.max(3, 1 - Math.floor(Math.log10(Math.abs(pp)))))
  return `${pp > 0 ? '+' : ''}${pp.toFixed(digits)} pp/day`
}
