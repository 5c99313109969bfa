// The example of docs/openslo.md, kept as a test so the page cannot drift from the code.

import type { SloSpec } from '@slokit/core'
import { expect, it } from 'vitest'
import { exportOpenSlo, importOpenSlo, openSloName } from './index.js'

it('docs/openslo.md: a runnable example', () => {
  const text = `
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
  displayName: Checkout availability
spec:
  service: checkout
  indicator:
    metadata: { name: checkout-requests }
    spec:
      ratioMetric:
        good:
          metricSource:
            type: Prometheus
            spec: { query: 'sum(rate(http_requests_total{job="checkout",code!~"5.."}[{{.window}}]))' }
        total:
          metricSource:
            type: Prometheus
            spec: { query: 'sum(rate(http_requests_total{job="checkout"}[{{.window}}]))' }
  timeWindow: [{ duration: 28d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ target: 0.999 }]
`
  const { slos, warnings } = importOpenSlo([{ name: 'checkout.yaml', text }])
  expect(warnings).toEqual([])
  expect(slos[0]?.objective).toBe(0.999)
  expect(slos[0]?.window).toEqual({ type: 'rolling', durationMs: 2_419_200_000 })
  expect(slos[0]?.sli.measurement).toMatchObject({
    good: 'sum(rate(http_requests_total{job="checkout",code!~"5.."}[{{window}}]))',
  })

  const yaml = exportOpenSlo({ slos })
  expect(yaml.match(/^kind: \w+$/gm)).toEqual(['kind: Service', 'kind: SLO'])
  expect(importOpenSlo([{ name: 'out.yaml', text: yaml }]).slos).toEqual(slos)

  // ### Alert policies
  const policy = `
apiVersion: openslo/v1
kind: AlertPolicy
metadata: { name: fast-burn }
spec:
  alertWhenNoData: true
  conditions:
    - kind: AlertCondition
      metadata: { name: fast }
      spec:
        severity: page
        condition: { kind: burnrate, op: gt, threshold: 14.4, lookbackWindow: 1h, alertAfter: 5m }
  notificationTargets:
    - kind: AlertNotificationTarget
      metadata: { name: oncall }
      spec: { target: pagerduty }
`
  const withPolicy = text.replace(
    '  budgetingMethod:',
    '  alertPolicies: [{ alertPolicyRef: fast-burn }]\n  budgetingMethod:',
  )
  const imported = importOpenSlo([
    { name: 'checkout.yaml', text: withPolicy },
    { name: 'policies.yaml', text: policy },
  ])
  expect(imported.alerts?.rules[0]).toEqual({
    name: 'checkout-availability-fast-burn',
    type: 'burn_rate',
    selector: { slo: ['checkout-availability'] },
    for: '5m',
    page: { severity: 'critical', windows: [{ long: '1h', short: '5m', budgetSpent: 0.0214285714286 }] },
    ticket: false,
  })
  expect(imported.alerts?.rules[1]).toMatchObject({
    name: 'checkout-availability-fast-burn-no-data',
    type: 'no_data',
    after: '15m',
  })
  expect(imported.alerts?.routes).toEqual([
    {
      match: { rule: ['checkout-availability-fast-burn', 'checkout-availability-fast-burn-no-data'] },
      channels: ['oncall'],
    },
  ])
  expect(imported.channels).toEqual({
    oncall: { type: 'pagerduty', routingKey: '${env:PAGERDUTY_ONCALL_ROUTING_KEY}' },
  })
  expect(imported.warnings.map((w) => w.limitation)).toEqual(['SHORT_WINDOW_ADDED', undefined])
  expect(imported.warnings[1]?.message).toContain('set PAGERDUTY_ONCALL_ROUTING_KEY')
  const again = importOpenSlo([{ name: 'out.yaml', text: exportOpenSlo(imported) }])
  expect(again.alerts).toEqual(imported.alerts)

  // ### Names
  expect(openSloName('Checkout_API.v2')).toBe('checkout-api-v2')
  const renamed = exportOpenSlo({ slos: [{ ...(slos[0] as SloSpec), id: 'Checkout_API.v2' }] })
  expect(renamed).toContain('  name: checkout-api-v2\n')
  expect(renamed).toContain('    slokit.dev/id: Checkout_API.v2\n')
  expect(importOpenSlo([{ name: 'out.yaml', text: renamed }]).slos[0]?.id).toBe('Checkout_API.v2')
})
