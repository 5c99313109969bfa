import { DAY_MS, HOUR_MS, MINUTE_MS } from '@slokit/core'
import { simulateTraffic } from '@slokit/testing'
import type { CounterSeries } from './local-prometheus.js'

/** The checkout traffic the example backfills into Prometheus. */
export interface CheckoutHistory {
  /** `http_requests_total{job="checkout",code="200"|"500"}`, sampled every 15 s. */
  readonly series: readonly CounterSeries[]
  readonly dataStartMs: number
  readonly incidentStartMs: number
  /** End (exclusive) of the incident. */
  readonly incidentEndMs: number
  /** End of the data. */
  readonly dataEndMs: number
  /** Requests and failures in the incident. */
  readonly incident: { readonly requests: number; readonly errors: number }
}

const SCRAPE_MS = 15_000

/**
 * Three days of checkout traffic as Prometheus would have scraped it: 120 requests a minute with
 * a daily swing and 0.02 % errors, and on the third day at 09:00 UTC an hour in which 10 % of the
 * requests fail. Counters sampled every 15 s; seeded, so every run holds the same numbers.
 */
export function checkoutHistory(seed = 7): CheckoutHistory {
  const dataStartMs = Date.UTC(2026, 10, 2)
  const incidentStartMs = dataStartMs + 2 * DAY_MS + 9 * HOUR_MS
  const incidentEndMs = incidentStartMs + HOUR_MS
  const traffic = simulateTraffic({
    seed,
    startMs: dataStartMs,
    durationMs: 3 * DAY_MS,
    stepMs: SCRAPE_MS,
    requestsPerMinute: 120,
    errorRate: 0.0002,
    incidents: [{ startMs: incidentStartMs, durationMs: incidentEndMs - incidentStartMs, errorRate: 0.1 }],
  })
  const ok: Array<[number, number]> = [[dataStartMs, 0]]
  const failed: Array<[number, number]> = [[dataStartMs, 0]]
  let okTotal = 0
  let failedTotal = 0
  let requests = 0
  let errors = 0
  for (const step of traffic.steps()) {
    okTotal += step.requests - step.errors
    failedTotal += step.errors
    ok.push([step.endMs, okTotal])
    failed.push([step.endMs, failedTotal])
    if (step.startMs >= incidentStartMs && step.endMs <= incidentEndMs) {
      requests += step.requests
      errors += step.errors
    }
  }
  const labels = (code: string) => ({ __name__: 'http_requests_total', job: 'checkout', code })
  return {
    series: [
      { labels: labels('200'), samples: ok },
      { labels: labels('500'), samples: failed },
    ],
    dataStartMs,
    incidentStartMs,
    incidentEndMs,
    dataEndMs: traffic.endMs,
    incident: { requests, errors },
  }
}

/** Minutes, for the printout: `+2d09:05` after `startMs`. */
export function sinceStart(startMs: number, atMs: number): string {
  const minutes = Math.floor((atMs - startMs) / MINUTE_MS)
  const hh = String(Math.floor((minutes % 1440) / 60)).padStart(2, '0')
  const mm = String(minutes % 60).padStart(2, '0')
  return `+${Math.floor(minutes / 1440)}d${hh}:${mm}`
}
