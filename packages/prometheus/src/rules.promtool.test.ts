import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '@slokit/config'
import { parseSlo, type SloSpec } from '@slokit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { type GenerateRulesOptions, generateRules } from './generate-rules.js'
import { rulesToYaml } from './rule-file.js'
import { parseSlothSpec } from './sloth.js'
import { missingBinaries, promtool } from './test-support.js'

const skip = missingBinaries(['promtool'])
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
const slothExamples = join(repoRoot, '..', 'shared', 'corpus', 'sloth', 'examples')

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'slokit-promtool-'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

async function check(name: string, yaml: string): Promise<void> {
  const file = join(work, name)
  await writeFile(file, yaml)
  const result = await promtool(['check', 'rules', file])
  expect(result.code, `promtool check rules ${name}:\n${result.stdout}${result.stderr}`).toBe(0)
}

// A service with 1,000 requests a minute and no errors, then 2.5 % errors from minute `incident`
// on. With 99.9 % over 30 days the page tier needs an error ratio above 14.4 × 0.1 % over 1h (and
// 5m): 25·k / 60,000 > 0.0144 first holds at incident minute k = 35. The ticket tier needs 3 × 0.1 %
// over 1d (and 2h): 25·k / 1,440,000 > 0.003 first at k = 173, and 1 × 0.1 % over 3d (and 6h),
// which after three clean days is also k = 173. Over 28 days the factors are 13.44, 5.6, 2.8 and
// 0.9333: page at k = 33. With one clean day only (SHORT), the 3d window holds 1,450 clean
// minutes and the k incident ones: 25·k / (1,450 + k) > 1 (30 d) at k = 61, > 0.9333 (28 d) at k = 57.
const INCIDENT = 3 * 24 * 60 + 10
const SHORT = 24 * 60 + 10

function inputSeries(incident = INCIDENT, after = 200): Array<{ series: string; values: string }> {
  const ok = `0+1000x${incident} ${1000 * incident + 975}+975x${after}`
  const errors = `0+0x${incident} 25+25x${after}`
  return [
    { series: 'app_requests_total{job="app", code="200"}', values: ok },
    { series: 'app_requests_total{job="app", code="500"}', values: errors },
  ]
}

const appSlo = (window: string): SloSpec =>
  parseSlo({
    id: `app-availability-${window}`,
    service: 'app',
    objective: '99.9%',
    window,
    sli: {
      id: 'app-requests',
      kind: 'availability',
      measurement: {
        type: 'ratio',
        bad: 'sum(rate(app_requests_total{job="app",code=~"5.."}[{{window}}]))',
        total: 'sum(rate(app_requests_total{job="app"}[{{window}}]))',
      },
    },
  })

/** `count(ALERTS{…})` at minute `k` of the incident: 1 when firing, nothing when not. */
function firingAt(
  k: number,
  severity: string,
  firing: boolean,
  severityLabel = 'severity',
  incident = INCIDENT,
) {
  return {
    expr: `count(ALERTS{alertname="SLOErrorBudgetBurn", alertstate="firing", ${severityLabel}="${severity}"})`,
    eval_time: `${incident + k}m`,
    exp_samples: firing ? [{ labels: '{}', value: 1 }] : [],
  }
}

async function unitTest(
  name: string,
  slo: SloSpec,
  options: GenerateRulesOptions,
  tests: object[],
  input = inputSeries(),
): Promise<void> {
  const rules = generateRules([slo], options)
  const rulesFile = join(work, `${name}.rules.yml`)
  await writeFile(rulesFile, rulesToYaml(rules))
  const testFile = join(work, `${name}.test.yml`)
  await writeFile(
    testFile,
    stringify({
      rule_files: [rulesFile],
      evaluation_interval: '1m',
      tests: [{ interval: '1m', input_series: input, promql_expr_test: tests }],
    }),
  )
  const result = await promtool(['test', 'rules', testFile])
  expect(result.code, `promtool test rules (${name}):\n${result.stdout}${result.stderr}`).toBe(0)
}

// Each case is one promtool process replaying days of data minute by minute: run them side by side.
describe.skipIf(skip !== undefined)(
  'promtool test rules: the burn-rate alerts fire when the maths says',
  () => {
    it.concurrent('30 days: the page alert fires at minute 35 of the incident, the ticket at minute 173', async () => {
      await unitTest('30d', appSlo('30d'), {}, [
        firingAt(34, 'page', false),
        firingAt(35, 'page', true),
        firingAt(172, 'ticket', false),
        firingAt(173, 'ticket', true),
        firingAt(173, 'page', true),
        // Before the incident nothing fires, and the SLI is 100 % over the recorded history.
        firingAt(-1, 'page', false),
        {
          expr: 'slo:sli_error:ratio_increase1h{slo="app-availability-30d"}',
          eval_time: `${INCIDENT}m`,
          exp_samples: [
            {
              labels:
                'slo:sli_error:ratio_increase1h{slo="app-availability-30d", slo_service="app", slo_window="1h"}',
              value: 0,
            },
          ],
        },
      ])
    })

    it.concurrent('28 days (4w), one clean day: the page alert fires at minute 33, the ticket at minute 57', async () => {
      const at = (k: number, severity: string, firing: boolean) =>
        firingAt(k, severity, firing, 'severity', SHORT)
      await unitTest(
        '28d',
        appSlo('28d'),
        {},
        [at(32, 'page', false), at(33, 'page', true), at(56, 'ticket', false), at(57, 'ticket', true)],
        inputSeries(SHORT, 60),
      )
    })

    it.concurrent('30 days, one clean day: the ticket alert fires at minute 61 through the 3d/6h row', async () => {
      const at = (k: number, severity: string, firing: boolean) =>
        firingAt(k, severity, firing, 'severity', SHORT)
      await unitTest(
        '30d-short',
        appSlo('30d'),
        {},
        [at(34, 'page', false), at(35, 'page', true), at(60, 'ticket', false), at(61, 'ticket', true)],
        inputSeries(SHORT, 64),
      )
    })

    it.concurrent('Sloth naming, one clean day: the same alert semantics, routed by sloth_severity', async () => {
      const at = (k: number, severity: string, firing: boolean) =>
        firingAt(k, severity, firing, 'sloth_severity', SHORT)
      await unitTest(
        '30d-sloth',
        appSlo('30d'),
        { naming: 'sloth' },
        [
          at(34, 'page', false),
          at(35, 'page', true),
          at(60, 'ticket', false),
          at(61, 'ticket', true),
          {
            // 30 incident minutes in the last hour: 750 errors of 60,000 requests (in millionths).
            expr: 'round(slo:sli_error:ratio_rate1h{sloth_id="app-availability-30d"} * 1e6)',
            eval_time: `${SHORT + 30}m`,
            exp_samples: [
              {
                labels:
                  '{sloth_id="app-availability-30d", sloth_service="app", sloth_slo="availability-30d", sloth_window="1h"}',
                value: 12_500,
              },
            ],
          },
        ],
        inputSeries(SHORT, 64),
      )
    })

    it.concurrent('the budget-exhausted alert fires once the period error ratio passes the budget', async () => {
      // One clean day (1,450 minutes) then the incident: the period error ratio 25·k / (1000 · (1450 + k))
      // passes 0.1 % from k = 61.
      const clean = SHORT
      const exhausted = (k: number, firing: boolean) => ({
        expr: 'count(ALERTS{alertname="SLOErrorBudgetExhausted", alertstate="firing"})',
        eval_time: `${clean + k}m`,
        exp_samples: firing ? [{ labels: '{}', value: 1 }] : [],
      })
      await unitTest(
        'exhausted',
        appSlo('30d'),
        { budgetExhaustedAlert: true },
        [exhausted(55, false), exhausted(70, true)],
        inputSeries(clean, 80),
      )
    })

    it.concurrent('the collection-health alert fires per SLO once every collection of the window failed', async () => {
      // The engine collects every minute: 20 minutes of successes, then only failures.
      const collections = [
        {
          series: 'sli_collection_total{slo="app-availability-30d", slo_service="app", result="success"}',
          values: '0+1x20 20x40',
        },
        {
          series: 'sli_collection_total{slo="app-availability-30d", slo_service="app", result="failure"}',
          values: '0x20 1+1x40',
        },
        // Another SLO keeps succeeding: it never alerts.
        {
          series: 'sli_collection_total{slo="other", slo_service="app", result="success"}',
          values: '0+1x60',
        },
      ]
      const failing = (minute: number, firing: boolean) => ({
        expr: 'ALERTS{alertname="SlokitSliCollectionFailing", alertstate="firing"}',
        eval_time: `${minute}m`,
        exp_samples: firing
          ? [
              {
                labels:
                  'ALERTS{alertname="SlokitSliCollectionFailing", alertstate="firing", severity="ticket", slo="app-availability-30d", slo_service="app"}',
                value: 1,
              },
            ]
          : [],
      })
      await unitTest(
        'collection-health',
        appSlo('30d'),
        { collectionHealthAlert: true },
        [failing(30, false), failing(40, true)],
        collections,
      )
    })

    it.concurrent('the data-absent alert fires when the SLI series are gone for longer than the limit', async () => {
      const ghost = parseSlo({
        id: 'ghost',
        service: 'app',
        objective: '99%',
        window: '30d',
        sli: {
          id: 'ghost',
          kind: 'availability',
          measurement: {
            type: 'ratio',
            bad: 'sum(rate(nope_total{code="500"}[{{window}}]))',
            total: 'sum(rate(nope_total[{{window}}]))',
          },
        },
      })
      await unitTest('absent', ghost, { dataAbsentAlertAfterMs: 10 * 60_000 }, [
        {
          expr: 'count(ALERTS{alertname="SLOSliDataAbsent", alertstate="firing", slo="ghost"})',
          eval_time: '30m',
          exp_samples: [{ labels: '{}', value: 1 }],
        },
      ])
    })
  },
)

describe.skipIf(skip !== undefined)('promtool check rules', () => {
  it('passes on the rules of every SLO of the example configuration, in both namings, with every optional alert', async () => {
    const config = await loadConfig([join(repoRoot, 'examples', 'config', 'slo-definitions.yaml')], {
      env: {},
      unsetSecrets: 'warn',
    })
    const slos = config.slos
    expect(slos.length).toBeGreaterThanOrEqual(10)
    for (const naming of ['slokit', 'sloth'] as const) {
      const rules = generateRules(slos, {
        naming,
        budgetExhaustedAlert: true,
        dataAbsentAlertAfterMs: 15 * 60_000,
        collectionHealthAlert: true,
      })
      expect(rules.skipped).toEqual([])
      expect(rules.sloIds).toHaveLength(slos.length)
      await check(`example-${naming}.yml`, rulesToYaml(rules))
    }
  })

  it('passes on the rules for every importable Sloth example of the corpus', async (context) => {
    const files = await readdir(slothExamples).catch(() => undefined)
    if (files === undefined) context.skip(`the Sloth corpus is not at ${slothExamples}`)
    let checked = 0
    for (const file of (files ?? []).filter((f) => /\.ya?ml$/.test(f))) {
      const text = await readFile(join(slothExamples, file), 'utf8')
      let spec: ReturnType<typeof parseSlothSpec>
      try {
        spec = parseSlothSpec(text, { source: file })
      } catch {
        continue // plugins, OpenSLO: refused with a typed error, tested in sloth.test.ts
      }
      for (const naming of ['sloth', 'slokit'] as const) {
        const rules = generateRules(spec.slos.map(parseSlo), { naming, alerting: spec.alerting })
        await check(`${file}.${naming}.yml`, rulesToYaml(rules))
      }
      checked++
    }
    expect(checked).toBeGreaterThanOrEqual(8)
  })
})
