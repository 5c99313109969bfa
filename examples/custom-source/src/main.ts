// The adapter against a local copy of the made-up API: one day of checkout requests, evaluated as
// a 99.9 % SLO. `pnpm --filter @slokit/example-custom-source start` (or STATUS_API_URL=… for a real one).
import { DAY_MS, evaluateSlo, parseSlo } from '@slokit/core'
import { dayOfCounts, startFakeStatusApi } from './fake-status-api.js'
import { statusApiSource } from './status-api-source.js'

const dayStartMs = Date.UTC(2026, 0, 1)
const slo = parseSlo({
  id: 'checkout',
  service: 'checkout',
  objective: '99.9%',
  window: '1d',
  sli: { id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio' } },
})
const fake = process.env.STATUS_API_URL
  ? undefined
  : await startFakeStatusApi({ 'checkout-requests': dayOfCounts(dayStartMs) })
try {
  const url = process.env.STATUS_API_URL ?? (fake?.url as string)
  const source = statusApiSource({ url })
  const series = await source.query(slo.sli, { startMs: dayStartMs, endMs: dayStartMs + DAY_MS })
  const status = evaluateSlo(slo, series, { now: dayStartMs + DAY_MS })
  console.log(`${source.name} at ${url}: ${series.points.length} minutes of ${slo.sli.id}`)
  console.log(`SLI ${((status.sli ?? Number.NaN) * 100).toFixed(3)} % against ${slo.objective * 100} %`)
  console.log(`error budget remaining: ${((status.budget?.remaining ?? Number.NaN) * 100).toFixed(1)} %`)
} finally {
  await fake?.close()
}
