import { ConsoleNotifier } from '@slokit/alerting'
import { DAY_MS, HOUR_MS, MINUTE_MS } from '@slokit/core'
import { checkoutScenario, type Scenario } from '@slokit/testing'
import { playScenario } from '@slokit/testing/alerts'
import { describe, expect, it } from 'vitest'

const startMs = Date.UTC(2026, 9, 1)
const outageMs = startMs + 4 * DAY_MS

/** Five days of one SLO with a one-hour total outage on day 5. */
const scenario: Scenario = {
  title: 'an outage',
  slos: [
    {
      id: 'api-availability',
      service: 'api',
      priority: 'critical',
      sli: { id: 'api-requests', kind: 'availability', measurement: { type: 'ratio' } },
      objective: '99.9%',
      window: '30d',
    },
  ],
  traffic: {
    seed: 3,
    startMs,
    durationMs: 5 * DAY_MS,
    requestsPerMinute: 60,
    errorRate: 0,
    incidents: [{ startMs: outageMs, durationMs: HOUR_MS, errorRate: 1 }],
  },
  feeds: [{ availability: 'api-availability' }],
  alerts: { rules: [{ name: 'burn', type: 'burn_rate' }], routes: [{ channels: ['pager'] }] },
  policies: {
    tiers: {
      critical: [
        {
          when: { budgetRemainingBelow: 0.5 },
          actions: [{ freeze_deployments: {} }, { notify: { channels: ['chat'] } }],
        },
      ],
    },
  },
}

describe('playScenario', () => {
  it('evaluates every tick after the warm-up, on the traffic fed so far, and records every delivery', async () => {
    const run = await playScenario(scenario)
    // 3 days of warm-up, then every 5 minutes through the end of day 5, the end included.
    expect(run.ticks).toBe((2 * DAY_MS) / (5 * MINUTE_MS) + 1)
    const page = run.transitions.find((t) => t.kind === 'firing' && t.state.tier === 'page')
    expect(page?.state.firingSinceMs).toBeGreaterThan(outageMs)
    expect(page!.state.firingSinceMs! - outageMs).toBeLessThanOrEqual(5 * MINUTE_MS)
    // A one-hour outage spends 139 % of a 30-day budget: the policy freezes and stays frozen.
    expect(run.freezes.map((f) => f.kind)).toContain('entered')
    expect(run.notifications.map((n) => `${n.kind}→${n.channel}`)).toEqual(
      expect.arrayContaining(['alert_firing→pager', 'freeze→chat', 'alert_resolved→pager']),
    )
    expect(run.statuses[0]?.counts.total).toBe(run.totals.requests)
  })

  it('sends to the notifiers given, records the rest, and runs without policies on request', async () => {
    let printed = ''
    const run = await playScenario(scenario, {
      policies: false,
      notifiers: { pager: new ConsoleNotifier({ write: (text) => (printed += text) }) },
      warmupMs: 4 * DAY_MS,
      tickEveryMs: HOUR_MS,
    })
    expect(run.ticks).toBe(25)
    expect(run.freezes).toEqual([])
    expect(printed).toContain('FIRING critical → pager')
    expect(run.notifications.filter((n) => n.channel === 'pager').length).toBeGreaterThanOrEqual(2)
  })

  it('is deterministic for a seed', async () => {
    const [a, b] = await Promise.all([playScenario(checkoutScenario(5)), playScenario(checkoutScenario(5))])
    expect(a.notifications).toEqual(b.notifications)
  }, 60_000)
})
