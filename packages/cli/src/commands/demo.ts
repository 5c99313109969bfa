import { ConsoleNotifier } from '@slokit/alerting'
import { formatDuration, parseSlo } from '@slokit/core'
import { checkoutScenario } from '@slokit/testing'
import { playScenario } from '@slokit/testing/alerts'
import type { CommandContext } from '../context.js'
import { renderStatuses } from '../render-status.js'

/** Options of `slokit demo`. */
export interface DemoOptions {
  readonly seed?: string
  readonly json?: boolean
}

/**
 * `slokit demo`: plays 30 days of a checkout service with one incident on fake time — requests
 * into an in-process tracker, the engine evaluating every five minutes, alerts and deployment
 * freezes printed as they happen — then prints the three SLOs' status. Needs no config and no data.
 */
export async function demoCommand(options: DemoOptions, ctx: CommandContext): Promise<void> {
  const parsed = options.seed === undefined ? 42 : Number(options.seed)
  const seed = Number.isInteger(parsed) ? parsed : 42
  const scenario = checkoutScenario(seed)
  const startMs = scenario.traffic.startMs
  const c = ctx.colors
  const json = options.json === true
  const incident = scenario.traffic.incidents?.[0]
  if (!json) {
    ctx.io.stdout.write(
      `${c.bold('slokit demo')} — ${scenario.title} (seed ${seed}, fake time from ${new Date(startMs).toISOString().slice(0, 10)})\n`,
    )
    if (incident !== undefined) {
      ctx.io.stdout.write(
        `incident at +${formatDuration(incident.startMs - startMs)}: ${formatDuration(incident.durationMs)} of ${(incident.errorRate ?? 0) * 100}% errors, latency ×${incident.latencyFactor ?? 1}\n\n`,
      )
    }
  }
  const console = new ConsoleNotifier({
    epochMs: startMs,
    write: (text) => void (json ? undefined : ctx.io.stdout.write(text)),
  })
  const run = await playScenario(scenario, { notifiers: { console } })
  if (json) {
    const { statuses, notifications, freezes, totals, ticks } = run
    ctx.io.stdout.write(
      `${JSON.stringify({ scenario: scenario.title, seed, totals, ticks, notifications, freezes, statuses }, null, 2)}\n`,
    )
    return
  }
  ctx.io.stdout.write(
    `\n${run.totals.requests.toLocaleString('en-US')} requests, ${run.totals.errors.toLocaleString('en-US')} failed; ${run.ticks.toLocaleString('en-US')} evaluations\n\n`,
  )
  ctx.io.stdout.write(`${renderStatuses(run.statuses, scenario.slos.map(parseSlo), c)}\n`)
}
