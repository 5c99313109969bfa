import type { TrendDirection } from '@slokit/core'
import { REPORT_SCHEMA_VERSION, type Report, type SloHealth } from './report.js'
import { roundNumber } from './to-json.js'

/** One SLO as a dashboard row: flat fields a table panel can show without transformations. */
export interface DashboardSlo {
  readonly id: string
  readonly name: string | null
  readonly service: string
  readonly health: SloHealth
  readonly sli: number | null
  readonly objective: number
  readonly met: boolean | null
  readonly budgetRemaining: number | null
  /** Burn rate per window label (`1h`, `6h`, …); `null` without events. */
  readonly burnRates: Readonly<Record<string, number | null>>
  readonly trend: TrendDirection | null
  readonly forecastExhaustsAtMs: number | null
  readonly forecastConfidence: number | null
  readonly alertsFired: number
  readonly timeNotMetMs: number
  /** Budget remaining over the period, `sparklinePoints` values evenly spaced in time (`null` where there is no data). */
  readonly budgetSparkline: readonly (number | null)[]
}

/** The compact JSON a UI or a Grafana panel needs (`kind: "slokit.dashboard"`). */
export interface DashboardData {
  readonly kind: 'slokit.dashboard'
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION
  readonly generatedAtMs: number
  readonly period: { readonly startMs: number; readonly endMs: number }
  readonly summary: {
    readonly status: SloHealth
    readonly headline: string
    readonly slos: number
    readonly met: number
    readonly healthy: number
    readonly atRisk: number
    readonly breached: number
    readonly noData: number
    readonly worstBudget: { readonly sloId: string; readonly remaining: number } | null
  }
  readonly slos: readonly DashboardSlo[]
}

/** Options of {@link dashboardData}. */
export interface DashboardOptions {
  /** Values in each budget sparkline; 30 by default (one a day for a 30-day report). */
  readonly sparklinePoints?: number | undefined
}

/**
 * The compact dashboard form of a report: a summary and one flat row per SLO with its headline
 * numbers, burn rates by window and a short budget sparkline — a few hundred bytes per SLO,
 * numbers to 10 significant digits. Serve it as JSON to a UI, or to Grafana's Infinity or JSON
 * API data source (`rows` = `$.slos`).
 *
 * @example
 * ```ts
 * response.end(JSON.stringify(dashboardData(report)))
 * ```
 */
export function dashboardData(report: Report, options: DashboardOptions = {}): DashboardData {
  const n = Math.max(2, Math.floor(options.sparklinePoints ?? 30))
  const { startMs, endMs } = report.period
  const step = (endMs - startMs) / (n - 1)
  const num = (v: number | null) => (v === null ? null : roundNumber(v))
  return {
    kind: 'slokit.dashboard',
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAtMs: report.generatedAtMs,
    period: { startMs, endMs },
    summary: {
      status: report.summary.status,
      headline: report.summary.headline,
      slos: report.overall.slos,
      met: report.overall.met,
      healthy: report.overall.health.healthy,
      atRisk: report.overall.health.atRisk,
      breached: report.overall.health.breached,
      noData: report.overall.health.noData,
      worstBudget:
        report.overall.worstBudget === null
          ? null
          : {
              sloId: report.overall.worstBudget.sloId,
              remaining: roundNumber(report.overall.worstBudget.remaining),
            },
    },
    slos: report.slos.map((s) => {
      const points = s.series.budgetRemaining
      const sparkline: (number | null)[] = []
      let j = 0
      for (let i = 0; i < n; i++) {
        // The newest point at or before each sample time, when it is not older than one step.
        const t = startMs + i * step
        while (j + 1 < points.length && (points[j + 1] as readonly [number, number])[0] <= t) j++
        const p = points[j]
        sparkline.push(p !== undefined && p[0] <= t && t - p[0] <= step ? roundNumber(p[1]) : null)
      }
      return {
        id: s.sloId,
        name: s.name,
        service: s.service,
        health: s.health,
        sli: num(s.sli),
        objective: s.objective,
        met: s.met,
        budgetRemaining: num(s.budget?.remaining ?? null),
        burnRates: Object.fromEntries(s.burnRates.map((b) => [b.window, num(b.burnRate)])),
        trend: s.trend?.direction ?? null,
        forecastExhaustsAtMs: s.forecast === null ? null : Math.round(s.forecast.exhaustsAtMs),
        forecastConfidence: num(s.forecast?.confidence ?? null),
        alertsFired: s.alerts.length,
        timeNotMetMs: s.timeNotMetMs,
        budgetSparkline: sparkline,
      }
    }),
  }
}
