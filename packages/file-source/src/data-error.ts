import { SlokitError } from '@slokit/core'

/** One bad line of a file, as {@link FileSourceDataError} lists it. */
export interface FileDataProblem {
  /** 1-based line number in the (uncompressed) file; the header is line 1 of a CSV file. */
  readonly line: number
  /** Everything wrong with the line, `; `-separated. */
  readonly message: string
}

/** How many bad lines {@link FileSourceDataError} lists. */
export const MAX_LISTED_PROBLEMS = 20

/**
 * The `SOURCE_INVALID_DATA` error of a file with bad lines. Nothing of such a file is served:
 * `load()` and every `query()` reject with this one error. Its message lists the first
 * {@link MAX_LISTED_PROBLEMS} bad lines as `<path>:<line>: <problem>`, and the total count.
 */
export class FileSourceDataError extends SlokitError {
  /** The file, as given to `FileSource`. */
  readonly path: string
  /** The first bad lines (at most {@link MAX_LISTED_PROBLEMS}), in file order. */
  readonly problems: readonly FileDataProblem[]
  /** How many lines are bad in all. */
  readonly badLineCount: number

  constructor(path: string, problems: readonly FileDataProblem[], badLineCount: number) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS)
    const lines = listed.map((problem) => `  ${path}:${problem.line}: ${problem.message}`)
    const more = badLineCount - listed.length
    if (more > 0) lines.push(`  … and ${more} more bad ${more === 1 ? 'line' : 'lines'}`)
    const noun = badLineCount === 1 ? 'bad line' : 'bad lines'
    super(
      'SOURCE_INVALID_DATA',
      `[slokit/file-source] ${path}: ${badLineCount} ${noun}, nothing loaded:\n${lines.join('\n')}`,
      {
        hint: 'fix the lines listed: a row needs `timestamp`, `sli`, and `good` with `total` (ratio SLIs) or `value` (threshold SLIs)',
      },
    )
    this.name = 'FileSourceDataError'
    this.path = path
    this.problems = Object.freeze(listed.map((problem) => Object.freeze({ ...problem })))
    this.badLineCount = badLineCount
  }
}
