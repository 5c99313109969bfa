/**
 * `pnpm bench` for @slokit/prometheus, on the built package:
 *
 *   1. time to generate the rules of 1,000 SLOs (and to render them as YAML), both namings;
 *   2. `promtool check rules` on the result, when promtool is installed.
 *
 * What those rules cost a real Prometheus, beside Sloth's, is measured with the harness in
 * ../shared/tools/prom-rules (minutes per run): the command is printed at the end, and
 * `bench/sloth-1000.ts` (`pnpm bench:rules`) runs it for 1,000 SLOs.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseSlo, type SloSpec } from '@slokit/core'
import { generateRules, type RuleNaming, rulesToYaml } from '@slokit/prometheus'

const ROUNDS = 7
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits })

function timeRounds(run: () => void): number[] {
  run() // warm-up
  const times: number[] = []
  for (let i = 0; i < ROUNDS; i++) {
    const start = process.hrtime.bigint()
    run()
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  return times
}

/** 1,000 SLOs of 100 services: availability and latency ratios (30 d, some 28 d) and threshold timeslices. */
function thousandSlos(): SloSpec[] {
  const slos: SloSpec[] = []
  for (let i = 0; i < 1000; i++) {
    const service = `svc-${String(Math.floor(i / 10)).padStart(3, '0')}`
    const job = `job="${service}"`
    const kind = i % 10
    if (kind < 6) {
      slos.push(
        parseSlo({
          id: `${service}-availability-${kind}`,
          service,
          objective: kind % 2 === 0 ? '99.9%' : '99.5%',
          window: kind === 5 ? '28d' : '30d',
          sli: {
            id: `${service}-requests-${kind}`,
            kind: 'availability',
            measurement: {
              type: 'ratio',
              bad: `sum(rate(http_requests_total{${job},route="/r${kind}",code=~"5.."}[{{window}}]))`,
              total: `sum(rate(http_requests_total{${job},route="/r${kind}"}[{{window}}]))`,
            },
          },
          labels: { team: `team-${i % 7}` },
        }),
      )
    } else if (kind < 9) {
      slos.push(
        parseSlo({
          id: `${service}-latency-${kind}`,
          service,
          objective: '99%',
          window: '30d',
          sli: {
            id: `${service}-latency-${kind}`,
            kind: 'latency',
            measurement: {
              type: 'ratio',
              good: `sum(rate(http_request_duration_seconds_bucket{${job},le="0.5"}[{{window}}]))`,
              total: `sum(rate(http_request_duration_seconds_count{${job}}[{{window}}]))`,
            },
          },
        }),
      )
    } else {
      slos.push(
        parseSlo({
          id: `${service}-queue-age`,
          service,
          objective: '99%',
          window: '30d',
          budgetingMethod: 'timeslices',
          timeslice: { length: '1m' },
          sli: {
            id: `${service}-queue-age`,
            kind: 'freshness',
            measurement: {
              type: 'threshold',
              query: `max(max_over_time(queue_oldest_message_age_seconds{${job}}[{{window}}]))`,
              aggregation: 'max',
              comparison: '<=',
              threshold: 60,
            },
          },
        }),
      )
    }
  }
  return slos
}

const slos = thousandSlos()
console.log('@slokit/prometheus bench (built package)\n')
console.log(`rule generation for ${slos.length} SLOs (median of ${ROUNDS} rounds):`)
let sample = ''
for (const naming of ['slokit', 'sloth'] as RuleNaming[]) {
  let rules = generateRules(slos, { naming })
  const generate = median(
    timeRounds(() => {
      rules = generateRules(slos, { naming })
    }),
  )
  let yaml = ''
  const render = median(
    timeRounds(() => {
      yaml = rulesToYaml(rules)
    }),
  )
  const count = rules.groups.reduce((n, g) => n + g.rules.length, 0)
  console.log(
    `  ${naming.padEnd(6)}  generateRules ${fmt(generate)} ms  rulesToYaml ${fmt(render)} ms  ` +
      `${fmt(count, 0)} rules in ${fmt(rules.groups.length, 0)} groups, ${fmt(yaml.length / 1024 / 1024, 2)} MiB of YAML`,
  )
  if (naming === 'slokit') sample = yaml
}

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' })
if (promtool.status === 0) {
  const dir = mkdtempSync(join(tmpdir(), 'slokit-bench-'))
  try {
    const file = join(dir, 'rules.yml')
    writeFileSync(file, sample)
    const start = process.hrtime.bigint()
    const check = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' })
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    console.log(
      `\npromtool check rules on the slokit file: ${check.status === 0 ? 'SUCCESS' : 'FAILED'} in ${fmt(ms, 0)} ms`,
    )
    if (check.status !== 0) console.log(check.stdout + check.stderr)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

console.log(`
What the rules cost a real Prometheus, beside Sloth's for the same SLOs on the same data
(30 days of history; several minutes per run on 2 cores):

  pnpm slokit rules --from-sloth ../shared/corpus/sloth/examples/kubernetes-apiserver.yml \\
    --sloth-compatible -o /tmp/slokit-apiserver.yml
  ../shared/tools/prom-rules/run.sh --days 30 --rounds 3 \\
    ../shared/corpus/sloth/examples/_gen/kubernetes-apiserver.yml /tmp/slokit-apiserver.yml

(the figures measured for this package are in docs/prometheus.md)

The same at scale, 1,000 SLOs templated from Sloth's getting-started example, slokit's rules beside
Sloth's own output (several minutes):

  pnpm --filter @slokit/prometheus bench:rules`)
