import { formatSpecPath, type SliKind, SlokitError, type SloSpecInput, type SpecIssue } from '@slokit/core'
import { parseAllDocuments } from 'yaml'
import type { AlertTierSettings, SloAlerting } from './generate-rules.js'

/** What {@link parseSlothSpec} found: slokit SLOs and their alert settings. */
export interface SlothImport {
  /** One SLO per Sloth SLO, id `<service>-<name>` (Sloth's `sloth_id`), ready for `parseSlo`. */
  readonly slos: readonly SloSpecInput[]
  /** Each SLO's `alerting` block by SLO id, for `generateRules({ alerting })`. */
  readonly alerting: Readonly<Record<string, SloAlerting>>
}

/** Options of {@link parseSlothSpec}. */
export interface ParseSlothSpecOptions {
  /**
   * The SLO period: Sloth sets it per run (`--default-slo-period`), not per spec. `30d` by
   * default; `28d` or `4w` for Sloth's 28-day windows.
   */
  readonly window?: string | undefined
  /** A name for messages, usually the file path. */
  readonly source?: string | undefined
}

/** Why a Sloth spec could not be imported: every problem, each with its path in the document. */
export class SlothSpecError extends SlokitError {
  /** Every problem found, in document order. Paths start with `documents[i]` for multi-document files. */
  readonly issues: readonly SpecIssue[]

  constructor(source: string, issues: readonly SpecIssue[], unsupported: boolean) {
    const lines = issues.map(
      (issue) =>
        `  - ${formatSpecPath(issue.path)}: ${issue.message}${issue.hint === undefined ? '' : ` (${issue.hint})`}`,
    )
    const noun = issues.length === 1 ? 'problem' : 'problems'
    super(
      unsupported ? 'NOT_SUPPORTED' : 'INVALID_SPEC',
      `[slokit/prometheus] Cannot import the Sloth spec ${source}: ${issues.length} ${noun}\n${lines.join('\n')}`,
    )
    this.name = 'SlothSpecError'
    this.issues = issues
  }
}

type Path = Array<string | number>

const K8S_API_VERSION = 'sloth.slok.dev/v1'
const K8S_KIND = 'PrometheusServiceLevel'

/** Field names of the two forms: snake_case in `prometheus/v1`, camelCase in the Kubernetes CRD. */
const FIELDS = {
  plain: {
    errorQuery: 'error_query',
    totalQuery: 'total_query',
    errorRatioQuery: 'error_ratio_query',
    pageAlert: 'page_alert',
    ticketAlert: 'ticket_alert',
    sloPlugins: 'slo_plugins',
  },
  k8s: {
    errorQuery: 'errorQuery',
    totalQuery: 'totalQuery',
    errorRatioQuery: 'errorRatioQuery',
    pageAlert: 'pageAlert',
    ticketAlert: 'ticketAlert',
    sloPlugins: 'sloPlugins',
  },
} as const

const SLOTH_WINDOW = /\{\{\s*\.window\s*\}\}/g

/**
 * Reads a Sloth spec (`version: prometheus/v1`, or the Kubernetes `PrometheusServiceLevel` CRD,
 * several documents per file allowed) into slokit SLOs, so `generateRules(…, { naming: 'sloth' })`
 * writes rules with the names and labels Sloth would, and the same SLOs can be evaluated by
 * slokit too.
 *
 * - `events` SLIs (`error_query`/`errorQuery` over `total_query`/`totalQuery`) become ratio
 *   SLIs with `bad` and `total`; Sloth's `{{.window}}` becomes `{{window}}`.
 * - `raw` SLIs (`error_ratio_query`) become `bad: <ratio>` over `total: (<ratio>) * 0 + 1`: one
 *   "event" per step, so windows average the error ratio over time, as Sloth does.
 * - Labels of the service and of each SLO become SLO labels; `alerting` becomes
 *   {@link SlothImport.alerting}; the objective (99.9) becomes the ratio 0.999.
 * - The SLI `kind` is `latency` when the SLO name mentions latency, else `availability`.
 * - Unsupported parts fail with a {@link SlothSpecError} naming the field: SLI plugins (Go code
 *   that slokit cannot run), SLO plugin chains (`slo_plugins`, `plugins`), and OpenSLO documents.
 *
 * @example
 * ```ts
 * const spec = parseSlothSpec(readFileSync('slos.yml', 'utf8'), { source: 'slos.yml' })
 * const rules = generateRules(spec.slos.map(parseSlo), { naming: 'sloth', alerting: spec.alerting })
 * ```
 * @throws {@link SlothSpecError} (`INVALID_SPEC`, or `NOT_SUPPORTED` when a feature is unsupported) listing every problem.
 */
export function parseSlothSpec(text: string, options: ParseSlothSpecOptions = {}): SlothImport {
  const source = options.source ?? '<sloth spec>'
  const window = options.window ?? '30d'
  const issues: SpecIssue[] = []
  let unsupported = false
  const report = (path: Path, message: string, hint?: string, notSupported = false): void => {
    issues.push(hint === undefined ? { path: [...path], message } : { path: [...path], message, hint })
    if (notSupported) unsupported = true
  }
  const documents = parseAllDocuments(text, { prettyErrors: false })
  const docs = Array.isArray(documents) ? documents : []
  const slos: SloSpecInput[] = []
  const alerting: Record<string, SloAlerting> = {}
  const multi = docs.length > 1
  docs.forEach((doc, index) => {
    const root: Path = multi ? [`documents[${index}]`] : []
    for (const error of doc.errors) report(root, `YAML: ${error.message.split('\n')[0]}`)
    if (doc.errors.length > 0) return
    const value = doc.toJS() as unknown
    if (value === null || value === undefined) return
    if (!isObject(value)) {
      report(root, 'not a Sloth spec: expected a mapping')
      return
    }
    if (value.version === 'prometheus/v1') {
      readServiceLevel(value, root, 'plain', window, slos, alerting, report)
    } else if (value.apiVersion === K8S_API_VERSION && value.kind === K8S_KIND) {
      checkKeys(value, ['apiVersion', 'kind', 'metadata', 'spec', 'status'], root, report)
      if (!isObject(value.spec)) report([...root, 'spec'], 'missing: a PrometheusServiceLevel needs a `spec`')
      else readServiceLevel(value.spec, [...root, 'spec'], 'k8s', window, slos, alerting, report)
    } else if (typeof value.apiVersion === 'string' && value.apiVersion.startsWith('openslo/')) {
      report(
        [...root, 'apiVersion'],
        `OpenSLO documents (${value.apiVersion}) are not Sloth specs`,
        'import them with an OpenSLO importer; this reads Sloth prometheus/v1 and PrometheusServiceLevel',
        true,
      )
    } else {
      report(
        root,
        'not a Sloth spec: expected `version: prometheus/v1` or `apiVersion: sloth.slok.dev/v1` with `kind: PrometheusServiceLevel`',
      )
    }
  })
  if (docs.length === 0 && issues.length === 0) report([], 'the file holds no document')
  const ids = new Map<string, number>()
  for (const slo of slos) ids.set(slo.id, (ids.get(slo.id) ?? 0) + 1)
  for (const [id, count] of ids) {
    if (count > 1)
      report(
        [],
        `the SLO id "${id}" (service-name) appears ${count} times`,
        'give each SLO of a service its own name',
      )
  }
  if (issues.length > 0) throw new SlothSpecError(source, issues, unsupported)
  return { slos, alerting }
}

type Report = (path: Path, message: string, hint?: string, notSupported?: boolean) => void

function readServiceLevel(
  spec: Record<string, unknown>,
  root: Path,
  form: 'plain' | 'k8s',
  window: string,
  slos: SloSpecInput[],
  alerting: Record<string, SloAlerting>,
  report: Report,
): void {
  const f = FIELDS[form]
  const known =
    form === 'plain'
      ? ['version', 'service', 'labels', 'slos', f.sloPlugins]
      : ['service', 'labels', 'slos', f.sloPlugins]
  checkKeys(spec, known, root, report)
  const service = spec.service
  if (typeof service !== 'string' || service === '')
    report([...root, 'service'], 'missing: the service the SLOs belong to')
  if (spec[f.sloPlugins] !== undefined) {
    report(
      [...root, f.sloPlugins],
      'SLO plugin chains are not supported: they run Sloth Go code that changes the generated rules',
      'remove the chain; slokit generates the SLI, metadata and alert rules itself',
      true,
    )
  }
  const serviceLabels = readLabels(spec.labels, [...root, 'labels'], report)
  if (!Array.isArray(spec.slos) || spec.slos.length === 0) {
    report([...root, 'slos'], 'missing: a list of SLOs')
    return
  }
  spec.slos.forEach((raw: unknown, i: number) => {
    const at: Path = [...root, 'slos', i]
    if (!isObject(raw)) {
      report(at, 'an SLO must be a mapping')
      return
    }
    checkKeys(raw, ['name', 'objective', 'description', 'labels', 'sli', 'alerting', 'plugins'], at, report)
    const name = raw.name
    if (typeof name !== 'string' || name === '') {
      report([...at, 'name'], 'missing: every SLO needs a name')
      return
    }
    const objective = raw.objective
    if (typeof objective !== 'number' || !(objective > 0 && objective < 100)) {
      report(
        [...at, 'objective'],
        `must be a percentage in (0, 100), got ${JSON.stringify(objective)}`,
        'write 99.9 for 99.9 %',
      )
    }
    if (raw.plugins !== undefined) {
      report(
        [...at, 'plugins'],
        'SLO plugin chains are not supported: they run Sloth Go code that changes the generated rules',
        'remove the chain; slokit generates the SLI, metadata and alert rules itself',
        true,
      )
    }
    const sloLabels = readLabels(raw.labels, [...at, 'labels'], report)
    const measurement = readSli(raw.sli, [...at, 'sli'], f, report)
    const alerts = readAlerting(raw.alerting, [...at, 'alerting'], f, report)
    if (typeof service !== 'string' || measurement === undefined || typeof objective !== 'number') return
    const id = `${service}-${name}`
    const kind: SliKind = /latenc/i.test(name) ? 'latency' : 'availability'
    slos.push({
      id,
      name,
      ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
      service,
      sli: { id, kind, measurement },
      // A percent string, so 99.9 becomes exactly 0.999 (not 99.9 / 100 = 0.9990000000000001).
      objective: `${objective}%`,
      window,
      labels: { ...serviceLabels, ...sloLabels },
    })
    if (alerts !== undefined) alerting[id] = alerts
  })
}

function readSli(
  raw: unknown,
  at: Path,
  f: (typeof FIELDS)['plain' | 'k8s'],
  report: Report,
): { type: 'ratio'; bad: string; total: string } | undefined {
  if (!isObject(raw)) {
    report(at, 'missing: an SLI with `events` or `raw`')
    return undefined
  }
  checkKeys(raw, ['events', 'raw', 'plugin'], at, report)
  const given = ['events', 'raw', 'plugin'].filter((key) => raw[key] !== undefined)
  if (given.length !== 1) {
    report(
      at,
      `give exactly one of \`events\`, \`raw\` or \`plugin\`, got ${given.length === 0 ? 'none' : given.join(' and ')}`,
    )
    return undefined
  }
  if (raw.plugin !== undefined) {
    const id = isObject(raw.plugin) && typeof raw.plugin.id === 'string' ? ` "${raw.plugin.id}"` : ''
    report(
      [...at, 'plugin'],
      `SLI plugins${id} are not supported: they are Go code that builds the queries`,
      'write the queries the plugin would produce as `events` (error and total queries)',
      true,
    )
    return undefined
  }
  if (raw.events !== undefined) {
    const events = raw.events
    if (!isObject(events)) {
      report([...at, 'events'], 'must be a mapping with the error and total queries')
      return undefined
    }
    checkKeys(events, [f.errorQuery, f.totalQuery], [...at, 'events'], report)
    const bad = readQuery(events[f.errorQuery], [...at, 'events', f.errorQuery], report)
    const total = readQuery(events[f.totalQuery], [...at, 'events', f.totalQuery], report)
    return bad === undefined || total === undefined ? undefined : { type: 'ratio', bad, total }
  }
  const rawSli = raw.raw
  if (!isObject(rawSli)) {
    report([...at, 'raw'], 'must be a mapping with the error ratio query')
    return undefined
  }
  checkKeys(rawSli, [f.errorRatioQuery], [...at, 'raw'], report)
  const ratio = readQuery(rawSli[f.errorRatioQuery], [...at, 'raw', f.errorRatioQuery], report)
  if (ratio === undefined) return undefined
  // One "event" per step wherever the ratio has a value: windows then average the ratio over time.
  return { type: 'ratio', bad: ratio, total: `(${ratio}) * 0 + 1` }
}

function readQuery(raw: unknown, at: Path, report: Report): string | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') {
    report(at, 'missing: a PromQL query')
    return undefined
  }
  const query = raw.trim().replace(SLOTH_WINDOW, '{{window}}')
  const left = /\{\{[^}]*\}\}/.exec(query.replace(/\{\{window\}\}/g, ''))
  if (left !== null) {
    report(at, `template ${left[0]} is not supported: only {{.window}} is`, undefined, true)
    return undefined
  }
  if (!query.includes('{{window}}')) {
    report(at, 'the query has no {{.window}}', 'write the range of its range selectors as [{{.window}}]')
    return undefined
  }
  return query
}

function readAlerting(
  raw: unknown,
  at: Path,
  f: (typeof FIELDS)['plain' | 'k8s'],
  report: Report,
): SloAlerting | undefined {
  if (raw === undefined || raw === null) return undefined
  if (!isObject(raw)) {
    report(at, 'must be a mapping')
    return undefined
  }
  checkKeys(raw, ['name', 'labels', 'annotations', f.pageAlert, f.ticketAlert], at, report)
  if (
    raw.name !== undefined &&
    (typeof raw.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_:]*$/.test(raw.name))
  ) {
    report(
      [...at, 'name'],
      `must be a valid alert name (letters, digits, _ and :), got ${JSON.stringify(raw.name)}`,
    )
  }
  const tier = (key: string): AlertTierSettings | undefined => {
    const value = raw[key]
    if (value === undefined || value === null) return undefined
    if (!isObject(value)) {
      report([...at, key], 'must be a mapping')
      return undefined
    }
    checkKeys(value, ['disable', 'labels', 'annotations'], [...at, key], report)
    return {
      ...(value.disable === true ? { disabled: true } : {}),
      labels: readLabels(value.labels, [...at, key, 'labels'], report),
      annotations: readLabels(value.annotations, [...at, key, 'annotations'], report),
    }
  }
  return {
    ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
    labels: readLabels(raw.labels, [...at, 'labels'], report),
    annotations: readLabels(raw.annotations, [...at, 'annotations'], report),
    page: tier(f.pageAlert),
    ticket: tier(f.ticketAlert),
  }
}

/** A label or annotation map; numbers and booleans become strings, as YAML authors mean them. */
function readLabels(raw: unknown, at: Path, report: Report): Record<string, string> {
  if (raw === undefined || raw === null) return {}
  if (!isObject(raw)) {
    report(at, 'must be a mapping of names to values')
    return {}
  }
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      out[key] = String(value)
    else report([...at, key], 'must be a string')
  }
  return out
}

function checkKeys(value: Record<string, unknown>, known: readonly string[], at: Path, report: Report): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue
    const squash = (text: string) => text.toLowerCase().replace(/_/g, '')
    const near =
      known.find((k) => squash(k) === squash(key)) ??
      known.find((k) => editDistance(squash(k), squash(key)) <= 2)
    report(
      [...at, key],
      'unknown field',
      near === undefined ? `the fields here are ${known.join(', ')}` : `did you mean \`${near}\`?`,
    )
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Levenshtein distance, for "did you mean" on short field names. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      )
    }
    previous = current
  }
  return previous[b.length] as number
}
