import { Secret, SlokitError, type SloSpec } from '@slokit/core'
import {
  buildGrafanaAlertRules,
  buildSloDashboards,
  DASHBOARD_NAMINGS,
  type DashboardNaming,
  DEFAULT_RULE_GROUP,
  GrafanaClient,
  type GrafanaDashboard,
  GrafanaError,
  type GrafanaFetch,
  writeDashboardFiles,
} from '@slokit/grafana'
import { generateRules } from '@slokit/prometheus'
import { type CommandContext, ExitError, loadForCommand } from '../context.js'

/** Options of `slokit dashboards`. */
export interface DashboardsOptions {
  /** slokit config files to read the SLOs from. */
  readonly config?: readonly string[] | undefined
  /** Write the dashboards as `<uid>.json` files into this directory (file-based provisioning). */
  readonly output?: string | undefined
  /** Push the dashboards to Grafana's HTTP API. */
  readonly push?: boolean | undefined
  /** Grafana's base URL (with `--push`). */
  readonly grafanaUrl?: string | undefined
  /** The service-account token: `${env:NAME}` (the default is `${env:GRAFANA_TOKEN}`). */
  readonly token?: string | undefined
  /** The folder the dashboards (and alert rules) go in: its title; uid `slokit`. */
  readonly folder?: string | undefined
  /** Replace dashboards whatever their version in Grafana. */
  readonly overwrite?: boolean | undefined
  /** The naming of the recording rules the dashboards read: `slokit` or `sloth`. */
  readonly naming?: string | undefined
  /** The uid of the Prometheus data source selected by default. */
  readonly datasourceUid?: string | undefined
  /** `X-Grafana-Org-Id`. */
  readonly orgId?: string | undefined
  /**
   * Also provision Grafana-managed burn-rate alert rules (needs `--datasource-uid`), and delete
   * the slokit rules (label `managed_by="slokit"`) of the folder's `slokit-slo-burn-rate` group
   * whose SLO left the config. The dashboards then show Grafana's alert list rather than
   * Prometheus's `ALERTS`.
   */
  readonly alertRules?: boolean | undefined
  /** For tests: the fetch the Grafana client uses. */
  readonly fetch?: GrafanaFetch | undefined
}

const DEFAULT_FOLDER = 'SLOs'
const FOLDER_UID = 'slokit'

/**
 * `slokit dashboards --config … -o dir/` writes the SLO overview and one detail dashboard per SLO
 * (for the SLOs with PromQL queries, like `slokit rules`) as Grafana JSON files for file-based
 * provisioning; `--push --grafana-url … --token '${env:GRAFANA_TOKEN}'` upserts them through
 * Grafana's HTTP API into a folder (and, with `--alert-rules`, provisions Grafana-managed
 * burn-rate alert rules). Exit code 1 on a Grafana error, 2 on bad usage.
 */
export async function dashboardsCommand(options: DashboardsOptions, ctx: CommandContext): Promise<void> {
  const { io, colors: c } = ctx
  const fail = (message: string, code = 1): never => {
    io.stderr.write(`${c.red('error')}: ${message}\n`)
    throw new ExitError(code)
  }
  if (options.config === undefined || options.config.length === 0) fail('give --config <files…>', 2)
  const push = options.push === true
  if (!push && options.output === undefined)
    fail('give -o <dir> to write files, or --push to send them to Grafana', 2)
  if (push && options.grafanaUrl === undefined) fail('--push needs --grafana-url <url>', 2)
  if (
    !push &&
    (options.grafanaUrl !== undefined || options.overwrite === true || options.alertRules === true)
  ) {
    fail('--grafana-url, --overwrite and --alert-rules apply to --push only', 2)
  }
  const naming = (options.naming ?? 'slokit') as DashboardNaming
  if (!(DASHBOARD_NAMINGS as readonly string[]).includes(naming)) {
    fail(`--naming must be slokit or sloth, got ${JSON.stringify(options.naming)}`, 2)
  }
  if (options.alertRules === true && options.datasourceUid === undefined) {
    fail('--alert-rules needs --datasource-uid: Grafana alert rules name their data source', 2)
  }
  let orgId: number | undefined
  if (options.orgId !== undefined) {
    orgId = Number(options.orgId)
    if (!(Number.isSafeInteger(orgId) && orgId > 0))
      fail(`--org-id must be a positive integer, got ${options.orgId}`, 2)
  }
  let token: Secret | undefined
  if (push) {
    token = resolveToken(options.token ?? '${env:GRAFANA_TOKEN}', io.env, fail)
    if (token.name === '--token') {
      io.stderr.write(
        `${c.yellow('warning')}: --token is a literal token: it lands in shell history and \`ps\`; pass '\${env:GRAFANA_TOKEN}' instead\n`,
      )
    }
  }

  const config = await loadForCommand(ctx, options.config as readonly string[])
  const sources = (config.sections.sources ?? config.unvalidated.sources ?? {}) as Record<
    string,
    { type?: unknown }
  >
  const prometheusSlos = config.slos.filter((slo) => {
    const type = slo.sli.source === undefined ? undefined : sources[slo.sli.source]?.type
    return type === undefined || type === 'prometheus'
  })
  // The dashboards read the recording rules: exactly the SLOs `slokit rules` makes rules for.
  const { sloIds, skipped } = generateRules(prometheusSlos, { naming, skipUnsupported: true })
  for (const s of skipped) io.stderr.write(`${c.yellow('skipped')} ${s.sloId}: ${s.reason}\n`)
  for (const slo of config.slos) {
    if (!prometheusSlos.includes(slo))
      io.stderr.write(
        `${c.yellow('skipped')} ${slo.id}: its SLI is read from source "${slo.sli.source}", not Prometheus\n`,
      )
  }
  const slos: SloSpec[] = config.slos.filter((slo) => sloIds.includes(slo.id))
  if (slos.length === 0) fail('no SLO has Prometheus queries: no dashboards to build')

  let dashboards: GrafanaDashboard[]
  try {
    // With Grafana-managed alert rules, ALERTS stays empty: show Grafana's alert list instead.
    const built = buildSloDashboards(slos, {
      naming,
      datasourceUid: options.datasourceUid,
      alerts: options.alertRules === true ? 'grafana' : 'prometheus',
    })
    dashboards = [built.overview, ...built.details]
  } catch (error) {
    if (!(error instanceof SlokitError)) throw error
    return fail(error.message, 2)
  }

  if (options.output !== undefined) {
    try {
      const paths = await writeDashboardFiles(dashboards, options.output)
      io.stderr.write(`${c.green('✓')} wrote ${paths.length} dashboards to ${options.output}\n`)
    } catch (error) {
      if (error instanceof SlokitError) fail(error.message)
      fail(`cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
    }
  }
  if (!push) return

  try {
    const client = new GrafanaClient({
      url: options.grafanaUrl as string,
      token: token as Secret,
      orgId,
      fetch: options.fetch,
    })
    const folder = await client.ensureFolder({ uid: FOLDER_UID, title: options.folder ?? DEFAULT_FOLDER })
    for (const dashboard of dashboards) {
      const saved = await client.upsertDashboard(dashboard, {
        folderUid: folder.uid,
        overwrite: options.overwrite === true,
        message: 'slokit dashboards',
      })
      io.stdout.write(`${saved.url} (version ${saved.version})\n`)
    }
    io.stderr.write(`${c.green('✓')} pushed ${dashboards.length} dashboards to folder "${folder.title}"\n`)
    if (options.alertRules === true) {
      const rules = buildGrafanaAlertRules(slos, {
        folderUid: folder.uid,
        datasourceUid: options.datasourceUid as string,
        naming,
        orgId,
      })
      const done = await client.provisionAlertRules(rules, {
        prune: { folderUid: folder.uid, ruleGroup: DEFAULT_RULE_GROUP },
      })
      const count = (action: string) => done.filter((r) => r.action === action).length
      io.stderr.write(
        `${c.green('✓')} provisioned ${rules.length} alert rules (${count('created')} created, ${count('updated')} updated, ${count('deleted')} stale deleted)\n`,
      )
    }
  } catch (error) {
    if (!(error instanceof SlokitError)) throw error
    const hint = error.hint === undefined ? '' : `\n  hint: ${error.hint}`
    fail(`${error.message}${hint}`, error instanceof GrafanaError || error.code !== 'INVALID_CONFIG' ? 1 : 2)
  }
}

/** `${env:NAME}` → the variable as a Secret; a literal token becomes a Secret named `--token` (the caller warns). */
function resolveToken(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  fail: (message: string, code?: number) => never,
): Secret {
  const match = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(text)
  if (match !== null) {
    const name = match[1] as string
    const value = env[name]
    if (value === undefined || value === '') fail(`--token: the environment variable ${name} is not set`, 2)
    return new Secret(name, value)
  }
  if (text.includes('${')) fail('--token must be ${env:NAME} (quote it for the shell) or the token itself', 2)
  return new Secret('--token', text)
}
