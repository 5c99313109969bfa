import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HOUR_MS, parseSli } from '@slokit/core'
import { describeSliSourceContract } from '@slokit/testing/vitest'
import { describe, it } from 'vitest'
import { PrometheusSource } from './prometheus-source.js'
import { backfill, missingBinaries, type SyntheticSeries, startPrometheus } from './test-support.js'

// The SliSource conformance suite against a real Prometheus holding six hours of backfilled
// counters (sampled every 15 s) and a latency gauge.

const skip = missingBinaries()
const START = Date.UTC(2026, 2, 1)
const HOURS = 6

const requests = parseSli({
  id: 'requests',
  kind: 'availability',
  measurement: {
    type: 'ratio',
    bad: 'sum(rate(contract_requests_total{code=~"5.."}[{{window}}]))',
    total: 'sum(rate(contract_requests_total[{{window}}]))',
  },
})
const latency = parseSli({
  id: 'latency',
  kind: 'latency',
  measurement: {
    type: 'threshold',
    query: 'max_over_time(contract_latency_seconds[{{window}}])',
    aggregation: 'max',
    comparison: '<=',
    threshold: 0.5,
  },
})

/** 40 requests a minute (one error every 4 minutes), counters sampled every 15 s. */
function data(): SyntheticSeries[] {
  const ok: Array<[number, number]> = []
  const errors: Array<[number, number]> = []
  const gauge: Array<[number, number]> = []
  for (let t = START, i = 0; t <= START + HOURS * HOUR_MS; t += 15_000, i++) {
    ok.push([t, 10 * i - Math.floor(i / 16)])
    errors.push([t, Math.floor(i / 16)])
    gauge.push([t, 0.1 + (i % 8) / 10])
  }
  return [
    { labels: { __name__: 'contract_requests_total', code: '200' }, samples: ok, type: 'counter' },
    { labels: { __name__: 'contract_requests_total', code: '500' }, samples: errors, type: 'counter' },
    { labels: { __name__: 'contract_latency_seconds' }, samples: gauge, type: 'gauge' },
  ]
}

if (skip !== undefined) {
  describe('SliSource contract: PrometheusSource (real Prometheus)', () => {
    it.skip(`skipped: ${skip}`, () => {})
  })
} else {
  describeSliSourceContract('PrometheusSource (real Prometheus 2.x)', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'slokit-contract-'))
    await backfill(data(), dataDir)
    const running = await startPrometheus({ dataDir })
    // Two hours in the middle: 120 one-minute steps of 40 requests, one error every 4 minutes.
    const range = { startMs: START + 2 * HOUR_MS, endMs: START + 4 * HOUR_MS }
    return {
      source: new PrometheusSource({ url: running.url }),
      ratio: { sli: requests, range, expected: { good: 120 * 40 - 30, total: 120 * 40 } },
      threshold: { sli: latency, range, expectedCount: 120 },
      empty: { sli: requests, range: { startMs: START - 2 * HOUR_MS, endMs: START - HOUR_MS } },
      unknownSli: parseSli({ id: 'in-process', kind: 'availability', measurement: { type: 'ratio' } }),
      cleanup: async () => {
        await running.stop()
        await rm(dataDir, { recursive: true, force: true })
      },
    }
  })
}
