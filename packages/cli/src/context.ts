import {
  type ConfigIssue,
  formatConfigIssue,
  loadConfig,
  type SlokitConfig,
  SlokitConfigError,
} from '@slokit/config'
import type { CliIo } from './io.js'
import type { Colors } from './output.js'
import { SECTION_CHECKS, SECTION_SCHEMAS } from './sections.js'

/** What every command gets: the outside world, colours, and how to report config problems. */
export interface CommandContext {
  readonly io: CliIo
  readonly colors: Colors
}

/** Thrown by a command to end with a given exit code after it has printed why. */
export class ExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`)
  }
}

/** One config issue, coloured: position dim, severity red or yellow. */
export function renderIssue(issue: ConfigIssue, c: Colors): string {
  const line = formatConfigIssue(issue)
  const severity = issue.severity === 'error' ? c.red('error') : c.yellow('warning')
  return line.replace(`: ${issue.severity}: `, `: ${severity}: `).replace(/^[^ ]+:/, (where) => c.dim(where))
}

/**
 * Loads the config for a command that needs one. On problems, prints them all to stderr and
 * ends the command with exit code 1; warnings go to stderr too, unless `quiet`. An unset
 * `${env:…}` secret is a warning unless `unsetSecrets` is `error` (commands that send or query).
 */
export async function loadForCommand(
  ctx: CommandContext,
  files: readonly string[],
  quiet = false,
  unsetSecrets: 'warn' | 'error' = 'warn',
): Promise<SlokitConfig> {
  try {
    // Reading a config needs no secrets: unset ones are warnings, except for commands that use them.
    const config = await loadConfig(files, {
      sections: SECTION_SCHEMAS,
      checks: SECTION_CHECKS,
      env: ctx.io.env,
      unsetSecrets,
    })
    if (!quiet)
      for (const warning of config.warnings) ctx.io.stderr.write(`${renderIssue(warning, ctx.colors)}\n`)
    return config
  } catch (error) {
    if (!(error instanceof SlokitConfigError)) throw error
    for (const issue of error.issues) ctx.io.stderr.write(`${renderIssue(issue, ctx.colors)}\n`)
    const errors = error.errors.length
    ctx.io.stderr.write(
      ctx.colors.red(`✗ invalid configuration: ${errors} ${errors === 1 ? 'error' : 'errors'}\n`),
    )
    throw new ExitError(1)
  }
}
