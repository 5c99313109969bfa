import { DAY_MS } from '@slokit/core'
import { burnText } from './describe.js'
import { budgetPercent, formatAxisDate, formatInstant, percent } from './format.js'
import type { ReportPeriod, SeriesPoint, SloReport } from './report.js'

/**
 * The Okabe–Ito palette: distinguishable with every common colour-vision deficiency. Lines also
 * differ by dash pattern and every chart carries its numbers in text, so colour is never the only cue.
 */
export const PALETTE = {
  blue: '#0072B2',
  orange: '#E69F00',
  vermillion: '#D55E00',
  green: '#009E73',
  sky: '#56B4E9',
  purple: '#CC79A7',
  grey: '#6E6E6E',
  ink: '#1A1A1A',
} as const

const WIDTH = 640
const HEIGHT = 220
const M = { top: 30, right: 18, bottom: 28, left: 58 }

/** Escapes text for HTML and SVG (content and attribute values). */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`,
  )
}

const r1 = (n: number) => Math.round(n * 10) / 10

interface Scale {
  x(t: number): number
  y(v: number): number
}

function scale(period: ReportPeriod, yMin: number, yMax: number): Scale {
  const w = WIDTH - M.left - M.right
  const h = HEIGHT - M.top - M.bottom
  const span = period.endMs - period.startMs
  return {
    x: (t) => r1(M.left + ((t - period.startMs) / span) * w),
    y: (v) => r1(M.top + (1 - (v - yMin) / (yMax - yMin)) * h),
  }
}

/** A polyline path, broken where the gap between points is far longer than usual (missing data). */
function path(points: readonly SeriesPoint[], s: Scale): string {
  if (points.length === 0) return ''
  const gaps: number[] = []
  for (let i = 1; i < points.length; i++)
    gaps.push((points[i] as SeriesPoint)[0] - (points[i - 1] as SeriesPoint)[0])
  const sorted = [...gaps].sort((a, b) => a - b)
  const typical = sorted[Math.floor(sorted.length / 2)] ?? 0
  let d = ''
  points.forEach(([t, v], i) => {
    const jump = i === 0 || (typical > 0 && (gaps[i - 1] as number) > 3 * typical)
    d += `${jump ? 'M' : 'L'}${s.x(t)} ${s.y(v)}`
  })
  return d
}

function frame(
  id: string,
  title: string,
  description: string,
  body: string,
  legend: ReadonlyArray<{ label: string; color: string; dash?: string }>,
): string {
  let x = M.left
  const items = legend
    .map((item) => {
      const g = `<g transform="translate(${x} 12)"><line x1="0" y1="0" x2="18" y2="0" stroke="${item.color}" stroke-width="2.5"${item.dash === undefined ? '' : ` stroke-dasharray="${item.dash}"`}/><text x="23" y="4">${escapeHtml(item.label)}</text></g>`
      x += 36 + item.label.length * 7
      return g
    })
    .join('')
  return (
    `<svg class="chart" id="${id}" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc">` +
    `<title id="${id}-title">${escapeHtml(title)}</title><desc id="${id}-desc">${escapeHtml(description)}</desc>` +
    `<g class="legend">${items}</g>${body}</svg>`
  )
}

function axes(
  s: Scale,
  period: ReportPeriod,
  ticks: readonly number[],
  format: (v: number) => string,
  timeZone: string,
): string {
  const left = M.left
  const right = WIDTH - M.right
  let out = ''
  for (const v of ticks) {
    const y = s.y(v)
    out += `<line class="grid" x1="${left}" y1="${y}" x2="${right}" y2="${y}"/><text class="tick" x="${left - 6}" y="${r1(y + 4)}" text-anchor="end">${escapeHtml(format(v))}</text>`
  }
  const span = period.endMs - period.startMs
  const bottom = HEIGHT - M.bottom
  for (let i = 0; i <= 4; i++) {
    const t = period.startMs + (span * i) / 4
    const label = span <= 2 * DAY_MS ? formatInstant(t, timeZone).slice(11, 16) : formatAxisDate(t, timeZone)
    const anchor = i === 0 ? 'start' : i === 4 ? 'end' : 'middle'
    out += `<text class="tick" x="${s.x(t)}" y="${bottom + 18}" text-anchor="${anchor}">${escapeHtml(label)}</text>`
  }
  out += `<line class="axis" x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}"/>`
  return out
}

/** Round tick values (1, 2, 2.5 or 5 × 10^k apart) covering `[min, max]`, about five of them. */
export function niceTicks(min: number, max: number, target = 5): number[] {
  const span = max - min
  if (!(span > 0)) return [min]
  const raw = span / (target - 1)
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 2.5, 5, 10].find((f) => f * magnitude >= raw) ?? 10) * magnitude
  const ticks: number[] = []
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) {
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)))
  }
  return ticks
}

function empty(id: string, title: string, why: string): string {
  return frame(
    id,
    title,
    why,
    `<text class="empty" x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">${escapeHtml(why)}</text>`,
    [],
  )
}

/**
 * The error-budget burn-down: budget remaining over the report period against the ideal line —
 * spending at exactly burn rate 1 from a full budget (from the report's start for rolling windows,
 * from the start of the calendar period for calendar windows) — and the zero line where the budget
 * is spent.
 */
export function burnDownChart(slo: SloReport, period: ReportPeriod, timeZone: string, id: string): string {
  const title = `Error budget burn-down of ${slo.sloId}`
  const points = slo.series.budgetRemaining
  if (points.length < 2) return empty(id, title, 'Not enough history for a burn-down chart.')
  let lo = 0
  let hi = 1
  for (const [, v] of points) {
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  const s = scale(period, lo, hi)
  const idealFrom =
    slo.windowKind === 'calendar' ? Math.max(period.startMs, slo.budgetPeriod.startMs) : period.startMs
  const idealLength =
    slo.windowKind === 'calendar' ? slo.budgetPeriod.endMs - slo.budgetPeriod.startMs : slo.periodMs
  const idealAt = (t: number) =>
    slo.windowKind === 'calendar'
      ? 1 - (t - slo.budgetPeriod.startMs) / idealLength
      : 1 - (t - idealFrom) / idealLength
  const idealTo = period.endMs
  const ideal = `M${s.x(idealFrom)} ${s.y(idealAt(idealFrom))}L${s.x(idealTo)} ${s.y(idealAt(idealTo))}`
  const first = points[0] as SeriesPoint
  const last = points[points.length - 1] as SeriesPoint
  const lowest = Math.min(...points.map((p) => p[1]))
  const description =
    `Error budget remaining went from ${budgetPercent(first[1])} on ${formatAxisDate(first[0], timeZone)} to ${budgetPercent(last[1])} on ${formatAxisDate(last[0], timeZone)}` +
    `; lowest ${budgetPercent(lowest)}. The ideal line spends the budget at burn rate 1, from ${budgetPercent(idealAt(idealFrom))} to ${budgetPercent(idealAt(idealTo))}.`
  const body =
    axes(s, period, niceTicks(lo, hi), budgetPercent, timeZone) +
    `<line class="zero" x1="${M.left}" y1="${s.y(0)}" x2="${WIDTH - M.right}" y2="${s.y(0)}" stroke="${PALETTE.vermillion}" stroke-dasharray="2 3"/>` +
    `<path class="ideal" d="${ideal}" fill="none" stroke="${PALETTE.grey}" stroke-width="1.5" stroke-dasharray="6 4"/>` +
    `<path class="actual" d="${path(points, s)}" fill="none" stroke="${PALETTE.blue}" stroke-width="2.5" stroke-linejoin="round"/>`
  return frame(id, title, description, body, [
    { label: 'budget remaining', color: PALETTE.blue },
    { label: 'ideal (burn rate 1)', color: PALETTE.grey, dash: '6 4' },
    { label: 'spent', color: PALETTE.vermillion, dash: '2 3' },
  ])
}

/** The SLI over the report period with the objective as a line. */
export function sliTrendChart(slo: SloReport, period: ReportPeriod, timeZone: string, id: string): string {
  const title = `SLI trend of ${slo.sloId} against its ${percent(slo.objective)} objective`
  const points = slo.series.sli
  if (points.length < 2) return empty(id, title, 'Not enough history for an SLI chart.')
  let lo = slo.objective
  let hi = slo.objective
  for (const [, v] of points) {
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  const pad = Math.max((hi - lo) * 0.1, 1e-5)
  lo -= pad
  hi = Math.min(1, hi + pad)
  if (hi <= lo) hi = lo + 2 * pad
  const s = scale(period, lo, hi)
  const ticks = niceTicks(lo, hi)
  const stepPct = ((ticks[1] ?? hi) - (ticks[0] ?? lo)) * 100
  const digits = Math.max(0, Math.min(5, Math.ceil(-Math.log10(stepPct) - 1e-9)))
  const first = points[0] as SeriesPoint
  const last = points[points.length - 1] as SeriesPoint
  const lowest = Math.min(...points.map((p) => p[1]))
  const trend = slo.trend === null ? '' : ` The trend is ${slo.trend.direction}.`
  const description = `SLI went from ${percent(first[1])} to ${percent(last[1])} (lowest ${percent(lowest)}) against an objective of ${percent(slo.objective)}.${trend}`
  const body =
    axes(s, period, ticks, (v) => percent(v, digits), timeZone) +
    `<line class="target" x1="${M.left}" y1="${s.y(slo.objective)}" x2="${WIDTH - M.right}" y2="${s.y(slo.objective)}" stroke="${PALETTE.orange}" stroke-width="2" stroke-dasharray="8 4"/>` +
    `<path class="actual" d="${path(points, s)}" fill="none" stroke="${PALETTE.blue}" stroke-width="2.5" stroke-linejoin="round"/>`
  return frame(id, title, description, body, [
    { label: 'SLI', color: PALETTE.blue },
    { label: `objective ${percent(slo.objective)}`, color: PALETTE.orange, dash: '8 4' },
  ])
}

/** Horizontal bars of the burn rate per window, with the 1× line and each window's alert threshold. */
export function burnRateBars(slo: SloReport, id: string): string {
  const title = `Burn rates of ${slo.sloId}`
  const rows = slo.burnRates
  if (rows.length === 0) return empty(id, title, 'No burn rates: the data could not be read.')
  const rowHeight = 22
  const height = M.top + rows.length * rowHeight + 26
  const left = 52
  const right = WIDTH - 190
  let max = 2
  for (const r of rows) if (r.burnRate !== null) max = Math.max(max, r.burnRate * 1.15)
  const x = (v: number) => r1(left + (Math.min(v, max) / max) * (right - left))
  let body = ''
  rows.forEach((r, i) => {
    const y = M.top + i * rowHeight
    const rate = r.burnRate
    const over = rate !== null && r.threshold !== null && rate > r.threshold
    const color = over ? PALETTE.vermillion : rate !== null && rate >= 1 ? PALETTE.orange : PALETTE.blue
    body += `<text class="tick" x="${left - 8}" y="${y + 15}" text-anchor="end">${escapeHtml(r.window)}</text>`
    if (rate !== null) {
      body += `<rect class="bar" x="${left}" y="${y + 4}" width="${Math.max(1, r1(x(rate) - left))}" height="${rowHeight - 8}" fill="${color}"${over ? ' stroke="#1A1A1A" stroke-width="1"' : ''}/>`
    }
    if (r.threshold !== null && r.threshold <= max) {
      body += `<line class="threshold" x1="${x(r.threshold)}" y1="${y + 1}" x2="${x(r.threshold)}" y2="${y + rowHeight - 1}" stroke="${PALETTE.ink}" stroke-width="2"/>`
    }
    const note =
      r.threshold === null ? '' : ` · ${over ? 'over ' : ''}${r.severity} ${Number(r.threshold.toFixed(2))}×`
    body += `<text class="value" x="${right + 8}" y="${y + 15}">${escapeHtml(rate === null ? 'no events' : burnText(r))}${escapeHtml(note)}</text>`
  })
  const bottom = M.top + rows.length * rowHeight
  body += `<line class="one" x1="${x(1)}" y1="${M.top - 4}" x2="${x(1)}" y2="${bottom + 4}" stroke="${PALETTE.grey}" stroke-dasharray="4 3"/>`
  body += `<text class="tick" x="${x(1)}" y="${bottom + 18}" text-anchor="middle">1×</text>`
  body += `<text class="tick" x="${right}" y="${bottom + 18}" text-anchor="end">${escapeHtml(burnText({ ...(rows[0] as (typeof rows)[number]), burnRate: max }))}</text>`
  const description = `Burn rate per window: ${rows.map((r) => `${r.window} ${r.burnRate === null ? 'no events' : burnText(r)}${r.threshold === null ? '' : ` (threshold ${Number(r.threshold.toFixed(2))}×)`}`).join(', ')}. 1× spends exactly the budget over the window.`
  return frame(id, title, description, body, [
    { label: 'burn rate', color: PALETTE.blue },
    { label: 'alert threshold', color: PALETTE.ink },
    { label: '1× (budget-neutral)', color: PALETTE.grey, dash: '4 3' },
  ]).replace(
    `height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}"`,
    `height="${height}" viewBox="0 0 ${WIDTH} ${height}"`,
  )
}
