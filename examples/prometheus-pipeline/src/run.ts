import type { AlertTransition, DeliveryAttempt } from '@slokit/alerting'
import type { FreezeTransition } from '@slokit/budget'
import { DAY_MS, type Logger, MINUTE_MS, type SloStatus } from '@slokit/core'
import { type FakePagerDuty, startFakePagerDuty } from '@slokit/pagerduty/testing'
import { type FakeSlack, startFakeSlack } from '@slokit/slack/testing'
import { FakeClock } from '@slokit/testing'
import { pipelineConfig } from './config.js'
import { startPipeline } from './pipeline.js'

/** Options of {@link replayHistory}. */
export interface ReplayOptions {
  /** The Prometheus holding the history. */
  readonly prometheusUrl: string
  /** First evaluation (fake time). */
  readonly fromMs: number
  /** Last evaluation (fake time). */
  readonly toMs: number
  /** Fake time between evaluations; 5 minutes by default (`engine.start()` uses 1 minute). */
  readonly tickEveryMs?: number | undefined
  /** Receives the engine's log lines. */
  readonly logger?: Logger | undefined
}

/** What happened during {@link replayHistory}, and what the fakes received. */
export interface Replay {
  /** Alert transitions (firing, escalated, resolved), at the evaluation that made them. */
  readonly transitions: ReadonlyArray<AlertTransition & { readonly atMs: number }>
  readonly freezes: readonly FreezeTransition[]
  /** Delivery attempts, at the time they were made. */
  readonly deliveries: ReadonlyArray<DeliveryAttempt & { readonly atMs: number }>
  /** Source errors reported by the engine (none expected). */
  readonly sourceErrors: readonly string[]
  /** Every SLO's status at the last evaluation. */
  readonly statuses: readonly SloStatus[]
  readonly ticks: number
  readonly slack: FakeSlack
  readonly pagerduty: FakePagerDuty
  /** The routing key the PagerDuty channel was configured with (a canary for secret checks). */
  readonly routingKey: string
}

/**
 * Replays history held in Prometheus through the whole pipeline on fake time: the engine reads
 * the SLI from Prometheus at each evaluation, as it would live, alerts and policies act, and every
 * notification goes to a strict local Slack and PagerDuty (`@slokit/slack/testing`,
 * `@slokit/pagerduty/testing`) that enforce the real services' contracts. The fakes are closed
 * when it returns; their records stay readable.
 */
export async function replayHistory(options: ReplayOptions): Promise<Replay> {
  const clock = new FakeClock(options.fromMs)
  const slack = await startFakeSlack({ now: () => clock.now(), minIntervalMs: 1000 })
  const pagerduty = await startFakePagerDuty()
  const routingKey = 'e93facc04764012d7bfb002500d5d1a6'
  try {
    const pipeline = startPipeline({
      configText: pipelineConfig(pagerduty.baseUrl),
      env: { SLACK_WEBHOOK_URL: slack.webhookUrl, PAGERDUTY_ROUTING_KEY: routingKey },
      prometheusUrl: options.prometheusUrl,
      clock,
      logger: options.logger,
      // Slack pacing waits on the fake clock, never for real.
      sleep: async (ms) => void clock.advance(ms),
    })
    const transitions: Array<AlertTransition & { atMs: number }> = []
    const freezes: FreezeTransition[] = []
    const deliveries: Array<DeliveryAttempt & { atMs: number }> = []
    const sourceErrors: string[] = []
    pipeline.engine.on('alert', (t) => transitions.push({ ...t, atMs: clock.now() }))
    pipeline.engine.on('freeze', (f) => freezes.push(f))
    pipeline.engine.on('delivery', (d) => deliveries.push({ ...d, atMs: clock.now() }))
    pipeline.engine.on('sourceError', (e) => sourceErrors.push(e.error))
    const stepMs = options.tickEveryMs ?? 5 * MINUTE_MS
    let statuses: readonly SloStatus[] = []
    let ticks = 0
    for (let at = options.fromMs; at <= options.toMs; at += stepMs) {
      if (at > clock.now()) clock.set(at)
      statuses = (await pipeline.engine.tick()).statuses
      ticks += 1
    }
    return { transitions, freezes, deliveries, sourceErrors, statuses, ticks, slack, pagerduty, routingKey }
  } finally {
    await Promise.all([slack.close(), pagerduty.close()])
  }
}

/** A day before the incident up to the end of the data: quiet, incident, recovery. */
export const replayWindow = (dataStartMs: number, dataEndMs: number) => ({
  fromMs: dataStartMs + DAY_MS,
  toMs: dataEndMs,
})
