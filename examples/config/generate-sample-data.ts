/**
 * Generates `sample-data.csv`: 30 days (2026-10-28T00:00Z to 2026-11-27T00:00Z) of hourly data
 * for the 12 SLIs of `slo-definitions.yaml`, as `slokit evaluate --data` reads it.
 *
 *   npx tsx examples/config/generate-sample-data.ts          # (re)writes sample-data.csv
 *   npx tsx examples/config/generate-sample-data.ts --check  # exits 1 if the file is out of date
 *
 * Everything comes from `simulateTraffic` of `@slokit/testing` with fixed seeds, so the output is
 * the same on every run and machine. One simulation step is one hour, i.e. one CSV row per SLI:
 * ratio SLIs get that hour's `good`/`total` counts, threshold SLIs one `value` (the hour's p99
 * latency, mean quality score, worst data age, mean throughput).
 *
 * Incidents (all times UTC), so that the evaluation has something to show:
 * - 2026-11-09 19:00–19:40  payments: the card processor times out, 30 % of authorizations fail.
 * - 2026-11-12 01:30–05:00  data-pipeline: a stuck Kafka consumer-group rebalance; ingest drops to
 *                           ~100 records/s, data ages past an hour and 60 % of the partitions miss.
 * - 2026-11-17 06:00–16:00  catalog: an ERP sync bug leaves 5 % of audited prices wrong.
 * - 2026-11-20 14:00–16:00  checkout: a database failover; 12 % of checkout requests fail and are
 *                           3× slower; the gateway sees 1.5 % 5xx and 2× latency.
 * - 2026-11-23 10:00–22:00  search: ranking model v42 ships with a feature bug; relevance drops
 *                           until it is rolled back.
 * - 2026-11-26 09:00–10:30  notifications: the e-mail provider rejects a third of the messages.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DAY_MS, HOUR_MS } from '@slokit/core'
import { simulateTraffic, type TrafficIncident, type TrafficOptions, type TrafficStep } from '@slokit/testing'

/** First hour of the sample (inclusive). */
export const START_MS = Date.UTC(2026, 9, 28)
/** End of the sample (exclusive): 30 days later. */
export const END_MS = START_MS + 30 * DAY_MS

/** Where the committed file lives, next to this script. */
export const SAMPLE_DATA_URL = new URL('./sample-data.csv', import.meta.url)

type Row = { readonly good: number; readonly total: number } | { readonly value: number }

/** One simulated workload and the SLIs read from it, hour by hour. */
interface Workload {
  readonly traffic: Omit<TrafficOptions, 'startMs' | 'durationMs' | 'stepMs'>
  readonly slis: ReadonlyArray<{ readonly id: string; row(step: TrafficStep): Row }>
}

function incident(
  from: string,
  to: string,
  effect: Omit<TrafficIncident, 'startMs' | 'durationMs'>,
): TrafficIncident {
  const startMs = Date.parse(from)
  return { startMs, durationMs: Date.parse(to) - startMs, ...effect }
}

/** Successful requests are good events. */
const succeeded = (step: TrafficStep): Row => ({ good: step.requests - step.errors, total: step.requests })

/** Nearest-rank percentile, the definition slokit uses. */
function percentile(values: Float64Array, p: number): number {
  const sorted = Float64Array.from(values).sort()
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits))

const WORKLOADS: readonly Workload[] = [
  {
    // The edge: every request of the shop. Latencies in ms.
    traffic: {
      seed: 1101,
      requestsPerMinute: 200,
      errorRate: 0.0002,
      latency: { medianMs: 45, p99Ms: 260 },
      incidents: [
        incident('2026-11-20T14:00:00Z', '2026-11-20T16:00:00Z', { errorRate: 0.015, latencyFactor: 2 }),
      ],
    },
    slis: [
      { id: 'api-gateway-requests', row: succeeded },
      { id: 'api-gateway-latency-p99', row: (s) => ({ value: round(percentile(s.latenciesMs, 99), 1) }) },
    ],
  },
  {
    // Checkout API. Latencies in ms; "fast" means at most 500 ms, the bucket the SLI counts.
    traffic: {
      seed: 1102,
      requestsPerMinute: 40,
      errorRate: 0.0003,
      latency: { medianMs: 120, p99Ms: 420 },
      incidents: [
        incident('2026-11-20T14:00:00Z', '2026-11-20T16:00:00Z', { errorRate: 0.12, latencyFactor: 3 }),
      ],
    },
    slis: [
      { id: 'checkout-requests', row: succeeded },
      {
        id: 'checkout-latency',
        row: (s) => ({ good: s.latenciesMs.filter((ms) => ms <= 500).length, total: s.requests }),
      },
    ],
  },
  {
    // Card authorizations; an "error" is a failure on our side or the processor's (not a decline).
    traffic: {
      seed: 1103,
      requestsPerMinute: 30,
      errorRate: 0.0004,
      incidents: [incident('2026-11-09T19:00:00Z', '2026-11-09T19:40:00Z', { errorRate: 0.3 })],
    },
    slis: [{ id: 'payments-authorizations', row: succeeded }],
  },
  {
    // Judged search queries; an "error" is a query whose top 10 the click model rates irrelevant.
    // The hourly value is the mean relevance score (0–1).
    traffic: {
      seed: 1104,
      requestsPerMinute: 20,
      errorRate: 0.2,
      incidents: [incident('2026-11-23T10:00:00Z', '2026-11-23T22:00:00Z', { errorRate: 0.38 })],
    },
    slis: [
      {
        id: 'search-result-quality',
        row: (s) => ({ value: round(s.requests === 0 ? 0 : 1 - s.errors / s.requests, 3) }),
      },
    ],
  },
  {
    // Price/stock audits of the catalog against the ERP; an "error" is a mismatch.
    traffic: {
      seed: 1105,
      requestsPerMinute: 10,
      dailyAmplitude: 0,
      errorRate: 0.002,
      incidents: [incident('2026-11-17T06:00:00Z', '2026-11-17T16:00:00Z', { errorRate: 0.05 })],
    },
    slis: [{ id: 'catalog-price-audits', row: succeeded }],
  },
  {
    // Ingest batches of 2,000 order events; failed batches are retried later and ingest nothing now.
    // The hourly value is the mean ingest rate in records per second.
    traffic: {
      seed: 1106,
      requestsPerMinute: 30,
      dailyAmplitude: 0.35,
      errorRate: 0.001,
      incidents: [incident('2026-11-12T01:30:00Z', '2026-11-12T05:00:00Z', { errorRate: 0.85 })],
    },
    slis: [
      {
        id: 'data-pipeline-ingest-throughput',
        row: (s) => ({ value: round(((s.requests - s.errors) * 2000) / 3600, 1) }),
      },
    ],
  },
  {
    // One freshness probe a minute; its "latency" is the age of the newest warehouse row, in
    // seconds. The hourly value is the worst age seen that hour.
    traffic: {
      seed: 1107,
      requestsPerMinute: 1,
      dailyAmplitude: 0,
      errorRate: 0,
      latency: { medianMs: 180, p99Ms: 420 },
      incidents: [incident('2026-11-12T01:30:00Z', '2026-11-12T05:00:00Z', { latencyFactor: 8 })],
    },
    slis: [
      {
        id: 'data-pipeline-freshness',
        row: (s) => ({ value: Math.round(s.latenciesMs.reduce((max, age) => Math.max(max, age), 0)) }),
      },
    ],
  },
  {
    // Expected hourly partitions (topic partition × table); an "error" is one that did not land.
    traffic: {
      seed: 1108,
      requestsPerMinute: 2,
      dailyAmplitude: 0,
      errorRate: 0.0005,
      incidents: [incident('2026-11-12T01:30:00Z', '2026-11-12T05:00:00Z', { errorRate: 0.6 })],
    },
    slis: [{ id: 'data-pipeline-partitions', row: succeeded }],
  },
  {
    // Objects re-read by the scrubber; an "error" is an object with no intact replica left.
    traffic: { seed: 1109, requestsPerMinute: 100, dailyAmplitude: 0, errorRate: 5e-7 },
    slis: [{ id: 'storage-object-scrubs', row: succeeded }],
  },
  {
    // Notifications handed to the e-mail/SMS/push providers; an "error" is one never delivered.
    traffic: {
      seed: 1110,
      requestsPerMinute: 25,
      dailyAmplitude: 0.5,
      peakHourUtc: 17,
      errorRate: 0.002,
      incidents: [incident('2026-11-26T09:00:00Z', '2026-11-26T10:30:00Z', { errorRate: 0.35 })],
    },
    slis: [{ id: 'notifications-deliveries', row: succeeded }],
  },
]

/** The CSV rows' SLI order within each hour: the order of `slis:` in slo-definitions.yaml. */
export const SLI_ORDER = [
  'api-gateway-requests',
  'api-gateway-latency-p99',
  'checkout-requests',
  'checkout-latency',
  'payments-authorizations',
  'search-result-quality',
  'catalog-price-audits',
  'data-pipeline-ingest-throughput',
  'data-pipeline-freshness',
  'data-pipeline-partitions',
  'storage-object-scrubs',
  'notifications-deliveries',
] as const

/** The whole CSV text, header and trailing newline included. Deterministic. */
export function generateSampleData(): string {
  const hours = (END_MS - START_MS) / HOUR_MS
  const rows = new Map<string, Row[]>()
  for (const workload of WORKLOADS) {
    const traffic = simulateTraffic({
      ...workload.traffic,
      startMs: START_MS,
      durationMs: END_MS - START_MS,
      stepMs: HOUR_MS,
    })
    for (const sli of workload.slis) rows.set(sli.id, [])
    for (const step of traffic.steps()) {
      for (const sli of workload.slis) rows.get(sli.id)?.push(sli.row(step))
    }
  }
  const lines = ['timestamp,sli,good,total,value']
  for (let h = 0; h < hours; h++) {
    const timestamp = new Date(START_MS + h * HOUR_MS).toISOString().replace('.000Z', 'Z')
    for (const id of SLI_ORDER) {
      const row = rows.get(id)?.[h]
      if (row === undefined) throw new Error(`no simulated data for SLI ${id} at ${timestamp}`)
      lines.push(
        'value' in row ? `${timestamp},${id},,,${row.value}` : `${timestamp},${id},${row.good},${row.total},`,
      )
    }
  }
  return `${lines.join('\n')}\n`
}

function main(args: readonly string[]): number {
  const path = fileURLToPath(SAMPLE_DATA_URL)
  const csv = generateSampleData()
  if (args.includes('--check')) {
    let current = ''
    try {
      current = readFileSync(path, 'utf8')
    } catch {
      // a missing file is out of date
    }
    if (current === csv) {
      console.log(`${path} is up to date`)
      return 0
    }
    console.error(`${path} is out of date: run npx tsx examples/config/generate-sample-data.ts`)
    return 1
  }
  writeFileSync(path, csv)
  console.log(`wrote ${path}: ${csv.split('\n').length - 2} rows`)
  return 0
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2))
}
