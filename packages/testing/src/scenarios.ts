import { DAY_MS, HOUR_MS, type SloSpecInput } from '@slokit/core'
import type { TrafficOptions } from './simulator.js'

/** A ready-made, deterministic scenario: SLOs, the traffic that exercises them, and how to act on them. */
export interface Scenario {
  readonly title: string
  readonly slos: readonly SloSpecInput[]
  readonly traffic: TrafficOptions
  /** Which SLOs the traffic's requests feed: availability (ratio) and latency (threshold) SLOs. */
  readonly feeds: ReadonlyArray<{ readonly availability?: string; readonly latency?: string }>
  /** An `alerts` section of `@slokit/alerting`, as written or validated, routed to `console`. */
  readonly alerts: Readonly<Record<string, unknown>>
  /** A `policies` section (input for `policiesSectionSchema` of `@slokit/budget`), notifying `console`. */
  readonly policies: Readonly<Record<string, unknown>>
}

/**
 * The checkout service of slokit's demo: 30 days of 60 requests a minute with a daily swing and
 * 0.05 % errors, and a two-hour incident (10 % errors, latency ×5) on day 20; three SLOs —
 * availability (99.9 % over 7 days), p95 latency per minute (99 % of minutes over 30 days,
 * timeslices) and availability over the calendar month in Berlin (99.5 %). Its alert rules page
 * and ticket on burn rates; its policy freezes deployments when a quarter of the budget is left —
 * and lifts the freeze once the incident has left the 7-day window.
 *
 * @example
 * ```ts
 * const scenario = checkoutScenario()
 * const tracker = createSloTracker({ slos: scenario.slos, clock })
 * const traffic = simulateTraffic(scenario.traffic)
 * for (const feed of scenario.feeds) traffic.feed(tracker, feed)
 * ```
 */
export function checkoutScenario(seed = 42): Scenario {
  const startMs = Date.UTC(2026, 9, 1)
  return {
    title: 'a checkout service, 30 days, one incident',
    slos: [
      {
        id: 'checkout-availability',
        name: 'Checkout requests succeed',
        service: 'checkout',
        sli: { id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio' } },
        objective: '99.9%',
        window: '7d',
        priority: 'critical',
      },
      {
        id: 'checkout-latency',
        name: 'Checkout p95 latency ≤ 300 ms, per minute',
        service: 'checkout',
        sli: {
          id: 'checkout-latency',
          kind: 'latency',
          measurement: {
            type: 'threshold',
            aggregation: 'p95',
            comparison: '<=',
            threshold: 300,
            unit: 'ms',
          },
        },
        objective: '99%',
        window: '30d',
        budgetingMethod: 'timeslices',
        timeslice: { length: '1m' },
      },
      {
        id: 'checkout-availability-monthly',
        name: 'Checkout requests succeed, this calendar month',
        service: 'checkout',
        sli: { id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio' } },
        objective: '99.5%',
        window: { calendar: 'month', timeZone: 'Europe/Berlin' },
      },
    ],
    traffic: {
      seed,
      startMs,
      durationMs: 30 * DAY_MS,
      requestsPerMinute: 60,
      errorRate: 0.0005,
      latency: { medianMs: 50, p99Ms: 250 },
      incidents: [
        {
          startMs: startMs + 19 * DAY_MS + 14 * HOUR_MS,
          durationMs: 2 * HOUR_MS,
          errorRate: 0.1,
          latencyFactor: 5,
        },
      ],
    },
    feeds: [
      { availability: 'checkout-availability', latency: 'checkout-latency' },
      { availability: 'checkout-availability-monthly' },
    ],
    alerts: {
      rules: [
        { name: 'checkout-burn-rate', type: 'burn_rate', selector: { slo: ['checkout-availability'] } },
        {
          name: 'checkout-budget-low',
          type: 'budget_remaining',
          below: '25%',
          severity: 'high',
          selector: { slo: ['checkout-availability'] },
        },
      ],
      routes: [{ channels: ['console'] }],
    },
    policies: {
      tiers: {
        critical: [
          {
            name: 'freeze',
            when: { budgetRemainingBelow: '25%' },
            actions: [{ freeze_deployments: {} }, { notify: { channels: ['console'] } }],
          },
        ],
      },
    },
  }
}
