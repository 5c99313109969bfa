import {
  createSloTracker,
  DAY_MS,
  formatDuration,
  HOUR_MS,
  type SloSpecInput,
  type SloStatus,
} from '@slokit/core'
import { FakeClock, simulateTraffic } from '@slokit/testing'

/** The three SLOs of the demo's checkout service. */
export const DEMO_SLOS: SloSpecInput[] = [
  {
    id: 'checkout-availability',
    name: 'Checkout requests succeed',
    service: 'checkout',
    sli: { id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio' } },
    objective: '99.9%',
    window: '30d',
  },
  {
    id: 'checkout-latency',
    name: 'Checkout p95 latency ≤ 300 ms, per minute',
    service: 'checkout',
    sli: {
      id: 'checkout-latency',
      kind: 'latency',
      measurement: { type: 'threshold', aggregation: 'p95', comparison: '<=', threshold: 300, unit: 'ms' },
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
]

const START_MS = Date.UTC(2026, 9, 1)
const INCIDENT = {
  startMs: START_MS + 29 * DAY_MS + 12 * HOUR_MS,
  durationMs: 2 * HOUR_MS,
  errorRate: 0.1,
  latencyFactor: 5,
}

/**
 * Simulates 30 days of a checkout service (60 requests a minute with a daily swing, 0.05 %
 * errors, one two-hour incident near the end), tracks three SLOs in-process on fake time, and
 * returns their status as text.
 */
export function runDemo(seed = 42): { text: string; statuses: SloStatus[] } {
  const clock = new FakeClock(START_MS)
  const tracker = createSloTracker({ slos: DEMO_SLOS, clock })
  const traffic = simulateTraffic({
    seed,
    startMs: START_MS,
    durationMs: 30 * DAY_MS,
    requestsPerMinute: 60,
    errorRate: 0.0005,
    latency: { medianMs: 50, p99Ms: 250 },
    incidents: [INCIDENT],
  })
  const totals = traffic.feed(tracker, { availability: 'checkout-availability', latency: 'checkout-latency' })
  traffic.feed(tracker, { availability: 'checkout-availability-monthly' })
  clock.set(traffic.endMs)

  const statuses = tracker.statuses()
  const lines = [
    `slokit demo — 30 days of a simulated checkout service (seed ${seed}, fake time)`,
    `${totals.requests.toLocaleString('en-US')} requests, ${totals.errors.toLocaleString('en-US')} failed; ` +
      `one incident ${formatDuration(traffic.endMs - INCIDENT.startMs)} before the end: ` +
      `${formatDuration(INCIDENT.durationMs)}, ${INCIDENT.errorRate * 100}% errors, latency ×${INCIDENT.latencyFactor}`,
    '',
  ]
  for (const status of statuses) lines.push(...describe(status), '')
  return { text: lines.join('\n'), statuses }
}

function describe(status: SloStatus): string[] {
  const slo = DEMO_SLOS.find((s) => s.id === status.sloId) as SloSpecInput
  const window =
    typeof slo.window === 'string'
      ? `${slo.window} rolling`
      : 'calendar' in slo.window
        ? `calendar ${slo.window.calendar} (${slo.window.timeZone ?? 'UTC'})`
        : `${slo.window.rolling} rolling`
  const sli = status.sli === null ? 'no data' : `${(status.sli * 100).toFixed(4)}%`
  const met = status.met === null ? '?' : status.met ? 'met' : 'MISSED'
  const budget = status.budget
  const spent =
    budget === null
      ? ''
      : budget.allowedMs !== null
        ? `${formatDuration(Math.round(budget.spent * 60_000))} of ${formatDuration(Math.round(budget.allowedMs))} bad minutes`
        : `${Math.round(budget.spent).toLocaleString('en-US')} of ${Math.round(budget.allowed).toLocaleString('en-US')} bad events`
  const burn = status.burnRates
    .map(
      (b) =>
        `${formatDuration(b.windowMs)} ${b.burnRate === null ? '—' : b.burnRate.toFixed(b.burnRate < 10 ? 2 : 1)}`,
    )
    .join('  ')
  return [
    `${status.sloId} — ${slo.name}`,
    `  objective  ${(status.objective * 100).toFixed(2)}% over ${window}, ${status.budgetingMethod}`,
    `  SLI        ${sli.padEnd(10)} ${met.padEnd(7)} data ${status.data.state}, ${(status.data.coverage * 100).toFixed(0)}% of the window`,
    `  budget     ${bar(budget?.remaining ?? 0)} ${budget === null ? 'unknown' : `${(budget.remaining * 100).toFixed(1)}% left`}  (${spent} spent)`,
    `  burn rate  ${burn}`,
  ]
}

/** A 30-cell bar of the remaining budget; empty once the budget is spent. */
export function bar(remaining: number, width = 30): string {
  const filled = Math.max(0, Math.min(width, Math.round(remaining * width)))
  return `[${'█'.repeat(filled)}${'·'.repeat(width - filled)}]`
}
