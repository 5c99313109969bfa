// The examples of docs/grafana.md and the README, kept as tests so the pages cannot drift from the code.
import { Secret } from '@slokit/core'
import {
  buildGrafanaAlertRules,
  buildSloDashboards,
  DEFAULT_RULE_GROUP,
  GrafanaClient,
} from '@slokit/grafana'
import { startFakeGrafana } from '@slokit/grafana/testing'
import { expect, it } from 'vitest'
import { exampleSlos } from './test/example.js'

it('docs/grafana.md: a runnable example', async () => {
  const fake = await startFakeGrafana()
  const env: Record<string, string | undefined> = { GRAFANA_TOKEN: fake.token }
  try {
    const config = { slos: await exampleSlos() }
    const { overview, details } = buildSloDashboards(config.slos, { datasourceUid: 'prometheus' })

    const grafana = new GrafanaClient({
      url: fake.url,
      token: new Secret('GRAFANA_TOKEN', env.GRAFANA_TOKEN),
    })
    const folder = await grafana.ensureFolder({ uid: 'slokit', title: 'SLOs' })
    const urls: string[] = []
    for (const dashboard of [overview, ...details]) {
      const saved = await grafana.upsertDashboard(dashboard, { folderUid: folder.uid })
      urls.push(`${saved.url} ${saved.version}`)
    }
    expect(urls[0]).toBe('/d/slokit-overview/slo-overview 1')
    expect(fake.dashboards.size).toBe(1 + details.length)

    // "Testing your own pipeline": an edit in the UI makes the next push re-read and save on top.
    fake.editDashboard('slokit-overview')
    const again = await grafana.upsertDashboard(overview, { folderUid: folder.uid })
    expect(again).toMatchObject({ version: 3, retriedAfterVersionMismatch: true })

    // "provisionAlertRules … prune": the snippet, then the same with one SLO fewer.
    const rules = buildGrafanaAlertRules(config.slos, { folderUid: 'slokit', datasourceUid: 'prometheus' })
    await grafana.provisionAlertRules(rules, {
      prune: { folderUid: 'slokit', ruleGroup: DEFAULT_RULE_GROUP }, // 'slokit-slo-burn-rate'
    })
    expect(fake.alertRules.size).toBe(rules.length)
    const fewer = buildGrafanaAlertRules(config.slos.slice(1), {
      folderUid: 'slokit',
      datasourceUid: 'prometheus',
    })
    const done = await grafana.provisionAlertRules(fewer, {
      prune: { folderUid: 'slokit', ruleGroup: DEFAULT_RULE_GROUP },
    })
    expect(done.filter((r) => r.action === 'deleted').length).toBe(rules.length - fewer.length)
    expect(fake.alertRules.size).toBe(fewer.length)
  } finally {
    await fake.stop()
  }
})
