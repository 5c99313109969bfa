import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parser } from '@prometheus-io/lezer-promql'
import { parseSlo } from '@slokit/core'
import { describe, expect, it } from 'vitest'
import { buildGrafanaAlertRules, buildSloDashboards, grafanaUid, writeDashboardFiles } from './index.js'
import { alertRuleProblem } from './testing.js'

const SLO = parseSlo({
  id: 'checkout-availability',
  service: 'checkout',
  objective: '99.9%',
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

describe('buildGrafanaAlertRules', () => {
  it('builds one valid provisioning rule per tier: A the PromQL, B reduce, C threshold, condition C', () => {
    const rules = buildGrafanaAlertRules([SLO], {
      folderUid: 'slo',
      datasourceUid: 'prom',
      labels: { team: 'checkout' },
    })
    expect(rules.map((r) => [r.uid, r.title, r.labels.severity])).toEqual([
      [
        'slokit-page-checkout-availability',
        'SLO checkout-availability burning its error budget (page)',
        'page',
      ],
      [
        'slokit-ticket-checkout-availability',
        'SLO checkout-availability burning its error budget (ticket)',
        'ticket',
      ],
    ])
    for (const rule of rules) {
      expect(alertRuleProblem(rule)).toBeUndefined()
      expect(rule).toMatchObject({
        orgID: 1,
        folderUID: 'slo',
        condition: 'C',
        noDataState: 'OK',
        execErrState: 'Error',
        for: '2m',
      })
      expect(rule.labels).toEqual({
        team: 'checkout',
        severity: rule.labels.severity,
        slo: SLO.id,
        slo_service: 'checkout',
        managed_by: 'slokit',
      })
      expect(rule.data.map((d) => [d.refId, d.datasourceUid])).toEqual([
        ['A', 'prom'],
        ['B', '__expr__'],
        ['C', '__expr__'],
      ])
      let errors = 0
      parser.parse(String(rule.data[0]?.model.expr)).iterate({
        enter: (node) => {
          if (node.type.isError) errors++
        },
      })
      expect(errors).toBe(0)
      expect(rule.annotations.runbook_url).toBe('https://runbooks.example.com/checkout')
    }
  })

  it('uses the SRE Workbook thresholds: 14.4 × 0.001 over 1h and 5m, in either naming', () => {
    const [page] = buildGrafanaAlertRules([SLO], { folderUid: 'slo', datasourceUid: 'prom' })
    const expr = String(page?.data[0]?.model.expr)
    expect(expr).toContain(
      'max without (slo_window) (slo:sli_error:ratio_increase1h{slo_service="checkout", slo="checkout-availability"} > 0.0144',
    )
    expect(expr).toContain('slo:sli_error:ratio_increase5m')
    expect(expr).toContain('> 0.006') // 6× over 6h and 30m
    const [sloth] = buildGrafanaAlertRules([SLO], {
      folderUid: 'slo',
      datasourceUid: 'prom',
      naming: 'sloth',
    })
    expect(String(sloth?.data[0]?.model.expr)).toContain(
      'max without (sloth_window) (slo:sli_error:ratio_rate1h{sloth_service="checkout", sloth_id="checkout-availability"} > 0.0144',
    )
  })

  it('refuses bad options', () => {
    expect(() => buildGrafanaAlertRules([SLO], { folderUid: 'has space', datasourceUid: 'prom' })).toThrow(
      /folderUid/,
    )
    expect(() =>
      buildGrafanaAlertRules([SLO], { folderUid: 'slo', datasourceUid: 'prom', ruleGroup: '' }),
    ).toThrow(/ruleGroup/)
    expect(() =>
      buildGrafanaAlertRules([SLO], { folderUid: 'slo', datasourceUid: 'prom', orgId: 0 }),
    ).toThrow(/orgId/)
    expect(() =>
      buildGrafanaAlertRules([SLO], { folderUid: 'slo', datasourceUid: 'prom', for: '2 minutes' }),
    ).toThrow(/`for` must be a duration/)
    expect(
      buildGrafanaAlertRules([SLO], { folderUid: 'slo', datasourceUid: 'prom', for: '0s' })[0]?.for,
    ).toBe('0s')
  })
})

describe('writeDashboardFiles', () => {
  it('writes <uid>.json per dashboard for file provisioning, and refuses duplicate uids', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slokit-grafana-'))
    try {
      const { overview, details } = buildSloDashboards([SLO])
      const paths = await writeDashboardFiles([overview, ...details], join(dir, 'nested'))
      expect(paths.map((p) => p.slice(dir.length))).toEqual([
        '/nested/slokit-overview.json',
        '/nested/slokit-slo-checkout-availability.json',
      ])
      expect(JSON.parse(await readFile(paths[0] as string, 'utf8'))).toEqual(overview)
      await expect(writeDashboardFiles([overview, overview], dir)).rejects.toThrow(/two dashboards have uid/)
      expect((await readdir(dir)).sort()).toEqual(['nested'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('grafanaUid', () => {
  it('keeps short clean ids readable, hashes long or unclean ones to 40 characters, never colliding', () => {
    expect(grafanaUid('slokit', 'slo', 'checkout')).toBe('slokit-slo-checkout')
    const long = grafanaUid('slokit', 'slo', 'payments-authorization-errors-over-a-long-id')
    expect(long).toHaveLength(40)
    expect(long).toMatch(/^slokit-slo-payments-[a-z-]+[a-z]-[0-9a-f]{8}$/)
    expect(grafanaUid('a.b')).not.toBe(grafanaUid('a-b'))
    expect(grafanaUid('a.b')).toMatch(/^a-b-[0-9a-f]{8}$/)
  })
})
