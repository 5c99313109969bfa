import { alertsSectionSchema, sampleNotification as sampleNotificationFor } from '@slokit/alerting'
import { DAY_MS, HOUR_MS, MINUTE_MS, parseSlo } from '@slokit/core'
import { RecordingNotifier } from '@slokit/testing'
import { expectAlerts, type FiringEpisode, scoreAlerts } from '@slokit/testing/alerts'
import { describe, expect, it } from 'vitest'

const start = Date.UTC(2026, 9, 1)
const slo = {
  id: 'checkout-availability',
  service: 'checkout',
  sli: { id: 'checkout-requests', kind: 'availability' as const, measurement: { type: 'ratio' as const } },
  objective: '99.9%',
  window: '30d',
}

describe('scoreAlerts', () => {
  const episode = (rule: string, firedAtMs: number, resolvedAtMs: number | null): FiringEpisode => ({
    alertId: `${rule}/checkout-availability`,
    sloId: 'checkout-availability',
    rule,
    tier: null,
    severity: 'critical',
    firedAtMs,
    resolvedAtMs,
  })
  it('computes precision, recall, detection and reset times against the significant events', () => {
    const events = [
      { sloId: 'checkout-availability', startMs: 1000, endMs: 5000 },
      { sloId: 'checkout-availability', startMs: 20_000, endMs: 22_000 },
      { sloId: 'checkout-availability', startMs: 40_000, endMs: 41_000 }, // missed
    ]
    const [score] = scoreAlerts(
      [
        episode('burn', 1600, 6000), // detects event 1 after 600 ms, resets 1000 ms after it ended
        episode('burn', 21_000, 23_000), // detects event 2 after 1000 ms, resets after 1000 ms
        episode('burn', 30_000, 31_000), // a false positive
      ],
      events,
    )
    expect(score).toEqual({
      rule: 'burn',
      tier: null,
      precision: 2 / 3,
      recall: 2 / 3,
      detectionTimeMs: { mean: 800, max: 1000 },
      resetTimeMs: { mean: 1000, max: 1000 },
      episodes: 3,
      events: 3,
      falsePositives: 1,
      missed: 1,
    })
  })
})

describe('expectAlerts', () => {
  it('runs a 100 % outage through the engine: the page fires within two minutes and resets after the incident', async () => {
    const outage = start + 4 * DAY_MS
    const timeline = await expectAlerts(
      { slos: [slo], alerts: { rules: [{ name: 'burn', type: 'burn_rate' }] } },
      {
        traffic: {
          seed: 3,
          startMs: start,
          durationMs: 5 * DAY_MS,
          requestsPerMinute: 120,
          errorRate: 0,
          incidents: [{ startMs: outage, durationMs: 30 * MINUTE_MS, errorRate: 1 }],
        },
        evaluationIntervalMs: MINUTE_MS,
      },
    )
    const page = timeline.episodes.find((e) => e.tier === 'page')
    expect(page).toBeDefined()
    expect((page as FiringEpisode).firedAtMs - outage).toBeLessThanOrEqual(2 * MINUTE_MS)
    expect((page as FiringEpisode).resolvedAtMs).not.toBeNull()
    const pageScore = timeline.scores.find((s) => s.tier === 'page')
    expect(pageScore).toMatchObject({ precision: 1, recall: 1, falsePositives: 0, missed: 0 })
    expect(timeline.notifications.map((n) => n.kind)).toContain('alert_resolved')
    expect(timeline.incidents).toEqual([
      { sloId: 'checkout-availability', startMs: outage, endMs: outage + 30 * MINUTE_MS },
    ])
  }, 60_000)

  it('takes the SLOs and the alerts section as the config loader validated them, too', async () => {
    const traffic = {
      seed: 3,
      startMs: start,
      durationMs: 4 * DAY_MS,
      requestsPerMinute: 60,
      errorRate: 0,
      incidents: [{ startMs: start + 3 * DAY_MS + HOUR_MS, durationMs: 20 * MINUTE_MS, errorRate: 1 }],
    }
    const written = { rules: [{ name: 'burn', type: 'burn_rate' as const }], cooldown: '30m' }
    const asWritten = await expectAlerts({ slos: [slo], alerts: written }, { traffic })
    const validated = await expectAlerts(
      { slos: [parseSlo(slo)], alerts: alertsSectionSchema.parse(written) },
      { traffic },
    )
    expect(validated.episodes).toEqual(asWritten.episodes)
    expect(validated.episodes.length).toBeGreaterThan(0)
  }, 60_000)

  it('shows how a low-traffic guard trades recall for precision', async () => {
    // A healthy 0.05 % error rate at half a request a minute: a single failure makes the 1-hour
    // window burn at 33×. minEvents (more than the 180 events 6 hours hold) keeps it from paging.
    const quiet = {
      seed: 9,
      startMs: start,
      durationMs: 10 * DAY_MS,
      requestsPerMinute: 0.5,
      errorRate: 0.0005,
    }
    const noisy = await expectAlerts(
      { slos: [slo], alerts: { rules: [{ name: 'burn', type: 'burn_rate', ticket: false }] } },
      { traffic: quiet, evaluationIntervalMs: 5 * MINUTE_MS },
    )
    const guarded = await expectAlerts(
      {
        slos: [slo],
        alerts: { rules: [{ name: 'burn', type: 'burn_rate', ticket: false, minEvents: 200 }] },
      },
      { traffic: quiet, evaluationIntervalMs: 5 * MINUTE_MS },
    )
    expect(noisy.episodes.length).toBeGreaterThan(0) // pages on noise: every one a false positive
    expect(noisy.scores[0]?.precision).toBe(0)
    expect(guarded.episodes).toEqual([])
  }, 60_000)
})

describe('RecordingNotifier', () => {
  it('records, and answers scripted failures first', async () => {
    const notifier = new RecordingNotifier('pager').failNext({ retryable: true, error: 'HTTP 503' }, 2)
    const notification = sampleNotificationFor('alert_firing')
    expect(await notifier.send(notification)).toEqual({ ok: false, retryable: true, error: 'HTTP 503' })
    expect(await notifier.send(notification)).toMatchObject({ ok: false })
    expect(await notifier.send(notification)).toEqual({ ok: true, retryable: false })
    expect(notifier.sent).toHaveLength(3)
    expect(notifier.delivered).toHaveLength(1)
    void HOUR_MS
  })
})
