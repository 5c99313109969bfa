import { createReadStream } from 'node:fs'
import { appendFile, mkdir, open, rename, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { createInterface } from 'node:readline'
import { DATA_STATES, type Logger, noopLogger, SlokitError } from '@slokit/core'
import { MemoryStatusHistory } from './memory-status-history.js'
import type { StatusSnapshot } from './snapshot.js'
import type { HistoryQuery, StatusHistory, StatusHistoryOptions } from './status-history.js'

/** The first line of every history file; anything else is not ours and is never overwritten. */
export const HISTORY_FILE_HEADER = '{"slokitStatusHistory":1}'

/** Options of {@link FileStatusHistory}. */
export interface FileStatusHistoryOptions extends StatusHistoryOptions {
  /** Where skipped lines of a damaged file are reported; nothing by default. */
  readonly logger?: Logger | undefined
}

/**
 * Keeps status snapshots in a JSON Lines file that survives restarts, and in memory for reads.
 * Each append adds lines with one write; expired lines are dropped by rewriting the file to a
 * temporary one that is flushed and renamed over the old, once they make up a quarter of it, so a
 * crash never leaves half a file. The file is read once, on first use.
 *
 * A line cut short by a crash, or damaged otherwise, is skipped with a warning to `logger`: a
 * history is there to draw trends, and a report with one point missing beats no report. A file
 * that does not start with {@link HISTORY_FILE_HEADER} is refused (`INVALID_CONFIG`) and left alone.
 *
 * Size: a line is about 130 bytes, so 100 SLOs evaluated every minute write ~560 MB a month; set
 * `minIntervalMs` (e.g. 5 minutes) to store less. Reports at hourly resolution need far less.
 *
 * @example
 * ```ts
 * const history = new FileStatusHistory('.slokit/history.jsonl', { retentionMs: 35 * DAY_MS, minIntervalMs: 5 * MINUTE_MS })
 * await history.append(statuses.map(toSnapshot))
 * ```
 */
export class FileStatusHistory implements StatusHistory {
  readonly #memory: MemoryStatusHistory
  readonly #logger: Logger
  #loaded: Promise<void> | undefined
  #queue: Promise<unknown> = Promise.resolve()
  /** Data lines in the file, expired ones included. */
  #lines = 0

  /**
   * @param path The history file; created (with its folder) on the first append.
   * @throws `SlokitError` `INVALID_ARGUMENT` for an empty path or invalid options.
   */
  constructor(
    readonly path: string,
    options: FileStatusHistoryOptions = {},
  ) {
    if (typeof path !== 'string' || path === '') {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        '[slokit/reporter] new FileStatusHistory(path): `path` is empty.',
      )
    }
    this.#memory = new MemoryStatusHistory(options)
    this.#logger = options.logger ?? noopLogger
  }

  append(snapshots: readonly StatusSnapshot[]): Promise<void> {
    return this.exclusive(async () => {
      await this.load()
      const kept = this.#memory.accept(snapshots)
      if (kept.length === 0) return
      if (this.#lines === 0 && !(await exists(this.path))) {
        await mkdir(dirname(this.path), { recursive: true })
        await appendFile(this.path, `${HISTORY_FILE_HEADER}\n`)
      }
      await appendFile(this.path, kept.map((s) => `${JSON.stringify(s)}\n`).join(''))
      this.#lines += kept.length
      const live = this.#memory.liveCount()
      if (this.#lines - live >= Math.max(1000, live / 4)) await this.compact()
    })
  }

  read(query: HistoryQuery): Promise<StatusSnapshot[]> {
    return this.exclusive(async () => {
      await this.load()
      return this.#memory.select(query)
    })
  }

  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(operation)
    this.#queue = run.catch(() => {})
    return run
  }

  private load(): Promise<void> {
    this.#loaded ??= this.readFile().catch((error: unknown) => {
      this.#loaded = undefined // a later call may try again (the file may have been fixed)
      throw error
    })
    return this.#loaded
  }

  private async readFile(): Promise<void> {
    if (!(await exists(this.path))) return
    const lines = createInterface({
      input: createReadStream(this.path, 'utf8'),
      crlfDelay: Number.POSITIVE_INFINITY,
    })
    let lineNo = 0
    const bad: number[] = []
    const batch: StatusSnapshot[] = []
    try {
      for await (const line of lines) {
        lineNo++
        if (lineNo === 1) {
          if (line.trim() !== HISTORY_FILE_HEADER) {
            throw new SlokitError(
              'INVALID_CONFIG',
              `[slokit/reporter] ${this.path} is not a slokit status history (its first line is not ${HISTORY_FILE_HEADER}); it was left untouched.`,
              { hint: 'point FileStatusHistory at a new file, or at one it created' },
            )
          }
          continue
        }
        if (line.trim() === '') continue
        this.#lines++
        const snapshot = parseLine(line)
        if (snapshot === undefined) bad.push(lineNo)
        else batch.push(snapshot)
        if (batch.length >= 10_000) this.#memory.accept(batch.splice(0))
      }
    } catch (error) {
      if (error instanceof SlokitError) throw error
      throw new SlokitError(
        'SOURCE_FAILED',
        `[slokit/reporter] Cannot read ${this.path}: ${describe(error)}`,
        {
          cause: error,
        },
      )
    }
    this.#memory.accept(batch)
    if (bad.length > 0) {
      this.#logger.warn(`[slokit/reporter] ${this.path}: skipped ${bad.length} damaged history line(s)`, {
        path: this.path,
        lines: bad.slice(0, 20),
      })
    }
  }

  private async compact(): Promise<void> {
    const live = this.#memory.all()
    const temporary = `${this.path}.${process.pid}.tmp`
    const handle = await open(temporary, 'w')
    try {
      await handle.writeFile(`${HISTORY_FILE_HEADER}\n${live.map((s) => `${JSON.stringify(s)}\n`).join('')}`)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, this.path)
    this.#lines = live.length
  }
}

function parseLine(line: string): StatusSnapshot | undefined {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as Record<string, unknown>
  const numberOrNull = (x: unknown) => x === null || (typeof x === 'number' && Number.isFinite(x))
  if (
    typeof v.sloId !== 'string' ||
    v.sloId === '' ||
    typeof v.atMs !== 'number' ||
    !Number.isFinite(v.atMs) ||
    !numberOrNull(v.sli) ||
    typeof v.objective !== 'number' ||
    !numberOrNull(v.budgetRemaining) ||
    !(DATA_STATES as readonly unknown[]).includes(v.state)
  ) {
    return undefined
  }
  return {
    sloId: v.sloId,
    atMs: v.atMs,
    sli: v.sli as number | null,
    objective: v.objective,
    budgetRemaining: v.budgetRemaining as number | null,
    state: v.state as StatusSnapshot['state'],
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw new SlokitError('SOURCE_FAILED', `[slokit/reporter] Cannot read ${path}: ${describe(error)}`, {
      cause: error,
    })
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code
  if (code === 'ENOENT') return 'no such file or directory'
  if (code === 'EACCES') return 'permission denied'
  if (code === 'EISDIR') return 'it is a directory'
  return error instanceof Error ? error.message : String(error)
}
