import { DAY_MS, HOUR_MS, MINUTE_MS } from '@slokit/core'
import type { TrafficOptions } from '@slokit/testing'
import { type AlertTimeline, expectAlerts } from '@slokit/testing/alerts'
import { describe, expect, it } from 'vitest'
import { loadAlertPolicy } from './policy.js'

// The policy as deployed: SLOs and alert rules from the service's own YAML.
const policy = loadAlertPolicy(new URL('./alert-policy.yaml', import.meta.url))

// 99.9 % over 30 days: an error rate of 0.1 % spends the budget exactly in 30 days (a 1× burn).
const allowedErrorRate = 0.001
const startMs = Date.UTC(2026, 9, 1)
// Four quiet days first (three of them the warm-up before the first evaluation), then the incident
// at 10:00 UTC on day five.
const incidentStartMs = startMs + 4 * DAY_MS + 10 * HOUR_MS

/** Checkout traffic (60 requests a minute, 0.05 % errors) with one incident, and a day after it. */
function incident(
  errorRate: number,
  durationMs: number,
  traffic: Partial<TrafficOptions> = {},
): Promise<AlertTimeline> {
  return expectAlerts(policy, {
    traffic: {
      seed: 1,
      startMs,
      durationMs: incidentStartMs - startMs + durationMs + DAY_MS,
      requestsPerMinute: 60,
      errorRate: 0.0005,
      incidents: [{ startMs: incidentStartMs, durationMs, errorRate }],
      ...traffic,
    },
  })
}

const pages = (timeline: AlertTimeline) => timeline.episodes.filter((e) => e.tier === 'page')
const tickets = (timeline: AlertTimeline) => timeline.episodes.filter((e) => e.tier === 'ticket')

describe('checkout alert policy', () => {
  it('pages within two minutes of a full outage, as critical', async () => {
    const timeline = await incident(1, HOUR_MS)
    const [page] = pages(timeline)
    // Theory: the 1h window passes 14.4× after 52 s of a full outage; plus one evaluation a minute.
    expect(page?.firedAtMs).toBeDefined()
    expect(page!.firedAtMs - incidentStartMs).toBeLessThanOrEqual(2 * MINUTE_MS)
    expect(page!.severity).toBe('critical')
    expect(timeline.scores.find((s) => s.tier === 'page')).toMatchObject({ precision: 1, recall: 1 })
  })

  it('pages a 14.4× burn (2 % of the budget an hour) within the hour', async () => {
    const timeline = await incident(14.4 * allowedErrorRate, 3 * HOUR_MS)
    const [first] = pages(timeline)
    // The 1h window reaches 14.4× once it holds a whole hour of the incident.
    expect(first!.firedAtMs - incidentStartMs).toBeGreaterThan(30 * MINUTE_MS)
    expect(first!.firedAtMs - incidentStartMs).toBeLessThanOrEqual(HOUR_MS + MINUTE_MS)
  })

  it('pages less often during 14.4× incidents with keepFiringFor than without', async () => {
    // A burn right at the factor: the 1-hour window swings around 14.4× with the random errors.
    let withKeep = 0
    let withoutKeep = 0
    const noKeep = {
      ...policy,
      alerts: {
        ...policy.alerts,
        rules: policy.alerts.rules.map((r) => ({ ...r, keepFiringFor: undefined })),
      },
    }
    for (const seed of [1, 2, 3]) {
      const traffic = {
        seed,
        startMs,
        durationMs: incidentStartMs - startMs + 3 * HOUR_MS + DAY_MS,
        requestsPerMinute: 60,
        errorRate: 0.0005,
        incidents: [
          { startMs: incidentStartMs, durationMs: 3 * HOUR_MS, errorRate: 14.4 * allowedErrorRate },
        ],
      }
      withKeep += pages(await expectAlerts(policy, { traffic })).length
      withoutKeep += pages(await expectAlerts(noKeep, { traffic })).length
    }
    // Three incidents: 11 pages without keepFiringFor, 4 with it (at most two per incident).
    expect(withKeep).toBeLessThanOrEqual(6)
    expect(withKeep).toBeLessThan(withoutKeep / 2)
  }, 60_000)

  it('resolves the page within 45 minutes of recovery', async () => {
    const timeline = await incident(1, HOUR_MS)
    const last = pages(timeline).at(-1)!
    const recoveredAtMs = incidentStartMs + HOUR_MS
    // The 6h/30m row holds the page until the 30-minute window is clean again, then
    // keepFiringFor holds it 15 minutes more.
    expect(last.resolvedAtMs).not.toBeNull()
    expect(last.resolvedAtMs! - recoveredAtMs).toBeGreaterThan(15 * MINUTE_MS)
    expect(last.resolvedAtMs! - recoveredAtMs).toBeLessThanOrEqual(45 * MINUTE_MS + MINUTE_MS)
  })

  it('tickets a slow burn (2×: the budget gone in 15 days) within a day, and never pages', async () => {
    const timeline = await incident(2 * allowedErrorRate, 3 * DAY_MS)
    expect(pages(timeline)).toEqual([])
    const [ticket] = tickets(timeline)
    expect(ticket?.severity).toBe('warning')
    expect(ticket!.firedAtMs - incidentStartMs).toBeLessThanOrEqual(DAY_MS)
  })

  it('does not page when a quiet service (one request a minute) fails three requests in a row', async () => {
    const timeline = await incident(1, 3 * MINUTE_MS, { requestsPerMinute: 1 })
    // minEvents: 500 keeps both page rows quiet (60 and 360 requests in 1h and 6h). The ticket rows
    // look at a day or three (1,440+ requests), where 3 failures in a day are a 2× burn: a ticket
    // may open, and that is the policy working.
    expect(pages(timeline)).toEqual([])
    expect(timeline.notifications.filter((n) => n.severity === 'critical')).toEqual([])
  })

  it('pages the same three minutes on the busy checkout: 7 % of the monthly budget', async () => {
    const timeline = await incident(1, 3 * MINUTE_MS)
    expect(pages(timeline)).toHaveLength(1)
  })

  it('never alerts at the baseline error rate (half the allowed rate) over five days', async () => {
    const timeline = await incident(0.0005, 0, { durationMs: 8 * DAY_MS, incidents: [] })
    expect(timeline.episodes).toEqual([])
    expect(timeline.notifications).toEqual([])
  })
})
