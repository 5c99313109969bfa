/**
 * `pnpm bench` for @slokit/core: the figures issue #2 asks for, measured on the built package.
 *
 *   1. events/s recorded into a tracker on one core, beside prom-client's labelled Counter.inc()
 *      measured in the same run;
 *   2. time to evaluate 10,000 SLOs across all burn-rate windows;
 *   3. bytes of memory per tracked SLO at a 30-day window.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createSloTracker, DAY_MS, MINUTE_MS, type SloSpecInput } from '@slokit/core'
import { Counter, Registry } from 'prom-client'

const ROUNDS = 7
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 })

function timeRounds(run: () => void): number[] {
  run() // warm-up: let the JIT settle
  const times: number[] = []
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint()
    run()
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  return times
}

const slo = (id: string): SloSpecInput => ({
  id,
  service: 'bench',
  sli: { id: `${id}-sli`, kind: 'availability', measurement: { type: 'ratio' } },
  objective: '99.9%',
  window: '30d',
})

function recording(): void {
  const N = 10_000_000
  const tracker = createSloTracker({ slos: [slo('api')] })
  const recorder = tracker.recorder('api')
  const registry = new Registry()
  const counter = new Counter({
    name: 'http_requests_total',
    help: 'requests',
    labelNames: ['code'],
    registers: [registry],
  })
  const t0 = Date.now()

  const cases: Array<[string, () => void]> = [
    [
      'tracker.record(id, ok)            (system clock)',
      () => {
        for (let i = 0; i < N; i++) tracker.record('api', (i & 1023) !== 0)
      },
    ],
    [
      'recorder.record(ok)               (system clock)',
      () => {
        for (let i = 0; i < N; i++) recorder.record((i & 1023) !== 0)
      },
    ],
    [
      'recorder.record(ok, atMs)         (time given)',
      () => {
        for (let i = 0; i < N; i++) recorder.record((i & 1023) !== 0, t0 + (i >>> 14))
      },
    ],
    [
      'prom-client counter.inc({ code }) (one label)',
      () => {
        for (let i = 0; i < N; i++) counter.inc({ code: (i & 1023) !== 0 ? '200' : '500' })
      },
    ],
  ]
  console.log(`\n1. Recording, ${fmt(N)} events per round, median of ${ROUNDS} rounds, one core`)
  for (const [name, run] of cases) {
    const ms = median(timeRounds(run))

    console.log(
      `   ${name}  ${fmt(N / (ms / 1000) / 1e6).padStart(6)} M events/s  (${fmt((ms * 1e6) / N)} ns/event)`,
    )
  }
}

function evaluation(): void {
  const COUNT = 10_000
  let now = Date.UTC(2026, 0, 1)
  const clock = { now: () => now }
  const ids = Array.from({ length: COUNT }, (_, i) => `slo-${i}`)
  const tracker = createSloTracker({ slos: ids.map(slo), clock })
  // 30 days of traffic, one batch every 30 minutes per SLO, so every level of every ring holds data.
  const end = now + 30 * DAY_MS
  for (let t = now; t < end; t += 30 * MINUTE_MS) {
    for (const id of ids) tracker.record(id, { good: 999, total: 1000 }, t)
  }
  now = end
  const windows = tracker.status('slo-0').burnRates.length
  const times = timeRounds(() => {
    tracker.statuses()
  })
  console.log(
    `\n2. Evaluating ${fmt(COUNT)} SLOs (30-day window + ${windows} burn-rate windows each), ${ROUNDS} rounds`,
  )
  console.log(
    `   median ${fmt(median(times))} ms, best ${fmt(Math.min(...times))} ms, worst ${fmt(Math.max(...times))} ms`,
  )
}

function memory(): void {
  const gc = (globalThis as { gc?: () => void }).gc
  const COUNT = 2_000
  const tracker0 = createSloTracker({ slos: [slo('probe')] })
  console.log(`\n3. Memory per SLO at a 30-day window`)
  console.log(
    `   ring buffers: ${fmt(tracker0.memoryBytes('probe'))} bytes (${fmt(tracker0.memoryBytes('probe') / 1024)} KiB)`,
  )
  if (gc === undefined) {
    console.log('   (run with --expose-gc for the measured heap figure)')
    return
  }
  const specs = Array.from({ length: COUNT }, (_, i) => slo(`m-${i}`))
  gc()
  gc()
  const before = process.memoryUsage()
  const tracker = createSloTracker({ slos: specs })
  gc()
  gc()
  const after = process.memoryUsage()
  const bytes = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers)
  console.log(
    `   measured: ${fmt(bytes / COUNT)} bytes per SLO (${fmt(bytes / COUNT / 1024)} KiB; heap + array buffers of ${fmt(COUNT)} SLOs, specs included)`,
  )
  void tracker.sloIds.length
}

// Each phase runs in a fresh process so one phase's heap never skews another's figures.
const phases: Record<string, () => void> = { memory, recording, evaluation }
const phase = process.argv[2]
if (phase !== undefined) {
  phases[phase]?.()
} else {
  console.log(`@slokit/core bench — node ${process.version}, ${process.arch}`)
  for (const name of ['recording', 'evaluation', 'memory']) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), name], {
      stdio: 'inherit',
    })
    if (child.status !== 0) process.exit(child.status ?? 1)
  }
}
