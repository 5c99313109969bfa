import { formatSpecPath, SlokitError } from '@slokit/core'

/** One problem (or warning) found in a configuration, with where it is. */
export interface ConfigIssue {
  readonly severity: 'error' | 'warning'
  /** The file (as given to the loader) or the name of the text source. */
  readonly file: string
  /** 1-based line; 0 when the problem has no single place (an unreadable file). */
  readonly line: number
  /** 1-based column; 0 when unknown. */
  readonly column: number
  /** Path from the document root, e.g. `['slos', 2, 'objective']`. */
  readonly path: ReadonlyArray<string | number>
  /** What is wrong and what was expected. Never contains a secret's value. */
  readonly message: string
  /** How to fix it, e.g. `did you mean \`objective\`?` */
  readonly hint?: string
}

/** `file:line:column: severity: path: message (hint)`, the form editors and CI annotations understand. */
export function formatConfigIssue(issue: ConfigIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file
  const path = issue.path.length > 0 ? `${formatSpecPath(issue.path)}: ` : ''
  const hint = issue.hint === undefined ? '' : ` (${issue.hint})`
  return `${where}: ${issue.severity}: ${path}${issue.message}${hint}`
}

/**
 * Thrown when a configuration is invalid. `issues` holds every error found (and the warnings),
 * sorted by file and position, so a user fixes them all in one pass.
 */
export class SlokitConfigError extends SlokitError {
  readonly issues: readonly ConfigIssue[]

  constructor(issues: readonly ConfigIssue[]) {
    const errors = issues.filter((i) => i.severity === 'error').length
    super(
      'INVALID_CONFIG',
      `[slokit/config] Invalid configuration: ${errors} ${errors === 1 ? 'error' : 'errors'}\n${issues.map(formatConfigIssue).join('\n')}`,
    )
    this.name = 'SlokitConfigError'
    this.issues = issues
  }

  /** Only the errors, without warnings. */
  get errors(): readonly ConfigIssue[] {
    return this.issues.filter((i) => i.severity === 'error')
  }
}
