// The pipeline end to end: Prometheus → SLOs → alerts and budget policies → Slack and PagerDuty
// (strict local fakes). `pnpm --filter @slokit/example-prometheus-pipeline start`
//
// - With PROMETHEUS_URL set: replays the last 24 hours of that Prometheus (the config reads
//   `http_requests_total{job="checkout"}`; change src/config.ts to your metrics).
// - Without it: starts a local Prometheus (needs the `prometheus` and `promtool` binaries) holding
//   three days of backfilled checkout traffic with an incident, and replays them.
import { DAY_MS, HOUR_MS } from '@slokit/core'
import { type LocalPrometheus, missingPrometheus, startLocalPrometheus } from './local-prometheus.js'
import { replayHistory } from './run.js'
import { checkoutHistory, sinceStart } from './traffic.js'

const external = process.env.PROMETHEUS_URL
let local: LocalPrometheus | undefined
let window: { fromMs: number; toMs: number; originMs: number }
if (external === undefined) {
  const missing = missingPrometheus()
  if (missing !== undefined) {
    console.error(`This example reads SLIs from a real Prometheus, and ${missing}.
Either install them (the example then starts its own Prometheus on 127.0.0.1 with backfilled data),
or point it at yours: PROMETHEUS_URL=http://prometheus:9090 pnpm --filter @slokit/example-prometheus-pipeline start`)
    process.exit(1)
  }
  const history = checkoutHistory()
  console.log(
    `backfilling 3 days of checkout traffic into a local Prometheus (${history.incident.errors} of ${history.incident.requests} requests fail in the incident hour at +2d09:00)…`,
  )
  local = await startLocalPrometheus(history.series)
  window = { fromMs: history.dataStartMs + DAY_MS, toMs: history.dataEndMs, originMs: history.dataStartMs }
} else {
  const nowMs = Math.floor(Date.now() / 60_000) * 60_000
  window = { fromMs: nowMs - DAY_MS, toMs: nowMs, originMs: nowMs - DAY_MS }
}
const url = external ?? (local?.url as string)
const at = (ms: number) => sinceStart(window.originMs, ms)

try {
  console.log(`replaying ${at(window.fromMs)} … ${at(window.toMs)} from ${url}, evaluating every 5 minutes\n`)
  const replay = await replayHistory({ prometheusUrl: url, fromMs: window.fromMs, toMs: window.toMs })
  const events = [
    ...replay.transitions.map((t) => ({
      atMs: t.atMs,
      text: `alert ${t.kind.padEnd(9)} ${t.state.alertId}`,
    })),
    ...replay.freezes.map((f) => ({
      atMs: f.atMs,
      text: `freeze ${f.kind.padEnd(8)} ${f.service}: ${f.reason}`,
    })),
    ...replay.deliveries.map((d) => ({
      atMs: d.atMs,
      text: `  → ${d.entry.notification.channel}: ${d.result.ok ? 'delivered' : `failed (${d.result.error})`}`,
    })),
  ].sort((a, b) => a.atMs - b.atMs)
  for (const event of events) console.log(`${at(event.atMs)} ${event.text}`)
  if (replay.sourceErrors.length > 0) console.log(`\nsource errors: ${replay.sourceErrors.join('; ')}`)
  console.log(`\nSlack received ${replay.slack.delivered.length} messages:`)
  for (const m of replay.slack.delivered) console.log(`  ${at(m.atMs)} ${m.text.split('\n')[0]}`)
  console.log(`PagerDuty received ${replay.pagerduty.requests.length} events:`)
  for (const alert of replay.pagerduty.alerts) {
    console.log(
      `  ${alert.dedupKey} (${alert.severity}): ${alert.events.map((e) => e.event_action).join(' → ')}`,
    )
  }
  console.log('')
  for (const status of replay.statuses) {
    const pct = (x: number | null | undefined) =>
      x === null || x === undefined ? '—' : `${(x * 100).toFixed(3)} %`
    const burn = status.burnRates.find((b) => b.windowMs === HOUR_MS)?.burnRate
    console.log(
      `${status.sloId}: SLI ${pct(status.sli)}, budget left ${pct(status.budget?.remaining)}, 1h burn rate ${burn?.toFixed(2) ?? '—'} (${replay.ticks} evaluations)`,
    )
  }
} finally {
  await local?.stop()
}
