import { type ConfigIssue, loadConfig, type SlokitConfig, SlokitConfigError } from '@slokit/config'
import { checkDocumentation, type GovernanceSection } from '@slokit/governance'
import type { CommandContext } from '../context.js'
import { ExitError, renderIssue } from '../context.js'
import { SECTION_CHECKS, SECTION_SCHEMAS } from '../sections.js'

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

/**
 * `slokit validate <files…>`: checks config files like a compiler — every problem at once, with
 * file, line and column. Exit 0 when valid (warnings allowed), 1 otherwise.
 */
export async function validateCommand(
  files: readonly string[],
  options: ValidateOptions,
  ctx: CommandContext,
): Promise<void> {
  const { io, colors: c } = ctx
  try {
    const config = await loadConfig(files, {
      sections: SECTION_SCHEMAS,
      checks: SECTION_CHECKS,
      env: io.env,
      unsetSecrets: options.requireSecrets === true ? 'error' : 'warn',
    })
    const docs = documentationIssues(config)
    const warnings = [...config.warnings, ...docs].sort(byPlace)
    if (docs.some((issue) => issue.severity === 'error')) throw new SlokitConfigError(warnings)
    if (options.json === true) {
      const report = {
        valid: true,
        files,
        slis: config.slis.length,
        slos: config.slos.length,
        errors: [],
        warnings,
      }
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
      return
    }
    for (const warning of warnings) io.stdout.write(`${renderIssue(warning, c)}\n`)
    const notes = warnings.length > 0 ? ` (${plural(warnings.length, 'warning')})` : ''
    io.stdout.write(
      `${c.green('✓')} ${files.join(', ')}: valid — ${plural(config.slis.length, 'SLI')}, ${plural(config.slos.length, 'SLO')}${notes}\n`,
    )
  } catch (error) {
    if (!(error instanceof SlokitConfigError)) throw error
    const errors = error.errors
    const warnings = error.issues.filter((i) => i.severity === 'warning')
    if (options.json === true) {
      io.stdout.write(`${JSON.stringify({ valid: false, files, errors, warnings }, null, 2)}\n`)
    } else {
      for (const issue of error.issues) io.stdout.write(`${renderIssue(issue, c)}\n`)
      const notes = warnings.length > 0 ? `, ${plural(warnings.length, 'warning')}` : ''
      io.stdout.write(`${c.red('✗')} ${files.join(', ')}: ${plural(errors.length, 'error')}${notes}\n`)
    }
    throw new ExitError(1)
  }
}
