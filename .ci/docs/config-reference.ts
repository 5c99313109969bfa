// Generates docs/configuration-reference.md from the zod schemas the `slokit` CLI hands the config
// loader, so the reference cannot drift from what the loader accepts.
//
//   node --conditions=@slokit/source --import tsx .ci/docs/config-reference.ts --write
//   node --conditions=@slokit/source --import tsx .ci/docs/config-reference.ts --check
//
// `.ci/docs.test.ts` fails when the committed page differs from what this script renders.
import { readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SECTION_SCHEMAS } from '../../packages/cli/src/sections.js'
import { CONFIG_API_VERSION, CONFIG_SECTIONS } from '../../packages/config/src/index.js'
import { Secret, secretSchema, sliSpecSchema, sloSpecSchema } from '../../packages/core/src/index.js'
import { CONFIG_NOTES } from './config-notes.js'

/** Where the generated page lives, relative to the repository root. */
export const REFERENCE_FILE = 'docs/configuration-reference.md'

/** The command that rewrites the page; failure messages quote it. */
export const REGENERATE_COMMAND =
  'node --conditions=@slokit/source --import tsx .ci/docs/config-reference.ts --write'

/** A schema as `toJSONSchema` writes it (the subset this generator reads). */
interface JsonSchema {
  type?: string | string[]
  const?: unknown
  enum?: unknown[]
  default?: unknown
  description?: string
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  propertyNames?: JsonSchema
  items?: JsonSchema
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  pattern?: string
  format?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  minItems?: number
  maxItems?: number
  $ref?: string
  'x-slokit-secret'?: boolean
}

/** One row of the reference: one key of the config, as the loader validates it. */
export interface ReferenceRow {
  /** `slos[].window.calendar`: `[]` is a list item, `<name>` a key the user chooses. */
  readonly path: string
  readonly type: string
  readonly required: boolean
  readonly defaultValue?: string
  readonly allowed?: string
  readonly description?: string
  /** The variant of a union the key belongs to, as Markdown: ``when `type: ratio` ``. */
  readonly when?: string
}

/** A zod schema, as far as this script needs one: something with zod 4's `toJSONSchema` method. */
interface ZodLike {
  toJSONSchema(params?: Record<string, unknown>): unknown
  readonly _zod: { readonly def: Record<string, unknown> }
}

/**
 * Keys whose value may be an id instead of a mapping, and whose mapping form is documented at
 * another path: the loader accepts `sli: checkout-requests` or an inline SLI.
 */
export const INLINED: Readonly<Record<string, { readonly as: string; readonly note: string }>> = {
  'slos[].sli': {
    as: 'slis[]',
    note: 'the id of an SLI under `slis`, or an inline SLI with the keys of [`slis[]`](#slis)',
  },
}

const SECTION_INTROS: Readonly<Record<string, string>> = {
  slis: 'What is measured and how. A list of SLIs, each referenced by id from `slos`. Validated by `@slokit/core` (`sliSpecSchema`).',
  slos: 'Objectives on SLIs. A list; `sli` names an SLI under `slis` or inlines one. Validated by `@slokit/core` (`sloSpecSchema`).',
  sources:
    'Named data sources SLIs read from (`source:` on an SLI). A map from source name to its settings; `type` picks the adapter: `prometheus` (`@slokit/prometheus`) or `file` (`@slokit/file-source`).',
  policies:
    'Error-budget policies: tiers of ordered steps, the deployment gate and budget corrections. Owned by `@slokit/budget` (`policiesSectionSchema`).',
  alerts:
    'Alert rules (burn rate, budget, compliance, trend, no data), routes to channels, and delivery settings. Owned by `@slokit/alerting` (`alertsSectionSchema`).',
  channels:
    'Where notifications go. A map from channel name to its settings; `type` picks the notifier. Owned by `@slokit/alerting` (`channelsSectionSchema`) with the channel types of `@slokit/alerting`, `@slokit/slack` and `@slokit/pagerduty`.',
  governance:
    'Actors, review cadence, approval rules and documentation requirements. Owned by `@slokit/governance` (`governanceSectionSchema`).',
  reporting:
    'Scheduled compliance reports. A map from job name to its schedule and output. Owned by `@slokit/reporter` (`reportingSectionSchema`).',
}

/**
 * The schema of every top-level section, in the loader's order: `slis` and `slos` from core, the
 * rest exactly as the CLI hands them to the loader (`SECTION_SCHEMAS`).
 */
export function sectionSchemas(): ReadonlyArray<readonly [string, ZodLike]> {
  const schemas = SECTION_SCHEMAS as Record<string, ZodLike>
  return CONFIG_SECTIONS.map((section) => {
    if (section === 'slis') return [section, sliSpecSchema as unknown as ZodLike] as const
    if (section === 'slos') return [section, sloSpecSchema as unknown as ZodLike] as const
    const schema = schemas[section]
    if (schema === undefined) throw new Error(`the CLI hands the loader no schema for section \`${section}\``)
    return [section, schema] as const
  })
}

/**
 * The channel types the CLI registers. `channelsSectionSchema` dispatches on `type` inside a
 * transform that JSON Schema cannot show, so the channel types are listed here and the test checks
 * this list against the CLI's own error message for an unknown type.
 */
export async function channelTypeSchemas(): Promise<ReadonlyArray<readonly [string, ZodLike]>> {
  const { consoleChannelType, webhookChannelType } = await import('../../packages/alerting/src/index.js')
  const { slackChannelType } = await import('../../packages/slack/src/index.js')
  const { pagerdutyChannelType } = await import('../../packages/pagerduty/src/index.js')
  return [
    ['console', consoleChannelType.schema as unknown as ZodLike],
    ['webhook', webhookChannelType.schema as unknown as ZodLike],
    ['slack', slackChannelType().schema as unknown as ZodLike],
    ['pagerduty', pagerdutyChannelType().schema as unknown as ZodLike],
  ]
}

/** A union with a `z.instanceof(Secret)` option: a field where `${env:NAME}` may be written. */
function acceptsSecret(schema: ZodLike): boolean {
  const def = schema._zod.def
  if (def.type !== 'union') return false
  return (def.options as ZodLike[]).some(
    (option) => (option._zod as { bag?: { Class?: unknown } }).bag?.Class === Secret,
  )
}

function toJson(schema: ZodLike): JsonSchema {
  return schema.toJSONSchema({
    io: 'input',
    unrepresentable: 'any',
    override: (ctx: { zodSchema: ZodLike; jsonSchema: Record<string, unknown> }) => {
      // Date-time and similar formats come with a pattern too long to read: show the format.
      const format = ctx.zodSchema._zod.def.format
      if (typeof format === 'string' && typeof ctx.jsonSchema.pattern === 'string') {
        if (ctx.jsonSchema.pattern.length > 60) {
          delete ctx.jsonSchema.pattern
          ctx.jsonSchema.format = format
        }
      }
      if (ctx.zodSchema !== (secretSchema as unknown) && !acceptsSecret(ctx.zodSchema)) return
      for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key]
      ctx.jsonSchema.type = 'string'
      ctx.jsonSchema['x-slokit-secret'] = true
    },
  }) as JsonSchema
}

const code = (text: string) => `\`${text}\``
const show = (value: unknown) => code(JSON.stringify(value))

function variantsOf(schema: JsonSchema): JsonSchema[] | undefined {
  return schema.oneOf ?? schema.anyOf
}

/** The `type` discriminator of an object variant, when it has one. */
function discriminator(schema: JsonSchema): string | undefined {
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (property.const !== undefined && schema.required?.includes(key))
      return `when ${code(`${key}: ${String(property.const)}`)}`
  }
  return undefined
}

/** How an object variant without a discriminator is told apart: by the keys it requires. */
function mappingTag(schema: JsonSchema): string {
  const required = schema.required ?? []
  return required.length === 0
    ? 'in the mapping form'
    : `in the mapping form with ${required.map(code).join(', ')}`
}

function isMap(schema: JsonSchema): boolean {
  return (
    schema.properties === undefined &&
    (typeof schema.additionalProperties === 'object' || schema.propertyNames !== undefined)
  )
}

function typeOf(schema: JsonSchema): string {
  if (schema.$ref !== undefined) throw new Error(`unexpected $ref ${schema.$ref}: teach the generator`)
  if (schema['x-slokit-secret'] === true) return 'string (secret)'
  if (schema.const !== undefined) return show(schema.const)
  const variants = variantsOf(schema)
  if (variants !== undefined) {
    const names = [...new Set(variants.map(typeOf))]
    return names.join(' or ')
  }
  if (schema.allOf !== undefined) return schema.allOf.map(typeOf).join(' and ')
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type]
  if (types.includes('array')) return `list of ${schema.items === undefined ? 'any' : typeOf(schema.items)}`
  if (types.includes('object')) {
    if (isMap(schema)) {
      const value = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : {}
      return `map of ${typeOf(value)}`
    }
    return 'mapping'
  }
  if (types.length === 0) return 'any'
  return types.map((t) => (t === 'integer' ? 'integer' : t)).join(' or ')
}

function allowedOf(schema: JsonSchema): string | undefined {
  const parts: string[] = []
  if (schema.enum !== undefined) parts.push(schema.enum.map(show).join(', '))
  if (schema.pattern !== undefined) parts.push(`matches ${code(schema.pattern)}`)
  if (schema.format !== undefined) parts.push(`format ${schema.format}`)
  if (schema.minLength !== undefined && schema.minLength > 0)
    parts.push(schema.minLength === 1 ? 'non-empty' : `at least ${schema.minLength} characters`)
  if (schema.maxLength !== undefined) parts.push(`at most ${schema.maxLength} characters`)
  if (schema.minimum !== undefined && schema.minimum > Number.MIN_SAFE_INTEGER)
    parts.push(`≥ ${schema.minimum}`)
  if (schema.exclusiveMinimum !== undefined) parts.push(`> ${schema.exclusiveMinimum}`)
  if (schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER)
    parts.push(`≤ ${schema.maximum}`)
  if (schema.exclusiveMaximum !== undefined) parts.push(`< ${schema.exclusiveMaximum}`)
  if (schema.minItems !== undefined && schema.minItems > 0) parts.push(`at least ${schema.minItems} item(s)`)
  if (schema.maxItems !== undefined) parts.push(`at most ${schema.maxItems} item(s)`)
  if (schema.propertyNames?.enum !== undefined)
    parts.push(`keys: ${schema.propertyNames.enum.map(show).join(', ')}`)
  else if (schema.propertyNames?.pattern !== undefined)
    parts.push(`keys match ${code(schema.propertyNames.pattern)}`)
  if (schema['x-slokit-secret'] === true) parts.push('may be `${env:NAME}`; redacted everywhere')
  const variants = variantsOf(schema)
  if (variants !== undefined) {
    for (const variant of variants) {
      if (variant.type === 'object' || variant.const !== undefined) continue
      const inner = allowedOf(variant)
      if (inner !== undefined) parts.push(inner)
    }
  }
  return parts.length === 0 ? undefined : parts.join('; ')
}

/** Every key under `schema`, depth first, in declaration order. */
export function rowsOf(
  path: string,
  schema: JsonSchema,
  required: boolean,
  when?: string,
  out: ReferenceRow[] = [],
): ReferenceRow[] {
  const inlined = INLINED[path]
  const allowed = allowedOf(schema)
  const description = inlined?.note ?? schema.description ?? CONFIG_NOTES[path]
  out.push({
    path,
    type: inlined === undefined ? typeOf(schema) : 'string or mapping',
    required,
    ...(schema.default === undefined ? {} : { defaultValue: show(schema.default) }),
    ...(allowed === undefined ? {} : { allowed }),
    ...(description === undefined ? {} : { description }),
    ...(when === undefined ? {} : { when }),
  })
  if (inlined === undefined) childRows(path, schema, out)
  return out
}

/**
 * Sibling keys that all take the same value (a record keyed by priority, say) collapse into one
 * path: `governance.reviews.cadence.{critical,high,medium,low}`.
 */
function collapsedKeys(schema: JsonSchema): string | undefined {
  const entries = Object.entries(schema.properties ?? {})
  if (entries.length < 3) return undefined
  const first = JSON.stringify(entries[0]![1])
  if (!entries.every(([, property]) => JSON.stringify(property) === first)) return undefined
  const required = new Set(schema.required ?? [])
  if (required.size !== 0 && required.size !== entries.length) return undefined
  return `{${entries.map(([key]) => key).join(',')}}`
}

function childRows(path: string, schema: JsonSchema, out: ReferenceRow[], when?: string): void {
  const variants = variantsOf(schema)
  if (variants !== undefined) {
    for (const variant of variants) {
      const tag = discriminator(variant)
      if (variant.properties !== undefined) {
        const tagKey = tag === undefined ? undefined : /`([^:`]+):/.exec(tag)?.[1]
        const entries = Object.entries(variant.properties).sort(
          ([a], [b]) => Number(b === tagKey) - Number(a === tagKey),
        )
        for (const [key, property] of entries) {
          rowsOf(
            `${path}.${key}`,
            property,
            variant.required?.includes(key) ?? false,
            tag ?? mappingTag(variant),
            out,
          )
        }
      } else childRows(path, variant, out, variant.type === 'array' ? 'in the list form' : undefined)
    }
    return
  }
  for (const part of schema.allOf ?? []) childRows(path, part, out, when)
  if (schema.items !== undefined) childRows(`${path}[]`, schema.items, out, when)
  const collapsed = collapsedKeys(schema)
  if (collapsed !== undefined) {
    const [key, property] = Object.entries(schema.properties ?? {})[0]!
    rowsOf(`${path}.${collapsed}`, property, schema.required?.includes(key) ?? false, when, out)
    return
  }
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    rowsOf(`${path}.${key}`, property, schema.required?.includes(key) ?? false, when, out)
  }
  if (isMap(schema) && typeof schema.additionalProperties === 'object')
    childRows(`${path}.<name>`, schema.additionalProperties, out)
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}

function renderTable(rows: readonly ReferenceRow[]): string[] {
  const lines = [
    '| key | type | required | default | allowed values | notes |',
    '| --- | --- | --- | --- | --- | --- |',
  ]
  for (const row of rows) {
    const notes = [row.when, row.description].filter((part) => part !== undefined).join('; ')
    lines.push(
      `| ${[
        code(row.path),
        row.type,
        row.required ? 'yes' : 'no',
        row.defaultValue ?? '',
        row.allowed ?? '',
        notes,
      ]
        .map(escapeCell)
        .join(' | ')} |`,
    )
  }
  return lines
}

function sectionRows(name: string, schema: ZodLike): ReferenceRow[] {
  const json = toJson(schema)
  // `slis` and `slos` are lists whose items core validates one by one.
  const isList = name === 'slis' || name === 'slos'
  return rowsOf(name, isList ? { type: 'array', items: json } : json, false)
}

/** The whole page, as committed in {@link REFERENCE_FILE}. */
export async function renderConfigReference(): Promise<string> {
  const sections = sectionSchemas()
  const channelTypes = await channelTypeSchemas()
  const lines: string[] = [
    '# Configuration reference',
    '',
    '<!-- Generated by .ci/docs/config-reference.ts from the zod schemas. Do not edit by hand: run',
    `     ${REGENERATE_COMMAND} -->`,
    '',
    'Every key a slokit config document accepts, generated from the zod schemas the `slokit` CLI hands',
    'the config loader, so it cannot drift from what `slokit validate` checks. For how the document is',
    'loaded (several files, multi-document streams, `${env:NAME}` secrets, error locations), see',
    '[config.md](config.md); for what the numbers mean, [concepts.md](concepts.md).',
    '',
    'How to read the tables:',
    '',
    '- **key**: the path from the top of the document. `[]` is an item of a list, `<name>` a key you',
    '  choose (a source, channel or job name). `slos[].window.calendar` is `calendar:` inside the',
    '  `window:` of any SLO.',
    '- `{a,b,c}` in a key stands for each of `a`, `b` and `c`, which all take the same value.',
    '- **required**: whether the key must be present when its parent is. A key noted "when `type: x`",',
    '  "in the list form" or "in the mapping form" belongs to that form of its parent only.',
    '- **default**: the value used when the key is left out.',
    '- Durations are strings such as `5m`, `1h`, `30d`; objectives are a ratio (`0.999`) or a percent',
    '  string (`"99.9%"`). Unknown keys are errors ("did you mean …?").',
    '',
    '## Sections',
    '',
    '| section | what it holds |',
    '| --- | --- |',
    `| [\`apiVersion\`](#apiversion) | always \`${CONFIG_API_VERSION}\` |`,
    ...sections.map(([name]) => `| [\`${name}\`](#${name}) | ${SECTION_INTROS[name] ?? ''} |`),
    '',
    '## apiVersion',
    '',
    `Required at the top of every document: \`apiVersion: ${CONFIG_API_VERSION}\`. Several documents`,
    '(files, or `---`-separated documents in one file) are merged: lists are concatenated, maps merged.',
    '',
  ]
  for (const [name, schema] of sections) {
    lines.push(`## ${name}`, '', SECTION_INTROS[name] ?? '', '')
    lines.push(...renderTable(sectionRows(name, schema)), '')
    if (name === 'channels') {
      lines.push(
        'Each channel is a mapping whose `type` picks one of the channel types below. The keys of each type:',
        '',
      )
      for (const [type, channelSchema] of channelTypes) {
        lines.push(`### Channel type: ${type}`, '')
        lines.push(...renderTable(rowsOf('channels.<name>', toJson(channelSchema), true).slice(1)), '')
      }
    }
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`
}

/** Every key path the reference shows, as the test compares them with the zod schemas. */
export async function referenceRows(): Promise<ReferenceRow[]> {
  const rows: ReferenceRow[] = []
  for (const [name, schema] of sectionSchemas()) rows.push(...sectionRows(name, schema))
  for (const [, schema] of await channelTypeSchemas())
    rows.push(...rowsOf('channels.<name>', toJson(schema), true))
  return rows
}

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url))

async function main(argv: readonly string[]): Promise<number> {
  const file = resolve(repositoryRoot, REFERENCE_FILE)
  const page = await renderConfigReference()
  if (argv.includes('--write')) {
    writeFileSync(file, page)
    console.log(`wrote ${REFERENCE_FILE}`)
    return 0
  }
  if (argv.includes('--check')) {
    let committed = ''
    try {
      committed = readFileSync(file, 'utf8')
    } catch {}
    if (committed === page) return 0
    console.error(`${REFERENCE_FILE} is out of date: run ${REGENERATE_COMMAND}`)
    return 1
  }
  process.stdout.write(page)
  return 0
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2))
}
