import { type ConfigIssue, loadConfig, type SlokitConfig, SlokitConfigError } from '@slokit/config'
import { checkDocumentation, type GovernanceSection } from '@slokit/governance'
import { importOpenSlo, OpenSloError, type OpenSloText } from '@slokit/openslo'
import type { CommandContext } from '../context.js'
import { ExitError, renderIssue } from '../context.js'
import { SECTION_CHECKS, SECTION_SCHEMAS } from '../sections.js'
import { splitOpenSloFiles, withLimitation } from './convert.js'

/** Options of `slokit validate`. */
export interface ValidateOptions {
  readonly json?: boolean
  /** Treat `${env:NAME}` references to unset variables as errors (by default they are warnings). */
  readonly requireSecrets?: boolean
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/** The governance section's documentation rules, checked against every SLO, at the SLO's place. */
function documentationIssues(config: SlokitConfig): ConfigIssue[] {
  const section = config.sections.governance as GovernanceSection | undefined
  if (section === undefined) return []
  return checkDocumentation(config.slos, section).map((issue) => {
    const at = config.originOf(issue.sloId)
    return {
      severity: issue.severity,
      file: at?.file ?? '',
      line: at?.line ?? 0,
      column: at?.column ?? 0,
      path: [],
      message: issue.message,
    }
  })
}

const byPlace = (a: ConfigIssue, b: ConfigIssue) =>
  a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column

/** What validating the files found: how much is there, and every problem. */
interface Validated {
  readonly slis: number
  readonly slos: number
  readonly issues: readonly ConfigIssue[]
}

async function validateConfig(
  files: readonly string[],
  options: ValidateOptions,
  ctx: CommandContext,
): Promise<Validated> {
  try {
    const config = await loadConfig(files, {
      sections: SECTION_SCHEMAS,
      checks: SECTION_CHECKS,
      env: ctx.io.env,
      unsetSecrets: options.requireSecrets === true ? 'error' : 'warn',
    })
    const issues = [...config.warnings, ...documentationIssues(config)].sort(byPlace)
    return { slis: config.slis.length, slos: config.slos.length, issues }
  } catch (error) {
    if (!(error instanceof SlokitConfigError)) throw error
    return { slis: 0, slos: 0, issues: error.issues }
  }
}

// OpenSLO files are checked by the importer (references resolve across them), the rest by the
// config loader; the problems of both are reported together.
function validateOpenSlo(texts: readonly OpenSloText[]): Validated {
  try {
    const imported = importOpenSlo(texts)
    const issues = imported.warnings.map(withLimitation)
    return { slis: imported.slis.length, slos: imported.slos.length, issues }
  } catch (error) {
    if (!(error instanceof OpenSloError)) throw error
    return { slis: 0, slos: 0, issues: error.issues.map(withLimitation) }
  }
}

/**
 * `slokit validate <files…>`: checks config files like a compiler — every problem at once, with
 * file, line and column. OpenSLO files (`apiVersion: openslo/…`) are checked by
 * `@slokit/openslo`: what slokit cannot import is an error at its place, what it converts only in
 * part (an alert condition it skips, `gte` read as `gt`) a warning; both end with their limitation
 * code (`[BURN_RATE_OP]`). Exit 0 when valid (warnings allowed), 1 otherwise.
 */
export async function validateCommand(
  files: readonly string[],
  options: ValidateOptions,
  ctx: CommandContext,
): Promise<void> {
  const { io, colors: c } = ctx
  const { openslo, config: configFiles } = await splitOpenSloFiles(files)
  const parts: Validated[] = []
  if (openslo.length > 0) parts.push(validateOpenSlo(openslo))
  if (configFiles.length > 0 || openslo.length === 0)
    parts.push(await validateConfig(configFiles, options, ctx))
  const issues = parts.flatMap((p) => p.issues).sort(byPlace)
  const errors = issues.filter((i) => i.severity === 'error')
  const warnings = issues.filter((i) => i.severity === 'warning')
  if (errors.length === 0) {
    const slis = parts.reduce((n, p) => n + p.slis, 0)
    const slos = parts.reduce((n, p) => n + p.slos, 0)
    if (options.json === true) {
      const report = { valid: true, files, slis, slos, errors: [], warnings }
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
      return
    }
    for (const warning of warnings) io.stdout.write(`${renderIssue(warning, c)}\n`)
    const notes = warnings.length > 0 ? ` (${plural(warnings.length, 'warning')})` : ''
    io.stdout.write(
      `${c.green('✓')} ${files.join(', ')}: valid — ${plural(slis, 'SLI')}, ${plural(slos, 'SLO')}${notes}\n`,
    )
    return
  }
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify({ valid: false, files, errors, warnings }, null, 2)}\n`)
  } else {
    for (const issue of issues) io.stdout.write(`${renderIssue(issue, c)}\n`)
    const notes = warnings.length > 0 ? `, ${plural(warnings.length, 'warning')}` : ''
    io.stdout.write(`${c.red('✗')} ${files.join(', ')}: ${plural(errors.length, 'error')}${notes}\n`)
  }
  throw new ExitError(1)
}
