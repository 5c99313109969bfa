import { readFile } from 'node:fs/promises'
import {
  describeZodIssue,
  Secret,
  type SliSpec,
  type SloSpec,
  sliSpecSchema,
  sloSpecSchema,
} from '@slokit/core'
import type { z } from 'zod'
import { type ConfigIssue, SlokitConfigError } from './config-error.js'
import { resolveEnvReferences } from './env-references.js'
import { identifyForeignDocument } from './foreign-formats.js'
import { closest, didYouMean, knownKeysAt } from './suggest.js'
import { parseYamlStream, positionOf, toPlain, type YamlDocument } from './yaml-document.js'

/** The `apiVersion` every slokit config document starts with. */
export const CONFIG_API_VERSION = 'slokit/v1'

/** The top-level sections of a config document. `slis` and `slos` are validated here; the others by the packages that own them. */
export const CONFIG_SECTIONS = [
  'slis',
  'slos',
  'policies',
  'alerts',
  'channels',
  'governance',
  'reporting',
  'sources',
] as const
/** One of {@link CONFIG_SECTIONS}. */
export type ConfigSection = (typeof CONFIG_SECTIONS)[number]
/** A section validated by another package, whose schema the host hands to the loader. */
export type ExternalSection = Exclude<ConfigSection, 'slis' | 'slos'>

/** A named piece of YAML text, for {@link parseConfig}. */
export interface ConfigText {
  /** Shown in every issue: a file path, or a label such as `<stdin>`. */
  readonly name: string
  readonly text: string
}

/** Options of {@link parseConfig} and {@link loadConfig}. */
export interface ConfigOptions {
  /**
   * Zod schemas of the sections other packages own (`@slokit/budget` exports the one for
   * `policies`, and so on). A section present in the document without a schema here is reported
   * as a warning ("not validated") and kept as plain data; it is never silently accepted.
   */
  readonly sections?: Partial<Record<ExternalSection, z.ZodType>>
  /** Where `${env:NAME}` references are looked up; `process.env` by default. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /**
   * What an unset `${env:NAME}` is: an `error` (the default: a process that will use its
   * secrets must have them), or a `warn`ing, for tools that only check or read a config — the
   * secret is then an unset `Secret`, which throws if anything tries to reveal it.
   */
  readonly unsetSecrets?: 'error' | 'warn'
  /**
   * Checks across sections, run once every section is valid: a route naming a channel that is not
   * defined, say. Each finding is reported at its path (`['alerts', 'routes', 0, 'channels', 1]`)
   * with file, line and column, like any other problem.
   */
  readonly checks?: readonly ConfigCheck[]
}

/** What a {@link ConfigCheck} sees: the SLOs and the validated sections. */
export interface ConfigCheckInput {
  readonly slos: readonly SloSpec[]
  readonly sections: Readonly<Partial<Record<ExternalSection, unknown>>>
}

/** A problem a {@link ConfigCheck} found, at a path that starts with a section name. */
export interface ConfigCheckFinding {
  readonly path: readonly [ExternalSection, ...Array<string | number>]
  readonly message: string
  readonly hint?: string | undefined
  /** `error` by default. */
  readonly severity?: 'error' | 'warning' | undefined
}

/** A check across sections; see {@link ConfigOptions.checks}. */
export type ConfigCheck = (config: ConfigCheckInput) => readonly ConfigCheckFinding[]

/** Where an SLO or SLI was defined. */
export interface ConfigOrigin {
  readonly file: string
  readonly line: number
  readonly column: number
}

/** A validated, cross-referenced configuration. */
export interface SlokitConfig {
  /** Every SLI: those listed under `slis` and those inlined in SLOs, validated. */
  readonly slis: readonly SliSpec[]
  /** Every SLO, validated, with its SLI resolved. */
  readonly slos: readonly SloSpec[]
  /** The validated value of each external section that had a schema. */
  readonly sections: Readonly<Partial<Record<ExternalSection, unknown>>>
  /** External sections present but not validated (no schema was given), as plain data. */
  readonly unvalidated: Readonly<Partial<Record<ExternalSection, unknown>>>
  /** Warnings: sections not validated, YAML warnings. */
  readonly warnings: readonly ConfigIssue[]
  /** Where an SLO (or an SLI, with `kind: 'sli'`) was defined. */
  originOf(id: string, kind?: 'slo' | 'sli'): ConfigOrigin | undefined
}

/** Where each part of a merged section came from: a document and the path inside it. */
type Locator = (path: ReadonlyArray<string | number>) => {
  document: YamlDocument
  path: Array<string | number>
}

interface MergedSection {
  value: unknown
  locate: Locator
}

/**
 * Validates configuration text: one or more YAML streams, each with one or more documents that
 * start with `apiVersion: slokit/v1`. Lists (`slis`, `slos`) are concatenated across documents;
 * mappings (`channels`, `sources`, …) are merged key by key. Throws a {@link SlokitConfigError}
 * with **every** problem found — syntax, schema, references, secrets — each with file, line,
 * column, path and, for a misspelt key or value, the one probably meant.
 *
 * @example
 * ```ts
 * const config = parseConfig([{ name: 'slo.yaml', text }], { sections: { policies: policiesSectionSchema } })
 * config.slos.map((slo) => slo.id)
 * ```
 */
export function parseConfig(sources: readonly ConfigText[], options: ConfigOptions = {}): SlokitConfig {
  const issues: ConfigIssue[] = []
  const env = options.env ?? process.env
  const report = (
    document: YamlDocument,
    path: ReadonlyArray<string | number>,
    message: string,
    extra: { hint?: string | undefined; atKey?: boolean; severity?: 'error' | 'warning' } = {},
  ): void => {
    issues.push({
      severity: extra.severity ?? 'error',
      file: document.file,
      ...positionOf(document, path, extra.atKey ?? false),
      path: [...path],
      message,
      ...(extra.hint === undefined ? {} : { hint: extra.hint }),
    })
  }

  // 1. Parse, identify and resolve each document.
  const documents: Array<{ document: YamlDocument; value: Record<string, unknown> }> = []
  for (const source of sources) {
    const parsed = parseYamlStream(source.name, source.text)
    issues.push(...parsed.issues)
    for (const document of parsed.documents) {
      const plain = toPlain(document)
      if ('issue' in plain) {
        issues.push(plain.issue)
        continue
      }
      const value = plain.value
      if (value === null || value === undefined) continue // an empty document, e.g. after a trailing `---`
      if (typeof value !== 'object' || Array.isArray(value)) {
        report(
          document,
          [],
          `a slokit config document is a mapping starting with \`apiVersion: ${CONFIG_API_VERSION}\`, got ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`,
        )
        continue
      }
      const record = value as Record<string, unknown>
      if (record.apiVersion !== CONFIG_API_VERSION) {
        const foreign = identifyForeignDocument(record)
        if (foreign !== undefined)
          report(document, [], `not a slokit document: ${foreign.what}`, { hint: foreign.hint })
        else if (record.apiVersion === undefined) {
          report(document, [], `not a slokit document: missing \`apiVersion: ${CONFIG_API_VERSION}\``, {
            hint: `start each document with \`apiVersion: ${CONFIG_API_VERSION}\``,
          })
        } else {
          report(
            document,
            ['apiVersion'],
            `unsupported apiVersion ${show(record.apiVersion)}: expected ${CONFIG_API_VERSION}`,
          )
        }
        continue
      }
      for (const key of Object.keys(record)) {
        if (key === 'apiVersion' || (CONFIG_SECTIONS as readonly string[]).includes(key)) continue
        report(document, [key], 'unknown top-level key', {
          atKey: true,
          hint:
            didYouMean(key, [...CONFIG_SECTIONS, 'apiVersion']) ??
            `the sections are ${CONFIG_SECTIONS.join(', ')}`,
        })
      }
      const resolved = resolveEnvReferences(record, env, options.unsetSecrets)
      for (const problem of resolved.problems) {
        report(document, problem.path, problem.message, { hint: problem.hint, severity: problem.severity })
      }
      documents.push({ document, value: resolved.value as Record<string, unknown> })
    }
  }

  // 2. Merge each section across documents, remembering where every part came from.
  const merged = new Map<ConfigSection, MergedSection>()
  for (const section of CONFIG_SECTIONS) {
    const parts = documents.filter((d) => d.value[section] !== undefined && d.value[section] !== null)
    const section_ = mergeSection(section, parts, report)
    if (section_ !== undefined) merged.set(section, section_)
  }

  // 3. Validate.
  const slis = validateSlis(merged.get('slis'), report)
  const slos = validateSlos(merged.get('slos'), slis, report)
  const sections: Partial<Record<ExternalSection, unknown>> = {}
  const unvalidated: Partial<Record<ExternalSection, unknown>> = {}
  for (const name of CONFIG_SECTIONS) {
    if (name === 'slis' || name === 'slos') continue
    const section = merged.get(name)
    if (section === undefined) continue
    const schema = options.sections?.[name]
    if (schema === undefined) {
      unvalidated[name] = section.value
      const { document, path } = section.locate([])
      report(document, path, 'section not validated: no schema was given for it', {
        atKey: true,
        severity: 'warning',
        hint: `pass the schema of the package that owns \`${name}\` to the loader`,
      })
      continue
    }
    const result = schema.safeParse(section.value, { reportInput: true })
    if (result.success) sections[name] = result.data
    else reportZodIssues(result.error.issues, schema, section, [], report)
  }

  // 4. Cross-section checks, once everything they read is valid.
  if (!issues.some((i) => i.severity === 'error')) {
    for (const check of options.checks ?? []) {
      for (const finding of check({ slos: slos.specs, sections })) {
        const [name, ...rest] = finding.path
        const section = merged.get(name)
        if (section === undefined) continue
        const { document, path } = section.locate(rest)
        report(document, path, finding.message, { hint: finding.hint, severity: finding.severity ?? 'error' })
      }
    }
  }

  issues.sort(byPosition)
  const warnings = issues.filter((i) => i.severity === 'warning')
  if (issues.some((i) => i.severity === 'error')) throw new SlokitConfigError(issues)

  const origins = new Map<string, ConfigOrigin>()
  for (const [kind, list] of [
    ['sli', slis.origins],
    ['slo', slos.origins],
  ] as const) {
    for (const [id, origin] of list) origins.set(`${kind}:${id}`, origin)
  }
  return {
    slis: [...slis.specs.values()],
    slos: slos.specs,
    sections,
    unvalidated,
    warnings,
    originOf: (id, kind = 'slo') => origins.get(`${kind}:${id}`),
  }
}

/**
 * Reads and validates configuration files (see {@link parseConfig}). An unreadable file is
 * reported like any other problem, together with the problems of the files that could be read.
 */
export async function loadConfig(
  paths: string | readonly string[],
  options: ConfigOptions = {},
): Promise<SlokitConfig> {
  const list = typeof paths === 'string' ? [paths] : paths
  const unreadable: ConfigIssue[] = []
  const texts: ConfigText[] = []
  for (const path of list) {
    try {
      texts.push({ name: path, text: await readFile(path, 'utf8') })
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      const reason =
        code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable')
      unreadable.push({
        severity: 'error',
        file: path,
        line: 0,
        column: 0,
        path: [],
        message: `cannot read the file: ${reason}`,
      })
    }
  }
  try {
    const config = parseConfig(texts, options)
    if (unreadable.length > 0) throw new SlokitConfigError(unreadable)
    return config
  } catch (error) {
    if (unreadable.length > 0 && error instanceof SlokitConfigError)
      throw new SlokitConfigError([...unreadable, ...error.issues])
    throw error
  }
}

type Report = (
  document: YamlDocument,
  path: ReadonlyArray<string | number>,
  message: string,
  extra?: { hint?: string | undefined; atKey?: boolean; severity?: 'error' | 'warning' },
) => void

function mergeSection(
  section: ConfigSection,
  parts: Array<{ document: YamlDocument; value: Record<string, unknown> }>,
  report: Report,
): MergedSection | undefined {
  if (parts.length === 0) return undefined
  const values = parts.map((p) => p.value[section])
  if (section === 'slis' || section === 'slos') {
    const origins: Array<{ document: YamlDocument; index: number }> = []
    const items: unknown[] = []
    parts.forEach((part, i) => {
      const value = values[i]
      if (!Array.isArray(value)) {
        report(
          part.document,
          [section],
          `must be a list of ${section === 'slis' ? 'SLIs' : 'SLOs'}, got ${describeType(value)}`,
        )
        return
      }
      value.forEach((item, index) => {
        items.push(item)
        origins.push({ document: part.document, index })
      })
    })
    return {
      value: items,
      locate: (path) => {
        const [index, ...rest] = path
        const origin = typeof index === 'number' ? origins[index] : undefined
        if (origin === undefined)
          return { document: (parts[0] as (typeof parts)[number]).document, path: [section] }
        return { document: origin.document, path: [section, origin.index, ...rest] }
      },
    }
  }
  const first = parts[0] as (typeof parts)[number]
  if (parts.length === 1)
    return { value: values[0], locate: (path) => ({ document: first.document, path: [section, ...path] }) }
  if (values.every(Array.isArray)) {
    const origins = parts.flatMap((part, i) =>
      (values[i] as unknown[]).map((_, index) => ({ document: part.document, index })),
    )
    return {
      value: values.flat(),
      locate: (path) => {
        const [index, ...rest] = path
        const origin = typeof index === 'number' ? origins[index] : undefined
        return origin === undefined
          ? { document: first.document, path: [section] }
          : { document: origin.document, path: [section, origin.index, ...rest] }
      },
    }
  }
  if (values.every(isPlainObject)) {
    const owner = new Map<string, YamlDocument>()
    const value: Record<string, unknown> = {}
    parts.forEach((part, i) => {
      for (const [key, item] of Object.entries(values[i] as Record<string, unknown>)) {
        const earlier = owner.get(key)
        if (earlier !== undefined) {
          const at = positionOf(earlier, [section, key], true)
          report(part.document, [section, key], `\`${key}\` is defined twice in \`${section}\``, {
            atKey: true,
            hint: `first defined at ${earlier.file}:${at.line}:${at.column}`,
          })
          continue
        }
        owner.set(key, part.document)
        value[key] = item
      }
    })
    return {
      value,
      locate: (path) => {
        const [key, ...rest] = path
        const document = typeof key === 'string' ? owner.get(key) : undefined
        return document === undefined
          ? { document: first.document, path: [section] }
          : { document, path: [section, key as string, ...rest] }
      },
    }
  }
  for (const part of parts.slice(1)) {
    report(
      part.document,
      [section],
      `section \`${section}\` is defined in more than one document and cannot be merged`,
      { atKey: true },
    )
  }
  return { value: values[0], locate: (path) => ({ document: first.document, path: [section, ...path] }) }
}

function reportZodIssues(
  zodIssues: readonly z.core.$ZodIssue[],
  schema: z.core.$ZodType,
  section: MergedSection,
  prefix: ReadonlyArray<string | number>,
  report: Report,
): void {
  // A misspelt key usually also leaves a required key missing: report the typo once, with the
  // key it was meant to be, and not the "required" that follows from it.
  const meant = new Set<string>()
  const suggestions = new Map<z.core.$ZodIssue, Map<string, string | undefined>>()
  for (const issue of zodIssues) {
    if (issue.code !== 'unrecognized_keys') continue
    const relative = issue.path.filter((p): p is string | number => typeof p !== 'symbol')
    const known = knownKeysAt(schema, relative)
    const byKey = new Map<string, string | undefined>()
    for (const key of issue.keys) {
      const match = closest(key, known)
      byKey.set(key, match)
      if (match !== undefined) meant.add(JSON.stringify([...relative, match]))
    }
    suggestions.set(issue, byKey)
  }
  for (const issue of zodIssues) {
    const relative = issue.path.filter((p): p is string | number => typeof p !== 'symbol')
    const input = (issue as { input?: unknown }).input
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, relative)
      for (const [key, match] of suggestions.get(issue) ?? []) {
        const { document, path } = section.locate([...prefix, ...relative, key])
        report(document, path, 'unknown key', {
          atKey: true,
          hint: match === undefined ? listKeys(known) : `did you mean \`${match}\`?`,
        })
      }
      continue
    }
    if (input === undefined && meant.has(JSON.stringify(relative))) continue
    const { document, path } = section.locate([...prefix, ...relative])
    if (input instanceof Secret) {
      report(
        document,
        path,
        `a secret (\${env:${input.name}}) is not allowed here: this field is not a secret`,
      )
      continue
    }
    const described = describeZodIssue(issue)
    let hint = described.hint
    if (issue.code === 'invalid_value' && typeof input === 'string') {
      hint ??= didYouMean(
        input,
        issue.values.filter((v): v is string => typeof v === 'string'),
      )
    }
    report(document, path, described.message, { hint })
  }
}

function listKeys(keys: readonly string[]): string | undefined {
  return keys.length === 0 ? undefined : `known keys: ${keys.join(', ')}`
}

interface ValidatedSlis {
  specs: Map<string, SliSpec>
  /** Ids seen, valid or not, so an SLO referencing an invalid SLI is not told it does not exist. */
  ids: Set<string>
  /** The measurement type each id declares, valid or not. */
  types: Map<string, 'ratio' | 'threshold' | undefined>
  origins: Map<string, ConfigOrigin>
}

function validateSlis(section: MergedSection | undefined, report: Report): ValidatedSlis {
  const result: ValidatedSlis = { specs: new Map(), ids: new Set(), types: new Map(), origins: new Map() }
  if (section === undefined) return result
  const items = section.value as unknown[]
  items.forEach((item, index) => {
    const id = isPlainObject(item) && typeof item.id === 'string' ? item.id : undefined
    if (id !== undefined) {
      const first = result.origins.get(id)
      if (first !== undefined) {
        const { document, path } = section.locate([index, 'id'])
        report(document, path, `duplicate SLI id \`${id}\``, {
          hint: `first defined at ${first.file}:${first.line}:${first.column}`,
        })
        return
      }
      result.ids.add(id)
      result.types.set(id, measurementTypeOf(item))
      const { document, path } = section.locate([index])
      result.origins.set(id, { file: document.file, ...positionOf(document, path) })
    }
    const parsed = sliSpecSchema.safeParse(item, { reportInput: true })
    if (parsed.success) result.specs.set(parsed.data.id, parsed.data)
    else reportZodIssues(parsed.error.issues, sliSpecSchema, section, [index], report)
  })
  return result
}

// Stand in for an SLI that is missing or invalid, so the rest of an SLO is still checked; the
// measurement type matters to cross-field rules (a slice objective applies to ratio SLIs only).
const PLACEHOLDER_SLIS = {
  ratio: { id: 'placeholder', kind: 'availability', measurement: { type: 'ratio' } },
  threshold: {
    id: 'placeholder',
    kind: 'latency',
    measurement: { type: 'threshold', comparison: '<=', threshold: 0 },
  },
} as const

function measurementTypeOf(sli: unknown): 'ratio' | 'threshold' | undefined {
  const type = isPlainObject(sli) && isPlainObject(sli.measurement) ? sli.measurement.type : undefined
  return type === 'ratio' || type === 'threshold' ? type : undefined
}

function validateSlos(
  section: MergedSection | undefined,
  slis: ValidatedSlis,
  report: Report,
): { specs: SloSpec[]; origins: Map<string, ConfigOrigin> } {
  const specs: SloSpec[] = []
  const origins = new Map<string, ConfigOrigin>()
  if (section === undefined) return { specs, origins }
  const items = section.value as unknown[]
  items.forEach((item, index) => {
    if (!isPlainObject(item)) {
      const { document, path } = section.locate([index])
      report(document, path, `an SLO is a mapping, got ${describeType(item)}`)
      return
    }
    const id = typeof item.id === 'string' ? item.id : undefined
    let duplicate = false
    if (id !== undefined) {
      const first = origins.get(id)
      if (first !== undefined) {
        duplicate = true
        const { document, path } = section.locate([index, 'id'])
        report(document, path, `duplicate SLO id \`${id}\``, {
          hint: `first defined at ${first.file}:${first.line}:${first.column}`,
        })
      } else {
        const { document, path } = section.locate([index])
        origins.set(id, { file: document.file, ...positionOf(document, path) })
      }
    }
    let input: Record<string, unknown> = item
    let skipSliIssues = false
    // Unknown measurement type: rules that depend on it cannot be judged, so they are not reported.
    let typeUnknown = false
    const placeholderFor = (type: 'ratio' | 'threshold' | undefined) => {
      typeUnknown = type === undefined
      return PLACEHOLDER_SLIS[type ?? 'ratio']
    }
    const sli = item.sli
    if (typeof sli === 'string') {
      const resolved = slis.specs.get(sli)
      if (resolved !== undefined) input = { ...item, sli: resolved }
      else {
        if (!slis.ids.has(sli)) {
          const { document, path } = section.locate([index, 'sli'])
          report(document, path, `unknown SLI \`${sli}\``, {
            hint:
              didYouMean(sli, slis.ids) ??
              (slis.ids.size === 0 ? 'no SLIs are defined under `slis`' : undefined),
          })
        }
        input = { ...item, sli: placeholderFor(slis.types.get(sli)) }
        skipSliIssues = true
      }
    } else if (isPlainObject(sli) && typeof sli.id === 'string' && slis.ids.has(sli.id)) {
      const { document, path } = section.locate([index, 'sli', 'id'])
      report(document, path, `inline SLI id \`${sli.id}\` is already defined under \`slis\``, {
        hint: `reference it with \`sli: ${sli.id}\`, or give the inline SLI another id`,
      })
      skipSliIssues = true
      input = { ...item, sli: placeholderFor(measurementTypeOf(sli)) }
    }
    const parsed = sloSpecSchema.safeParse(input, { reportInput: true })
    if (parsed.success) {
      if (duplicate) return
      specs.push(parsed.data)
      if (isPlainObject(sli) && !slis.specs.has(parsed.data.sli.id))
        slis.specs.set(parsed.data.sli.id, parsed.data.sli)
      return
    }
    const relevant = parsed.error.issues.filter(
      (i) =>
        !(skipSliIssues && i.path[0] === 'sli') &&
        !(typeUnknown && i.path[0] === 'timeslice' && i.path[1] === 'objective'),
    )
    reportZodIssues(relevant, sloSpecSchema, section, [index], report)
  })
  return { specs, origins }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Secret) &&
    !(value instanceof Date)
  )
}

function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'a list'
  if (value instanceof Secret) return 'a secret'
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`
}

function show(value: unknown): string {
  return typeof value === 'string' && value.length <= 40 ? JSON.stringify(value) : describeType(value)
}

function byPosition(a: ConfigIssue, b: ConfigIssue): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column
}
