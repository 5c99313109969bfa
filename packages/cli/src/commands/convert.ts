import { readFile, writeFile } from 'node:fs/promises'
import { type ConfigIssue, loadConfig, SlokitConfigError } from '@slokit/config'
import { formatSpecPath, type SliSpec, type SloSpec } from '@slokit/core'
import {
  type AlertsInput,
  type AlertsLike,
  type ChannelInput,
  exportOpenSlo,
  exportSlokitConfig,
  importOpenSlo,
  isOpenSloText,
  type OpenSloDataSource,
  OpenSloError,
  type OpenSloIssue,
  type OpenSloText,
} from '@slokit/openslo'
import { type CommandContext, ExitError, renderIssue } from '../context.js'
import { SECTION_CHECKS, SECTION_SCHEMAS } from '../sections.js'

/** The formats `slokit convert` writes. */
export const CONVERT_FORMATS = ['openslo', 'slokit'] as const

/** Options of `slokit convert`. */
export interface ConvertOptions {
  /** The format to write. */
  readonly to: (typeof CONVERT_FORMATS)[number]
  /** Where to write; standard output when absent or `-`. */
  readonly output?: string | undefined
}

/** SLIs and SLOs read from a mix of OpenSLO and slokit files, and the problems found. */
export interface ReadSlos {
  readonly slis: readonly SliSpec[]
  readonly slos: readonly SloSpec[]
  readonly dataSources: readonly OpenSloDataSource[]
  /** The alert rules and routes of the OpenSLO files' alert policies (config form). */
  readonly openSloAlerts: AlertsInput | undefined
  /** The channels of the OpenSLO files' notification targets. */
  readonly openSloChannels: Readonly<Record<string, ChannelInput>>
  /** The validated `alerts` section of the slokit config files, if any. */
  readonly configAlerts: AlertsLike | undefined
  /** The validated `channels` section of the slokit config files, if any. */
  readonly configChannels: Readonly<Record<string, { readonly type: string }>>
  /** Errors and warnings of both readers, in file and position order. */
  readonly issues: readonly ConfigIssue[]
  /** Config sections other than `slis` and `slos` found in the slokit files (`alerts`, …). */
  readonly otherSections: readonly string[]
}

/**
 * An OpenSLO issue as the CLI prints it: its limitation code (`BURN_RATE_OP`, …) after the message,
 * so a user can tell "this file is wrong" from "slokit does not model this" and look the code up
 * in docs/openslo.md.
 */
export function withLimitation<T extends OpenSloIssue>(issue: T): T {
  return issue.limitation === undefined
    ? issue
    : { ...issue, message: `${issue.message} [${issue.limitation}]` }
}

/**
 * Splits files into OpenSLO files (a document with `apiVersion: openslo/…`) and the rest, which
 * are slokit config files. A file that cannot be read stays with the config files, whose loader
 * reports it like any other problem.
 */
export async function splitOpenSloFiles(
  files: readonly string[],
): Promise<{ openslo: OpenSloText[]; config: string[] }> {
  const openslo: OpenSloText[] = []
  const config: string[] = []
  for (const file of files) {
    let text: string | undefined
    try {
      text = await readFile(file, 'utf8')
    } catch {
      text = undefined
    }
    if (text !== undefined && isOpenSloText(text)) openslo.push({ name: file, text })
    else config.push(file)
  }
  return { openslo, config }
}

/**
 * Reads SLOs from OpenSLO files (with `@slokit/openslo`; references resolve across them) and
 * slokit config files (with `@slokit/config`), collecting every problem of both.
 */
export async function readSloFiles(
  files: readonly string[],
  ctx: CommandContext,
  unsetSecrets: 'warn' | 'error' = 'warn',
): Promise<ReadSlos> {
  const { openslo, config } = await splitOpenSloFiles(files)
  const issues: ConfigIssue[] = []
  const slis: SliSpec[] = []
  const slos: SloSpec[] = []
  const dataSources: OpenSloDataSource[] = []
  const otherSections: string[] = []
  let openSloAlerts: AlertsInput | undefined
  let openSloChannels: Readonly<Record<string, ChannelInput>> = {}
  let configAlerts: AlertsLike | undefined
  let configChannels: Readonly<Record<string, { readonly type: string }>> = {}
  if (openslo.length > 0) {
    try {
      const imported = importOpenSlo(openslo)
      slis.push(...imported.slis)
      slos.push(...imported.slos)
      dataSources.push(...imported.dataSources)
      issues.push(...imported.warnings.map(withLimitation))
      openSloAlerts = imported.alerts
      openSloChannels = imported.channels
    } catch (error) {
      if (!(error instanceof OpenSloError)) throw error
      issues.push(...error.issues.map(withLimitation))
    }
  }
  if (config.length > 0) {
    try {
      const loaded = await loadConfig(config, {
        sections: SECTION_SCHEMAS,
        checks: SECTION_CHECKS,
        env: ctx.io.env,
        unsetSecrets,
      })
      slis.push(...loaded.slis)
      slos.push(...loaded.slos)
      issues.push(...loaded.warnings)
      otherSections.push(...Object.keys(loaded.sections), ...Object.keys(loaded.unvalidated))
      configAlerts = loaded.sections.alerts as AlertsLike | undefined
      configChannels = (loaded.sections.channels ?? {}) as Record<string, { readonly type: string }>
      // The config's data sources give SLI `source` names their OpenSLO DataSource type.
      const sources = (loaded.sections.sources ?? loaded.unvalidated.sources ?? {}) as Record<string, unknown>
      for (const [name, source] of Object.entries(sources)) {
        const type = (source as { type?: unknown } | null)?.type
        if (typeof type === 'string')
          dataSources.push({ name, type: type === 'prometheus' ? 'Prometheus' : type })
      }
    } catch (error) {
      if (!(error instanceof SlokitConfigError)) throw error
      issues.push(...error.issues)
    }
  }
  issues.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column)
  return {
    slis,
    slos,
    dataSources,
    openSloAlerts,
    openSloChannels,
    configAlerts,
    configChannels,
    issues,
    otherSections,
  }
}

/**
 * `slokit convert <files…> --to openslo|slokit [-o file]`: reads OpenSLO files (v1, and the
 * v1alpha form Sloth reads) and slokit config files, and writes every SLO in the other format:
 * an OpenSLO v1 YAML stream, or a slokit config document. Alert policies become slokit `alerts`
 * rules, routes and `channels`, and back. Anything that cannot be converted is an error with file,
 * line and column (exit 1); what is converted approximately or not at all (an email target, a
 * trend rule) is a warning on stderr. Nothing is written unless everything converts.
 */
export async function convertCommand(
  files: readonly string[],
  options: ConvertOptions,
  ctx: CommandContext,
): Promise<void> {
  const { io, colors: c } = ctx
  const read = await readSloFiles(files, ctx)
  for (const issue of read.issues) io.stderr.write(`${renderIssue(issue, c)}\n`)
  const errors = read.issues.filter((i) => i.severity === 'error').length
  if (errors > 0) {
    io.stderr.write(c.red(`✗ cannot convert: ${errors} ${errors === 1 ? 'error' : 'errors'}\n`))
    throw new ExitError(1)
  }
  let text: string
  if (options.to === 'openslo') {
    const other = read.otherSections.filter((s) => s !== 'alerts' && s !== 'channels')
    if (other.length > 0) {
      io.stderr.write(
        `${c.yellow('warning')}: not converted: ${other.map((s) => `\`${s}\``).join(', ')} (OpenSLO has SLIs, SLOs and alert policies only; keep these sections in slokit config)\n`,
      )
    }
    // The config's rules first, so `alerts.rules[2]` in a message is the config's own index.
    const rules = [...(read.configAlerts?.rules ?? []), ...(read.openSloAlerts?.rules ?? [])]
    const routes = [...(read.configAlerts?.routes ?? []), ...(read.openSloAlerts?.routes ?? [])]
    try {
      text = exportOpenSlo(
        {
          slos: read.slos,
          slis: read.slis,
          dataSources: read.dataSources,
          ...(rules.length === 0 ? {} : { alerts: { rules, routes } }),
          channels: { ...read.openSloChannels, ...read.configChannels },
        },
        {
          onWarning: (warning) => {
            const issue = withLimitation(warning)
            const hint = issue.hint === undefined ? '' : ` (${issue.hint})`
            io.stderr.write(
              `${c.yellow('warning')}: ${formatSpecPath(issue.path)}: ${issue.message}${hint}\n`,
            )
          },
        },
      )
    } catch (error) {
      if (!(error instanceof OpenSloError)) throw error
      for (const issue of error.errors.map(withLimitation)) {
        const [list, index, ...rest] = issue.path
        if (list !== 'slos' && list !== 'slis') {
          const hint = issue.hint === undefined ? '' : ` (${issue.hint})`
          io.stderr.write(`${c.red('error')}: ${formatSpecPath(issue.path)}: ${issue.message}${hint}\n`)
          continue
        }
        const id = list === 'slos' ? read.slos[index as number]?.id : read.slis[index as number]?.id
        const what = `${list === 'slos' ? 'SLO' : 'SLI'} ${id ?? String(index)}`
        const where = rest.length > 0 ? ` (${rest.join('.')})` : ''
        io.stderr.write(
          `${c.red('error')}: ${what}${where}: ${issue.message}${issue.hint === undefined ? '' : ` (${issue.hint})`}\n`,
        )
      }
      const count = error.errors.length
      io.stderr.write(c.red(`✗ cannot write OpenSLO: ${count} ${count === 1 ? 'error' : 'errors'}\n`))
      throw new ExitError(1)
    }
  } else {
    if (read.otherSections.length > 0) {
      io.stderr.write(
        `${c.yellow('warning')}: not copied: ${read.otherSections.map((s) => `\`${s}\``).join(', ')} of the slokit config files (only their SLIs and SLOs are converted; keep these sections in the slokit config)\n`,
      )
    }
    text = exportSlokitConfig(
      { slos: read.slos, slis: read.slis, alerts: read.openSloAlerts, channels: read.openSloChannels },
      [`Converted by \`slokit convert --to slokit\` from ${files.join(', ')}.`],
    )
  }
  const summary = `${read.slos.length} ${read.slos.length === 1 ? 'SLO' : 'SLOs'}`
  if (options.output === undefined || options.output === '-') {
    io.stdout.write(text)
    return
  }
  await writeFile(options.output, text)
  io.stderr.write(`${c.green('✓')} wrote ${summary} as ${options.to} to ${options.output}\n`)
}
