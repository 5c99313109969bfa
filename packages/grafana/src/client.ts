import { Secret, SlokitError } from '@slokit/core'
import { type GrafanaAlertRule, MANAGED_BY_LABEL } from './alert-rules.js'
import type { GrafanaDashboard } from './dashboards.js'
import { GrafanaError, type GrafanaErrorReason } from './errors.js'
import { checkUid } from './uid.js'

/** The part of `fetch` the client uses: hand in a fake, a proxy-aware fetch or `globalThis.fetch`. */
export type GrafanaFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>

/** Options of {@link GrafanaClient}. */
export interface GrafanaClientOptions {
  /** Grafana's base URL, e.g. `https://grafana.example.com` (a sub-path like `/grafana` is kept). */
  readonly url: string
  /**
   * A service-account token (`glsa_…`), sent as `Authorization: Bearer`. A `Secret` (what
   * `${env:NAME}` in a config becomes) or a string, which is wrapped into one at once.
   */
  readonly token: Secret | string
  /** The organisation, sent as `X-Grafana-Org-Id`; the token's own org when absent. */
  readonly orgId?: number | undefined
  /** Time allowed for each request: 10 000 ms by default. */
  readonly timeoutMs?: number | undefined
  /**
   * Send `X-Disable-Provenance` with alert-rule writes, so the rules stay editable in Grafana's UI.
   * Off by default: rules provisioned through the API are locked in the UI (provenance `api`).
   */
  readonly disableProvenance?: boolean | undefined
  /** The `fetch` to use: `globalThis.fetch` by default. */
  readonly fetch?: GrafanaFetch | undefined
}

/** A folder as Grafana returns it. */
export interface GrafanaFolder {
  readonly id?: number | undefined
  readonly uid: string
  readonly title: string
}

/** Options of {@link GrafanaClient.upsertDashboard}. */
export interface UpsertDashboardOptions {
  /**
   * The folder to keep the dashboard in. Required by design: Grafana moves a dashboard saved
   * without `folderUid` to the root. Use `''` for the root (General) on purpose.
   */
  readonly folderUid: string
  /**
   * Replace the dashboard whatever its version, like Grafana's `overwrite: true`, in one request.
   * Off by default: the dashboard is saved with its own `version` (generated ones have none), and
   * on Grafana's 412 `version-mismatch` the client re-reads the stored version once and saves on
   * top of it (CONTRACTS §7 Grafana 2). That replaces edits made in Grafana's UI — they stay in
   * the dashboard's version history — but never a save that lands between the re-read and the
   * write: a second 412 fails with `VERSION_MISMATCH`.
   */
  readonly overwrite?: boolean | undefined
  /** The version-history message (at most 500 characters). */
  readonly message?: string | undefined
}

/** What Grafana answered to a saved dashboard. */
export interface SavedDashboard {
  readonly id: number
  readonly uid: string
  readonly url: string
  readonly version: number
  readonly slug?: string | undefined
  readonly status: string
  /**
   * Whether a 412 version-mismatch made the client re-read the dashboard and write again. For a
   * dashboard without `version` (the generated ones) this is `true` on every update of an
   * existing dashboard: it says the save went through the re-read, not that someone edited it.
   */
  readonly retriedAfterVersionMismatch: boolean
}

/** A dashboard read back: the model and Grafana's metadata. */
export interface StoredDashboard {
  readonly dashboard: GrafanaDashboard & { readonly version?: number; readonly id?: number | null }
  readonly meta: { readonly folderUid?: string; readonly url?: string; readonly slug?: string } & Record<
    string,
    unknown
  >
}

/** What {@link GrafanaClient.provisionAlertRules} did to each rule. */
export interface ProvisionedRule {
  readonly uid: string
  /** `deleted`: a stale slokit rule removed by `prune`. */
  readonly action: 'created' | 'updated' | 'deleted'
}

/** Options of {@link GrafanaClient.provisionAlertRules}. */
export interface ProvisionAlertRulesOptions {
  /**
   * After writing `rules`, delete the rules of this folder and rule group that carry the
   * {@link MANAGED_BY_LABEL} label (`managed_by="slokit"`) but are not among `rules`: the alerts of
   * SLOs removed from the config. Rules without the label, or in another folder or group, are
   * never touched. Off by default. Needs the `alert.provisioning:read` permission to list rules.
   */
  readonly prune?: { readonly folderUid: string; readonly ruleGroup: string } | undefined
}

interface Answer {
  readonly status: number
  readonly json: unknown
  readonly text: string
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

/**
 * A small client for the parts of Grafana's HTTP API that dashboards and alerts as code need:
 * folders, dashboards (upsert by uid, with Grafana's optimistic locking), and Grafana-managed alert
 * rules through the provisioning API. One request at a time, no retries of its own: every
 * failure is a {@link GrafanaError} keeping Grafana's message, and `retryable` says whether
 * trying later may help. The token never appears in an error, a log line or `toString()`.
 *
 * @example
 * ```ts
 * const client = new GrafanaClient({ url: 'https://grafana.example.com', token: config.grafanaToken })
 * const folder = await client.ensureFolder({ uid: 'slo', title: 'SLOs' })
 * const { overview, details } = buildSloDashboards(config.slos)
 * for (const dashboard of [overview, ...details]) {
 *   await client.upsertDashboard(dashboard, { folderUid: folder.uid })
 * }
 * ```
 */
export class GrafanaClient {
  readonly #base: string
  readonly #token: Secret
  readonly #orgId: number | undefined
  readonly #timeoutMs: number
  readonly #disableProvenance: boolean
  readonly #fetch: GrafanaFetch

  /** @throws `SlokitError` `INVALID_CONFIG` for a missing or bad option. */
  constructor(options: GrafanaClientOptions) {
    const where = '[slokit/grafana] new GrafanaClient(options)'
    const fail = (message: string): never => {
      throw new SlokitError('INVALID_CONFIG', `${where}: ${message}`)
    }
    if (!isObject(options)) fail('needs options { url, token }.')
    let url: URL | undefined
    try {
      url = new URL(options.url)
    } catch {
      fail(
        `\`url\` must be an absolute http(s) URL such as https://grafana.example.com, got ${JSON.stringify(options.url)}.`,
      )
    }
    if (url !== undefined && url.protocol !== 'http:' && url.protocol !== 'https:')
      fail(`\`url\` must use http or https, got ${url.protocol}.`)
    if (url !== undefined && (url.username !== '' || url.password !== ''))
      fail('`url` must not carry credentials: pass the service-account token as `token`.')
    this.#base = (url as URL).href.replace(/\/+$/, '')
    const token = options.token
    if (!(token instanceof Secret) && !(typeof token === 'string' && token !== ''))
      fail('`token` must be a service-account token (a Secret or a non-empty string).')
    this.#token = token instanceof Secret ? token : new Secret('inline', token)
    if (options.orgId !== undefined && !(Number.isSafeInteger(options.orgId) && options.orgId > 0))
      fail(`\`orgId\` must be a positive integer, got ${String(options.orgId)}.`)
    this.#orgId = options.orgId
    const timeoutMs = options.timeoutMs ?? 10_000
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0))
      fail(`\`timeoutMs\` must be a positive number, got ${timeoutMs}.`)
    this.#timeoutMs = timeoutMs
    this.#disableProvenance = options.disableProvenance === true
    this.#fetch = options.fetch ?? (globalThis.fetch as unknown as GrafanaFetch)
  }

  /** `GrafanaClient(<url>)`: never the token. */
  toString(): string {
    return `GrafanaClient(${this.#base})`
  }

  /** The same as {@link GrafanaClient.toString}, for `console.log` and `JSON.stringify`. */
  toJSON(): string {
    return this.toString()
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString()
  }

  /**
   * Makes sure a folder exists: creates it, or — when Grafana answers 409 because it exists —
   * reads it and carries on. Its title is not changed when it exists.
   * @throws {@link GrafanaError}
   */
  async ensureFolder(folder: {
    uid: string
    title: string
    parentUid?: string | undefined
  }): Promise<GrafanaFolder> {
    checkUid(folder.uid, 'folder.uid')
    if (typeof folder.title !== 'string' || folder.title.trim() === '') {
      throw new SlokitError('INVALID_ARGUMENT', '[slokit/grafana] ensureFolder(): `title` must not be empty.')
    }
    const body = {
      uid: folder.uid,
      title: folder.title,
      ...(folder.parentUid === undefined ? {} : { parentUid: folder.parentUid }),
    }
    const answer = await this.#request('POST', '/api/folders', body)
    if (answer.status === 200) return this.#folderOf(answer, 'POST /api/folders')
    if (answer.status === 409) {
      const path = `/api/folders/${encodeURIComponent(folder.uid)}`
      const existing = await this.#request('GET', path)
      if (existing.status === 200) return this.#folderOf(existing, `GET ${path}`)
      throw this.#error(existing, `GET ${path}`, `folder "${folder.uid}" exists under another uid or title`)
    }
    throw this.#error(answer, 'POST /api/folders', `cannot create folder "${folder.uid}"`)
  }

  /**
   * Reads a dashboard by uid; `undefined` when Grafana has none (404).
   * @throws {@link GrafanaError}
   */
  async getDashboard(uid: string): Promise<StoredDashboard | undefined> {
    checkUid(uid, 'uid')
    const path = `/api/dashboards/uid/${encodeURIComponent(uid)}`
    const answer = await this.#request('GET', path)
    if (answer.status === 404) return undefined
    if (answer.status !== 200) throw this.#error(answer, `GET ${path}`, `cannot read dashboard "${uid}"`)
    if (!isObject(answer.json) || !isObject(answer.json.dashboard)) {
      throw new GrafanaError('INVALID_RESPONSE', `GET ${path}: the answer has no \`dashboard\` object.`, {
        status: answer.status,
        request: `GET ${path}`,
      })
    }
    return answer.json as unknown as StoredDashboard
  }

  /**
   * Creates or updates a dashboard by its uid, in `folderUid`. Sends the dashboard's `version`
   * (Grafana's optimistic lock) with `overwrite: false`; on 412 `version-mismatch` re-reads the
   * dashboard once and writes again on top of the version it found. A second 412 fails with
   * `VERSION_MISMATCH`: someone keeps changing it, and the client never falls back to
   * `overwrite: true` by itself. `name-exists` and `plugin-dashboard` fail at once.
   * @throws {@link GrafanaError}; `SlokitError` `INVALID_ARGUMENT` for a dashboard without a valid uid or title.
   */
  async upsertDashboard(
    dashboard: GrafanaDashboard,
    options: UpsertDashboardOptions,
  ): Promise<SavedDashboard> {
    const uid = checkUid(dashboard?.uid ?? '', 'dashboard.uid')
    if (typeof dashboard.title !== 'string' || dashboard.title.trim() === '') {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `[slokit/grafana] upsertDashboard(): dashboard "${uid}" has no title.`,
      )
    }
    if (!isObject(options) || typeof options.folderUid !== 'string') {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        '[slokit/grafana] upsertDashboard(dashboard, options): `options.folderUid` is required (use "" for the root folder).',
        { hint: 'Grafana moves a dashboard saved without folderUid to the root folder' },
      )
    }
    if (options.message !== undefined && options.message.length > 500) {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        '[slokit/grafana] upsertDashboard(): `message` is over 500 characters.',
      )
    }
    const overwrite = options.overwrite === true
    const request = 'POST /api/dashboards/db'
    const save = (version: number | undefined) =>
      this.#request('POST', '/api/dashboards/db', {
        dashboard: { ...dashboard, id: null, ...(version === undefined ? {} : { version }) },
        folderUid: options.folderUid,
        overwrite,
        ...(options.message === undefined ? {} : { message: options.message }),
      })
    const given = (dashboard as { version?: unknown }).version
    let answer = await save(typeof given === 'number' ? given : undefined)
    let retried = false
    if (answer.status === 412 && !overwrite && this.#grafanaStatus(answer) === 'version-mismatch') {
      const current = await this.getDashboard(uid)
      retried = true
      answer = await save(
        typeof current?.dashboard.version === 'number' ? current.dashboard.version : undefined,
      )
    }
    if (answer.status !== 200) throw this.#error(answer, request, `cannot save dashboard "${uid}"`, retried)
    const json = answer.json
    if (!isObject(json) || typeof json.version !== 'number' || typeof json.uid !== 'string') {
      throw new GrafanaError(
        'INVALID_RESPONSE',
        `${request}: the answer for dashboard "${uid}" is not Grafana's save result.`,
        {
          status: answer.status,
          request,
        },
      )
    }
    return {
      id: typeof json.id === 'number' ? json.id : 0,
      uid: json.uid,
      url: str(json.url) ?? `/d/${uid}`,
      version: json.version,
      slug: str(json.slug),
      status: str(json.status) ?? 'success',
      retriedAfterVersionMismatch: retried,
    }
  }

  /**
   * Creates or updates Grafana-managed alert rules by uid through the provisioning API: `GET`
   * the uid, then `PUT` it when it exists, `POST` it when not. With `disableProvenance` every
   * write carries `X-Disable-Provenance` (rules stay editable in the UI). With `prune`, then
   * deletes the stale slokit rules of that folder and group (see {@link ProvisionAlertRulesOptions}).
   *
   * Grafana keeps a rule's provenance: rules first written without `X-Disable-Provenance` (locked,
   * provenance `api`) cannot later be updated or deleted with it — Grafana answers "cannot change
   * provenance"; delete them with the mode they were written in first.
   * @throws {@link GrafanaError} at the first rule Grafana refuses (rules before it are kept, and
   * nothing is pruned).
   */
  async provisionAlertRules(
    rules: readonly GrafanaAlertRule[],
    options: ProvisionAlertRulesOptions = {},
  ): Promise<ProvisionedRule[]> {
    const prune = options.prune
    if (prune !== undefined) {
      checkUid(prune.folderUid, 'prune.folderUid')
      if (typeof prune.ruleGroup !== 'string' || prune.ruleGroup.length < 1 || prune.ruleGroup.length > 190) {
        throw new SlokitError(
          'INVALID_ARGUMENT',
          '[slokit/grafana] provisionAlertRules(): `prune.ruleGroup` must be 1–190 characters.',
        )
      }
    }
    const out: ProvisionedRule[] = []
    for (const rule of rules) {
      const uid = checkUid(rule.uid, 'rule.uid')
      const path = `/api/v1/provisioning/alert-rules/${encodeURIComponent(uid)}`
      const existing = await this.#request('GET', path)
      if (existing.status === 200) {
        const answer = await this.#request('PUT', path, rule, this.#provenanceHeaders())
        if (answer.status !== 200)
          throw this.#error(answer, `PUT ${path}`, `cannot update alert rule "${uid}"`)
        out.push({ uid, action: 'updated' })
      } else if (existing.status === 404) {
        const answer = await this.#request(
          'POST',
          '/api/v1/provisioning/alert-rules',
          rule,
          this.#provenanceHeaders(),
        )
        if (answer.status !== 201 && answer.status !== 200)
          throw this.#error(
            answer,
            'POST /api/v1/provisioning/alert-rules',
            `cannot create alert rule "${uid}"`,
          )
        out.push({ uid, action: 'created' })
      } else {
        throw this.#error(existing, `GET ${path}`, `cannot read alert rule "${uid}"`)
      }
    }
    if (prune !== undefined) {
      const wanted = new Set(rules.map((rule) => rule.uid))
      const path = '/api/v1/provisioning/alert-rules'
      const listed = await this.#request('GET', path)
      if (listed.status !== 200) throw this.#error(listed, `GET ${path}`, 'cannot list alert rules to prune')
      if (!Array.isArray(listed.json)) {
        throw new GrafanaError('INVALID_RESPONSE', `GET ${path}: the answer is not a list of rules.`, {
          status: listed.status,
          request: `GET ${path}`,
        })
      }
      for (const stored of listed.json) {
        if (!isObject(stored) || typeof stored.uid !== 'string' || wanted.has(stored.uid)) continue
        const labels = isObject(stored.labels) ? stored.labels : {}
        if (
          labels[MANAGED_BY_LABEL.name] === MANAGED_BY_LABEL.value &&
          stored.folderUID === prune.folderUid &&
          stored.ruleGroup === prune.ruleGroup
        ) {
          await this.deleteAlertRule(stored.uid)
          out.push({ uid: stored.uid, action: 'deleted' })
        }
      }
    }
    return out
  }

  /**
   * Deletes a Grafana-managed alert rule; `false` when it did not exist.
   * @throws {@link GrafanaError}
   */
  async deleteAlertRule(uid: string): Promise<boolean> {
    checkUid(uid, 'uid')
    const path = `/api/v1/provisioning/alert-rules/${encodeURIComponent(uid)}`
    const answer = await this.#request('DELETE', path, undefined, this.#provenanceHeaders())
    if (answer.status === 204 || answer.status === 200) return true
    if (answer.status === 404) return false
    throw this.#error(answer, `DELETE ${path}`, `cannot delete alert rule "${uid}"`)
  }

  #provenanceHeaders(): Record<string, string> {
    return this.#disableProvenance ? { 'x-disable-provenance': 'true' } : {}
  }

  #folderOf(answer: Answer, request: string): GrafanaFolder {
    const json = answer.json
    if (!isObject(json) || typeof json.uid !== 'string' || typeof json.title !== 'string') {
      throw new GrafanaError('INVALID_RESPONSE', `${request}: the answer is not a folder.`, {
        status: answer.status,
        request,
      })
    }
    return { id: typeof json.id === 'number' ? json.id : undefined, uid: json.uid, title: json.title }
  }

  #grafanaStatus(answer: Answer): string | undefined {
    return isObject(answer.json) ? str(answer.json.status) : undefined
  }

  async #request(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<Answer> {
    const request = `${method} ${path}`
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${this.#token.reveal()}`,
      ...(this.#orgId === undefined ? {} : { 'x-grafana-org-id': String(this.#orgId) }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...extraHeaders,
    }
    const signal = AbortSignal.timeout(this.#timeoutMs)
    let status: number
    let text: string
    try {
      const response = await this.#fetch(`${this.#base}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
      })
      status = response.status
      text = await response.text()
    } catch (error) {
      const timedOut = signal.aborted
      throw new GrafanaError(
        timedOut ? 'TIMEOUT' : 'NETWORK',
        timedOut
          ? `${request}: Grafana did not answer within ${this.#timeoutMs} ms.`
          : `${request}: cannot reach Grafana at ${this.#base} (${this.#redact(error instanceof Error ? error.message : String(error))}).`,
        { request, cause: timedOut ? undefined : error },
      )
    }
    let json: unknown
    try {
      json = text === '' ? undefined : JSON.parse(text)
    } catch {
      json = undefined
    }
    if (status >= 200 && status < 300 && text !== '' && json === undefined) {
      throw new GrafanaError(
        'INVALID_RESPONSE',
        `${request}: Grafana answered ${status} with a body that is not JSON (a proxy page?).`,
        {
          status,
          request,
        },
      )
    }
    return { status, json, text }
  }

  #redact(text: string): string {
    const token = this.#token.reveal()
    return token === '' ? text : text.split(token).join('[redacted]')
  }

  #error(answer: Answer, request: string, what: string, retried = false): GrafanaError {
    const json = isObject(answer.json) ? answer.json : {}
    const grafanaMessage =
      str(json.message) ?? (answer.json === undefined ? answer.text.slice(0, 200) || undefined : undefined)
    const grafanaStatus = str(json.status)
    const messageId = str(json.messageId)
    const accessErrorId = str(json.accessErrorId)
    let reason: GrafanaErrorReason
    let hint: string | undefined
    switch (answer.status) {
      case 400:
        reason = 'BAD_REQUEST'
        break
      case 401:
        reason = 'UNAUTHORIZED'
        hint =
          'check the service-account token (Administration → Service accounts) and that it has not expired'
        break
      case 403:
        reason = 'FORBIDDEN'
        hint =
          'give the service account the permission Grafana names (e.g. the Editor role, or dashboards:write and folders:create)'
        break
      case 404:
        reason = 'NOT_FOUND'
        break
      case 409:
        reason = 'CONFLICT'
        break
      case 412:
        reason =
          grafanaStatus === 'name-exists'
            ? 'NAME_EXISTS'
            : grafanaStatus === 'plugin-dashboard'
              ? 'PLUGIN_DASHBOARD'
              : 'VERSION_MISMATCH'
        hint =
          reason === 'VERSION_MISMATCH'
            ? retried
              ? 'the dashboard changed again while it was being saved; try again, or pass overwrite: true (--overwrite) to replace it'
              : 'pass overwrite: true (--overwrite) to replace the dashboard whatever its version'
            : reason === 'NAME_EXISTS'
              ? 'another dashboard of the folder has this title (Grafana ≤ 11.2): rename or move one of them'
              : undefined
        break
      default:
        reason = answer.status === 429 || answer.status >= 500 ? 'SERVER_ERROR' : 'BAD_REQUEST'
    }
    if (grafanaMessage !== undefined && /cannot change provenance/i.test(grafanaMessage)) {
      hint =
        'the rule was written with the other provenance mode: rules written without X-Disable-Provenance stay locked (provenance "api"); use the mode they were written in, or delete them in that mode first'
    }
    const said = grafanaMessage === undefined ? '' : `: ${this.#redact(grafanaMessage)}`
    return new GrafanaError(
      reason,
      `${request}: ${what}: Grafana answered ${answer.status}${grafanaStatus === undefined ? '' : ` ${grafanaStatus}`}${said}${accessErrorId === undefined ? '' : ` (accessErrorId ${accessErrorId})`}${retried ? ' (after re-reading the dashboard once)' : ''}.`,
      {
        status: answer.status,
        request,
        grafanaMessage,
        grafanaStatus,
        messageId,
        accessErrorId,
        hint,
      },
    )
  }
}
