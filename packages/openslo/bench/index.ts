/**
 * `pnpm bench` for @slokit/openslo, on the built package: time to export 1,000 SLOs to OpenSLO
 * YAML and to import them back (parse, resolve, validate), median of 7 rounds.
 */
import { parseSlo, type SloSpec } from '@slokit/core'
import { exportOpenSlo, importOpenSlo } from '@slokit/openslo'

const ROUNDS = 7
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

function timeRounds(run: () => void): number {
  run() // warm-up
  const times: number[] = []
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint()
    run()
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  return median(times)
}

/** 1,000 SLOs of 100 services: ratio availability SLOs and threshold latency timeslice SLOs. */
function thousandSlos(): SloSpec[] {
  return Array.from({ length: 1000 }, (_, i) => {
    const service = `svc-${String(Math.floor(i / 10)).padStart(3, '0')}`
    const job = `job="${service}"`
    return i % 2 === 0
      ? parseSlo({
          id: `${service}-availability-${i}`,
          service,
          sli: {
            id: `${service}-requests-${i}`,
            kind: 'availability',
            measurement: {
              type: 'ratio',
              bad: `sum(rate(http_requests_total{${job},code=~"5.."}[{{window}}]))`,
              total: `sum(rate(http_requests_total{${job}}[{{window}}]))`,
            },
          },
          objective: 0.999,
          window: '30d',
          labels: { team: `team-${i % 7}` },
        })
      : parseSlo({
          id: `${service}-latency-${i}`,
          service,
          sli: {
            id: `${service}-p99-${i}`,
            kind: 'latency',
            measurement: {
              type: 'threshold',
              query: `histogram_quantile(0.99, sum by (le) (rate(http_seconds_bucket{${job}}[{{window}}])))`,
              aggregation: 'p99',
              comparison: '<=',
              threshold: 0.3,
            },
          },
          objective: '99%',
          window: { calendar: 'month' },
          budgetingMethod: 'timeslices',
          timeslice: { length: '5m' },
        })
  })
}

const slos = thousandSlos()
const text = exportOpenSlo({ slos })
const exportMs = timeRounds(() => exportOpenSlo({ slos }))
const importMs = timeRounds(() => importOpenSlo([{ name: 'bench.yaml', text }]))
const back = importOpenSlo([{ name: 'bench.yaml', text }]).slos
if (JSON.stringify(back) !== JSON.stringify(slos)) throw new Error('the round trip changed an SLO')
process.stdout.write(
  [
    `1,000 SLOs, ${(text.length / 1024).toFixed(0)} KiB of OpenSLO YAML (median of ${ROUNDS}):`,
    `  export ${exportMs.toFixed(1)} ms`,
    `  import ${importMs.toFixed(1)} ms (parse, resolve, validate)`,
    '',
  ].join('\n'),
)
