import { readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startFakeGrafana } from '@slokit/grafana/testing'
import { describe, expect, it } from 'vitest'
import { runCli } from '../test-support.js'

const root = fileURLToPath(new URL('../../../../', import.meta.url))
const example = join(root, 'examples', 'config', 'slo-definitions.yaml')
const TOKEN = 'glsa_cli_test_token_value'

describe('slokit dashboards', () => {
  it('-o dir writes the overview and one dashboard per SLO with PromQL, as <uid>.json', async () => {
    const dir = join(tmpdir(), `slokit-dashboards-${process.pid}-${Date.now()}`)
    try {
      const result = await runCli(['dashboards', '--config', example, '-o', dir, '--naming', 'sloth'])
      expect(result.stderr).toContain('✓ wrote 16 dashboards')
      expect(result.code).toBe(0)
      const files = (await readdir(dir)).sort()
      expect(files).toHaveLength(16)
      expect(files).toContain('slokit-overview.json')
      const overview = JSON.parse(await readFile(join(dir, 'slokit-overview.json'), 'utf8'))
      expect(overview.templating.list[1].query).toBe('label_values(sloth_slo_info, sloth_service)')
      expect(overview.schemaVersion).toBe(42)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('--push upserts into the folder, then updates on the next run; --alert-rules provisions the rules', async () => {
    const grafana = await startFakeGrafana({ token: TOKEN })
    try {
      const argv = [
        'dashboards',
        '--config',
        example,
        '--push',
        '--grafana-url',
        grafana.url,
        '--token',
        '${env:GRAFANA_TOKEN}',
        '--folder',
        'Shop SLOs',
        '--datasource-uid',
        'prom',
        '--org-id',
        '1',
        '--alert-rules',
      ]
      // Left over from an SLO removed from the config, and a rule someone made by hand.
      grafana.folders.set('slokit', { id: 99, uid: 'slokit', title: 'Shop SLOs' })
      const stale = (uid: string, labels: Record<string, string>) => ({
        rule: { uid, folderUID: 'slokit', ruleGroup: 'slokit-slo-burn-rate', labels },
        provenance: 'api' as const,
      })
      grafana.alertRules.set('slokit-page-removed', stale('slokit-page-removed', { managed_by: 'slokit' }))
      grafana.alertRules.set('hand-made', stale('hand-made', { team: 'shop' }))
      const first = await runCli(argv, { env: { GRAFANA_TOKEN: TOKEN } })
      expect(first.stderr).toContain('✓ pushed 16 dashboards to folder "Shop SLOs"')
      expect(first.code).toBe(0)
      expect(first.stdout.split('\n')[0]).toBe('/d/slokit-overview/slo-overview (version 1)')
      expect([...grafana.dashboards.values()].every((d) => d.folderUid === 'slokit' && d.version === 1)).toBe(
        true,
      )
      expect(grafana.alertRules.size).toBeGreaterThan(10)
      expect(first.stderr).toMatch(/provisioned \d+ alert rules \(\d+ created, 0 updated, 1 stale deleted\)/)
      expect(grafana.alertRules.has('slokit-page-removed')).toBe(false)
      expect(grafana.alertRules.has('hand-made')).toBe(true)
      // The alert panels list the Grafana-managed alerts: they write no ALERTS series.
      const overview = grafana.dashboards.get('slokit-overview')?.dashboard as {
        panels: Array<{ type: string }>
      }
      expect(overview.panels.some((p) => p.type === 'alertlist')).toBe(true)
      // Someone edits a dashboard in the UI: the next run re-reads it once and saves over it.
      grafana.editDashboard('slokit-overview')
      const second = await runCli(argv, { env: { GRAFANA_TOKEN: TOKEN } })
      expect(second.code).toBe(0)
      expect(grafana.dashboards.get('slokit-overview')?.version).toBe(3)
      expect(second.stderr).toMatch(/\(0 created, \d+ updated, 0 stale deleted\)/)
    } finally {
      await grafana.stop()
    }
  })

  it('a refused token exits 1 with Grafana’s answer and never prints the token', async () => {
    const grafana = await startFakeGrafana({ token: TOKEN })
    try {
      const result = await runCli(
        [
          'dashboards',
          '--config',
          example,
          '--push',
          '--grafana-url',
          grafana.url,
          '--token',
          '${env:GRAFANA_TOKEN}',
        ],
        { env: { GRAFANA_TOKEN: 'glsa_wrong_one' } },
      )
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('401')
      expect(result.stderr).toContain('Invalid API key')
      expect(result.stderr).not.toContain('glsa_wrong_one')
      expect(grafana.requests).toHaveLength(1)
    } finally {
      await grafana.stop()
    }
  })

  it('a literal --token works but warns that it leaks into shell history, without printing it', async () => {
    const grafana = await startFakeGrafana({ token: TOKEN })
    try {
      const result = await runCli(
        ['dashboards', '--config', example, '--push', '--grafana-url', grafana.url, '--token', TOKEN],
        { env: {} },
      )
      expect(result.code).toBe(0)
      expect(result.stderr).toMatch(/warning: --token is a literal token/)
      expect(result.stderr + result.stdout).not.toContain(TOKEN)
    } finally {
      await grafana.stop()
    }
  })

  it.each([
    [['--config', example], /give -o <dir>/],
    [['--config', example, '--push'], /--push needs --grafana-url/],
    [['--config', example, '--push', '--grafana-url', 'http://grafana.invalid'], /GRAFANA_TOKEN is not set/],
    [['--config', example, '-o', 'x', '--overwrite'], /apply to --push only/],
    [
      ['--config', example, '--push', '--grafana-url', 'http://g.invalid', '--alert-rules'],
      /needs --datasource-uid/,
    ],
    [
      ['--config', example, '--push', '--grafana-url', 'http://g.invalid', '--token', 'x${y}'],
      /--token must be/,
    ],
  ])('bad usage %j exits 2 and says why', async (args, message) => {
    const result = await runCli(['dashboards', ...args], { env: {} })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
  })
})
