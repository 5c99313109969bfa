import { ConsoleNotifier } from '@slokit/alerting'
import { formatDuration, type SloSpecInput } from '@slokit/core'
import { checkoutScenario } from '@slokit/testing'
import { playScenario, type ScenarioRun } from '@slokit/testing/alerts'

/** What {@link runDemo} printed, and what happened. */
export interface DemoResult extends ScenarioRun {
  readonly text: string
}

/**
 * Plays 30 days of a checkout service on fake time (60 requests a minute with a daily swing,
 * 0.05 % errors, one two-hour incident on day 20): every request goes into an in-process tracker,
 * and the engine evaluates every five minutes — the burn-rate page fires minutes into the
 * incident, a ticket follows, deployments freeze when a quarter of the weekly budget is left and
 * unfreeze once the incident leaves the 7-day window. Notifications print as they are delivered,
 * then each SLO's status.
 */
export async function runDemo(seed = 42): Promise<DemoResult> {
  const scenario = checkoutScenario(seed)
  const startMs = scenario.traffic.startMs
  const lines: string[] = []
  const console = new ConsoleNotifier({ epochMs: startMs, write: (text) => lines.push(text.trimEnd()) })
  const incident = scenario.traffic.incidents?.[0]
  lines.push(
    `slokit demo — ${scenario.title} (seed ${seed}, fake time from ${new Date(startMs).toISOString().slice(0, 10)})`,
  )
  if (incident !== undefined) {
    lines.push(
      `incident at +${formatDuration(incident.startMs - startMs)}: ${formatDuration(incident.durationMs)} of ${(incident.errorRate ?? 0) * 100}% errors, latency ×${incident.latencyFactor ?? 1}`,
    )
  }
  lines.push('', 'notifications:')
  const run = await playScenario(scenario, { notifiers: { console } })
  lines.push(
    '',
    `${run.totals.requests.toLocaleString('en-US')} requests, ${run.totals.errors.toLocaleString('en-US')} failed; ${run.ticks.toLocaleString('en-US')} evaluations`,
    '',
  )
  for (const status of run.statuses) {
    const slo = scenario.slos.find((s) => s.id === status.sloId) as SloSpecInput
    lines.push(...describe(slo, status), '')
  }
  return { ...run, text: lines.join('\n') }
}

function describe(slo: SloSpecInput, status: ScenarioRun['statuses'][number]): string[] {
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
