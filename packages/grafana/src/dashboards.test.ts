import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parser } from '@prometheus-io/lezer-promql'
import { parseSlo, SlokitError, type SloSpec } from '@slokit/core'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  buildOverviewDashboard,
  buildSloDashboards,
  buildSloDetailDashboard,
  dashboardExpressions,
  dashboardToJson,
  type GrafanaDashboard,
  type SloDashboardOptions,
} from './index.js'
import { exampleSlos } from './test/example.js'
import { dashboardProblems } from './testing.js'

/** Parse errors of a PromQL expression, by lezer-promql (Prometheus's own editor grammar). */
function promqlErrors(expr: string): string[] {
  const errors: string[] = []
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError)
        errors.push(`error at ${node.from}: …${expr.slice(Math.max(0, node.from - 20), node.to + 20)}…`)
    },
  })
  return errors
}

const MODES: ReadonlyArray<[string, SloDashboardOptions]> = [
  ['slokit rules', { naming: 'slokit' }],
  ['Sloth rules', { naming: 'sloth' }],
  ['exporter metrics', { source: 'exporter', exporterPrefix: 'shop_' }],
]

function allPanels(dashboard: GrafanaDashboard): Array<Record<string, unknown>> {
  return (dashboard.panels ?? []) as unknown as Array<Record<string, unknown>>
}

let slos: SloSpec[]
beforeAll(async () => {
  slos = await exampleSlos()
})

describe.each(MODES)('dashboards on %s', (_, options) => {
  let dashboards: GrafanaDashboard[]
  beforeAll(() => {
    const { overview, details } = buildSloDashboards(slos, options)
    dashboards = [overview, ...details]
  })

  it('has every PromQL expression parse (lezer-promql), variables and targets alike', () => {
    let count = 0
    for (const dashboard of dashboards) {
      const expressions = [
        ...dashboardExpressions(dashboard),
        ...(dashboard.templating?.list ?? [])
          .filter((v) => v.type === 'query')
          .map((v) => String(v.query).replace(/^label_values\((.*), *[A-Za-z_]+\)$/, '$1')),
      ]
      for (const expr of expressions) {
        expect(promqlErrors(expr), `${dashboard.uid}: ${expr}`).toEqual([])
        count++
      }
    }
    expect(count).toBeGreaterThan(dashboards.length * 10)
  })

  it('passes the fake Grafana checks: numeric schemaVersion, 24 columns, refIds, datasource {type, uid}', () => {
    for (const dashboard of dashboards) expect(dashboardProblems(dashboard), dashboard.uid).toEqual([])
  })

  it('lays panels out without overlaps', () => {
    for (const dashboard of dashboards) {
      const boxes = allPanels(dashboard).map(
        (p) => p.gridPos as { x: number; y: number; w: number; h: number },
      )
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i] as (typeof boxes)[number]
          const b = boxes[j] as (typeof boxes)[number]
          const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
          expect(overlap, `${dashboard.uid}: panels ${i} and ${j}`).toBe(false)
        }
      }
    }
  })

  it('gives unique uids of at most 40 characters and a datasource variable', () => {
    const uids = dashboards.map((d) => d.uid as string)
    expect(new Set(uids).size).toBe(uids.length)
    for (const uid of uids) expect(uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/)
    for (const dashboard of dashboards) {
      expect(dashboard.templating?.list?.[0]).toMatchObject({
        type: 'datasource',
        name: 'datasource',
        query: 'prometheus',
      })
    }
  })
})

describe('the overview dashboard', () => {
  it('has datasource, service and SLO variables in the shape Grafana documents', () => {
    const overview = buildOverviewDashboard(slos)
    const [, service, slo] = overview.templating?.list ?? []
    expect(service).toMatchObject({
      type: 'query',
      name: 'service',
      query: 'label_values(slokit_slo_info, slo_service)',
      datasource: { type: 'prometheus', uid: '${datasource}' },
      refresh: 2,
      multi: true,
      includeAll: true,
    })
    expect(slo).toMatchObject({
      type: 'query',
      name: 'slo',
      query: 'label_values(slokit_slo_info{slo_service=~"$service"}, slo)',
    })
    const sloth = buildOverviewDashboard(slos, { naming: 'sloth' })
    expect(sloth.templating?.list?.[1]?.query).toBe('label_values(sloth_slo_info, sloth_service)')
  })

  it('colours each SLO’s compliance against its own objective', () => {
    const overview = buildOverviewDashboard(slos)
    const compliance = allPanels(overview).find((p) => p.title === 'Compliance over the SLO window') as {
      fieldConfig: {
        overrides: Array<{ matcher: { options: string }; properties: Array<{ id: string; value: unknown }> }>
      }
    }
    for (const slo of slos) {
      const override = compliance.fieldConfig.overrides.find((o) => o.matcher.options === slo.id)
      expect(override?.properties[0]?.value).toEqual({
        mode: 'absolute',
        steps: [
          { value: null, color: 'red' },
          { value: slo.objective, color: 'green' },
        ],
      })
    }
  })

  it.each(MODES)(
    'filters every %s overview query by $service, and by $slo wherever an SLO is the subject',
    (_, options) => {
      const overview = buildOverviewDashboard(slos, options)
      for (const expr of dashboardExpressions(overview)) {
        // Every selector of the query, not just one of them: a division by an unfiltered series
        // would still show every SLO.
        const selectors = expr.match(/[a-z_:]*\{[^}]*\}/g) ?? []
        expect(selectors.length, expr).toBeGreaterThan(0)
        for (const sel of selectors) {
          expect(sel, expr).toContain('"$service"')
          // Deployment freezes are per service, not per SLO.
          if (!sel.includes('deployment_freeze_active')) expect(sel, expr).toContain('"$slo"')
        }
      }
    },
  )

  it('reads the recording rules of each naming', () => {
    const exprs = (options: SloDashboardOptions) =>
      dashboardExpressions(buildOverviewDashboard(slos, options)).join('\n')
    expect(exprs({})).toContain('slo:error_budget_remaining:ratio{slo_service=~"$service", slo=~"$slo"}')
    expect(exprs({})).toContain('slo:sli_error:ratio_increase1h{slo_service=~"$service", slo=~"$slo"}')
    expect(exprs({ naming: 'sloth' })).toContain(
      'slo:period_error_budget_remaining:ratio{sloth_service=~"$service", sloth_id=~"$slo"}',
    )
    expect(exprs({ naming: 'sloth' })).toContain(
      'slo:sli_error:ratio_rate6h{sloth_service=~"$service", sloth_id=~"$slo"}',
    )
    expect(exprs({ source: 'exporter' })).toContain(
      'slo_burn_rate{slo_service=~"$service", slo=~"$slo", slo_window="1d"}',
    )
    // Freeze and collection health always come from the exporter, labelled slo / slo_service.
    expect(exprs({ naming: 'sloth' })).toContain(
      'sli_collection_total{result="success", slo_service=~"$service", slo=~"$slo"}',
    )
    expect(exprs({ exporterPrefix: 'shop_' })).toContain(
      'shop_slo_deployment_freeze_active{slo_service=~"$service"}',
    )
  })
})

describe('alerts: grafana (Grafana-managed rules write no ALERTS series)', () => {
  const panelsOf = (dashboard: GrafanaDashboard) =>
    allPanels(dashboard) as Array<{ type: string; title: string; options?: Record<string, unknown> }>

  it('shows alert-list panels filtered on the rules’ slo labels instead of ALERTS queries, in any naming', () => {
    for (const naming of ['slokit', 'sloth'] as const) {
      const { overview, details } = buildSloDashboards(slos, { alerts: 'grafana', naming })
      for (const dashboard of [overview, ...details]) {
        expect(dashboardProblems(dashboard)).toEqual([])
        expect(dashboardExpressions(dashboard).filter((e) => e.includes('ALERTS'))).toEqual([])
        const lists = panelsOf(dashboard).filter((p) => p.type === 'alertlist')
        expect(lists).toHaveLength(1)
      }
      const [list] = panelsOf(overview).filter((p) => p.type === 'alertlist')
      // The rules' own labels, whatever the naming of the recording rules; "All" never matches
      // alerts without an slo label.
      expect(list?.options?.alertInstanceLabelFilter).toBe(
        '{slo!="", slo_service=~"${service:regex}", slo=~"${slo:regex}"}',
      )
      const slo = slos[0] as SloSpec
      const [detailList] = panelsOf(details[0] as GrafanaDashboard).filter((p) => p.type === 'alertlist')
      expect(detailList?.options?.alertInstanceLabelFilter).toBe(
        `{slo_service="${slo.service}", slo="${slo.id}"}`,
      )
      expect(detailList?.options?.stateFilter).toMatchObject({ firing: true, normal: true })
    }
  })

  it('keeps the rows full: the panels it drops give their width to the others', () => {
    const { overview, details } = buildSloDashboards(slos, { alerts: 'grafana' })
    for (const dashboard of [overview, ...details]) {
      const widths = new Map<number, number>()
      for (const panel of allPanels(dashboard) as Array<{
        type: string
        gridPos: { y: number; w: number }
      }>) {
        if (panel.type === 'row') continue
        widths.set(panel.gridPos.y, (widths.get(panel.gridPos.y) ?? 0) + panel.gridPos.w)
      }
      expect([...widths.values()].every((w) => w === 24 || w === 12)).toBe(true)
    }
  })

  it('refuses an unknown alert source', () => {
    expect(() => buildOverviewDashboard(slos, { alerts: 'alertmanager' as never })).toThrow(
      /`alerts` must be/,
    )
  })
})

describe('the detail dashboard', () => {
  const slo = parseSlo({
    id: 'checkout-availability',
    name: 'Checkout works',
    service: 'checkout',
    objective: '99.95%',
    window: '30d',
    runbookUrl: 'https://runbooks.example.com/checkout',
    sli: {
      id: 'checkout-requests',
      kind: 'availability',
      measurement: {
        type: 'ratio',
        bad: 'sum(rate(http_requests_total{job="checkout",code=~"5.."}[{{window}}]))',
        total: 'sum(rate(http_requests_total{job="checkout"}[{{window}}]))',
      },
    },
  })

  it('draws each alert’s two windows against its factor: the SRE Workbook table for 30 days', () => {
    const detail = buildSloDetailDashboard(slo)
    const burn = allPanels(detail).filter((p) => String(p.title).includes('burn rate (fires above'))
    expect(burn.map((p) => p.title)).toEqual([
      'Page: 1h and 5m burn rate (fires above 14.4×)',
      'Page: 6h and 30m burn rate (fires above 6×)',
      'Ticket: 1d and 2h burn rate (fires above 3×)',
      'Ticket: 3d and 6h burn rate (fires above 1×)',
    ])
    const page = burn[0] as {
      targets: Array<{ expr: string }>
      fieldConfig: { defaults: { thresholds: unknown; unit: string } }
    }
    expect(page.targets.map((t) => t.expr)).toEqual([
      'slo:sli_error:ratio_increase1h{slo_service="checkout", slo="checkout-availability"} / on(slo, slo_service) group_left() max by (slo, slo_service) (slo:error_budget:ratio{slo_service="checkout", slo="checkout-availability"})',
      'slo:sli_error:ratio_increase5m{slo_service="checkout", slo="checkout-availability"} / on(slo, slo_service) group_left() max by (slo, slo_service) (slo:error_budget:ratio{slo_service="checkout", slo="checkout-availability"})',
    ])
    expect(page.fieldConfig.defaults.unit).toBe('suffix:×')
    expect(page.fieldConfig.defaults.thresholds).toEqual({
      mode: 'absolute',
      steps: [
        { value: null, color: 'green' },
        { value: 14.4, color: 'red' },
      ],
    })
  })

  it('shows the objective exactly, compliance red below it, and links the runbook and the overview', () => {
    const detail = buildSloDetailDashboard(slo)
    const objective = allPanels(detail).find((p) => p.title === 'Objective') as {
      fieldConfig: { defaults: { unit: string; decimals: number } }
    }
    expect(objective.fieldConfig.defaults).toMatchObject({ unit: 'percentunit', decimals: 2 }) // 99.95%
    const compliance = allPanels(detail).find((p) => p.title === 'Compliance (30d)') as {
      fieldConfig: { defaults: { thresholds: { steps: unknown[] } } }
    }
    expect(compliance.fieldConfig.defaults.thresholds.steps).toEqual([
      { value: null, color: 'red' },
      { value: 0.9995, color: 'green' },
    ])
    expect(detail.links?.map((l) => l.url)).toEqual([
      '/d/slokit-overview',
      'https://runbooks.example.com/checkout',
    ])
    expect(detail.uid).toBe('slokit-slo-checkout-availability')
  })

  it('scales the windows with the period: a 7-day SLO gets the 7-day table', () => {
    const weekly = parseSlo({ ...slo, id: 'weekly', objective: 0.999, window: '7d', sli: slo.sli } as never)
    const titles = allPanels(buildSloDetailDashboard(weekly)).map((p) => String(p.title))
    expect(titles).toContain('Page: 1h and 5m burn rate (fires above 13.4×)')
    expect(titles).toContain('Error budget burn-down (1w)')
  })
})

describe('bad input', () => {
  it('refuses bad options and SLO lists with a SlokitError naming the option', () => {
    expect(() => buildOverviewDashboard([])).toThrow(/at least one SLO/)
    expect(() => buildOverviewDashboard(slos, { naming: 'prom' as never })).toThrow(/`naming`/)
    expect(() => buildOverviewDashboard(slos, { source: 'x' as never })).toThrow(SlokitError)
    expect(() => buildOverviewDashboard(slos, { uidPrefix: 'has space' })).toThrow(/uidPrefix/)
    expect(() => buildOverviewDashboard(slos, { exporterPrefix: '1x' })).toThrow(/exporterPrefix/)
    expect(() => buildOverviewDashboard([slos[0] as SloSpec, slos[0] as SloSpec])).toThrow(/appears twice/)
  })

  it('is deterministic: the same input gives byte-identical JSON', () => {
    expect(dashboardToJson(buildOverviewDashboard(slos))).toBe(dashboardToJson(buildOverviewDashboard(slos)))
  })
})

describe('golden files (UPDATE_GOLDEN=1 to rewrite)', () => {
  const golden = (name: string) => fileURLToPath(new URL(`./__golden__/${name}`, import.meta.url))
  it.each([
    ['overview.json', () => buildSloDashboards(slos).overview],
    ['details.json', () => buildSloDashboards(slos).details],
  ])('%s matches the generated dashboards of examples/config/slo-definitions.yaml', (name, build) => {
    // Compared as data, not text: the repo's formatter may re-wrap the committed JSON.
    const built = JSON.parse(JSON.stringify(build()))
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden(name), `${JSON.stringify(built, null, 2)}\n`)
    expect(built).toEqual(JSON.parse(readFileSync(golden(name), 'utf8')))
  })
})
