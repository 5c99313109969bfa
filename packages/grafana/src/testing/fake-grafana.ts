import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request the fake received and what it answered. */
export interface FakeGrafanaRequest {
  readonly method: string
  readonly path: string
  readonly headers: IncomingMessage['headers']
  readonly body: string
  status: number
  answer: string
}

/** A dashboard the fake stores. */
export interface StoredFakeDashboard {
  readonly id: number
  readonly uid: string
  readonly title: string
  readonly folderUid: string
  readonly version: number
  readonly dashboard: Record<string, unknown>
}

/** An alert rule the fake stores, with the provenance it got. */
export interface StoredFakeAlertRule {
  readonly rule: Record<string, unknown>
  /** `''` when written with `X-Disable-Provenance`, else `api`. */
  readonly provenance: '' | 'api'
}

/** Options of {@link startFakeGrafana}. */
export interface FakeGrafanaOptions {
  /** The service-account token it accepts: `glsa_fake_token` by default. */
  readonly token?: string | undefined
  /**
   * The Grafana version it behaves as: `11.3` (the default, no title uniqueness) or `11.2`
   * (412 `name-exists` for a second dashboard of one title in a folder).
   */
  readonly version?: '11.2' | '11.3' | undefined
  /** Permissions the token lacks, e.g. `['dashboards:write']`: those requests get 403. */
  readonly missingPermissions?:
    | readonly ('dashboards:write' | 'folders:create' | 'alert.provisioning:write')[]
    | undefined
}

/** A running fake Grafana. */
export interface FakeGrafana {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly token: string
  readonly requests: FakeGrafanaRequest[]
  readonly folders: Map<string, { id: number; uid: string; title: string }>
  readonly dashboards: Map<string, StoredFakeDashboard>
  readonly alertRules: Map<string, StoredFakeAlertRule>
  /** Someone else saves the dashboard in the UI: its version goes up by one. */
  editDashboard(uid: string): void
  /** Calls `edit` before each dashboard save is checked (to make concurrent edits happen mid-flight). */
  beforeDashboardSave(edit: ((uid: string) => void) | undefined): void
  stop(): Promise<void>
}

type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

const UID = /^[a-zA-Z0-9\-_]+$/
const NO_DATA_STATES = ['NoData', 'Alerting', 'OK']
const EXEC_ERR_STATES = ['Error', 'Alerting', 'OK']

/**
 * Problems Grafana (or the contract slokit holds generated dashboards to) would find in a
 * dashboard model: numeric `schemaVersion`, `gridPos` inside the 24 columns, every target with a
 * `refId` and a datasource `{type, uid}`, unique panel ids. Empty when it is valid.
 */
export function dashboardProblems(dashboard: unknown): string[] {
  const problems: string[] = []
  if (!isObject(dashboard)) return ['the dashboard is not an object']
  if (typeof dashboard.schemaVersion !== 'number') problems.push('schemaVersion must be a number')
  const ids = new Set<number>()
  const visit = (panels: unknown, where: string): void => {
    if (panels === undefined) return
    if (!Array.isArray(panels)) {
      problems.push(`${where} must be an array`)
      return
    }
    panels.forEach((panel, index) => {
      const at = `${where}[${index}]`
      if (!isObject(panel)) {
        problems.push(`${at} is not an object`)
        return
      }
      if (typeof panel.id === 'number') {
        if (ids.has(panel.id)) problems.push(`${at}: panel id ${panel.id} is used twice`)
        ids.add(panel.id)
      }
      const g = panel.gridPos
      if (!isObject(g) || ![g.x, g.y, g.w, g.h].every((n) => Number.isInteger(n) && (n as number) >= 0)) {
        problems.push(`${at}: gridPos {x,y,w,h} must be non-negative integers`)
      } else if ((g.x as number) + (g.w as number) > 24 || (g.w as number) < 1 || (g.h as number) < 1) {
        problems.push(`${at}: gridPos x + w = ${(g.x as number) + (g.w as number)} passes the 24 columns`)
      }
      if (panel.type !== 'row') {
        if (typeof panel.type !== 'string' || panel.type === '') problems.push(`${at}: type is missing`)
        const targets = panel.targets
        if (targets !== undefined) {
          if (!Array.isArray(targets)) problems.push(`${at}: targets must be an array`)
          else {
            const refIds = new Set<string>()
            for (const [i, target] of targets.entries()) {
              if (!isObject(target) || typeof target.refId !== 'string' || target.refId === '') {
                problems.push(`${at}.targets[${i}]: refId is missing`)
                continue
              }
              if (refIds.has(target.refId))
                problems.push(`${at}.targets[${i}]: refId ${target.refId} is used twice`)
              refIds.add(target.refId)
              const ds = target.datasource ?? panel.datasource
              if (!isObject(ds) || typeof ds.type !== 'string' || typeof ds.uid !== 'string') {
                problems.push(`${at}.targets[${i}]: datasource must be {type, uid}`)
              }
            }
          }
        }
      }
      visit(panel.panels, `${at}.panels`)
    })
  }
  visit(dashboard.panels, 'panels')
  return problems
}

/**
 * What is wrong with an alert rule for `POST /api/v1/provisioning/alert-rules`, in Grafana's
 * words; `undefined` when valid. Checks `orgID`, `folderUID`, `ruleGroup` and `title` (1–190),
 * every `data` entry (refId, datasourceUid, model, `relativeTimeRange` — looking back, from > to,
 * for a data source query; `model.type` for an `__expr__` expression), `condition` among the
 * refIds, the `noDataState` / `execErrState` enums, `for` as a duration, string-valued labels and
 * annotations, `__dashboardUid__` only with `__panelId__`, and the uid.
 */
export function alertRuleProblem(rule: unknown): string | undefined {
  if (!isObject(rule)) return 'invalid rule specification: not an object'
  if (typeof rule.orgID !== 'number') return 'invalid alert rule: orgID is required'
  if (typeof rule.folderUID !== 'string' || rule.folderUID === '')
    return 'invalid alert rule: folderUID is required'
  for (const field of ['ruleGroup', 'title'] as const) {
    const value = rule[field]
    if (typeof value !== 'string' || value.length < 1 || value.length > 190)
      return `invalid alert rule: ${field} must be 1–190 characters`
  }
  if (!Array.isArray(rule.data) || rule.data.length === 0)
    return 'invalid alert rule: no queries or expressions are found'
  const refIds: string[] = []
  for (const query of rule.data) {
    if (!isObject(query) || typeof query.refId !== 'string' || query.refId === '')
      return 'invalid alert query: refId is required'
    if (typeof query.datasourceUid !== 'string' || query.datasourceUid === '')
      return `invalid alert query ${query.refId}: datasourceUid is required`
    if (!isObject(query.model)) return `invalid alert query ${query.refId}: model is required`
    const range = query.relativeTimeRange
    if (!isObject(range) || typeof range.from !== 'number' || typeof range.to !== 'number')
      return `invalid alert query ${query.refId}: relativeTimeRange {from, to} is required`
    if (query.datasourceUid === '__expr__') {
      if (typeof query.model.type !== 'string')
        return `invalid alert query ${query.refId}: an expression needs model.type`
    } else if (!(range.from > range.to && range.to >= 0)) {
      // Grafana's AlertQuery.PreSave: a data source query must look back (from > to, in seconds).
      return `invalid alert query ${query.refId}: invalid relative time range [From: ${range.from}s, To: ${range.to}s]`
    }
    refIds.push(query.refId)
  }
  if (typeof rule.condition !== 'string' || !refIds.includes(rule.condition))
    return `invalid alert rule: condition ${JSON.stringify(rule.condition)} does not exist, must be one of [${refIds.join(',')}]`
  if (!NO_DATA_STATES.includes(rule.noDataState as string))
    return `invalid alert rule: unknown noDataState ${JSON.stringify(rule.noDataState)}`
  if (!EXEC_ERR_STATES.includes(rule.execErrState as string))
    return `invalid alert rule: unknown execErrState ${JSON.stringify(rule.execErrState)}`
  if (typeof rule.for !== 'string' || !/^(\d+(ms|s|m|h|d|w|y))+$/.test(rule.for))
    return 'invalid alert rule: for must be a duration such as 5m'
  for (const field of ['labels', 'annotations'] as const) {
    const map = rule[field]
    if (map === undefined || map === null) continue
    if (!isObject(map) || Object.values(map).some((value) => typeof value !== 'string'))
      return `bad request data: ${field} must map names to strings`
  }
  const annotations = isObject(rule.annotations) ? rule.annotations : {}
  if ((annotations.__dashboardUid__ === undefined) !== (annotations.__panelId__ === undefined))
    return 'invalid alert rule: both annotations __dashboardUid__ and __panelId__ must be specified'
  if (rule.uid !== undefined && (typeof rule.uid !== 'string' || !UID.test(rule.uid) || rule.uid.length > 40))
    return 'invalid alert rule: uid must be at most 40 characters of a-z, A-Z, 0-9, - and _'
  return undefined
}

/**
 * Starts a strict local Grafana on 127.0.0.1 that enforces the documented contract of the API
 * slokit uses (CONTRACTS §2): bearer auth (401 `auth.unauthorized` / `api-key.invalid`), RBAC 403s
 * with `accessErrorId`, folders (409 when one exists), dashboards (`empty-name`, uid rules,
 * message ≤ 500, folder must exist, an update without `folderUid` is refused, 412
 * `version-mismatch`, `name-exists` in 11.2 mode, and {@link dashboardProblems}), and alert-rule
 * provisioning ({@link alertRuleProblem}; provenance per `X-Disable-Provenance`, and Grafana's
 * refusal to rewrite or delete an `api` rule with it; `GET` of the rule list). For tests of
 * `GrafanaClient` and of hosts that push dashboards.
 *
 * @example
 * ```ts
 * const grafana = await startFakeGrafana()
 * const client = new GrafanaClient({ url: grafana.url, token: grafana.token })
 * await client.upsertDashboard(dashboard, { folderUid: '' })
 * expect(grafana.dashboards.get(dashboard.uid)?.version).toBe(1)
 * await grafana.stop()
 * ```
 */
export async function startFakeGrafana(options: FakeGrafanaOptions = {}): Promise<FakeGrafana> {
  const token = options.token ?? 'glsa_fake_token'
  const version = options.version ?? '11.3'
  const missing = new Set<string>(options.missingPermissions ?? [])
  const requests: FakeGrafanaRequest[] = []
  const folders = new Map<string, { id: number; uid: string; title: string }>()
  const dashboards = new Map<string, StoredFakeDashboard>()
  const alertRules = new Map<string, StoredFakeAlertRule>()
  let nextId = 1
  let beforeSave: ((uid: string) => void) | undefined

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const record: FakeGrafanaRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body,
        status: 0,
        answer: '',
      }
      requests.push(record)
      const send = (status: number, payload?: unknown): void => {
        const text = payload === undefined ? '' : JSON.stringify(payload)
        record.status = status
        record.answer = text
        respond(res, status, text)
      }
      handle(record, send)
    })
  })

  const forbidden = (permission: string, send: (s: number, p: unknown) => void): void => {
    send(403, {
      accessErrorId: 'ACE0123456789',
      message: `You'll need additional permissions to perform this action. Permissions needed: ${permission}`,
      title: 'Access denied',
    })
  }

  function handle(r: FakeGrafanaRequest, send: (status: number, payload?: unknown) => void): void {
    const auth = r.headers.authorization
    if (auth === undefined || !auth.startsWith('Bearer ')) {
      send(401, {
        extra: null,
        message: 'Unauthorized',
        messageId: 'auth.unauthorized',
        statusCode: 401,
        traceID: '',
      })
      return
    }
    if (auth.slice('Bearer '.length) !== token) {
      send(401, {
        extra: null,
        message: 'Invalid API key',
        messageId: 'api-key.invalid',
        statusCode: 401,
        traceID: '',
      })
      return
    }
    const org = r.headers['x-grafana-org-id']
    if (org !== undefined && !/^[1-9]\d*$/.test(String(org))) {
      send(400, { message: 'invalid X-Grafana-Org-Id' })
      return
    }
    const url = new URL(r.path, 'http://fake')
    const path = url.pathname
    let json: unknown
    if (r.method === 'POST' || r.method === 'PUT') {
      if (!String(r.headers['content-type'] ?? '').startsWith('application/json')) {
        send(415, { message: 'Content-Type must be application/json' })
        return
      }
      try {
        json = JSON.parse(r.body)
      } catch {
        send(400, { message: 'bad request data' })
        return
      }
    }

    // Folders
    if (path === '/api/folders' && r.method === 'GET') {
      send(200, [...folders.values()])
      return
    }
    if (path === '/api/folders' && r.method === 'POST') {
      if (missing.has('folders:create')) {
        forbidden('folders:create', send)
        return
      }
      if (!isObject(json) || typeof json.title !== 'string' || json.title.trim() === '') {
        send(400, { message: 'folder title cannot be empty' })
        return
      }
      const uid = typeof json.uid === 'string' && json.uid !== '' ? json.uid : `f${nextId}`
      if (!UID.test(uid) || uid.length > 40) {
        send(400, { message: 'uid contains illegal characters' })
        return
      }
      if (folders.has(uid) || [...folders.values()].some((f) => f.title === json.title)) {
        send(409, { message: 'a folder with the same name or uid already exists' })
        return
      }
      const folder = { id: nextId++, uid, title: json.title }
      folders.set(uid, folder)
      send(200, { ...folder, url: `/dashboards/f/${uid}/`, version: 1 })
      return
    }
    const folderMatch = /^\/api\/folders\/([^/]+)$/.exec(path)
    if (folderMatch !== null && r.method === 'GET') {
      const folder = folders.get(decodeURIComponent(folderMatch[1] as string))
      if (folder === undefined) send(404, { message: 'folder not found', status: 'not-found' })
      else send(200, { ...folder, url: `/dashboards/f/${folder.uid}/`, version: 1 })
      return
    }

    // Dashboards
    if (path === '/api/dashboards/db' && r.method === 'POST') {
      if (missing.has('dashboards:write')) {
        send(403, { message: 'Access denied to save dashboard', status: 'access-denied' })
        return
      }
      if (!isObject(json) || !isObject(json.dashboard)) {
        send(400, { message: 'bad request data' })
        return
      }
      const d = json.dashboard
      if (typeof d.title !== 'string' || d.title.trim() === '') {
        send(400, { message: 'Dashboard title cannot be empty', status: 'empty-name' })
        return
      }
      const uid = typeof d.uid === 'string' && d.uid !== '' ? d.uid : `d${nextId}`
      if (uid.length > 40) {
        send(400, { message: 'uid too long, max 40 characters' })
        return
      }
      if (!UID.test(uid)) {
        send(400, { message: 'uid contains illegal characters' })
        return
      }
      if (typeof json.message === 'string' && json.message.length > 500) {
        send(400, { message: 'message too long, max 500 characters' })
        return
      }
      const folderUid = json.folderUid
      if (
        folderUid !== undefined &&
        folderUid !== '' &&
        (typeof folderUid !== 'string' || !folders.has(folderUid))
      ) {
        send(400, { message: 'folder not found', status: 'not-found' })
        return
      }
      if (typeof d.refresh === 'string' && d.refresh !== '' && refreshMs(d.refresh) < 5_000) {
        // Grafana's default `min_refresh_interval` is 5s; `refresh: false` or '' is none.
        send(400, { message: 'Dashboard refresh interval is too low' })
        return
      }
      const problems = dashboardProblems(d)
      if (problems.length > 0) {
        send(400, { message: `invalid dashboard: ${problems.join('; ')}` })
        return
      }
      beforeSave?.(uid)
      const existing = dashboards.get(uid)
      if (existing !== undefined && folderUid === undefined && existing.folderUid !== '') {
        // Grafana would move it to the root: the contract says a client never lets that happen.
        send(400, { message: 'folderUid is required when updating a dashboard (it would move to the root)' })
        return
      }
      const overwrite = json.overwrite === true
      if (existing !== undefined && !overwrite && d.version !== existing.version) {
        send(412, {
          message: 'The dashboard has been changed by someone else',
          status: 'version-mismatch',
        })
        return
      }
      const targetFolder = typeof folderUid === 'string' ? folderUid : ''
      if (version === '11.2' && !overwrite) {
        const clash = [...dashboards.values()].find(
          (other) => other.uid !== uid && other.folderUid === targetFolder && other.title === d.title,
        )
        if (clash !== undefined) {
          send(412, {
            message: 'A dashboard with the same name in the folder already exists',
            status: 'name-exists',
          })
          return
        }
      }
      const stored: StoredFakeDashboard = {
        id: existing?.id ?? nextId++,
        uid,
        title: d.title,
        folderUid: targetFolder,
        version: (existing?.version ?? 0) + 1,
        dashboard: { ...d, uid },
      }
      dashboards.set(uid, stored)
      const slug = d.title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
      send(200, {
        id: stored.id,
        uid,
        url: `/d/${uid}/${slug}`,
        status: 'success',
        version: stored.version,
        slug,
      })
      return
    }
    const dashMatch = /^\/api\/dashboards\/uid\/([^/]+)$/.exec(path)
    if (dashMatch !== null && r.method === 'GET') {
      const stored = dashboards.get(decodeURIComponent(dashMatch[1] as string))
      if (stored === undefined) {
        send(404, { message: 'Dashboard not found', status: 'not-found' })
        return
      }
      send(200, {
        dashboard: { ...stored.dashboard, id: stored.id, uid: stored.uid, version: stored.version },
        meta: { url: `/d/${stored.uid}`, folderUid: stored.folderUid, slug: stored.uid },
      })
      return
    }

    // Alert-rule provisioning
    const provenance = r.headers['x-disable-provenance'] !== undefined ? '' : 'api'
    if (path === '/api/v1/provisioning/alert-rules' && r.method === 'POST') {
      if (missing.has('alert.provisioning:write')) {
        forbidden('alert.provisioning:write', send)
        return
      }
      const problem = alertRuleProblem(json)
      if (problem !== undefined) {
        send(400, { message: problem })
        return
      }
      const rule = json as Json
      if (!folders.has(rule.folderUID as string)) {
        send(400, { message: `invalid alert rule: folder ${String(rule.folderUID)} does not exist` })
        return
      }
      const uid = typeof rule.uid === 'string' ? rule.uid : `r${nextId++}`
      if (alertRules.has(uid)) {
        send(409, { message: 'an alert rule with this uid already exists' })
        return
      }
      const stored = { ...rule, uid, provenance }
      alertRules.set(uid, { rule: stored, provenance })
      send(201, stored)
      return
    }
    if (path === '/api/v1/provisioning/alert-rules' && r.method === 'GET') {
      send(
        200,
        [...alertRules.values()].map((stored) => stored.rule),
      )
      return
    }
    const ruleMatch = /^\/api\/v1\/provisioning\/alert-rules\/([^/]+)$/.exec(path)
    if (ruleMatch !== null) {
      const uid = decodeURIComponent(ruleMatch[1] as string)
      const existing = alertRules.get(uid)
      if (r.method === 'GET') {
        if (existing === undefined) send(404, { message: 'rule not found' })
        else send(200, existing.rule)
        return
      }
      if (missing.has('alert.provisioning:write')) {
        forbidden('alert.provisioning:write', send)
        return
      }
      if (existing === undefined) {
        send(404, { message: 'rule not found' })
        return
      }
      // Grafana's provenance guard (UpdateAlertRule, DeleteAlertRule): a rule the API locked
      // (provenance `api`) cannot be written or deleted with X-Disable-Provenance. The status
      // differs between versions (500 before the guard became a typed error): the fake says 403.
      if (existing.provenance !== '' && existing.provenance !== provenance) {
        send(403, {
          message: `cannot change provenance from '${existing.provenance}' to '${provenance}'`,
          messageId: 'alerting.provenance-change-not-allowed',
        })
        return
      }
      if (r.method === 'DELETE') {
        alertRules.delete(uid)
        send(204)
        return
      }
      if (r.method === 'PUT') {
        const problem = alertRuleProblem(json)
        if (problem !== undefined) {
          send(400, { message: problem })
          return
        }
        const stored = { ...(json as Json), uid, provenance }
        alertRules.set(uid, { rule: stored, provenance })
        send(200, stored)
        return
      }
    }
    send(404, { message: 'Not found' })
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    folders,
    dashboards,
    alertRules,
    editDashboard(uid) {
      const stored = dashboards.get(uid)
      if (stored === undefined) throw new Error(`fake Grafana: no dashboard ${uid}`)
      dashboards.set(uid, { ...stored, version: stored.version + 1 })
    },
    beforeDashboardSave(edit) {
      beforeSave = edit
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error === undefined ? resolve() : reject(error)))
      }),
  }
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** A dashboard `refresh` such as `30s` in ms; 0 for text Grafana cannot parse (it refuses it too). */
function refreshMs(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text)
  return match === null ? 0 : Number(match[1]) * (UNIT_MS[match[2] as string] as number)
}

function respond(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, text === '' ? {} : { 'content-type': 'application/json' })
  res.end(text)
}
