import { inspect } from 'node:util'
import { HOUR_MS, MINUTE_MS } from '@slokit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalPrometheus, missingPrometheus, startLocalPrometheus } from './local-prometheus.js'
import { type Replay, replayHistory, replayWindow } from './run.js'
import { checkoutHistory } from './traffic.js'

// A real Prometheus 2.x with three days of backfilled checkout counters, read by PrometheusSource
// at every evaluation; Slack and PagerDuty are the strict fakes. Skips where the binaries are missing.
const missing = missingPrometheus()

const title = 'Prometheus → SLO → alerts and policies → Slack and PagerDuty'
describe.skipIf(missing !== undefined)(
  missing === undefined ? title : `${title} (skipped: ${missing})`,
  () => {
    const history = checkoutHistory()
    let prometheus: LocalPrometheus
    let replay: Replay

    beforeAll(async () => {
      prometheus = await startLocalPrometheus(history.series)
      replay = await replayHistory({
        prometheusUrl: prometheus.url,
        ...replayWindow(history.dataStartMs, history.dataEndMs),
      })
    }, 60_000)
    afterAll(() => prometheus?.stop())

    it('reads every evaluation from Prometheus without an error, and gets the exact SLI', () => {
      expect(replay.sourceErrors).toEqual([])
      expect(replay.ticks).toBe(577) // two days every 5 minutes, both ends included
      // The 7-day window holds all three days: the SLI is the counters' final good / total.
      const last = (code: string) =>
        history.series.find((s) => s.labels.code === code)?.samples.at(-1)?.[1] as number
      const [status] = replay.statuses
      expect(status?.sloId).toBe('checkout-availability')
      expect(status!.sli).toBeCloseTo(last('200') / (last('200') + last('500')), 9)
      expect(status!.met).toBe(false)
      expect(status!.budget!.remaining).toBeLessThan(0)
    })

    it('pages PagerDuty and Slack within 15 minutes of the incident, once, and resolves the same incident', () => {
      const firing = replay.transitions.filter((t) => t.kind === 'firing')
      const page = firing.find((t) => t.state.tier === 'page')
      expect(page).toBeDefined()
      expect(page!.atMs).toBeGreaterThan(history.incidentStartMs)
      expect(page!.atMs - history.incidentStartMs).toBeLessThanOrEqual(15 * MINUTE_MS)
      // Nothing fired before the incident: the baseline 0.02 % errors are a fifth of the budget rate.
      expect(firing.every((t) => t.atMs > history.incidentStartMs)).toBe(true)

      expect(replay.pagerduty.alerts).toHaveLength(1)
      const [incident] = replay.pagerduty.alerts
      expect(incident).toMatchObject({
        dedupKey: 'slo-burn-rate/checkout-availability/page',
        severity: 'critical',
        status: 'resolved',
      })
      expect(incident!.events.map((e) => e.event_action)).toEqual(['trigger', 'resolve'])
      const resolved = replay.transitions.find((t) => t.kind === 'resolved' && t.state.tier === 'page')
      expect(resolved!.atMs).toBeGreaterThanOrEqual(history.incidentEndMs)
      expect(resolved!.atMs - history.incidentEndMs).toBeLessThanOrEqual(HOUR_MS)
    })

    it('tickets to Slack only, after the page, and resolves the ticket', () => {
      const texts = replay.slack.delivered.map((m) => m.text.split('\n')[0] ?? '')
      expect(texts.filter((t) => t.startsWith(':red_circle: FIRING (critical)'))).toHaveLength(1)
      expect(texts.filter((t) => t.startsWith(':large_yellow_circle: FIRING (warning)'))).toHaveLength(1)
      expect(texts.filter((t) => t.startsWith(':white_check_mark: RESOLVED'))).toHaveLength(2)
      // Tickets never reach PagerDuty.
      expect(replay.pagerduty.requests.every((r) => !r.body.includes('/ticket'))).toBe(true)
      // The fake enforces Slack's pacing and payload rules: nothing broke them.
      expect(replay.slack.violations).toEqual([])
    })

    it('freezes deployments once half the budget is gone, and tells Slack', () => {
      const entered = replay.freezes.filter((f) => f.kind === 'entered')
      expect(entered).toHaveLength(1)
      expect(entered[0]).toMatchObject({ service: 'checkout', frozen: true })
      expect(entered[0]!.reason).toContain('checkout-availability: budget remaining')
      expect(entered[0]!.atMs).toBeGreaterThan(history.incidentStartMs)
      expect(entered[0]!.atMs).toBeLessThan(history.incidentEndMs)
      // Still frozen at the end: the incident is inside the 7-day window.
      expect(replay.freezes.some((f) => f.kind === 'left')).toBe(false)
      expect(replay.slack.delivered.some((m) => m.text.includes('Deployments frozen'))).toBe(true)
    })

    it('never puts the Slack webhook URL or the PagerDuty routing key in a message or a result', () => {
      const webhookPath = new URL(replay.slack.webhookUrl).pathname
      const seen = [
        ...replay.slack.delivered.map((m) => m.text + JSON.stringify(m.blocks)),
        ...replay.deliveries.map((d) => inspect(d, { depth: 10 }) + JSON.stringify(d)),
      ].join('\n')
      expect(seen).not.toContain(replay.routingKey)
      expect(seen).not.toContain(webhookPath)
    })
  },
)
