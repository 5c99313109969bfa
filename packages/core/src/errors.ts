/**
 * Every error code slokit raises, with what it means. The table is the single source of truth:
 * {@link SlokitErrorCode} is derived from it, so a new code is added here and nowhere else.
 */
export const SLOKIT_ERROR_CODES = {
  /** A function was called with an argument it cannot work with (a programming error). */
  INVALID_ARGUMENT: 'A function was called with an argument it cannot work with.',
  /** An SLI or SLO specification failed validation; `issues` lists every problem. */
  INVALID_SPEC: 'An SLI or SLO specification is invalid.',
  /** A duration string such as `5m` or `1h30m` could not be parsed. */
  INVALID_DURATION: 'A duration could not be parsed.',
  /** A time zone is not a valid IANA name on this runtime. */
  INVALID_TIME_ZONE: 'A time zone is not a valid IANA time zone.',
  /** An SLO or SLI id was not found. */
  UNKNOWN_SLO: 'No SLO or SLI with this id is known.',
  /** A configuration document is invalid; `issues` lists every problem. */
  INVALID_CONFIG: 'A configuration document is invalid.',
  /** A data source failed to answer a query. */
  SOURCE_FAILED: 'A data source failed to answer a query.',
  /** A data source did not answer in time. */
  SOURCE_TIMEOUT: 'A data source did not answer in time.',
  /** A data source answered with data that breaks the `SliSource` contract. */
  SOURCE_INVALID_DATA: 'A data source answered with data that breaks the SliSource contract.',
  /** The operation was aborted through its `AbortSignal`. */
  ABORTED: 'The operation was aborted.',
  /** The feature or combination of options is not supported (yet). */
  NOT_SUPPORTED: 'This feature or combination of options is not supported.',
} as const

/** A code from {@link SLOKIT_ERROR_CODES}. */
export type SlokitErrorCode = keyof typeof SLOKIT_ERROR_CODES

/** Options accepted by {@link SlokitError}. */
export interface SlokitErrorOptions {
  /** The underlying error, kept for debugging (it is never rendered into `message`). */
  cause?: unknown
  /** A short suggestion on how to fix the problem. */
  hint?: string
}

/**
 * The one error base class of slokit. Every error a slokit package throws or returns is a
 * `SlokitError` (or a subclass) with a typed {@link SlokitErrorCode}, so hosts can branch on
 * `error.code` instead of matching messages.
 *
 * @example
 * ```ts
 * try {
 *   parseDuration('5 minutes')
 * } catch (error) {
 *   if (error instanceof SlokitError && error.code === 'INVALID_DURATION') {
 *     // show error.message and error.hint to the user
 *   }
 * }
 * ```
 */
export class SlokitError extends Error {
  /** Machine-readable code; see {@link SLOKIT_ERROR_CODES}. */
  readonly code: SlokitErrorCode
  /** A short suggestion on how to fix the problem, when there is one. */
  readonly hint: string | undefined

  constructor(code: SlokitErrorCode, message: string, options: SlokitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'SlokitError'
    this.code = code
    this.hint = options.hint
  }
}

/** One problem found while validating a specification. */
export interface SpecIssue {
  /** Where the problem is, as object keys and array indices from the root of the document. */
  path: ReadonlyArray<string | number>
  /** What is wrong, in words. */
  message: string
  /** How to fix it, when there is an obvious fix. */
  hint?: string
}

/**
 * Thrown when an SLI or SLO specification is invalid. Carries every problem found, not only the
 * first, so a user can fix them all in one pass.
 */
export class SlokitSpecError extends SlokitError {
  /** Every problem found, in document order. */
  readonly issues: readonly SpecIssue[]

  constructor(subject: string, issues: readonly SpecIssue[]) {
    super('INVALID_SPEC', formatSpecIssues(subject, issues))
    this.name = 'SlokitSpecError'
    this.issues = issues
  }
}

/** Renders a path like `["sli", "measurement", "threshold"]` as `sli.measurement.threshold`. */
export function formatSpecPath(path: ReadonlyArray<string | number>): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out === '' ? part : `.${part}`
  }
  return out === '' ? '(root)' : out
}

function formatSpecIssues(subject: string, issues: readonly SpecIssue[]): string {
  const lines = issues.map((issue) => {
    const hint = issue.hint === undefined ? '' : ` (${issue.hint})`
    return `  - ${formatSpecPath(issue.path)}: ${issue.message}${hint}`
  })
  const noun = issues.length === 1 ? 'problem' : 'problems'
  return `[slokit/core] Invalid ${subject}: ${issues.length} ${noun}\n${lines.join('\n')}`
}
