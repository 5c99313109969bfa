// CONTRACTS.md §7 "Grafana (fake)", case by case, against the strict fake of `./testing`.
import { inspect } from 'node:util'
import { parseSlo, Secret } from '@slokit/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  buildGrafanaAlertRules,
  buildOverviewDashboard,
  buildSloDetailDashboard,
  DEFAULT_RULE_GROUP,
  GrafanaClient,
  type GrafanaDashboard,
  GrafanaError,
} from './index.js'
import { type FakeGrafana, startFakeGrafana } from './testing.js'

const SLO = parseSlo({
  id: 'checkout-availability',
  service: 'checkout',
  objective: '99.9%',
  window: '30d',
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

let grafana: FakeGrafana
let client: GrafanaClient
const make = (overrides: Partial<ConstructorParameters<typeof GrafanaClient>[0]> = {}) =>
  new GrafanaClient({
    url: grafana.url,
    token: new Secret('GRAFANA_TOKEN', grafana.token),
    orgId: 1,
    ...overrides,
  })

async function rejection(promise: Promise<unknown>): Promise<GrafanaError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(GrafanaError)
    return error as GrafanaError
  }
  throw new Error('expected a rejection')
}

describe('the Grafana client against the strict fake', () => {
  beforeEach(async () => {
    grafana = await startFakeGrafana()
    client = make()
  })
  afterEach(async () => {
    await grafana.stop()
  })

  describe('1. auth', () => {
    it('a missing Bearer gets 401 auth.unauthorized, surfaced once, with no retry', async () => {
      const anonymous = make({
        fetch: (url, init) => {
          const { authorization: _, ...headers } = init.headers
          return fetch(url, { ...init, headers })
        },
      })
      const error = await rejection(anonymous.ensureFolder({ uid: 'slo', title: 'SLOs' }))
      expect(error).toMatchObject({
        reason: 'UNAUTHORIZED',
        status: 401,
        messageId: 'auth.unauthorized',
        retryable: false,
      })
      expect(grafana.requests).toHaveLength(1)
    })

    it('a wrong token gets api-key.invalid, and the token never shows in errors or toString', async () => {
      const bad = make({ token: new Secret('GRAFANA_TOKEN', 'glsa_wrong_secret_value') })
      const error = await rejection(bad.upsertDashboard(buildSloDetailDashboard(SLO), { folderUid: '' }))
      expect(error).toMatchObject({
        reason: 'UNAUTHORIZED',
        messageId: 'api-key.invalid',
        grafanaMessage: 'Invalid API key',
      })
      for (const text of [
        error.message,
        String(error.hint),
        JSON.stringify(error),
        inspect(error),
        String(bad),
        inspect(bad),
        JSON.stringify({ bad }),
      ]) {
        expect(text).not.toContain('glsa_wrong_secret_value')
      }
      expect(grafana.requests[0]?.headers.authorization).toBe('Bearer glsa_wrong_secret_value')
    })

    it('sends the org id header', async () => {
      await client.ensureFolder({ uid: 'slo', title: 'SLOs' })
      expect(grafana.requests[0]?.headers['x-grafana-org-id']).toBe('1')
    })

    it('a 403 surfaces accessErrorId and the missing permission', async () => {
      await grafana.stop()
      grafana = await startFakeGrafana({ missingPermissions: ['folders:create'] })
      const error = await rejection(make().ensureFolder({ uid: 'slo', title: 'SLOs' }))
      expect(error).toMatchObject({ reason: 'FORBIDDEN', status: 403, accessErrorId: 'ACE0123456789' })
      expect(error.message).toContain('Permissions needed: folders:create')
      expect(error.message).toContain('accessErrorId ACE0123456789')
      expect(error.grafanaMessage).toContain('folders:create')
    })
  })

  describe('2. the 412 version-mismatch flow', () => {
    it('creates, then updates by uid: versions 1, 2', async () => {
      const dashboard = buildSloDetailDashboard(SLO)
      const first = await client.upsertDashboard(dashboard, { folderUid: '' })
      expect(first).toMatchObject({
        uid: dashboard.uid,
        version: 1,
        status: 'success',
        retriedAfterVersionMismatch: false,
      })
      expect(first.url).toBe(`/d/${dashboard.uid}/slo-checkout-availability`)
      const stored = await client.getDashboard(dashboard.uid as string)
      const second = await client.upsertDashboard(stored?.dashboard as unknown as GrafanaDashboard, {
        folderUid: '',
      })
      expect(second.version).toBe(2)
    })

    it('re-reads once after a 412 and re-posts with the fresh version, never with overwrite', async () => {
      const dashboard = buildSloDetailDashboard(SLO)
      await client.upsertDashboard(dashboard, { folderUid: '' })
      grafana.editDashboard(dashboard.uid as string) // someone saved it in the UI: version 2
      const saved = await client.upsertDashboard({ ...dashboard, version: 1 }, { folderUid: '' })
      expect(saved).toMatchObject({ version: 3, retriedAfterVersionMismatch: true })
      const posts = grafana.requests.filter((r) => r.path === '/api/dashboards/db')
      expect(posts.map((r) => r.status)).toEqual([200, 412, 200])
      expect(posts.map((r) => JSON.parse(r.body).overwrite)).toEqual([false, false, false])
      expect(JSON.parse(posts[2]?.body as string).dashboard.version).toBe(2)
      expect(grafana.requests.map((r) => `${r.method} ${r.path}`)).toContain(
        `GET /api/dashboards/uid/${dashboard.uid}`,
      )
    })

    it('a second 412 fails with VERSION_MISMATCH and Grafana’s message: no silent overwrite', async () => {
      const dashboard = buildSloDetailDashboard(SLO)
      await client.upsertDashboard(dashboard, { folderUid: '' })
      grafana.beforeDashboardSave((uid) => grafana.editDashboard(uid)) // it keeps changing
      const error = await rejection(client.upsertDashboard({ ...dashboard, version: 1 }, { folderUid: '' }))
      expect(error).toMatchObject({
        reason: 'VERSION_MISMATCH',
        status: 412,
        grafanaStatus: 'version-mismatch',
        grafanaMessage: 'The dashboard has been changed by someone else',
      })
      expect(error.hint).toContain('overwrite')
      const posts = grafana.requests.filter((r) => r.path === '/api/dashboards/db')
      expect(posts).toHaveLength(3)
      expect(posts.every((r) => JSON.parse(r.body).overwrite === false)).toBe(true)
    })

    it('overwrite: true replaces whatever version is stored, in one request', async () => {
      const dashboard = buildSloDetailDashboard(SLO)
      await client.upsertDashboard(dashboard, { folderUid: '' })
      grafana.editDashboard(dashboard.uid as string)
      const saved = await client.upsertDashboard(dashboard, { folderUid: '', overwrite: true })
      expect(saved).toMatchObject({ version: 3, retriedAfterVersionMismatch: false })
      expect(grafana.requests.filter((r) => r.path === '/api/dashboards/db').at(-1)?.status).toBe(200)
    })
  })

  describe('3. clear errors for name-exists and empty-name', () => {
    it('name-exists (Grafana ≤ 11.2 mode) → NAME_EXISTS', async () => {
      await grafana.stop()
      grafana = await startFakeGrafana({ version: '11.2' })
      const c = make()
      await c.upsertDashboard(buildSloDetailDashboard(SLO), { folderUid: '' })
      const twin = { ...buildSloDetailDashboard(SLO), uid: 'another-uid' }
      const error = await rejection(c.upsertDashboard(twin, { folderUid: '' }))
      expect(error).toMatchObject({ reason: 'NAME_EXISTS', status: 412, grafanaStatus: 'name-exists' })
      expect(error.message).toContain('A dashboard with the same name in the folder already exists')
    })

    it('11.3 mode accepts two dashboards of one title', async () => {
      await client.upsertDashboard(buildSloDetailDashboard(SLO), { folderUid: '' })
      await client.upsertDashboard({ ...buildSloDetailDashboard(SLO), uid: 'another-uid' }, { folderUid: '' })
      expect(grafana.dashboards.size).toBe(2)
    })

    it('empty-name → BAD_REQUEST with Grafana’s message (the client checks first; raw fetch shows the fake)', async () => {
      await expect(
        client.upsertDashboard({ ...buildSloDetailDashboard(SLO), title: ' ' }, { folderUid: '' }),
      ).rejects.toThrow(/has no title/)
      const raw = make({
        fetch: (url, init) =>
          fetch(url, {
            ...init,
            body: (init.body ?? '').replace('"title":"SLO: checkout-availability"', '"title":""'),
          }),
      })
      const error = await rejection(raw.upsertDashboard(buildSloDetailDashboard(SLO), { folderUid: '' }))
      expect(error).toMatchObject({
        reason: 'BAD_REQUEST',
        status: 400,
        grafanaStatus: 'empty-name',
        grafanaMessage: 'Dashboard title cannot be empty',
      })
    })
  })

  describe('4. folders', () => {
    it('creates a folder; a 409 (it exists) → GET and continue', async () => {
      const created = await client.ensureFolder({ uid: 'slo', title: 'SLOs' })
      expect(created).toMatchObject({ uid: 'slo', title: 'SLOs' })
      const again = await client.ensureFolder({ uid: 'slo', title: 'SLOs' })
      expect(again).toEqual(created)
      expect(grafana.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
        'POST /api/folders 200',
        'POST /api/folders 409',
        'GET /api/folders/slo 200',
      ])
    })

    it('keeps a dashboard in its folder on update; the fake refuses an update without folderUid', async () => {
      await client.ensureFolder({ uid: 'slo', title: 'SLOs' })
      const dashboard = buildOverviewDashboard([SLO])
      await client.upsertDashboard(dashboard, { folderUid: 'slo' })
      await client.upsertDashboard({ ...dashboard, version: 1 }, { folderUid: 'slo' })
      expect(grafana.dashboards.get(dashboard.uid as string)).toMatchObject({ folderUid: 'slo', version: 2 })
      expect(JSON.parse(grafana.requests.at(-1)?.body as string).folderUid).toBe('slo')
      // A client that forgot folderUid would move it to the root: refused.
      const forgetful = make({
        fetch: (url, init) =>
          fetch(url, { ...init, body: (init.body ?? '').replace(',"folderUid":"slo"', '') }),
      })
      const error = await rejection(
        forgetful.upsertDashboard({ ...dashboard, version: 2 }, { folderUid: 'slo' }),
      )
      expect(error).toMatchObject({ reason: 'BAD_REQUEST', status: 400 })
      expect(error.grafanaMessage).toContain('folderUid is required')
      // And the client itself requires the option.
      await expect(client.upsertDashboard(dashboard, {} as never)).rejects.toThrow(/folderUid/)
    })

    it('a refresh below Grafana’s 5s minimum → 400 with Grafana’s message', async () => {
      const dashboard = { ...buildSloDetailDashboard(SLO, { refresh: '1s' }) }
      const error = await rejection(client.upsertDashboard(dashboard, { folderUid: '' }))
      expect(error).toMatchObject({
        reason: 'BAD_REQUEST',
        grafanaMessage: 'Dashboard refresh interval is too low',
      })
      expect(
        (await client.upsertDashboard(buildSloDetailDashboard(SLO, { refresh: '' }), { folderUid: '' }))
          .version,
      ).toBe(1)
    })

    it('a folder that does not exist → 400 folder not found', async () => {
      const error = await rejection(
        client.upsertDashboard(buildSloDetailDashboard(SLO), { folderUid: 'nope' }),
      )
      expect(error).toMatchObject({ reason: 'BAD_REQUEST', grafanaMessage: 'folder not found' })
    })
  })

  describe('5. alert rules', () => {
    const rules = () => buildGrafanaAlertRules([SLO], { folderUid: 'slo', datasourceUid: 'prom' })

    it('POST → 201, locked (provenance api) without X-Disable-Provenance; PUT on the next run', async () => {
      await client.ensureFolder({ uid: 'slo', title: 'SLOs' })
      expect(await client.provisionAlertRules(rules())).toEqual([
        { uid: 'slokit-page-checkout-availability', action: 'created' },
        { uid: 'slokit-ticket-checkout-availability', action: 'created' },
      ])
      expect([...grafana.alertRules.values()].map((r) => r.provenance)).toEqual(['api', 'api'])
      const posts = grafana.requests.filter(
        (r) => r.method === 'POST' && r.path === '/api/v1/provisioning/alert-rules',
      )
      expect(posts.map((r) => r.status)).toEqual([201, 201])
      expect(posts.every((r) => r.headers['x-disable-provenance'] === undefined)).toBe(true)
      expect((await client.provisionAlertRules(rules())).map((r) => r.action)).toEqual(['updated', 'updated'])
    })

    it('with disableProvenance every write carries X-Disable-Provenance and the rules stay editable', async () => {
      await client.ensureFolder({ uid: 'slo', title: 'SLOs' })
      await make({ disableProvenance: true }).provisionAlertRules(rules())
      expect([...grafana.alertRules.values()].map((r) => r.provenance)).toEqual(['', ''])
      const writes = grafana.requests.filter((r) => r.method === 'POST' && r.path.includes('alert-rules'))
      expect(writes.every((r) => r.headers['x-disable-provenance'] !== undefined)).toBe(true)
    })

    it('the fake checks the enums, ruleGroup ≤ 190 and condition ∈ refIds; the client surfaces its message', async () => {
      await client.ensureFolder({ uid: 'slo', title: 'SLOs' })
      const [rule] = rules()
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [{ noDataState: 'Nope' }, /noDataState/],
        [{ execErrState: 'NoData' }, /execErrState/],
        [{ ruleGroup: 'g'.repeat(191) }, /ruleGroup must be 1–190/],
        [{ title: '' }, /title must be 1–190/],
        [{ condition: 'Z' }, /condition "Z" does not exist/],
        [{ folderUID: 'missing' }, /folder missing does not exist/],
      ]
      for (const [change, message] of cases) {
        const error = await rejection(client.provisionAlertRules([{ ...rule, ...change } as never]))
        expect(error).toMatchObject({ reason: 'BAD_REQUEST', status: 400 })
        expect(error.grafanaMessage).toMatch(message)
      }
      expect(grafana.alertRules.size).toBe(0)
    })

    it('the fake refuses what Grafana refuses: a query that does not look back, __dashboardUid__ alone, non-string labels', async () => {
      await client.ensureFolder({ uid: 'slo', title: 'SLOs' })
      const [rule] = rules()
      if (rule === undefined) throw new Error('no rule')
      const [query, ...expressions] = rule.data
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [
          { data: [{ ...query, relativeTimeRange: { from: 0, to: 0 } }, ...expressions] },
          /invalid relative time range \[From: 0s, To: 0s\]/,
        ],
        [{ annotations: { ...rule.annotations, __dashboardUid__: 'x' } }, /__panelId__ must be specified/],
        [{ labels: { ...rule.labels, severity: 1 } }, /labels must map names to strings/],
        [{ for: '2 minutes' }, /for must be a duration/],
      ]
      for (const [change, message] of cases) {
        const error = await rejection(client.provisionAlertRules([{ ...rule, ...change } as never]))
        expect(error).toMatchObject({ reason: 'BAD_REQUEST', status: 400 })
        expect(error.grafanaMessage).toMatch(message)
      }
      expect(grafana.alertRules.size).toBe(0)
    })

    it('a rule locked by the API (provenance api) cannot be rewritten with X-Disable-Provenance: clear error and hint', async () => {
      await client.ensureFolder({ uid: 'slo', title: 'SLOs' })
      await client.provisionAlertRules(rules())
      const error = await rejection(make({ disableProvenance: true }).provisionAlertRules(rules()))
      expect(error.grafanaMessage).toBe("cannot change provenance from 'api' to ''")
      expect(error.hint).toMatch(/provenance mode/)
      expect([...grafana.alertRules.values()].map((r) => r.provenance)).toEqual(['api', 'api'])
      // The other way round is allowed: an editable rule may become locked.
      const editable = await startFakeGrafana()
      try {
        const url = { url: editable.url, token: editable.token }
        await new GrafanaClient(url).ensureFolder({ uid: 'slo', title: 'SLOs' })
        await new GrafanaClient({ ...url, disableProvenance: true }).provisionAlertRules(rules())
        await new GrafanaClient(url).provisionAlertRules(rules())
        expect([...editable.alertRules.values()].map((r) => r.provenance)).toEqual(['api', 'api'])
      } finally {
        await editable.stop()
      }
    })

    it('prune deletes the stale slokit rules of its folder and group only, after the writes', async () => {
      await client.ensureFolder({ uid: 'slo', title: 'SLOs' })
      await client.ensureFolder({ uid: 'other', title: 'Other' })
      const gone = { ...SLO, id: 'checkout-latency' }
      const prune = { folderUid: 'slo', ruleGroup: DEFAULT_RULE_GROUP }
      const both = buildGrafanaAlertRules([SLO, gone], { folderUid: 'slo', datasourceUid: 'prom' })
      expect(both.every((r) => r.labels.managed_by === 'slokit')).toBe(true)
      await client.provisionAlertRules(both, { prune })
      // Rules slokit must leave alone: hand-made (no label), another folder, another group.
      const [model] = both
      if (model === undefined) throw new Error('no rule')
      const { managed_by: _, ...handLabels } = model.labels
      await client.provisionAlertRules([
        { ...model, uid: 'hand-made', title: 'hand-made', labels: handLabels },
        { ...model, uid: 'other-folder', title: 'other folder', folderUID: 'other' },
        { ...model, uid: 'other-group', title: 'other group', ruleGroup: 'team-rules' },
      ])
      // `gone` is removed from the config: its two rules are pruned, nothing else.
      const result = await client.provisionAlertRules(rules(), { prune })
      expect(result).toEqual([
        { uid: 'slokit-page-checkout-availability', action: 'updated' },
        { uid: 'slokit-ticket-checkout-availability', action: 'updated' },
        { uid: 'slokit-page-checkout-latency', action: 'deleted' },
        { uid: 'slokit-ticket-checkout-latency', action: 'deleted' },
      ])
      expect([...grafana.alertRules.keys()].sort()).toEqual([
        'hand-made',
        'other-folder',
        'other-group',
        'slokit-page-checkout-availability',
        'slokit-ticket-checkout-availability',
      ])
      // Every SLO removed: an empty list with prune empties the group.
      expect((await client.provisionAlertRules([], { prune })).map((r) => r.action)).toEqual([
        'deleted',
        'deleted',
      ])
      await expect(
        client.provisionAlertRules([], { prune: { folderUid: 'slo', ruleGroup: '' } }),
      ).rejects.toThrow(/prune.ruleGroup/)
    })

    it('a rule Grafana refuses stops the run before anything is pruned', async () => {
      await client.ensureFolder({ uid: 'slo', title: 'SLOs' })
      const prune = { folderUid: 'slo', ruleGroup: DEFAULT_RULE_GROUP }
      await client.provisionAlertRules(rules(), { prune })
      const [page] = rules()
      await rejection(client.provisionAlertRules([{ ...page, noDataState: 'Nope' } as never], { prune }))
      expect(grafana.alertRules.size).toBe(2)
      expect(grafana.requests.some((r) => r.method === 'DELETE')).toBe(false)
    })

    it('deletes a rule: 204, then false when gone', async () => {
      await client.ensureFolder({ uid: 'slo', title: 'SLOs' })
      await client.provisionAlertRules(rules())
      expect(await client.deleteAlertRule('slokit-page-checkout-availability')).toBe(true)
      expect(await client.deleteAlertRule('slokit-page-checkout-availability')).toBe(false)
    })
  })

  describe('6. dashboard JSON', () => {
    it('the generated dashboards pass the fake’s model checks', async () => {
      await client.upsertDashboard(buildOverviewDashboard([SLO]), { folderUid: '' })
      await client.upsertDashboard(buildSloDetailDashboard(SLO), { folderUid: '' })
      expect(grafana.dashboards.size).toBe(2)
    })

    type Panel = { gridPos: { x: number }; datasource: unknown; targets: Array<Record<string, unknown>> }
    const panel = (d: Record<string, unknown>): Panel => (d.panels as Panel[])[1] as Panel
    it.each([
      [
        'a panel past column 24',
        (d: Record<string, unknown>) => {
          panel(d).gridPos.x = 22
        },
        /passes the 24 columns/,
      ],
      [
        'a target without refId',
        (d: Record<string, unknown>) => {
          delete panel(d).targets[0]?.refId
        },
        /refId is missing/,
      ],
      [
        'a datasource without uid',
        (d: Record<string, unknown>) => {
          panel(d).datasource = 'Prometheus'
          for (const target of panel(d).targets) target.datasource = 'Prometheus'
        },
        /datasource must be \{type, uid\}/,
      ],
      [
        'a string schemaVersion',
        (d: Record<string, unknown>) => {
          d.schemaVersion = '42'
        },
        /schemaVersion must be a number/,
      ],
    ])('the fake refuses %s with 400', async (_, spoil, message) => {
      const dashboard = structuredClone(buildSloDetailDashboard(SLO)) as unknown as Record<string, unknown>
      spoil(dashboard)
      const error = await rejection(
        client.upsertDashboard(dashboard as unknown as GrafanaDashboard, { folderUid: '' }),
      )
      expect(error.status).toBe(400)
      expect(error.grafanaMessage).toMatch(message)
    })
  })
})

describe('failures without a Grafana answer', () => {
  it('a refused connection is NETWORK, retryable, and names the URL, not the token', async () => {
    const closed = await startFakeGrafana()
    await closed.stop()
    const c = new GrafanaClient({ url: closed.url, token: 'glsa_secret_abc' })
    const error = await rejection(c.ensureFolder({ uid: 'slo', title: 'SLOs' }))
    expect(error).toMatchObject({ reason: 'NETWORK', retryable: true })
    expect(error.message).toContain(closed.url)
    expect(error.message).not.toContain('glsa_secret_abc')
  })

  it('no answer within timeoutMs is TIMEOUT', async () => {
    const c = new GrafanaClient({
      url: 'http://grafana.invalid',
      token: 'glsa_x',
      timeoutMs: 5,
      fetch: (_url, init) =>
        new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason))),
    })
    const error = await rejection(c.getDashboard('x'))
    expect(error).toMatchObject({ reason: 'TIMEOUT', retryable: true })
    expect(error.message).toContain('5 ms')
  })

  it('a proxy’s HTML page on 200 is INVALID_RESPONSE; a 502 page is SERVER_ERROR', async () => {
    const html = (status: number) =>
      new GrafanaClient({
        url: 'http://grafana.example',
        token: 'glsa_x',
        fetch: async () => ({ status, text: async () => '<html>proxy</html>' }),
      })
    expect(await rejection(html(200).ensureFolder({ uid: 'a', title: 'A' }))).toMatchObject({
      reason: 'INVALID_RESPONSE',
    })
    expect(await rejection(html(502).ensureFolder({ uid: 'a', title: 'A' }))).toMatchObject({
      reason: 'SERVER_ERROR',
      retryable: true,
      status: 502,
    })
  })

  it('refuses bad options at construction', () => {
    expect(() => new GrafanaClient({ url: 'grafana', token: 'x' })).toThrow(/`url`/)
    expect(() => new GrafanaClient({ url: 'https://u:p@grafana.example', token: 'x' })).toThrow(/credentials/)
    expect(() => new GrafanaClient({ url: 'https://grafana.example', token: '' })).toThrow(/`token`/)
    expect(() => new GrafanaClient({ url: 'https://grafana.example', token: 'x', orgId: 0 })).toThrow(
      /`orgId`/,
    )
    expect(() => new GrafanaClient({ url: 'https://grafana.example', token: 'x', timeoutMs: -1 })).toThrow(
      /`timeoutMs`/,
    )
  })
})
