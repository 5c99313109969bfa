/**
 * `pnpm bench` for @slokit/reporter: the figure issue #7 asks for, measured on the built package.
 *
 *   100 SLOs × 30 days of one-minute snapshots (4.32 M) → buildReport + toHTML: time and size.
 *
 * Also: appending that history to a MemoryStatusHistory and reading it back, and the Markdown and
 * JSON renderers on the same report.
 */
import {
  computeStatus,
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  parseSlo,
  type SloSpec,
  type SloStatus,
  windowRange,
} from '@slokit/core'
import {
  buildReport,
  MemoryStatusHistory,
  type StatusSnapshot,
  toHTML,
  toJSON,
  toMarkdown,
} from '@slokit/reporter'

const SLOS = 100
const END = Date.UTC(2026, 10, 1)
const START = END - 30 * DAY_MS
const POINTS = (END - START) / MINUTE_MS
const ROUNDS = 5
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const ms = (n: number) => `${n.toFixed(0)} ms`
const gc = (globalThis as { gc?: () => void }).gc

function time<T>(run: () => T): { result: T; ms: number } {
  const start = process.hrtime.bigint()
  const result = run()
  return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 }
}

// A deterministic generator (mulberry32), so every run measures the same data.
let seed = 7
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const slos: SloSpec[] = Array.from({ length: SLOS }, (_, i) =>
  parseSlo({
    id: `slo-${String(i).padStart(3, '0')}`,
    name: `Service ${i % 20} objective ${i}`,
    service: `service-${i % 20}`,
    sli: { id: `sli-${i}`, kind: 'availability', measurement: { type: 'ratio' } },
    objective: i % 3 === 0 ? '99.9%' : '99.5%',
    window: '30d',
  }),
)

// Each SLO: budget remaining wanders, a third burn steadily over the last days, a few have incidents.
const history: StatusSnapshot[] = []
const statuses: SloStatus[] = []
const genStart = process.hrtime.bigint()
for (const [i, slo] of slos.entries()) {
  const budgetRatio = 1 - slo.objective
  let remaining = 0.4 + 0.5 * random()
  const burning = i % 3 === 0
  for (let k = 0; k < POINTS; k++) {
    const t = START + k * MINUTE_MS
    remaining += (random() - 0.5) * 0.0005
    if (burning && k > POINTS - 5 * 24 * 60) remaining -= 0.00008
    if (i % 10 === 5 && k === POINTS / 2) remaining -= 0.2
    const sli = 1 - (1 - remaining) * budgetRatio
    history.push({
      sloId: slo.id,
      atMs: t,
      sli,
      objective: slo.objective,
      budgetRemaining: remaining,
      state: 'ok',
    })
  }
  const total = 1_000_000
  const bad = Math.round((1 - remaining) * budgetRatio * total)
  statuses.push(
    computeStatus({
      slo,
      now: END,
      range: windowRange(slo.window, END),
      window: { good: total - bad, total },
      burnWindowsMs: [5 * MINUTE_MS, HOUR_MS, 6 * HOUR_MS, DAY_MS],
      burnTallies: [9990, 10000, 99_800, 100_000, 598_000, 600_000, 2_390_000, 2_400_000],
      coverage: 1,
      lastDataMs: END,
      staleAfterMs: 5 * MINUTE_MS,
      minCoverage: 0.95,
    }),
  )
}
const genMs = Number(process.hrtime.bigint() - genStart) / 1e6

console.log(
  `@slokit/reporter bench — node ${process.version}, ${SLOS} SLOs × ${POINTS.toLocaleString('en-US')} one-minute snapshots = ${history.length.toLocaleString('en-US')}`,
)
console.log(`(generating the snapshots: ${ms(genMs)})\n`)

const period = { startMs: START, endMs: END }
const build = (): ReturnType<typeof buildReport> => buildReport({ statuses, history, period, slos })
const buildTimes: number[] = []
const htmlTimes: number[] = []
const totalTimes: number[] = []
let html = ''
let report = build() // warm-up
html = toHTML(report)
for (let round = 0; round < ROUNDS; round++) {
  gc?.()
  const built = time(build)
  const rendered = time(() => toHTML(built.result))
  report = built.result
  html = rendered.result
  buildTimes.push(built.ms)
  htmlTimes.push(rendered.ms)
  totalTimes.push(built.ms + rendered.ms)
}
const bytes = Buffer.byteLength(html)
console.log(`buildReport                 ${ms(median(buildTimes))}  (median of ${ROUNDS})`)
console.log(`toHTML                      ${ms(median(htmlTimes))}`)
console.log(`build + render HTML         ${ms(median(totalTimes))}   ← the issue's figure`)
console.log(
  `HTML size                   ${(bytes / 1_048_576).toFixed(2)} MB (${report.slos.length * 3} charts, ≤ 240 points per series)`,
)
const md = time(() => toMarkdown(report))
const json = time(() => toJSON(report))
console.log(
  `toMarkdown                  ${ms(md.ms)}, ${(Buffer.byteLength(md.result) / 1024).toFixed(0)} KiB`,
)
console.log(
  `toJSON                      ${ms(json.ms)}, ${(Buffer.byteLength(json.result) / 1024).toFixed(0)} KiB`,
)
console.log(
  `forecasts made              ${report.slos.filter((s) => s.forecast !== null).length} of ${SLOS} (a third burn steadily)`,
)

gc?.()
const before = process.memoryUsage().heapUsed
const store = new MemoryStatusHistory()
const appended = time(() => {
  for (let k = 0; k < POINTS; k++) {
    const batch: StatusSnapshot[] = new Array(SLOS)
    for (let i = 0; i < SLOS; i++) batch[i] = history[i * POINTS + k] as StatusSnapshot
    store.accept(batch)
  }
})
gc?.()
const heldMb = (process.memoryUsage().heapUsed - before) / 1_048_576
const read = await (async () => {
  const start = process.hrtime.bigint()
  const result = await store.read(period)
  return { result, ms: Number(process.hrtime.bigint() - start) / 1e6 }
})()
console.log(
  `\nMemoryStatusHistory: ${POINTS.toLocaleString('en-US')} appends of ${SLOS} snapshots ${ms(appended.ms)}; holds them in ~${heldMb.toFixed(0)} MB; reads all ${read.result.length.toLocaleString('en-US')} back in ${ms(read.ms)}`,
)
