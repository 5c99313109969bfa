import { createSloTracker, formatDuration, parseSlo } from '@slokit/core'
import { checkoutScenario, FakeClock, simulateTraffic } from '@slokit/testing'
import type { CommandContext } from '../context.js'
import { renderStatuses } from '../render-status.js'

/** Options of `slokit demo`. */
export interface DemoOptions {
  readonly seed?: string
  readonly json?: boolean
}

/**
 * `slokit demo`: simulates 30 days of a checkout service with one incident on fake time, tracks
 * three SLOs in-process and prints their status. Needs no config and no data.
 */
export async function demoCommand(options: DemoOptions, ctx: CommandContext): Promise<void> {
  const seed = options.seed === undefined ? 42 : Number(options.seed)
  const scenario = checkoutScenario(Number.isInteger(seed) ? seed : 42)
  const clock = new FakeClock(scenario.traffic.startMs)
  const slos = scenario.slos.map(parseSlo)
  const tracker = createSloTracker({ slos, clock })
  const traffic = simulateTraffic(scenario.traffic)
  for (const feed of scenario.feeds) traffic.feed(tracker, feed)
  clock.set(traffic.endMs)
  const statuses = tracker.statuses()
  if (options.json === true) {
    ctx.io.stdout.write(`${JSON.stringify({ scenario: scenario.title, seed, statuses }, null, 2)}\n`)
    return
  }
  const totals = traffic.totals()
  const incident = scenario.traffic.incidents?.[0]
  const c = ctx.colors
  ctx.io.stdout.write(`${c.bold('slokit demo')} — ${scenario.title} (seed ${seed}, fake time)\n`)
  ctx.io.stdout.write(
    `${totals.requests.toLocaleString('en-US')} requests, ${totals.errors.toLocaleString('en-US')} failed` +
      (incident === undefined
        ? '\n\n'
        : `; incident ${formatDuration(traffic.endMs - incident.startMs)} before the end: ${formatDuration(incident.durationMs)} at ${(incident.errorRate ?? 0) * 100}% errors, latency ×${incident.latencyFactor ?? 1}\n\n`),
  )
  ctx.io.stdout.write(`${renderStatuses(statuses, slos, c)}\n`)
}
