/**
 * What 1,000 SLOs' rules cost a real Prometheus: slokit's generated rules beside Sloth's, for the
 * same SLOs on the same synthetic data. `pnpm --filter @slokit/prometheus bench:rules`
 *
 * One Sloth example from the corpus (`../shared/corpus/sloth/examples/getting-started.yml`, read at
 * run time) is templated to 1,000 services (`myservice` → `svc-0000` … `svc-0999`, except in the
 * queries' `job` matcher: see `templated`):
 *
 *   A: Sloth's own output for it (`_gen/getting-started.yml`), templated the same way — exactly
 *      the file `sloth generate` writes for those 1,000 specs;
 *   B: `parseSlothSpec` + `generateRules` of the same 1,000 specs (Sloth naming, so both write the
 *      same series and alerts).
 *
 * Both files go to the harness in ../shared/tools/prom-rules (`run.sh`), which backfills data for
 * the selectors the rules read, runs one Prometheus per file on copies of the same TSDB and reads
 * every group's `evaluationTime` from `/api/v1/rules` per cycle. Skips (exit 0) when the corpus,
 * the harness, `prometheus`, `promtool` or `python3` is missing.
 *
 * Scale forces two shortcuts (the full-history comparison of one example is in docs/prometheus.md):
 * one day of raw data, and no history for recorded series (`--backfill none`):
 * promtool backfills recording rules one rule and 2-hour block at a time, and had done half of
 * Sloth's file in 8 minutes for one day of 1,000 SLOs. So the 30-day rules of both files (Sloth's average of 5m ratios, slokit's tile sums)
 * read only what the warm-up cycles recorded — cheaper than in production, for both — and the
 * comparison is of everything else: the per-SLO rules that read raw series (Sloth: every window
 * up to 3d from raw data; slokit: one 1-minute tile) and the alert expressions.
 *
 * Environment: `SLOS` (1000), `DAYS` (1), `CYCLES` (4), `EVAL_INTERVAL` (30 s), `ROUNDS` (1),
 * `BACKFILL` (none; `needed` for the harness's default), `PROM_RULES_ARGS` (more harness options, split on spaces).
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseSlo, type SloSpec } from '@slokit/core'
import { generateRules, parseSlothSpec, rulesToYaml, type SloAlerting } from '@slokit/prometheus'

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..')
const shared = resolve(repoRoot, '../shared')
const example = 'getting-started.yml'
const specPath = join(shared, 'corpus/sloth/examples', example)
const genPath = join(shared, 'corpus/sloth/examples/_gen', example)
const harness = join(shared, 'tools/prom-rules/run.sh')

const count = Number(process.env.SLOS ?? 1000)
const days = process.env.DAYS ?? '1'
const cycles = process.env.CYCLES ?? '4'
// Every 30 s, the production rule interval: 3,000 groups do not fit in the harness's usual 5 s on 2 cores.
const evalInterval = process.env.EVAL_INTERVAL ?? '30'
const rounds = process.env.ROUNDS ?? '1'
const backfill = process.env.BACKFILL ?? 'none'
const extra = (process.env.PROM_RULES_ARGS ?? '').split(' ').filter((a) => a !== '')

const missing = [
  ...[specPath, genPath, harness].filter((path) => !existsSync(path)),
  ...['prometheus', 'promtool', 'python3'].filter(
    (bin) => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status !== 0,
  ),
]
if (missing.length > 0) {
  console.log(`rule evaluation bench vs Sloth: skipped, missing ${missing.join(', ')}`)
  process.exit(0)
}

// Every SLO gets its own service name, rules and recorded series, but all read the same raw series
// (`job="myservice"`): the harness synthesises data for at most 6 values of a label, so 1,000 `job`
// values would leave 994 SLOs reading nothing. Each rule still selects and aggregates its own
// copy of the same few series, as it would a service of its own.
const service = (i: number) => `svc-${String(i).padStart(4, '0')}`
const templated = (text: string, i: number) =>
  text.replaceAll('myservice', service(i)).replaceAll(`job="${service(i)}"`, 'job="myservice"')
const specText = readFileSync(specPath, 'utf8')
const genText = readFileSync(genPath, 'utf8')

// A: Sloth's output, one copy of its groups per service, under one `groups:` key.
const genGroups = genText.slice(genText.indexOf('\ngroups:\n') + '\ngroups:\n'.length)
const sloth = ['groups:']
for (let i = 0; i < count; i++) sloth.push(templated(genGroups, i).trimEnd())

// B: slokit's rules for the same specs.
const slos: SloSpec[] = []
const alerting: Record<string, SloAlerting> = {}
for (let i = 0; i < count; i++) {
  const imported = parseSlothSpec(templated(specText, i), { source: example })
  for (const slo of imported.slos) slos.push(parseSlo(slo))
  Object.assign(alerting, imported.alerting)
}
const rules = generateRules(slos, { naming: 'sloth', alerting, extraLabels: { cmd: 'examplesgen.sh' } })

const dir = mkdtempSync(join(tmpdir(), 'slokit-bench-rules-'))
const fileA = join(dir, 'sloth.yml')
const fileB = join(dir, 'slokit.yml')
writeFileSync(fileA, `${sloth.join('\n')}\n`)
writeFileSync(fileB, rulesToYaml(rules))
// Kept after the run: the harness's tables per group and rule, its log, every sample.
const out = mkdtempSync(join(tmpdir(), 'slokit-bench-rules-results-'))
const harnessOptions = ['--days', days, '--cycles', cycles, '--rounds', rounds, '--warmup', '1']
const args = [
  ...harnessOptions,
  ...['--backfill', backfill, '--eval-interval', evalInterval],
  // One instance, no decoy services. Raw samples every 30 s (the harness's default): slokit's
  // 1-minute tiles (`rate(x[1m])`) need two samples in every minute; at 60 s they come out empty.
  ...['--instances', '1', '--decoys', '0', '--no-idle'],
  ...extra,
  ...['--out', out, fileA, fileB],
]
const rulesIn = (yaml: string) => (yaml.match(/^\s*- (record|alert):/gm) ?? []).length
console.log(
  `${count} SLOs from Sloth's ${example}: A = Sloth _gen (${rulesIn(readFileSync(fileA, 'utf8'))} rules), ` +
    `B = slokit (${rulesIn(readFileSync(fileB, 'utf8'))} rules in ${rules.groups.length} groups)`,
)
console.log(`$ ${harness} ${args.join(' ')}\n`)

const started = Date.now()
// The harness prints a table row per rule group (thousands here): keep it in a log, show the summary.
const log = join(out, 'prom-rules.log')
const code = await new Promise<number>((done) => {
  const child = spawn('sh', ['-c', '"$0" "$@" > "$LOG" 2>&1', harness, ...args], {
    stdio: 'inherit',
    env: { ...process.env, LOG: log },
  })
  child.on('exit', (status) => done(status ?? 1))
})
try {
  const output = readFileSync(log, 'utf8')
  if (code !== 0) throw new Error(`prom-rules exited with ${code}:\n${output.slice(-5000)}`)
  const summary = readFileSync(join(out, 'summary.txt'), 'utf8')
  const seconds = Math.round((Date.now() - started) / 1000)
  console.log(summary.slice(summary.indexOf('== summary')).trimEnd())
  const lines = output.split('\n')
  // Per file: the slowest rules, rule counts, and the harness's notes (missed iterations, compactions).
  const perRun = summary
    .split('\n')
    .filter((line) => /^== [AB]|slowest rules|^ {2}rules:|NOTE:|UNHEALTHY/.test(line))
  console.log(`\n${perRun.join('\n')}`)
  console.log(lines.filter((line) => /^(data|timing): /.test(line)).join('\n'))
  console.log(
    `\n${count} SLOs, ${days} d of data, backfill ${backfill}, ${cycles} cycles of ${evalInterval} s × ${rounds} round(s): ` +
      `${seconds} s in all; tables per group and rule in ${out}`,
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
process.exit(code)
