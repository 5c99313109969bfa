import { loadConfig, SlokitConfigError } from '@slokit/config'
import type { CommandContext } from '../context.js'
import { ExitError, renderIssue } from '../context.js'
import { SECTION_SCHEMAS } from '../sections.js'

/** Options of `slokit validate`. */
export interface ValidateOptions {
  readonly json?: boolean
  /** Treat `${env:NAME}` references to unset variables as errors (by default they are warnings). */
  readonly requireSecrets?: boolean
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

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
      env: io.env,
      unsetSecrets: options.requireSecrets === true ? 'error' : 'warn',
    })
    if (options.json === true) {
      const report = {
        valid: true,
        files,
        slis: config.slis.length,
        slos: config.slos.length,
        errors: [],
        warnings: config.warnings,
      }
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
      return
    }
    for (const warning of config.warnings) io.stdout.write(`${renderIssue(warning, c)}\n`)
    const notes = config.warnings.length > 0 ? ` (${plural(config.warnings.length, 'warning')})` : ''
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
