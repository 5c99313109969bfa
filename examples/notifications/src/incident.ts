import { DAY_MS, HOUR_MS, MINUTE_MS } from '@slokit/core'
import { MemorySource, simulateTraffic } from '@slokit/testing'

/** The simulated checkout traffic of the example, served from a {@link MemorySource}. */
export interface CheckoutIncident {
  /** Serves `checkout-requests` (one point a minute) in place of Prometheus. */
  readonly source: MemorySource
  /** Start of the data: two quiet days before the incident. */
  readonly dataStartMs: number
  readonly incidentStartMs: number
  /** End (exclusive) of the incident. */
  readonly incidentEndMs: number
  /** End (exclusive) of the data: the day after the incident. */
  readonly dataEndMs: number
}

/**
 * Three days of checkout traffic (120 requests a minute with a daily swing, 0.05 % errors): two
 * quiet days, then 45 minutes in which a quarter of the requests fail, then recovery. Seeded, so
 * every run sees the same requests.
 */
export function checkoutIncident(seed = 7): CheckoutIncident {
  const dataStartMs = Date.UTC(2026, 10, 2)
  const incidentStartMs = dataStartMs + 2 * DAY_MS + 9 * HOUR_MS
  const incidentDurationMs = 45 * MINUTE_MS
  const traffic = simulateTraffic({
    seed,
    startMs: dataStartMs,
    durationMs: 3 * DAY_MS,
    requestsPerMinute: 120,
    errorRate: 0.0005,
    incidents: [{ startMs: incidentStartMs, durationMs: incidentDurationMs, errorRate: 0.25 }],
  })
  return {
    source: new MemorySource({ name: 'prometheus' }).addEvents('checkout-requests', traffic.events()),
    dataStartMs,
    incidentStartMs,
    incidentEndMs: incidentStartMs + incidentDurationMs,
    dataEndMs: traffic.endMs,
  }
}
