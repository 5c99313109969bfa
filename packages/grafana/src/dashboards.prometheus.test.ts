// Acceptance: every PromQL expression of the generated dashboards (and of the Grafana alert rules)
// returns data from a real Prometheus holding what a fleet running slokit would hold: raw request
// counters, the recording rules of @slokit/prometheus in both namings evaluated over them, the
// exporter's metrics and the ALERTS series. Skips cleanly without the prometheus/promtool binaries.
import { DAY_MS, HOUR_MS, MINUTE_MS, parseSlo, type SloSpec } from '@slokit/core'
import { generateRules } from '@slokit/prometheus'
import {
  backfill,
  backfillRecordingRules,
  missingBinaries,
  queryProm,
  type RunningPrometheus,
  type SyntheticSeries,
  startPrometheus,
} from '@slokit/prometheus/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildGrafanaAlertRules,
  buildSloDashboards,
  dashboardExpressions,
  type SloDashboardOptions,
} from './index.js'

const skip = missingBinaries()
// A 7-day SLO with 5-minute tiles keeps the backfill small: ~2 000 evaluations per tile rule.
const START = Date.UTC(2026, 0, 1)
const T = START + 8 * DAY_MS
const STEP_MS = MINUTE_MS
const INCIDENT_MS = 45 * MINUTE_MS // 5 % errors in the last 45 minutes: the page alert burns

const requests = (code: string) => `sum(rate(shop_requests_total{job="shop"${code}}[{{window}}]))`
const SLOS: SloSpec[] = [
  parseSlo({
    id: 'shop-availability',
    service: 'shop',
    objective: '99.9%',
    window: '7d',
    sli: {
      id: 'shop-requests',
      kind: 'availability',
      measurement: { type: 'ratio', bad: requests(',code="500"'), total: requests('') },
    },
  }),
  parseSlo({
    id: 'shop-checkout',
    service: 'shop',
    objective: '99%',
    window: '7d',
    sli: {
      id: 'shop-checkout-requests',
      kind: 'availability',
      measurement: { type: 'ratio', good: requests(',code="200"'), total: requests('') },
    },
  }),
]
const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d']

function rawSeries(): SyntheticSeries[] {
  const ok: Array<[number, number]> = []
  const bad: Array<[number, number]> = []
  let good = 0
  let errors = 0
  for (let t = START; t <= T; t += STEP_MS) {
    const incident = t > T - INCIDENT_MS
    good += incident ? 95 : 100
    errors += incident ? 5 : t % (6 * HOUR_MS) === 0 ? 3 : 0
    ok.push([t, good])
    bad.push([t, errors])
  }
  const series: SyntheticSeries[] = [
    { labels: { __name__: 'shop_requests_total', job: 'shop', code: '200' }, samples: ok, type: 'counter' },
    { labels: { __name__: 'shop_requests_total', job: 'shop', code: '500' }, samples: bad, type: 'counter' },
  ]
  // What the exporter and Prometheus's rule manager would have written over the last day.
  const recent = (value: (t: number) => number): Array<[number, number]> => {
    const out: Array<[number, number]> = []
    for (let t = T - DAY_MS; t <= T; t += STEP_MS) out.push([t, value(t)])
    return out
  }
  // An alert that is not about an SLO: "All" in the variables must not count it.
  series.push({
    labels: { __name__: 'ALERTS', alertname: 'KubePodCrashLooping', alertstate: 'firing', severity: 'page' },
    samples: recent(() => 1),
  })
  series.push({
    labels: { __name__: 'slo_deployment_freeze_active', slo_service: 'shop' },
    samples: recent((t) => (t > T - INCIDENT_MS ? 1 : 0)),
    type: 'gauge',
  })
  for (const slo of SLOS) {
    for (const result of ['success', 'no_data', 'failure']) {
      series.push({
        labels: { __name__: 'sli_collection_total', slo: slo.id, slo_service: slo.service, result },
        samples: recent((t) => Math.floor((t - (T - DAY_MS)) / STEP_MS) * (result === 'success' ? 1 : 0.01)),
        type: 'counter',
      })
    }
    const firing = (labels: Record<string, string>) => ({
      labels: { __name__: 'ALERTS', alertname: 'SLOErrorBudgetBurn', alertstate: 'firing', ...labels },
      samples: recent(() => 1).filter(([t]) => t > T - 30 * MINUTE_MS),
    })
    series.push(firing({ slo: slo.id, slo_service: slo.service, severity: 'page' }))
    series.push(
      firing({ sloth_id: slo.id, sloth_service: slo.service, sloth_slo: slo.id, sloth_severity: 'page' }),
    )
    // The exporter's own SLO gauges, for dashboards on `source: 'exporter'`.
    const gauge = (name: string, value: number, extra: Record<string, string> = {}) => ({
      labels: { __name__: name, slo: slo.id, slo_service: slo.service, ...extra },
      samples: recent(() => value),
      type: 'gauge' as const,
    })
    series.push(gauge('slo_objective_ratio', slo.objective))
    series.push(gauge('slo_compliance_ratio', 0.9995))
    series.push(gauge('slo_error_budget_remaining_ratio', 0.5))
    for (const window of WINDOWS) series.push(gauge('slo_burn_rate', 2, { slo_window: window }))
  }
  return series
}

/** A Grafana query as Prometheus gets it: "All" in the multi-value variables. */
const asGrafanaSends = (expr: string) => expr.replaceAll('$service', '.*').replaceAll('$slo', '.*')

describe.skipIf(skip !== undefined)(
  `dashboards against a real Prometheus${skip === undefined ? '' : ` (skipped: ${skip})`}`,
  () => {
    let prometheus: RunningPrometheus | undefined

    beforeAll(async () => {
      const first = await startPrometheus()
      const dataDir = first.dataDir
      await first.stop()
      prometheus = await startPrometheus({ dataDir })
      await prometheus.stop()
      await backfill(rawSeries(), dataDir)
      prometheus = await startPrometheus({ dataDir })
      const options = { evaluationIntervalMs: 5 * MINUTE_MS, periodEvaluationIntervalMs: 5 * MINUTE_MS }
      const slokit = generateRules(SLOS, options)
      const sloth = generateRules(SLOS, { ...options, naming: 'sloth' })
      prometheus = await backfillRecordingRules(
        prometheus,
        { groups: [...slokit.groups, ...sloth.groups] },
        { atMs: T, historyMs: 7 * DAY_MS },
      )
    }, 240_000)

    afterAll(async () => {
      await prometheus?.stop()
    })

    const modes: ReadonlyArray<[string, SloDashboardOptions]> = [
      ['slokit rules', { naming: 'slokit' }],
      ['Sloth rules', { naming: 'sloth' }],
      ['exporter metrics', { source: 'exporter' }],
    ]
    it.each(modes)('every expression of the %s dashboards returns data', async (_, options) => {
      const { overview, details } = buildSloDashboards(SLOS, options)
      const empty: string[] = []
      let count = 0
      for (const dashboard of [overview, ...details]) {
        const variables = (dashboard.templating?.list ?? [])
          .filter((v) => v.type === 'query')
          .map((v) => String(v.query).replace(/^label_values\((.*), *[A-Za-z_]+\)$/, '$1'))
        for (const expr of [...dashboardExpressions(dashboard), ...variables]) {
          const result = await queryProm(prometheus?.url as string, asGrafanaSends(expr), T)
          count++
          if (result.length === 0 || result.some((r) => !Number.isFinite(r.value)))
            empty.push(`${dashboard.uid}: ${expr}`)
        }
      }
      expect(empty).toEqual([])
      expect(count).toBeGreaterThan(40)
    })

    it.each(modes)('with "All" selected the %s overview counts the SLO alerts only', async (_, options) => {
      const { overview } = buildSloDashboards(SLOS, options)
      const panel = (
        overview.panels as unknown as Array<{ title: string; targets?: Array<{ expr: string }> }>
      ).find((p) => p.title === 'SLO alerts firing')
      const [count] = await queryProm(
        prometheus?.url as string,
        asGrafanaSends(panel?.targets?.[0]?.expr as string),
        T,
      )
      // One page alert per SLO in this naming; not the other naming's, not KubePodCrashLooping.
      expect(count?.value).toBe(2)
    })

    it('shows the numbers the rules record: the incident burns the budget at about 37.5×', async () => {
      const { details } = buildSloDashboards(SLOS)
      const panels = details[0]?.panels ?? []
      const burn = (panels as unknown as Array<{ title: string; targets?: Array<{ expr: string }> }>).find(
        (p) => p.title.startsWith('Page: 1h and 5m'),
      )
      const [oneHour] = await queryProm(prometheus?.url as string, burn?.targets?.[0]?.expr as string, T)
      // 45 of the last 60 one-minute tiles at 5 % errors, budget 0.1 %: a burn rate of about 37.5.
      expect(oneHour?.value).toBeGreaterThan(30)
      expect(oneHour?.value).toBeLessThan(45)
    })

    it('the Grafana alert rules query the same series: they fire for the SLO the incident burns, not the other', async () => {
      // shop-availability (budget 0.1 %): 5 % errors over 45 minutes pass the 7-day table's page
      // (13.44× over 1h and 5m) and ticket (1.4× over 1d and 2h) rows. shop-checkout (budget 1 %):
      // 3.75 % over the last hour is a burn rate of 3.75, under every row.
      for (const naming of ['slokit', 'sloth'] as const) {
        const rules = buildGrafanaAlertRules(SLOS, { folderUid: 'slo', datasourceUid: 'prom', naming })
        const results = await Promise.all(
          rules.map((rule) => queryProm(prometheus?.url as string, String(rule.data[0]?.model.expr), T)),
        )
        expect(rules.map((rule) => rule.uid)).toEqual([
          'slokit-page-shop-availability',
          'slokit-ticket-shop-availability',
          'slokit-page-shop-checkout',
          'slokit-ticket-shop-checkout',
        ])
        expect(results.map((r) => r.length)).toEqual([1, 1, 0, 0])
      }
    })
  },
)
