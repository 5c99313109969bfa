import { createEngine } from '@slokit/engine'
import { describe, expect, it } from 'vitest'
import {
  availabilitySlo,
  hungSource,
  recordingNotifier,
  syntheticSource,
  workbookAlerts,
} from './test-support.js'

const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000
const t0 = Date.UTC(2026, 10, 1, 12)

describe('burn-rate alerting through the engine (SRE Workbook known answers)', () => {
  it('pages on a 100 % outage after the 1h/5m detection time (51.84 s) plus at most one evaluation interval', async () => {
    // 99.9 % over 30 days: (1 − 0.999) / 1.0 × 60 min × 14.4 = 0.864 min = 51.84 s.
    const theoreticalMs = ((1 - 0.999) / 1.0) * 60 * MINUTE * 14.4
    const intervalMs = 10_000
    const source = syntheticSource('requests', {
      resolutionMs: 10_000,
      requestsPerPoint: 100,
      errorRatio: (t) => (t >= t0 ? 1 : 0),
      fromMs: t0 - 3 * DAY,
    })
    const oncall = recordingNotifier()
    const engine = createEngine({
      slos: [availabilitySlo()],
      sources: { requests: source },
      alerts: workbookAlerts(),
      notifiers: { oncall },
      evaluationIntervalMs: intervalMs,
    })
    let pagedAt: number | undefined
    for (let now = t0; now <= t0 + 5 * MINUTE && pagedAt === undefined; now += intervalMs) {
      const result = await engine.tick(now)
      if (result.transitions.some((t) => t.kind === 'firing' && t.state.tier === 'page')) pagedAt = now
    }
    expect(pagedAt).toBeDefined()
    expect((pagedAt as number) - t0).toBeGreaterThanOrEqual(theoreticalMs)
    expect((pagedAt as number) - t0).toBeLessThanOrEqual(theoreticalMs + intervalMs)
    expect(oncall.sent.map((n) => [n.kind, n.severity, n.dedupKey])).toEqual([
      ['alert_firing', 'critical', 'slo-burn-rate/checkout-availability/page'],
    ])
    expect(oncall.sent[0]?.title).toMatch(
      /^checkout-availability is burning its error budget \d+(\.\d+)?× \(page, 1h\/5m\)$/,
    )
  })

  it('never pages on a 0.2 % error rate (burn 2), and opens a ticket after about 1.5 days (3d/6h tier)', async () => {
    const intervalMs = 5 * MINUTE
    const source = syntheticSource('requests', {
      resolutionMs: 5 * MINUTE,
      requestsPerPoint: 10_000,
      errorRatio: (t) => (t >= t0 ? 0.002 : 0),
      fromMs: t0 - 3 * DAY,
    })
    const oncall = recordingNotifier()
    const engine = createEngine({
      slos: [availabilitySlo()],
      sources: { requests: source },
      alerts: workbookAlerts(),
      notifiers: { oncall },
      evaluationIntervalMs: intervalMs,
    })
    let ticketAt: number | undefined
    for (let now = t0; now <= t0 + 2 * DAY; now += intervalMs) {
      const result = await engine.tick(now)
      expect(result.transitions.filter((t) => t.state.tier === 'page')).toEqual([])
      if (
        ticketAt === undefined &&
        result.transitions.some((t) => t.kind === 'firing' && t.state.tier === 'ticket')
      )
        ticketAt = now
    }
    // burn over 3 d = 2 × elapsed / 3 d exceeds 1 once 1.5 days have passed.
    expect(ticketAt).toBeDefined()
    expect((ticketAt as number) - t0).toBeGreaterThan(1.5 * DAY)
    expect((ticketAt as number) - t0).toBeLessThanOrEqual(1.5 * DAY + intervalMs)
    expect(oncall.sent.map((n) => [n.kind, n.severity])).toEqual([['alert_firing', 'warning']])
    expect(source.queries).toBeGreaterThan(500) // one query per tick: the cache fetches only what is new
  }, 60_000)

  it('keeps the ticket quiet while the page fires for the same SLO, then both resolve', async () => {
    const intervalMs = MINUTE
    // A 2-hour outage: the page fires within a minute; the ticket's 1d/2h condition holds from ~5 minutes on.
    const source = syntheticSource('requests', {
      resolutionMs: MINUTE,
      requestsPerPoint: 600,
      errorRatio: (t) => (t >= t0 && t < t0 + 2 * HOUR ? 1 : 0),
      fromMs: t0 - 3 * DAY,
    })
    const oncall = recordingNotifier()
    const engine = createEngine({
      slos: [availabilitySlo()],
      sources: { requests: source },
      alerts: workbookAlerts(),
      notifiers: { oncall },
      evaluationIntervalMs: intervalMs,
    })
    let sawInhibited = false
    for (let now = t0; now <= t0 + 3 * DAY + 2 * HOUR; now += intervalMs) {
      await engine.tick(now)
      if (now === t0 + HOUR) {
        const states = await engine.alerting.states()
        const page = states.find((s) => s.tier === 'page')
        const ticket = states.find((s) => s.tier === 'ticket')
        expect(page?.phase).toBe('firing')
        expect(ticket?.phase).toBe('inactive')
        expect(ticket?.suppressed).toBe('inhibited while slo-burn-rate/checkout-availability/page pages')
        sawInhibited = true
      }
    }
    expect(sawInhibited).toBe(true)
    // The ticket fires only once the page has resolved, and both resolve when the outage ages out.
    const kinds = oncall.sent.map((n) => `${n.kind}:${n.alerts[0]?.alertId.split('/').at(-1)}`)
    expect(kinds[0]).toBe('alert_firing:page')
    expect(kinds.indexOf('alert_resolved:page')).toBeGreaterThan(0)
    expect(kinds.indexOf('alert_firing:ticket')).toBeGreaterThan(kinds.indexOf('alert_resolved:page'))
    expect(kinds.at(-1)).toBe('alert_resolved:ticket')
  }, 120_000)
})

describe('fault isolation', () => {
  it('a source that never answers marks only its own SLOs stale and does not hold up the others', async () => {
    const good = syntheticSource('good', {
      resolutionMs: 10_000,
      requestsPerPoint: 100,
      errorRatio: (t) => (t >= t0 ? 1 : 0),
      fromMs: t0 - 3 * DAY,
    })
    const oncall = recordingNotifier()
    const engine = createEngine({
      slos: [
        availabilitySlo(),
        availabilitySlo({
          id: 'search-availability',
          service: 'search',
          sli: {
            id: 'search-requests',
            kind: 'availability',
            measurement: { type: 'ratio' },
            source: 'hung',
          },
        }),
      ],
      sources: { good, hung: hungSource('hung') },
      defaultSource: 'good',
      alerts: workbookAlerts(),
      notifiers: { oncall },
      sourceTimeoutMs: 200,
    })
    const order: string[] = []
    engine.on('delivery', (d) => order.push(`delivered ${d.entry.notification.dedupKey}`))
    engine.on('sourceError', (e) => order.push(`source error ${e.source}: ${e.error}`))
    const result = await engine.tick(t0 + 5 * MINUTE)
    expect(order).toEqual([
      'delivered slo-burn-rate/checkout-availability/page',
      'source error hung: hung did not answer within 200 ms',
    ])
    const search = result.statuses.find((s) => s.sloId === 'search-availability')
    expect(search).toMatchObject({
      sli: null,
      budget: null,
      data: { state: 'stale', reason: 'hung did not answer within 200 ms' },
    })
  })

  it('refuses to start with an SLO without a source or a route to a channel without a notifier', () => {
    expect(() =>
      createEngine({
        slos: [availabilitySlo()],
        sources: {},
        alerts: workbookAlerts('pager'),
        notifiers: {},
      }),
    ).toThrow(
      /SLO checkout-availability reads from source "default", which is not configured[\s\S]*alert routes name the channel "pager", which has no notifier/,
    )
  })
})
