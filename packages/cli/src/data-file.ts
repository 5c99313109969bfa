import { SlokitError } from '@slokit/core'
import { FileSource, type FileSourceSummary } from '@slokit/file-source'
import { type CommandContext, ExitError } from './context.js'
import { createProgress } from './progress.js'

/**
 * Loads a data file (`--data`) with a progress bar on the terminal. When the file cannot be read,
 * prints the source's problem and exits 1.
 */
export async function loadData(
  ctx: CommandContext,
  path: string,
): Promise<{ source: FileSource; summary: FileSourceSummary }> {
  const progress = createProgress(ctx.io.stderr, `reading ${path}`, ctx.io.now)
  const source = new FileSource({
    path,
    name: path,
    onProgress: (done, total) => progress.update(done, total),
  })
  try {
    const summary = await source.load()
    return { source, summary }
  } catch (error) {
    if (!(error instanceof SlokitError)) throw error
    progress.finish()
    ctx.io.stderr.write(`${ctx.colors.red('error')}: ${error.message}\n`)
    throw new ExitError(1)
  } finally {
    progress.finish()
  }
}

/** The end of the data: the newest point plus its resolution; `undefined` for an empty file. */
export function endOfData(summary: FileSourceSummary): number | undefined {
  let end: number | undefined
  for (const sli of summary.slis) {
    const last = sli.lastMs + sli.resolutionMs
    end = end === undefined ? last : Math.max(end, last)
  }
  return end
}
