import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig, parseConfig } from '@slokit/config'
import { importOpenSlo } from '@slokit/openslo'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { SECTION_CHECKS, SECTION_SCHEMAS } from '../sections.js'
import { runCli, tempFiles } from '../test-support.js'

const root = fileURLToPath(new URL('../../../../', import.meta.url))
const exampleConfig = join(root, 'examples', 'config', 'slo-definitions.yaml')
const slothCorpus = join(root, '..', 'shared', 'corpus', 'sloth', 'examples')

const OPENSLO = `apiVersion: openslo/v1
kind: DataSource
metadata: { name: thanos }
spec: { type: Prometheus }
---
apiVersion: openslo/v1
kind: SLI
metadata: { name: checkout-requests }
spec:
  ratioMetric:
    good:
      metricSource:
        metricSourceRef: thanos
        spec: { query: 'sum(rate(http_requests_total{job="checkout",code!~"5.."}[{{.window}}]))' }
    total:
      metricSource:
        metricSourceRef: thanos
        spec: { query: 'sum(rate(http_requests_total{job="checkout"}[{{.window}}]))' }
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
  labels: { team: payments }
spec:
  service: checkout
  indicatorRef: checkout-requests
  timeWindow: [{ duration: 1M, isRolling: false, calendar: { startTime: '2024-01-01 00:00:00', timeZone: Europe/Berlin } }]
  budgetingMethod: Timeslices
  objectives:
    - target: 0.999
      timeSliceTarget: 0.95
      timeSliceWindow: 1m
`

const ALERTING = `${OPENSLO.replace(
  '      timeSliceWindow: 1m\n',
  `      timeSliceWindow: 1m
  alertPolicies:
    - alertPolicyRef: fast-burn
    - kind: AlertPolicy
      metadata: { name: slow-burn }
      spec:
        conditions:
          - kind: AlertCondition
            metadata: { name: slow }
            spec: { severity: warning, condition: { kind: burnrate, op: gt, threshold: 1, lookbackWindow: 3d } }
        notificationTargets:
          - kind: AlertNotificationTarget
            metadata: { name: sre-slack }
            spec: { target: slack }
          - kind: AlertNotificationTarget
            metadata: { name: devs }
            spec: { target: email }
`,
)}---
apiVersion: openslo/v1
kind: AlertPolicy
metadata: { name: fast-burn }
spec:
  alertWhenNoData: true
  conditions:
    - kind: AlertCondition
      metadata: { name: fast }
      spec: { severity: page, condition: { kind: burnrate, op: gt, threshold: 14.4, lookbackWindow: 1h, alertAfter: 5m } }
  notificationTargets:
    - kind: AlertNotificationTarget
      metadata: { name: pager }
      spec: { target: pagerduty }
`

const COMPOSITE = `apiVersion: openslo/v1
kind: SLO
metadata: { name: composite }
spec:
  service: web
  timeWindow: [{ duration: 28d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives:
    - target: 0.99
      indicatorRef: a
      compositeWeight: 1
    - target: 0.99
      indicatorRef: b
      compositeWeight: 2
`

describe('slokit convert', () => {
  it('converts OpenSLO to a slokit config that loads to the same SLOs', async () => {
    const paths = await tempFiles({ 'openslo.yaml': OPENSLO })
    const input = paths['openslo.yaml'] as string
    const result = await runCli(['convert', input, '--to', 'slokit'])
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(result.stdout).toMatch(
      /^# Converted by `slokit convert --to slokit` from .*openslo\.yaml\.\napiVersion: slokit\/v1\n/,
    )
    const config = parseConfig([{ name: 'converted.yaml', text: result.stdout }])
    const imported = importOpenSlo([{ name: input, text: OPENSLO }])
    expect(config.slos).toEqual(imported.slos)
    expect(config.slos[0]).toMatchObject({
      id: 'checkout-availability',
      window: { type: 'calendar', unit: 'month', timeZone: 'Europe/Berlin' },
      timeslice: { lengthMs: 60_000, objective: 0.95 },
      sli: { source: 'thanos', measurement: { good: expect.stringContaining('[{{window}}]') } },
    })
  })

  it('converts the example config to OpenSLO and back without changing an SLO', async () => {
    const dir = await tempFiles({ 'placeholder.txt': '' })
    const out = join(String(dir['placeholder.txt']), '..', 'openslo.yaml')
    const toOpenSlo = await runCli(['convert', exampleConfig, '--to', 'openslo', '-o', out])
    expect(toOpenSlo.code).toBe(0)
    expect(toOpenSlo.stdout).toBe('')
    const config = await loadConfig(exampleConfig, { unsetSecrets: 'warn' })
    expect(toOpenSlo.stderr).toContain(`wrote ${config.slos.length} SLOs as openslo to ${out}`)
    // The other sections have no OpenSLO form: said, not dropped silently. Burn-rate and no-data
    // rules become alert policies; the rest of `alerts` is named rule by rule.
    expect(toOpenSlo.stderr).toMatch(/warning: not converted: .*`policies`/)
    expect(toOpenSlo.stderr).not.toMatch(/warning: not converted: .*`alerts`/)
    expect(toOpenSlo.stderr).toMatch(
      /warning: alerts\.rules\[\d+\]: a budget_remaining rule \(`budget-low`\) has no OpenSLO form/,
    )
    const written = await readFile(out, 'utf8')
    expect(importOpenSlo([{ name: out, text: written }]).slos).toEqual(config.slos)

    const back = await runCli(['convert', out, '--to', 'slokit'])
    expect(back.code).toBe(0)
    const reloaded = parseConfig([{ name: 'back.yaml', text: back.stdout }], {
      env: {},
      unsetSecrets: 'warn',
    })
    expect(reloaded.slos).toEqual(config.slos)
  })

  it('converts OpenSLO alert policies into alerts and channels that load and validate, and back', async () => {
    const paths = await tempFiles({ 'openslo.yaml': ALERTING })
    const input = paths['openslo.yaml'] as string
    const out = join(input, '..', 'slokit.yaml')
    const result = await runCli(['convert', input, '--to', 'slokit', '-o', out])
    expect(result.code).toBe(0)
    // What is approximated or needs the user is said: the added short windows, the email target,
    // the environment variables the channels read.
    expect(result.stderr).toContain('slokit also checks a short window of 5m (1/12 of 1h)')
    expect(result.stderr).toContain('target email: slokit delivers to Slack and PagerDuty channels')
    expect(result.stderr).toContain('set PAGERDUTY_PAGER_ROUTING_KEY to its Events API v2 routing key')
    expect(result.stderr).toContain('set SLACK_SRE_SLACK_WEBHOOK_URL to its incoming webhook URL')
    const written = await readFile(out, 'utf8')
    expect(parse(written)).toMatchObject({
      alerts: {
        rules: [
          { name: 'checkout-availability-fast-burn', type: 'burn_rate', for: '5m', ticket: false },
          { name: 'checkout-availability-fast-burn-no-data', type: 'no_data' },
          { name: 'checkout-availability-slow-burn', type: 'burn_rate', page: false },
        ],
        routes: [
          {
            match: { rule: ['checkout-availability-fast-burn', 'checkout-availability-fast-burn-no-data'] },
            channels: ['pager'],
          },
          { match: { rule: ['checkout-availability-slow-burn'] }, channels: ['sre-slack'] },
        ],
      },
      channels: {
        pager: { type: 'pagerduty', routingKey: '${env:PAGERDUTY_PAGER_ROUTING_KEY}' },
        'sre-slack': { type: 'slack', webhookUrl: '${env:SLACK_SRE_SLACK_WEBHOOK_URL}' },
      },
    })

    // The sections parse with the CLI's schemas (alertsSectionSchema, the channel types), and the
    // cross-section checks pass: with the variables set, without a single warning.
    const env = {
      PAGERDUTY_PAGER_ROUTING_KEY: 'a'.repeat(32),
      SLACK_SRE_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/x',
    }
    const loaded = await loadConfig(out, { sections: SECTION_SCHEMAS, checks: SECTION_CHECKS, env })
    expect(loaded.warnings).toEqual([])
    expect(loaded.sections.alerts).toMatchObject({
      rules: [
        {
          type: 'burn_rate',
          selector: { slo: ['checkout-availability'] },
          for: 300_000,
          page: { severity: 'critical', windows: [{ long: 3_600_000, short: 300_000, budgetSpent: 0.02 }] },
        },
        { type: 'no_data', after: 900_000, severity: 'warning' },
        // 1 × 3d over a nominal 30-day month: 10 % of the budget.
        {
          type: 'burn_rate',
          ticket: { severity: 'warning', windows: [{ long: 259_200_000, budgetSpent: 0.1 }] },
        },
      ],
    })
    expect(Object.keys(loaded.sections.channels as object)).toEqual(['pager', 'sre-slack'])

    // `slokit validate` accepts it; unset variables are warnings.
    const validated = await runCli(['validate', out])
    expect(validated.code).toBe(0)
    expect(validated.stdout).toContain('PAGERDUTY_PAGER_ROUTING_KEY')

    // And back to OpenSLO: the same rules, routes and channels import again.
    const back = await runCli(['convert', out, '--to', 'openslo'])
    expect(back.code).toBe(0)
    expect(back.stderr).not.toContain('not converted')
    const original = importOpenSlo([{ name: input, text: ALERTING }])
    const again = importOpenSlo([{ name: 'back.yaml', text: back.stdout }])
    expect(again.alerts).toEqual(original.alerts)
    expect(again.channels).toEqual(original.channels)
  })

  it('refuses what slokit cannot represent, with file, line and column, and writes nothing', async () => {
    const paths = await tempFiles({ 'composite.yaml': COMPOSITE })
    const input = paths['composite.yaml'] as string
    const out = `${input}.out`
    const result = await runCli(['convert', input, '--to', 'slokit', '-o', out])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain(
      `${input}:9:7: error: spec.objectives[0]: an objective with its own indicator makes a composite SLO [COMPOSITE_SLO] (split it into one SLO per indicator)`,
    )
    expect(result.stderr).toContain(`${input}:12:7: error: spec.objectives[1]:`)
    expect(result.stderr).toMatch(/✗ cannot convert: 2 errors\n$/)
    expect(existsSync(out)).toBe(false)
  })

  it('names the SLO an OpenSLO export cannot express', async () => {
    const config = `apiVersion: slokit/v1
slos:
  - id: in-process
    service: api
    sli: { id: in-process, kind: availability, measurement: { type: ratio } }
    objective: 0.99
    window: 1d
`
    const paths = await tempFiles({ 'slo.yaml': config })
    const result = await runCli(['convert', paths['slo.yaml'] as string, '--to', 'openslo'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(
      'error: SLO in-process (sli.measurement): no queries: an OpenSLO ratio metric needs good (or bad) and total queries',
    )
  })

  it('needs --to openslo or --to slokit', async () => {
    const missing = await runCli(['convert', exampleConfig])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("required option '--to <format>' not specified")
    const wrong = await runCli(['convert', exampleConfig, '--to', 'sloth'])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('Allowed choices are openslo, slokit')
  })

  it.skipIf(!existsSync(slothCorpus))(
    'converts the Sloth OpenSLO v1alpha example (../shared/corpus)',
    async () => {
      const result = await runCli([
        'convert',
        join(slothCorpus, 'openslo-kubernetes-apiserver.yml'),
        '--to',
        'slokit',
      ])
      expect(result.code).toBe(0)
      const config = parseConfig([{ name: 'converted.yaml', text: result.stdout }])
      expect(config.slos.map((s) => s.id)).toEqual([
        'requests-availability-openslo-0',
        'requests-latency-openslo-0',
        'requests-latency-openslo-1',
      ])
    },
  )
})

describe('slokit validate with OpenSLO files', () => {
  it('validates OpenSLO files with the importer', async () => {
    const paths = await tempFiles({ 'openslo.yaml': OPENSLO })
    const result = await runCli(['validate', paths['openslo.yaml'] as string])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`✓ ${paths['openslo.yaml']}: valid — 1 SLI, 1 SLO\n`)
  })

  it('reports OpenSLO problems in the same located form as config problems, with config files alongside', async () => {
    const paths = await tempFiles({
      'composite.yaml': COMPOSITE,
      'broken.yaml': 'apiVersion: slokit/v1\nslos: 3\n',
    })
    const composite = paths['composite.yaml'] as string
    const broken = paths['broken.yaml'] as string
    const result = await runCli(['validate', composite, broken, '--json'])
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout)
    expect(report.valid).toBe(false)
    expect(report.errors).toEqual([
      expect.objectContaining({ file: broken, line: 2, path: ['slos'] }),
      expect.objectContaining({ file: composite, line: 9, column: 7, limitation: 'COMPOSITE_SLO' }),
      expect.objectContaining({ file: composite, line: 12, column: 7, limitation: 'COMPOSITE_SLO' }),
    ])
    const text = await runCli(['validate', composite])
    expect(text.stdout).toContain(
      `${composite}:9:7: error: spec.objectives[0]: an objective with its own indicator`,
    )
    expect(text.stdout).toMatch(/✗ .*composite\.yaml: 2 errors\n$/)
  })

  it('says which alert conditions it skips and why, and still validates the SLO', async () => {
    const below = ALERTING.replace(
      'op: gt, threshold: 1, lookbackWindow: 3d',
      'op: lte, threshold: 1, lookbackWindow: 3d',
    )
    const paths = await tempFiles({ 'openslo.yaml': below })
    const file = paths['openslo.yaml'] as string
    const result = await runCli(['validate', file])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(
      /openslo\.yaml:\d+:\d+: warning: spec\.alertPolicies\[1\]\.spec\.conditions\[0\]\.spec\.condition\.op: op lte: a slokit burn-rate alert fires when the burn rate is above the threshold, so this condition is not converted \[BURN_RATE_OP\]/,
    )
    expect(result.stdout).toMatch(/✓ .*openslo\.yaml: valid — 1 SLI, 1 SLO \(\d+ warnings\)\n$/)
  })
})
