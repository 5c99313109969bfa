import { parseSlo } from '@slokit/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  exportOpenSlo,
  importOpenSlo,
  OpenSloError,
  type OpenSloImport,
  type OpenSloIssue,
  openSloName,
  shortWindowMs,
  toOpenSloObjects,
} from './index.js'
import { strictOpenSloProblems } from './strict-rules.test-support.js'

const load = (text: string, name = 'slo.yaml') => importOpenSlo([{ name, text }])

function failure(text: string): OpenSloError {
  try {
    load(text)
  } catch (error) {
    expect(error).toBeInstanceOf(OpenSloError)
    return error as OpenSloError
  }
  throw new Error('expected the import to fail')
}

const codes = (issues: readonly OpenSloIssue[]) => issues.map((i) => [i.limitation, i.message])

/** A 30-day SLO (so 14.4 over 1h spends 2 % of the budget) with `alertPolicies` appended. */
const slo = (policies: string, name = 'checkout-availability', window = '30d') => `apiVersion: openslo/v1
kind: SLO
metadata: { name: ${name} }
spec:
  service: checkout
  indicator:
    metadata: { name: ${name}-requests }
    spec:
      ratioMetric:
        good: { metricSource: { type: Prometheus, spec: { query: 'sum(rate(ok[{{.window}}]))' } } }
        total: { metricSource: { type: Prometheus, spec: { query: 'sum(rate(all[{{.window}}]))' } } }
  timeWindow: [{ duration: ${window}, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ target: 0.999 }]
  alertPolicies:
${policies}`

const SHARED = `apiVersion: openslo/v1
kind: AlertPolicy
metadata: { name: fast-burn }
spec:
  alertWhenNoData: true
  alertWhenResolved: true
  alertWhenBreaching: true
  conditions:
    - conditionRef: burn-14
  notificationTargets:
    - targetRef: pager
    - kind: AlertNotificationTarget
      metadata: { name: sre-slack }
      spec: { target: slack }
    - kind: AlertNotificationTarget
      metadata: { name: devs-mail }
      spec: { target: email }
---
apiVersion: openslo/v1
kind: AlertCondition
metadata: { name: burn-14 }
spec:
  severity: page
  condition: { kind: burnrate, op: gt, threshold: 14.4, lookbackWindow: 1h, alertAfter: 5m }
---
apiVersion: openslo/v1
kind: AlertNotificationTarget
metadata: { name: pager }
spec: { target: pagerduty }
`

const SLOW_BURN = `    - alertPolicyRef: fast-burn
    - kind: AlertPolicy
      metadata: { name: slow-burn }
      spec:
        alertWhenResolved: false
        conditions:
          - kind: AlertCondition
            metadata: { name: slow }
            spec:
              severity: warning
              condition: { kind: burnrate, op: gte, threshold: 1, lookbackWindow: 3d }
        notificationTargets:
          - targetRef: pager
`

describe('importOpenSlo — alert policies', () => {
  it('converts each SLO × policy into a burn_rate rule, no_data rule, routes and channels', () => {
    const imported = load(`${SHARED}---\n${slo(SLOW_BURN)}`)
    expect(imported.alerts).toEqual({
      rules: [
        {
          name: 'checkout-availability-fast-burn',
          type: 'burn_rate',
          selector: { slo: ['checkout-availability'] },
          for: '5m',
          // 14.4 × 1h / 30d = 2 % of the budget; short window 1h / 12.
          page: { severity: 'critical', windows: [{ long: '1h', short: '5m', budgetSpent: 0.02 }] },
          ticket: false,
        },
        {
          name: 'checkout-availability-fast-burn-no-data',
          type: 'no_data',
          selector: { slo: ['checkout-availability'] },
          severity: 'warning',
          after: '15m',
        },
        {
          name: 'checkout-availability-slow-burn',
          type: 'burn_rate',
          selector: { slo: ['checkout-availability'] },
          page: false,
          ticket: { severity: 'warning', windows: [{ long: '3d', short: '6h', budgetSpent: 0.1 }] },
        },
      ],
      routes: [
        {
          match: { rule: ['checkout-availability-fast-burn', 'checkout-availability-fast-burn-no-data'] },
          channels: ['pager', 'sre-slack'],
        },
        { match: { rule: ['checkout-availability-slow-burn'] }, channels: ['pager'] },
      ],
    })
    expect(imported.channels).toEqual({
      pager: { type: 'pagerduty', routingKey: '${env:PAGERDUTY_PAGER_ROUTING_KEY}' },
      'sre-slack': { type: 'slack', webhookUrl: '${env:SLACK_SRE_SLACK_WEBHOOK_URL}' },
    })
    expect(codes(imported.warnings)).toEqual([
      [
        undefined,
        'becomes the slokit slack channel `sre-slack`: set SLACK_SRE_SLACK_WEBHOOK_URL to its incoming webhook URL',
      ],
      [
        'NOTIFICATION_TARGET_NOT_SUPPORTED',
        'target email: slokit delivers to Slack and PagerDuty channels (and webhooks); no channel or route is made for it',
      ],
      [
        'SHORT_WINDOW_ADDED',
        'slokit also checks a short window of 5m (1/12 of 1h), so the alert stops soon after the burn stops',
      ],
      [
        undefined,
        'becomes the slokit pagerduty channel `pager`: set PAGERDUTY_PAGER_ROUTING_KEY to its Events API v2 routing key',
      ],
      ['ALERT_WHEN_RESOLVED', 'slokit always notifies when an alert resolves'],
      [
        'BURN_RATE_GTE',
        'op gte is read as gt: slokit fires when the burn rate is strictly above the threshold',
      ],
      [
        'SHORT_WINDOW_ADDED',
        'slokit also checks a short window of 6h (1/12 of 3d), so the alert stops soon after the burn stops',
      ],
    ])
    expect(imported.warnings.find((w) => w.limitation === 'ALERT_WHEN_RESOLVED')).toMatchObject({
      file: 'slo.yaml',
      line: 50,
      path: ['spec', 'alertPolicies', 1, 'spec', 'alertWhenResolved'],
    })
  })

  it('scales the budget share to each SLO’s period: a shared policy gives one rule per SLO', () => {
    const imported = load(
      [
        SHARED,
        slo('    - alertPolicyRef: fast-burn\n'),
        slo('    - alertPolicyRef: fast-burn\n', 'search-availability', '7d'),
      ].join('---\n'),
    )
    const rules = imported.alerts?.rules.filter((r) => r.type === 'burn_rate') ?? []
    expect(rules.map((r) => [r.name, r.type === 'burn_rate' && r.page !== false && r.page.windows])).toEqual([
      ['checkout-availability-fast-burn', [{ long: '1h', short: '5m', budgetSpent: 0.02 }]],
      // 14.4 × 1h / 7d
      ['search-availability-fast-burn', [{ long: '1h', short: '5m', budgetSpent: 0.0857142857143 }]],
    ])
  })

  it('merges several conditions into the tiers of one rule, saying what it merged', () => {
    const imported = load(
      slo(`    - kind: AlertPolicy
      metadata: { name: burn }
      spec:
        conditions:
          - kind: AlertCondition
            metadata: { name: fast }
            spec: { severity: high, condition: { kind: burnrate, op: gt, threshold: 14.4, lookbackWindow: 1h, alertAfter: 2m } }
          - kind: AlertCondition
            metadata: { name: medium }
            spec: { severity: critical, condition: { kind: burnrate, op: gt, threshold: 6, lookbackWindow: 6h, alertAfter: 10m } }
          - kind: AlertCondition
            metadata: { name: slow }
            spec: { severity: info, condition: { kind: burnrate, op: gt, threshold: 3, lookbackWindow: 1d, alertAfter: 10m } }
`),
    )
    expect(imported.alerts?.rules).toEqual([
      {
        name: 'checkout-availability-burn',
        type: 'burn_rate',
        selector: { slo: ['checkout-availability'] },
        for: '10m',
        page: {
          severity: 'critical',
          windows: [
            { long: '1h', short: '5m', budgetSpent: 0.02 },
            { long: '6h', short: '30m', budgetSpent: 0.05 },
          ],
        },
        ticket: { severity: 'info', windows: [{ long: '1d', short: '2h', budgetSpent: 0.1 }] },
      },
    ])
    expect(imported.alerts?.routes).toEqual([])
    expect(
      imported.warnings.filter((w) => w.limitation === 'CONDITIONS_MERGED').map((w) => w.message),
    ).toEqual([
      'its conditions become one slokit rule: the rule waits the longest alertAfter of its conditions (10m)',
      'its conditions become one slokit rule: the page tier takes the most severe of its conditions’ severities (critical)',
    ])
  })

  it('makes only a no_data rule of a policy that does not alert when breaching', () => {
    const imported = load(
      slo(`    - kind: AlertPolicy
      metadata: { name: silence }
      spec:
        alertWhenNoData: true
        alertWhenBreaching: false
        conditions:
          - kind: AlertCondition
            metadata: { name: fast }
            spec: { severity: page, condition: { kind: burnrate, op: gt, threshold: 14.4, lookbackWindow: 1h } }
`),
    )
    expect(imported.alerts?.rules.map((r) => [r.name, r.type])).toEqual([
      ['checkout-availability-silence-no-data', 'no_data'],
    ])
    expect(codes(imported.warnings)).toEqual([
      [
        'NOT_ALERTING_WHEN_BREACHING',
        'alertWhenBreaching is false: the policy’s conditions never alert and are not converted',
      ],
    ])
  })

  it('refuses burn-rate conditions slokit cannot represent, naming the field', () => {
    const error = failure(
      slo(`    - kind: AlertPolicy
      metadata: { name: odd }
      spec:
        conditions:
          - kind: AlertCondition
            metadata: { name: too-fast }
            spec: { severity: page, condition: { kind: burnrate, op: gt, threshold: 800, lookbackWindow: 1h } }
          - kind: AlertCondition
            metadata: { name: monthly }
            spec: { severity: page, condition: { kind: burnrate, op: gt, threshold: 1, lookbackWindow: 1M } }
`),
    )
    expect(error.code).toBe('NOT_SUPPORTED')
    expect(error.errors.map((i) => [i.limitation, i.path.slice(4).join('.'), i.message])).toEqual([
      [
        'BURN_RATE_ABOVE_BUDGET',
        'conditions.0.spec.condition.threshold',
        'a burn rate of 800 over 1h spends 111.1% of the error budget of SLO `checkout-availability` (period 30d): it can never fire',
      ],
      [
        'VARIABLE_DURATION',
        'conditions.1.spec.condition.lookbackWindow',
        '1M: months, quarters and years have no fixed length',
      ],
    ])
    expect(error.errors[0]).toMatchObject({ file: 'slo.yaml', line: 22 })
  })

  it('skips a condition alerting below a burn rate with a named warning, and imports the rest', () => {
    const imported = load(
      slo(`    - kind: AlertPolicy
      metadata: { name: odd }
      spec:
        conditions:
          - kind: AlertCondition
            metadata: { name: below }
            spec: { severity: page, condition: { kind: burnrate, op: lte, threshold: 2, lookbackWindow: 1h } }
          - kind: AlertCondition
            metadata: { name: fast }
            spec: { severity: page, condition: { kind: burnrate, threshold: 14.4, lookbackWindow: 1h, alertAfter: 0m } }
    - kind: AlertPolicy
      metadata: { name: only-below }
      spec:
        conditions:
          - kind: AlertCondition
            metadata: { name: low }
            spec: { severity: page, condition: { kind: burnrate, op: lt, threshold: 1, lookbackWindow: 1h } }
`),
    )
    expect(imported.slos.map((s) => s.id)).toEqual(['checkout-availability'])
    // No `op` is `gt` (the spec's own examples leave it out); `alertAfter: 0m` is no wait.
    expect(imported.alerts?.rules).toEqual([
      {
        name: 'checkout-availability-odd',
        type: 'burn_rate',
        selector: { slo: ['checkout-availability'] },
        page: { severity: 'critical', windows: [{ long: '1h', short: '5m', budgetSpent: 0.02 }] },
        ticket: false,
      },
    ])
    const skipped = imported.warnings.filter((w) => w.limitation === 'BURN_RATE_OP')
    expect(skipped.map((w) => [w.line, w.path.slice(4).join('.'), w.message])).toEqual([
      [
        22,
        'conditions.0.spec.condition.op',
        'op lte: a slokit burn-rate alert fires when the burn rate is above the threshold, so this condition is not converted',
      ],
      [
        32,
        'conditions.0.spec.condition.op',
        'op lt: a slokit burn-rate alert fires when the burn rate is above the threshold, so this condition is not converted',
      ],
    ])
  })

  it('checks policies, conditions and targets no SLO uses, and says they are not converted', () => {
    const policy = `apiVersion: openslo/v1
kind: AlertPolicy
metadata: { name: page }
spec:
  conditions:
    - conditionRef: fast-burn
  notificationTargets:
    - targetRef: pager
`
    const target = `apiVersion: openslo/v1
kind: AlertNotificationTarget
metadata: { name: pager }
spec: { target: pagerduty }
`
    const condition = `apiVersion: openslo/v1
kind: AlertCondition
metadata: { name: fast-burn }
spec:
  severity: page
  condition: { kind: burnrate, op: lte, threshold: 14.4, lookbackWindow: 1h, alertAfter: 5m }
`
    const spare = `apiVersion: openslo/v1
kind: AlertNotificationTarget
metadata: { name: spare }
spec: { target: email }
`
    const result = importOpenSlo([{ name: 'a.yaml', text: [policy, target, condition, spare].join('---\n') }])
    expect(result.alerts).toBeUndefined()
    expect(result.channels).toEqual({})
    expect(codes(result.warnings)).toEqual([
      ['ALERTING_NOT_USED', 'AlertPolicy `page` is not used by any SLO imported: nothing to convert it to'],
      [
        'ALERTING_NOT_USED',
        'AlertNotificationTarget `spare` is not used by any alert policy imported: nothing to convert it to',
      ],
    ])
    expect(failure(policy).errors.map((i) => i.message)).toEqual([
      'unknown AlertCondition `fast-burn`',
      'unknown AlertNotificationTarget `pager`',
    ])
    expect(failure(slo('    - alertPolicyRef: nope\n')).errors.map((i) => i.message)).toEqual([
      'unknown AlertPolicy `nope`',
    ])
  })

  it('refuses a target name used for two kinds of channel', () => {
    const policy = (name: string, target: string) => `    - kind: AlertPolicy
      metadata: { name: ${name} }
      spec:
        conditions:
          - kind: AlertCondition
            metadata: { name: c }
            spec: { severity: page, condition: { kind: burnrate, op: gt, threshold: 14.4, lookbackWindow: 1h } }
        notificationTargets:
          - kind: AlertNotificationTarget
            metadata: { name: oncall }
            spec: { target: ${target} }
`
    const error = failure(slo(policy('a', 'slack') + policy('b', 'pagerduty')))
    expect(error.errors.map((i) => i.message)).toEqual([
      'notification target `oncall` is pagerduty here and slack elsewhere',
    ])
  })
})

describe('shortWindowMs', () => {
  it.each([
    ['1h', 3_600_000, 300_000],
    ['6h', 21_600_000, 1_800_000],
    ['1d', 86_400_000, 7_200_000],
    ['3d', 259_200_000, 21_600_000],
    ['5m', 300_000, 60_000],
    ['90s', 90_000, 60_000],
    ['1m', 60_000, 5_000],
  ])('is 1/12 of %s in whole minutes, at least 1m, shorter than the window', (_, long, short) => {
    expect(shortWindowMs(long)).toBe(short)
  })
})

const SLO_30D = parseSlo({
  id: 'checkout',
  service: 'checkout',
  sli: {
    id: 'checkout-requests',
    kind: 'availability',
    measurement: { type: 'ratio', good: 'ok', total: 'all' },
  },
  objective: 0.999,
  window: '30d',
  labels: { tier: '1' },
})
const SLO_7D = parseSlo({
  ...SLO_30D,
  id: 'search',
  service: 'search',
  window: '7d',
  sli: { ...SLO_30D.sli, id: 's' },
} as never)

describe('exportOpenSlo — alerts', () => {
  it('writes a burn_rate rule as a policy per selected SLO, one condition per row, routes as targets', () => {
    const warnings: OpenSloIssue[] = []
    const objects = toOpenSloObjects(
      {
        slos: [SLO_30D, SLO_7D],
        alerts: {
          // The validated form: durations in milliseconds, default rows (no `windows`).
          rules: [
            {
              name: 'burn',
              type: 'burn_rate',
              selector: { slo: ['checkout'] },
              for: 120_000,
              page: { severity: 'critical' },
              ticket: false,
            },
            {
              name: 'checkout-burn-no-data',
              type: 'no_data',
              selector: { slo: ['checkout'] },
              severity: 'warning',
              after: 900_000,
            },
            { name: 'trend', type: 'trend', severity: 'warning' },
          ],
          routes: [
            {
              match: { severity: ['critical'] },
              channels: ['pd'],
              escalate: { after: 1_800_000, channels: ['pd'] },
            },
            { channels: ['chat'] },
          ],
        },
        channels: { pd: { type: 'pagerduty' }, chat: { type: 'slack' } },
      },
      { services: false, onWarning: (w) => warnings.push(w) },
    )
    const policiesOf = (name: string) =>
      (objects.find((o) => (o.metadata as { name: string }).name === name)?.spec as Record<string, unknown>)
        ?.alertPolicies
    const condition = (name: string, threshold: number, lookbackWindow: string) => ({
      kind: 'AlertCondition',
      metadata: { name },
      spec: {
        severity: 'critical',
        condition: { kind: 'burnrate', op: 'gt', threshold, lookbackWindow, alertAfter: '2m' },
      },
    })
    const pd = { kind: 'AlertNotificationTarget', metadata: { name: 'pd' }, spec: { target: 'pagerduty' } }
    const chat = { kind: 'AlertNotificationTarget', metadata: { name: 'chat' }, spec: { target: 'slack' } }
    // OpenSLO allows one condition per policy: a policy per row, annotated with the rule they make.
    expect(policiesOf('checkout')).toEqual([
      {
        kind: 'AlertPolicy',
        metadata: { name: 'burn-page-1', annotations: { 'slokit.dev/alert-rule': 'burn' } },
        spec: {
          alertWhenNoData: true,
          alertWhenResolved: true,
          alertWhenBreaching: true,
          // 2 % of a 30-day budget in 1h, 5 % in 6h: the SRE Workbook's page rows.
          conditions: [condition('burn-page-1', 14.4, '1h')],
          // The burn-rate alerts (critical) take the first route; no-data alerts (warning) the second.
          notificationTargets: [pd, chat],
        },
      },
      {
        kind: 'AlertPolicy',
        metadata: { name: 'burn-page-2', annotations: { 'slokit.dev/alert-rule': 'burn' } },
        spec: {
          alertWhenNoData: false,
          alertWhenResolved: true,
          alertWhenBreaching: true,
          conditions: [condition('burn-page-2', 6, '6h')],
          notificationTargets: [pd],
        },
      },
    ])
    expect(policiesOf('search')).toBeUndefined()
    expect(warnings.map((w) => [w.limitation, w.path.join('.')])).toEqual([
      ['ALERT_SETTING_NOT_EXPORTED', 'alerts.routes.0.escalate'],
      ['ALERT_SETTING_NOT_EXPORTED', 'alerts.routes.0.match'],
      ['ALERT_RULE_NOT_EXPORTED', 'alerts.rules.2'],
    ])
  })

  it('resolves a selector by service or labels to the SLOs it selects, and says so', () => {
    const warnings: OpenSloIssue[] = []
    const text = exportOpenSlo(
      {
        slos: [SLO_30D, SLO_7D],
        alerts: {
          rules: [
            {
              name: 'everything',
              type: 'burn_rate',
              page: { severity: 'high', windows: [{ long: '1h', short: '10m', budgetSpent: '2%' }] },
              ticket: false,
              minEvents: 100,
            },
          ],
        },
      },
      { onWarning: (w) => warnings.push(w) },
    )
    expect(warnings.map((w) => [w.limitation, w.message])).toEqual([
      ['ALERT_SETTING_NOT_EXPORTED', 'minEvents has no OpenSLO form: not exported'],
      [
        'SELECTOR_RESOLVED',
        'rule `everything` becomes an alert policy on each SLO it selects now (checkout, search); SLOs added later are not covered',
      ],
      [
        'ALERT_SETTING_NOT_EXPORTED',
        'OpenSLO conditions have one window: the short window is not exported (importing adds 5m)',
      ],
    ])
    const back = importOpenSlo([{ name: 'out.yaml', text }])
    expect(back.alerts?.rules.map((r) => [r.name, r.type === 'burn_rate' && r.page])).toEqual([
      [
        'checkout-everything',
        { severity: 'high', windows: [{ long: '1h', short: '5m', budgetSpent: 0.02 }] },
      ],
      ['search-everything', { severity: 'high', windows: [{ long: '1h', short: '5m', budgetSpent: 0.02 }] }],
    ])
  })

  it('refuses a window OpenSLO cannot write, naming the rule', () => {
    expect(() =>
      toOpenSloObjects({
        slos: [SLO_30D],
        alerts: {
          rules: [
            {
              name: 'odd',
              type: 'burn_rate',
              selector: { slo: ['checkout'] },
              page: { severity: 'critical', windows: [{ long: 90_500, short: 60_000, budgetSpent: 0.02 }] },
              ticket: false,
            },
          ],
        },
      }),
    ).toThrow(/alerts\.rules\[0\]\.page\.windows\[0\]\.long: OpenSLO durations are whole minutes in one unit/)
  })
})

// Generated OpenSLO alert policies on generated SLO periods: import → export → import is the identity.
const DURATIONS = ['5m', '30m', '1h', '2h', '6h', '12h', '1d', '3d'] as const
const condition = fc.record({
  severity: fc.constantFrom('page', 'critical', 'high', 'warning', 'info', 'ticket'),
  op: fc.constantFrom('gt', 'gte'),
  threshold: fc.integer({ min: 1, max: 200 }).map((n) => n / 10),
  lookbackWindow: fc.constantFrom(...DURATIONS),
  alertAfter: fc.option(fc.constantFrom('1m', '5m', '10m'), { nil: undefined }),
})
const TARGETS = { pager: 'pagerduty', 'sre-slack': 'slack', 'team-mail': 'email', ops: 'opsgenie' } as const
const target = fc
  .constantFrom(...(Object.keys(TARGETS) as Array<keyof typeof TARGETS>))
  .map((name) => ({ name, target: TARGETS[name] }))
const policy = fc.record({
  // Names OpenSLO allows and names only slokit does (`Fast_Burn`): the export writes `fast-burn`
  // with the rule in an annotation.
  name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,10}$/),
  noData: fc.option(fc.boolean(), { nil: undefined }),
  breaching: fc.option(fc.boolean(), { nil: undefined }),
  // Several conditions per policy (which OpenSLO forbids, but documents have) merge into one rule,
  // which the export writes as one policy per condition.
  conditions: fc.array(condition, { minLength: 1, maxLength: 3 }),
  targets: fc.uniqueArray(target, { maxLength: 3, selector: (t) => t.name }),
})
const document = fc.record({
  window: fc.constantFrom('7d', '28d', '30d', '90d'),
  policies: fc.uniqueArray(policy, { minLength: 1, maxLength: 3, selector: (p) => openSloName(p.name) }),
})

type Doc = typeof document extends fc.Arbitrary<infer T> ? T : never

function render(doc: Doc): string {
  const policies = doc.policies
    .map((p) => {
      const c = p.conditions
        .map(
          (x) =>
            `          - kind: AlertCondition\n            metadata: { name: c }\n            spec: { severity: ${x.severity}, condition: { kind: burnrate, op: ${x.op}, threshold: ${x.threshold}, lookbackWindow: ${x.lookbackWindow}${x.alertAfter === undefined ? '' : `, alertAfter: ${x.alertAfter}`} } }\n`,
        )
        .join('')
      const t = p.targets
        .map(
          (x) =>
            `          - kind: AlertNotificationTarget\n            metadata: { name: ${x.name} }\n            spec: { target: ${x.target} }\n`,
        )
        .join('')
      const flags = [
        p.noData === undefined ? '' : `        alertWhenNoData: ${p.noData}\n`,
        p.breaching === undefined ? '' : `        alertWhenBreaching: ${p.breaching}\n`,
      ].join('')
      return `    - kind: AlertPolicy\n      metadata: { name: ${p.name} }\n      spec:\n${flags}        conditions:\n${c}${t === '' ? '' : `        notificationTargets:\n${t}`}`
    })
    .join('')
  return slo(policies, 'checkout-availability', doc.window)
}

const alertsOf = (imported: OpenSloImport) => ({ alerts: imported.alerts, channels: imported.channels })

describe('round trips (property)', () => {
  it('import → export → import is the identity on alert rules, routes and channels', () => {
    fc.assert(
      fc.property(document, (doc) => {
        let first: OpenSloImport
        try {
          first = load(render(doc))
        } catch (error) {
          // Only a burn rate spending more than the budget in its window may be refused.
          expect(error).toBeInstanceOf(OpenSloError)
          expect((error as OpenSloError).errors.map((e) => e.limitation)).toContain('BURN_RATE_ABOVE_BUDGET')
          return
        }
        const text = exportOpenSlo(first)
        expect(alertsOf(load(text, 'exported.yaml'))).toEqual(alertsOf(first))
        // One condition per policy, DNS names, `alertAfter` everywhere: what strict validators want.
        expect(strictOpenSloProblems(toOpenSloObjects(first))).toEqual([])
      }),
      { numRuns: 300 },
    )
  }, 30_000)
})
