import { formatDuration } from '@slokit/core'
import { budgetPercent, count, formatInstant, humanDuration, percent, slopeText } from './format.js'
import type { Report, ReportBurnRate, SloHealth, SloReport } from './report.js'

// Plain-text sentences shared by the Markdown and HTML renderers; each escapes them its own way.

/** `healthy`, `at risk`, … for people. */
export const HEALTH_LABELS: Readonly<Record<SloHealth, string>> = {
  healthy: 'healthy',
  at_risk: 'at risk',
  breached: 'breached',
  no_data: 'no data',
}

/** `2026-10-01 00:00 UTC – 2026-10-31 00:00 UTC (30d)`. */
export function periodText(report: Report): string {
  const { startMs, endMs } = report.period
  const length = endMs - startMs
  const span = Number.isSafeInteger(length) && length > 0 ? formatDuration(length) : humanDuration(length)
  return `${formatInstant(startMs, report.timeZone)} – ${formatInstant(endMs, report.timeZone)} (${span})`
}

/** The SLI, or `no data`. */
export function sliText(slo: SloReport): string {
  return slo.sli === null ? 'no data' : percent(slo.sli)
}

/** `41.2% left` with minutes for time budgets: `41.2% left (17.8 of 43.2 min)`. */
export function budgetLeftText(slo: SloReport): string {
  const b = slo.budget
  if (b === null) return 'unknown'
  const minutes =
    b.remainingMinutes !== null && b.allowedMinutes !== null
      ? ` (${Number(b.remainingMinutes.toFixed(1))} of ${Number(b.allowedMinutes.toFixed(1))} min)`
      : ''
  return `${budgetPercent(b.remaining)}${minutes}`
}

/** A sentence on the budget: consumed, left, allowed and spent. */
export function budgetSentence(slo: SloReport): string {
  const b = slo.budget
  if (b === null) return 'Error budget unknown: the data could not be read.'
  const unit = slo.budgetingMethod === 'occurrences' ? 'events' : 'slices'
  const time =
    b.allowedMinutes !== null && b.remainingMinutes !== null
      ? ` As time: ${Number(b.allowedMinutes.toFixed(1))} minutes allowed, ${Number(b.remainingMinutes.toFixed(1))} left.`
      : ''
  return `${budgetPercent(b.consumed)} of the error budget consumed, ${budgetPercent(b.remaining)} left (${count(b.spent)} bad of ${count(b.allowed)} allowed ${unit}).${time}`
}

/** `0.42×` or `—`. */
export function burnText(reading: ReportBurnRate): string {
  if (reading.burnRate === null) return '—'
  const r = reading.burnRate
  return r >= 100 ? `${Math.round(r)}×` : r >= 10 ? `${Number(r.toFixed(1))}×` : `${Number(r.toFixed(2))}×`
}

/** `14.4× page` or `—`. */
export function thresholdText(reading: ReportBurnRate): string {
  if (reading.threshold === null) return '—'
  return `${Number(reading.threshold.toFixed(2))}× ${reading.severity}`
}

/** The SLI trend in words, or why there is none. */
export function trendSentence(slo: SloReport): string {
  const t = slo.trend
  if (t === null) return 'No trend: fewer than three snapshots with an SLI in the period.'
  return `SLI ${t.direction}: ${slopeText(t.slopePerDay)}, volatility ${Number((t.volatility * 100).toPrecision(2))} pp, R² ${t.rSquared.toFixed(2)}, over ${humanDuration(t.spanMs)} (${t.points} points).`
}

/** The forecast in words, or why there is none. */
export function forecastSentence(slo: SloReport, timeZone: string): string {
  const f = slo.forecast
  if (slo.budget === null) return 'No forecast: the budget is unknown.'
  if (f === null) return 'No forecast: the error budget is not shrinking beyond its own noise.'
  if (f.timeToExhaustionMs === 0) return 'The error budget is spent.'
  return `At the burn of the last ${humanDuration(f.lookbackMs)}, the error budget runs out ${formatInstant(f.exhaustsAtMs, timeZone)}, in ${humanDuration(f.timeToExhaustionMs)} (confidence ${f.confidence.toFixed(2)}).`
}

/** Data quality in words: `data ok, 100% of the window covered`. */
export function dataSentence(slo: SloReport): string {
  const coverage = `${percent(slo.data.coverage, 1)} of the window covered`
  return slo.data.state === 'ok'
    ? `data ok, ${coverage}`
    : `data ${slo.data.state.replace('_', ' ')} (${slo.data.reason ?? 'unknown reason'}), ${coverage}`
}

/** How many policy decisions the Markdown and HTML renderers list per SLO (the newest); JSON has all. */
export const MAX_LISTED_DECISIONS = 12

/** `Service checkout · critical · owner team-checkout · 30d window, occurrences`. */
export function factsText(slo: SloReport): string {
  return [
    `service ${slo.service}`,
    slo.priority === null ? '' : `priority ${slo.priority}`,
    slo.owner === null ? '' : `owner ${slo.owner}`,
    `objective ${percent(slo.objective)} over ${slo.window}`,
    slo.budgetingMethod.replace('_', ' '),
  ]
    .filter((p) => p !== '')
    .join(' · ')
}

/** Only http(s) links are rendered as links. */
export function safeUrl(url: string | null): string | null {
  return url !== null && /^https?:\/\/[^\s"'<>]+$/i.test(url) ? url : null
}
