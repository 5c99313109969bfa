import { type AlertState, type AlertsSection, alertsSectionSchema, type Notification } from '@slokit/alerting'
import { errorBudgetRatio, nominalPeriodMs, type SliSeries, type SliSource, type SloSpec } from '@slokit/core'
import { createEngine } from '@slokit/engine'
import {
  type AlertScore,
  episodesFrom,
  type FiringEpisode,
  type ScoreOptions,
  type SignificantEvent,
  scoreAlerts,
} from './backtest.js'
import { RecordingNotifier } from './recording-notifier.js'

/** Options of {@link significantEvents}. */
export interface SignificantEventOptions {
  /** A stretch of elevated errors is significant when it spends at least this much of the period's budget; 2 % by default (the page tier's 1-hour row). */
  readonly minBudgetSpent?: number
  /** Elevated stretches less than this apart are one event; 30 minutes by default. */
  readonly mergeGapMs?: number
}

/**
 * The significant events in an SLO's data — the truth a backtest scores alerts against. An
 * event is a stretch of data points that each burn budget faster than the SLO allows (error
 * ratio above `1 − objective`), merged across gaps shorter than `mergeGapMs`, that spends at least
 * `minBudgetSpent` of the period's budget. The period's budget is estimated from the data's
 * average traffic: `(1 − objective) × events per ms × period`.
 *
 * Event series count `total − good` bad events per point. Value series (threshold SLIs) count
 * each point as one event, bad when it misses the threshold; with an aggregation such as p95 per
 * slice this approximates the slices by the points.
 *
 * @example
 * ```ts
 * const series = await source.query(slo.sli, { startMs, endMs })
 * significantEvents(slo, series) // [{ sloId, startMs, endMs }] — e.g. the outage on day 12
 * ```
 */
export function significantEvents(
  slo: SloSpec,
  series: SliSeries,
  options: SignificantEventOptions = {},
): SignificantEvent[] {
  const minBudgetSpent = options.minBudgetSpent ?? 0.02
  const mergeGapMs = options.mergeGapMs ?? 30 * 60_000
  const allowed = errorBudgetRatio(slo.objective)
  const points =
    series.kind === 'events'
      ? series.points.map((p) => ({ t: p.t, bad: p.total - p.good, total: p.total }))
      : series.points.map((p) => ({ t: p.t, bad: missesThreshold(slo, p.value) ? 1 : 0, total: 1 }))
  if (points.length === 0) return []
  const resolutionMs = series.resolutionMs ?? 60_000
  const first = points[0]!.t
  const last = points[points.length - 1]!.t + resolutionMs
  const totalEvents = points.reduce((sum, p) => sum + p.total, 0)
  const periodBudget = allowed * (totalEvents / Math.max(1, last - first)) * nominalPeriodMs(slo.window)
  const events: SignificantEvent[] = []
  let run: { startMs: number; endMs: number; bad: number } | undefined
  const close = () => {
    if (run !== undefined && periodBudget > 0 && run.bad / periodBudget >= minBudgetSpent)
      events.push({ sloId: slo.id, startMs: run.startMs, endMs: run.endMs })
    run = undefined
  }
  for (const point of points) {
    if (!(point.total > 0 && point.bad / point.total > allowed)) continue
    const endMs = point.t + resolutionMs
    if (run !== undefined && point.t - run.endMs < mergeGapMs) {
      run.endMs = endMs
      run.bad += point.bad
    } else {
      close()
      run = { startMs: point.t, endMs, bad: point.bad }
    }
  }
  close()
  return events
}

function missesThreshold(slo: SloSpec, value: number): boolean {
  const m = slo.sli.measurement
  if (m.type !== 'threshold') return false
  switch (m.comparison) {
    case '<=':
      return !(value <= m.threshold)
    case '<':
      return !(value < m.threshold)
    case '>=':
      return !(value >= m.threshold)
    case '>':
      return !(value > m.threshold)
  }
}

/** Options of {@link backtestAlerts}. */
export interface BacktestOptions {
  readonly slos: readonly SloSpec[]
  /** The validated `alerts` section whose rules are scored. Its routes are ignored: nothing is sent. */
  readonly alerts: AlertsSection
  /** Where every SLI's data comes from (a `FileSource`, a `MemorySource`, Prometheus…), whatever source its spec names. */
  readonly source: SliSource
  /** The stretch of time the engine evaluates, every `stepMs`. */
  readonly range: { readonly startMs: number; readonly endMs: number }
  /** How often the engine evaluates; five minutes by default. */
  readonly stepMs?: number
  /** The truth to score against; found in the data with {@link significantEvents} when left out. */
  readonly events?: readonly SignificantEvent[]
  readonly significant?: SignificantEventOptions
  readonly scoring?: ScoreOptions
}

/** What a backtest found. */
export interface BacktestResult {
  readonly episodes: readonly FiringEpisode[]
  readonly events: readonly SignificantEvent[]
  /** The SRE Workbook's four measures per rule and tier. */
  readonly scores: readonly AlertScore[]
  /** Every notification the engine would have sent (to a recorder; nothing leaves the process). */
  readonly notifications: readonly Notification[]
  readonly evaluations: number
}

/**
 * Backtests alert rules: runs them through the real engine over historical data, evaluating every
 * `stepMs` on fake time, and scores what fired against the significant events with the SRE
 * Workbook's measures — precision, recall, detection time and reset time. Nothing is sent: every
 * route goes to a recorder.
 *
 * @example
 * ```ts
 * const source = new FileSource({ path: 'export.csv' })
 * const result = await backtestAlerts({ slos: config.slos, alerts, source, range: { startMs, endMs } })
 * result.scores // [{ rule: 'slo-burn-rate', tier: 'page', precision: 1, recall: 1, detectionTimeMs: { mean: 240_000, … } }, …]
 * ```
 */
export async function backtestAlerts(options: BacktestOptions): Promise<BacktestResult> {
  const { slos, source, range } = options
  const stepMs = options.stepMs ?? 5 * 60_000
  const recorder = new RecordingNotifier('backtest')
  const alerts: AlertsSection = {
    ...options.alerts,
    routes: alertsSectionSchema.parse({ routes: [{ channels: ['backtest'] }] }).routes,
  }
  // Every SLI reads from the one source, whichever source its spec names.
  const names = new Set([
    source.name,
    ...slos.flatMap((slo) => (slo.sli.source === undefined ? [] : [slo.sli.source])),
  ])
  const sources = Object.fromEntries([...names].map((name) => [name, source]))
  const engine = createEngine({
    slos,
    sources,
    defaultSource: source.name,
    alerts,
    notifiers: { backtest: recorder },
    clock: { now: () => range.startMs },
  })
  const timeline: Array<{ atMs: number; states: readonly AlertState[] }> = []
  let evaluations = 0
  for (let now = range.startMs; now <= range.endMs; now += stepMs) {
    await engine.tick(now)
    evaluations++
    timeline.push({ atMs: now, states: await engine.alerting.states() })
  }
  const events =
    options.events ??
    (
      await Promise.all(
        slos.map(async (slo) => {
          const series = await source.query(slo.sli, range)
          return significantEvents(slo, series, options.significant)
        }),
      )
    ).flat()
  const episodes = episodesFrom(timeline)
  return {
    episodes,
    events,
    scores: scoreAlerts(episodes, events, options.scoring),
    notifications: recorder.delivered,
    evaluations,
  }
}
