import { createSloTracker, formatDuration, type SloSpecInput, type SloStatus } from '@slokit/core'
import { checkoutScenario, FakeClock, simulateTraffic } from '@slokit/testing'

/**
 * Simulates 30 days of a checkout service (60 requests a minute with a daily swing, 0.05 %
 * errors, one two-hour incident near the end), tracks three SLOs in-process on fake time, and
 * returns their status as text.
 */
export function runDemo(seed = 42): { text: string; statuses: SloStatus[] } {
  const scenario = checkoutScenario(seed)
  const clock = new FakeClock(scenario.traffic.startMs)
  const tracker = createSloTracker({ slos: scenario.slos, clock })
  const traffic = simulateTraffic(scenario.traffic)
  for (const feed of scenario.feeds) traffic.feed(tracker, feed)
  clock.set(traffic.endMs)

  const totals = traffic.totals()
  const incident = scenario.traffic.incidents?.[0]
  const statuses = tracker.statuses()
  const lines = [
    `slokit demo — 30 days of a simulated checkout service (seed ${seed}, fake time)`,
    `${totals.requests.toLocaleString('en-US')} requests, ${totals.errors.toLocaleString('en-US')} failed` +
      (incident === undefined
        ? ''
        : `; one incident ${formatDuration(traffic.endMs - incident.startMs)} before the end: ` +
          `${formatDuration(incident.durationMs)}, ${(incident.errorRate ?? 0) * 100}% errors, latency ×${incident.latencyFactor ?? 1}`),
    '',
  ]
  for (const status of statuses) {
    const slo = scenario.slos.find((s) => s.id === status.sloId) as SloSpecInput
    lines.push(...describe(slo, status), '')
  }
  return { text: lines.join('\n'), statuses }
}

function describe(slo: SloSpecInput, status: SloStatus): string[] {
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
