import { createSloTracker, DAY_MS, MINUTE_MS } from '@slokit/core'

const step = Number(process.argv[2]) * MINUTE_MS
const COUNT = 10000
let now = Date.UTC(2026, 0, 1)
const ids = Array.from({ length: COUNT }, (_, i) => `slo-${i}`)
const tracker = createSloTracker({
  slos: ids.map((id) => ({
    id,
    service: 'b',
    sli: { id: `${id}-sli`, kind: 'availability', measurement: { type: 'ratio' } },
    objective: '99.9%',
    window: process.argv[3] ?? '30d',
  })),
  clock: { now: () => now },
})
const end = now + 3 * DAY_MS
for (let t = now; t < end; t += step) for (const id of ids) tracker.record(id, { good: 999, total: 1000 }, t)
now = end
const times: number[] = []
for (let i = 0; i < 15; i++) {
  const s = process.hrtime.bigint()
  tracker.statuses()
  times.push(Number(process.hrtime.bigint() - s) / 1e6)
}
times.sort((a, b) => a - b)
console.log(process.argv[2], 'median', times[7]!.toFixed(2))
