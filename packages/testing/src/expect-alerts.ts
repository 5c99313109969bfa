import type { AlertsSection, AlertsSectionInput, Notification } from '@slokit/alerting'
import type { SloSpec, SloSpecInput } from '@slokit/core'
import type { AlertScore, FiringEpisode, SignificantEvent } from './backtest.js'
import { backtestAlerts } from './backtest-run.js'
import { MemorySource } from './memory-source.js'
import { alertsOf, sloOf } from './sections.js'
import { simulateTraffic, type TrafficOptions } from './simulator.js'

/** The SLOs and rules under test, as written or as the config loader validated them. */
export interface AlertConfig {
  readonly slos: ReadonlyArray<SloSpec | SloSpecInput>
  readonly alerts: AlertsSectionInput | AlertsSection
}

/** The traffic to run the rules against, and how often to evaluate. */
export interface AlertScenario {
  /** Simulated traffic (with its incidents); every SLO's SLI is fed the same requests. */
  readonly traffic: TrafficOptions
  /** How often the engine evaluates; one minute by default. */
  readonly evaluationIntervalMs?: number
  /** Start evaluating this long after the traffic starts, so long windows have history; 3 days by default. */
  readonly warmupMs?: number
}

/** What happened when a scenario ran through the engine on fake time. */
export interface AlertTimeline {
  /** Each firing episode: when it fired, and when it reset. */
  readonly episodes: readonly FiringEpisode[]
  /** Every notification delivered, in order. */
  readonly notifications: readonly Notification[]
  /** The scenario's incidents, as significant events per SLO. */
  readonly incidents: readonly SignificantEvent[]
  /** The SRE Workbook's four measures, per rule and tier, against the incidents. */
  readonly scores: readonly AlertScore[]
}

const DAY_MS = 86_400_000

/**
 * Runs an incident through the real engine on fake time and reports what fired, when, and when
 * it reset — with precision, recall, detection and reset times against the scenario's incidents.
 * Nothing is sent: every alert goes to a recorder.
 *
 * @example
 * ```ts
 * const timeline = await expectAlerts(
 *   { slos: [checkoutSlo], alerts: { rules: [{ name: 'burn', type: 'burn_rate' }] } },
 *   { traffic: { seed: 1, startMs, durationMs: 5 * DAY_MS, requestsPerMinute: 60, incidents: [{ startMs: outage, durationMs: HOUR_MS, errorRate: 1 }] } },
 * )
 * expect(timeline.episodes[0]).toMatchObject({ tier: 'page' })
 * expect(timeline.episodes[0].firedAtMs - outage).toBeLessThan(2 * 60_000)
 * ```
 */
export async function expectAlerts(config: AlertConfig, scenario: AlertScenario): Promise<AlertTimeline> {
  const slos = config.slos.map(sloOf)
  const traffic = simulateTraffic(scenario.traffic)
  const stepMs = scenario.traffic.stepMs ?? 60_000
  const source = new MemorySource({ name: 'scenario', resolutionMs: stepMs })
  const events = traffic.events(stepMs)
  for (const sliId of new Set(slos.map((s) => s.sli.id))) source.addEvents(sliId, events)
  const incidents: SignificantEvent[] = (scenario.traffic.incidents ?? []).flatMap((incident) =>
    slos.map((slo) => ({
      sloId: slo.id,
      startMs: incident.startMs,
      endMs: incident.startMs + incident.durationMs,
    })),
  )
  const result = await backtestAlerts({
    slos,
    alerts: alertsOf(config.alerts),
    source,
    range: { startMs: traffic.startMs + (scenario.warmupMs ?? 3 * DAY_MS), endMs: traffic.endMs },
    stepMs: scenario.evaluationIntervalMs ?? 60_000,
    events: incidents,
  })
  return { episodes: result.episodes, notifications: result.notifications, incidents, scores: result.scores }
}
