import {
  abortedError,
  type SliQueryOptions,
  type SliSeries,
  type SliSource,
  type SliSpec,
  SlokitError,
  type TimeRange,
} from '@slokit/core'
import { type CsvColumns, parseCsvHeader, readCsvRow } from './csv.js'
import { type FileDataProblem, FileSourceDataError, MAX_LISTED_PROBLEMS } from './data-error.js'
import { FILE_FORMATS, type FileFormat, formatOfPath } from './format.js'
import { readJsonLine } from './jsonl.js'
import { type OpenedFile, type OpenFile, openNodeFile } from './open-file.js'
import { readLines } from './read-lines.js'
import { checkRow } from './row.js'
import { eventPointsIn, type SliIndex, SliIndexBuilder, valuePointsIn } from './sli-index.js'

/** Options of {@link FileSource}. */
export interface FileSourceOptions {
  /** The file to read: `.csv`, `.jsonl` or `.ndjson`, each optionally gzipped as `.gz`. */
  readonly path: string
  /** The file's format; by default taken from the file name's extension. */
  readonly format?: FileFormat | undefined
  /**
   * The interval each row covers, `[t, t + resolutionMs)`. By default inferred per SLI: the
   * smallest gap between its distinct timestamps, or one minute for an SLI with a single one.
   */
  readonly resolutionMs?: number | undefined
  /** The source's {@link SliSource.name}; `file` by default. */
  readonly name?: string | undefined
  /**
   * Called while the file loads with the bytes read so far (of the file on disk, before gunzip)
   * and its size: at most every 64 KiB, and once at the end with `bytesRead === totalBytes`.
   * Exceptions it throws fail the load.
   */
  readonly onProgress?: ((bytesRead: number, totalBytes: number) => void) | undefined
  /** How to open the file; `node:fs` by default. Hand in a fake in tests. */
  readonly openFile?: OpenFile | undefined
}

/** Options of {@link FileSource.load}. */
export interface FileSourceLoadOptions {
  /**
   * Stops waiting for the load; it rejects with `SlokitError` `ABORTED`. Reading stops too once
   * no other caller waits for it, and a later call reads the file afresh.
   */
  readonly signal?: AbortSignal | undefined
}

/** What the file holds for one SLI, as {@link FileSourceSummary} lists it. */
export interface FileSliSummary {
  /** The SLI id, from the `sli` column or field. */
  readonly id: string
  /** `events` for rows with `good` and `total` (ratio SLIs), `values` for rows with a `value`. */
  readonly kind: 'events' | 'values'
  /** Rows read for the SLI. */
  readonly rows: number
  /** The earliest row's timestamp, epoch milliseconds. */
  readonly firstMs: number
  /** The latest row's timestamp, epoch milliseconds. */
  readonly lastMs: number
  /** The interval each row covers: the `resolutionMs` option, or the one inferred for the SLI. */
  readonly resolutionMs: number
}

/** What {@link FileSource.load} found in the file. */
export interface FileSourceSummary {
  /** The file, as given. */
  readonly path: string
  readonly format: FileFormat
  /** Whether the file was gunzipped. */
  readonly gzip: boolean
  /** Bytes read from the file (before gunzip). */
  readonly bytes: number
  /** Data rows read (not counting a CSV header or blank lines). */
  readonly rows: number
  /** Every SLI in the file, sorted by id. */
  readonly slis: readonly FileSliSummary[]
}

interface Loaded {
  readonly summary: FileSourceSummary
  readonly slis: ReadonlyMap<string, SliIndex>
}

/** One read of the file, shared by every caller waiting for it. */
interface Loading {
  readonly promise: Promise<Loaded>
  readonly controller: AbortController
  settled: boolean
  /** A caller without a signal waits, so the read runs to its end whatever others abort. */
  pinned: boolean
  /** Callers with a signal that are still waiting. */
  waiters: number
  summary: Promise<FileSourceSummary> | undefined
}

const MAX_LISTED_SLIS = 10

const READ_ERROR_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EMFILE: 'too many open files',
  Z_DATA_ERROR: 'not valid gzip data',
  Z_BUF_ERROR: 'the gzip data is cut short',
}

const noop = (): void => {}

/**
 * An {@link SliSource} that serves SLI data from a file people exported, for evaluating SLOs
 * offline and backtesting them. It reads CSV (a header row with `timestamp`, `sli`, and `good`
 * with `total` or `value`, in any order) or JSON Lines (one such object per line), optionally
 * gzipped, streaming it once and indexing each SLI's rows in sorted typed arrays.
 *
 * - Ratio SLIs answer the summed event counts per timestamp, threshold SLIs every value, with
 *   `t` in `[range.startMs, range.endMs)`, sorted, as fresh arrays.
 * - An SLI id without rows rejects with `UNKNOWN_SLO` (naming the file's SLIs); an SLI whose rows
 *   are of the other kind with `INVALID_ARGUMENT`; a range without rows gives an empty series.
 * - A file that cannot be read rejects with `SOURCE_FAILED`; bad lines with one
 *   {@link FileSourceDataError} (`SOURCE_INVALID_DATA`) listing them: nothing of such a file is
 *   served. Outcomes are kept: create a new `FileSource` to read the file again.
 *
 * @example
 * ```ts
 * import { evaluateSlo, parseSlo } from '@slokit/core'
 * import { FileSource } from '@slokit/file-source'
 *
 * const source = new FileSource({ path: 'exports/checkout-2026-10.csv.gz' })
 * const summary = await source.load() // optional: query() loads on first use
 * // { rows: 44640, slis: [{ id: 'checkout-requests', kind: 'events', resolutionMs: 60000, … }], … }
 *
 * const slo = parseSlo({ id: 'checkout', service: 'checkout', objective: '99.9%', window: '30d',
 *   sli: { id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio' } } })
 * const now = Date.UTC(2026, 10, 1)
 * const series = await source.query(slo.sli, { startMs: now - slo.window.durationMs, endMs: now })
 * const status = evaluateSlo(slo, series, { now })
 * ```
 */
export class FileSource implements SliSource {
  /** The name given at construction; `file` by default. */
  readonly name: string
  /** The file, as given. */
  readonly path: string
  /** The file's format, as given or taken from its extension. */
  readonly format: FileFormat
  private readonly gzip: boolean
  private readonly resolutionMs: number | undefined
  private readonly onProgress: ((bytesRead: number, totalBytes: number) => void) | undefined
  private readonly openFile: OpenFile
  private loading: Loading | undefined

  /**
   * Checks the options; reads nothing yet.
   * @throws `SlokitError` `INVALID_ARGUMENT` for an empty `path` or `name`, an unknown `format` (or
   * none, with a file name that does not tell), or a `resolutionMs` that is not a positive number.
   */
  constructor(options: FileSourceOptions) {
    const {
      path,
      format,
      resolutionMs,
      name = 'file',
      onProgress,
      openFile,
    } = options ?? ({} as FileSourceOptions)
    if (typeof path !== 'string' || path.trim() === '') {
      throw invalidOption(`\`path\` must be a non-empty string, got ${JSON.stringify(path)}.`)
    }
    if (format !== undefined && !(FILE_FORMATS as readonly unknown[]).includes(format)) {
      throw invalidOption(`\`format\` must be "csv" or "jsonl", got ${JSON.stringify(format)}.`)
    }
    const fromName = formatOfPath(path)
    const resolvedFormat = format ?? fromName.format
    if (resolvedFormat === undefined) {
      throw invalidOption(
        `cannot tell the format of ${path} from its name.`,
        'name the file .csv, .jsonl or .ndjson (optionally followed by .gz), or pass `format: "csv"` or `format: "jsonl"`',
      )
    }
    if (resolutionMs !== undefined && !(Number.isFinite(resolutionMs) && resolutionMs > 0)) {
      throw invalidOption(`\`resolutionMs\` must be a positive number of milliseconds, got ${resolutionMs}.`)
    }
    if (typeof name !== 'string' || name.trim() === '') {
      throw invalidOption(`\`name\` must be a non-empty string, got ${JSON.stringify(name)}.`)
    }
    if (onProgress !== undefined && typeof onProgress !== 'function') {
      throw invalidOption('`onProgress` must be a function.')
    }
    if (openFile !== undefined && typeof openFile !== 'function') {
      throw invalidOption('`openFile` must be a function.')
    }
    this.name = name
    this.path = path
    this.format = resolvedFormat
    this.gzip = fromName.gzip
    this.resolutionMs = resolutionMs
    this.onProgress = onProgress
    this.openFile = openFile ?? openNodeFile
  }

  /**
   * Reads and indexes the file, once: later calls (and queries) share the same read, and calls
   * without a signal return the very same promise. Rejects with `SlokitError`: `SOURCE_FAILED`
   * when the file cannot be read, {@link FileSourceDataError} (`SOURCE_INVALID_DATA`) when lines
   * are bad, `ABORTED` when `signal` aborts.
   */
  load(opts: FileSourceLoadOptions = {}): Promise<FileSourceSummary> {
    const signal = opts.signal
    if (signal !== undefined) return this.waitFor(signal, 'load').then((loaded) => loaded.summary)
    const loading = this.start()
    loading.pinned = true
    if (loading.summary === undefined) {
      loading.summary = loading.promise.then((loaded) => loaded.summary)
      loading.summary.catch(noop)
    }
    return loading.summary
  }

  /**
   * Answers the file's rows for `sli` with `t` in `[range.startMs, range.endMs)`, loading the file
   * on first use. Rejects (never throws) with `SlokitError`: `ABORTED`, `INVALID_ARGUMENT` (a range
   * that is not `startMs <= endMs`, or rows of the other kind than the SLI's measurement),
   * `UNKNOWN_SLO` (no rows for the SLI), or the load's error.
   */
  async query(sli: SliSpec, range: TimeRange, opts: SliQueryOptions = {}): Promise<SliSeries> {
    const sliId = sli.id
    const type = sli.measurement.type
    const { startMs, endMs } = range
    const what = `query for SLI "${sliId}"`
    if (opts.signal?.aborted) throw this.aborted(opts.signal, what)
    if (!(Number.isFinite(startMs) && Number.isFinite(endMs) && startMs <= endMs)) {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `[slokit/file-source] FileSource "${this.name}".query("${sliId}"): range [${startMs}, ${endMs}) is not a valid range.`,
        { hint: 'pass finite epoch milliseconds with startMs <= endMs' },
      )
    }
    const loaded = await this.waitFor(opts.signal, what)
    const index = loaded.slis.get(sliId)
    if (index === undefined) throw this.unknownSli(sliId, loaded)
    const wanted = type === 'ratio' ? 'events' : 'values'
    if (index.kind !== wanted) throw this.kindMismatch(sliId, type, index.kind)
    return index.kind === 'events'
      ? { kind: 'events', resolutionMs: index.resolutionMs, points: eventPointsIn(index, startMs, endMs) }
      : { kind: 'values', resolutionMs: index.resolutionMs, points: valuePointsIn(index, startMs, endMs) }
  }

  /** The shared read, started when none is running or done. */
  private start(): Loading {
    if (this.loading !== undefined) return this.loading
    const controller = new AbortController()
    const promise = this.read(controller.signal).finally(() => {
      loading.settled = true
    })
    promise.catch(noop)
    const loading: Loading = {
      promise,
      controller,
      settled: false,
      pinned: false,
      waiters: 0,
      summary: undefined,
    }
    this.loading = loading
    return loading
  }

  /** Waits for the shared read; a caller whose signal aborts stops waiting at once. */
  private waitFor(signal: AbortSignal | undefined, what: string): Promise<Loaded> {
    if (signal?.aborted) return Promise.reject(this.aborted(signal, what))
    const loading = this.start()
    if (signal === undefined) {
      loading.pinned = true
      return loading.promise
    }
    if (loading.settled) return loading.promise
    loading.waiters++
    return new Promise<Loaded>((resolve, reject) => {
      const onAbort = (): void => {
        loading.waiters--
        if (loading.waiters === 0 && !loading.pinned && !loading.settled) {
          // Nobody waits any more: stop reading, and let the next caller start afresh.
          if (this.loading === loading) this.loading = undefined
          loading.controller.abort(signal.reason)
        }
        reject(this.aborted(signal, what))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      loading.promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
    })
  }

  private async read(signal: AbortSignal): Promise<Loaded> {
    try {
      const file = await this.openFile(this.path, { signal })
      return await this.index(file, signal)
    } catch (error) {
      if (signal.aborted) throw this.aborted(signal, 'load')
      if (error instanceof SlokitError) throw error
      throw new SlokitError(
        'SOURCE_FAILED',
        `[slokit/file-source] Cannot read ${this.path}: ${readFailure(error)}`,
        {
          cause: error,
          hint: 'check that the file exists and is readable',
        },
      )
    }
  }

  private async index(file: OpenedFile, signal: AbortSignal): Promise<Loaded> {
    const builder = new SliIndexBuilder()
    const problems: FileDataProblem[] = []
    let badLines = 0
    let rows = 0
    let bytes = 0
    let lineNumber = 0
    let columns: CsvColumns | undefined
    const userProgress = this.onProgress
    const onProgress = (bytesRead: number, totalBytes: number): void => {
      bytes = bytesRead
      if (userProgress === undefined) return
      try {
        userProgress(bytesRead, totalBytes)
      } catch (error) {
        throw new SlokitError(
          'SOURCE_FAILED',
          `[slokit/file-source] The \`onProgress\` callback threw while reading ${this.path}.`,
          { cause: error, hint: 'a progress callback must not throw' },
        )
      }
    }
    for await (const text of readLines(file, { gzip: this.gzip, signal, onProgress })) {
      lineNumber++
      const line = lineNumber === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
      if (line.trim() === '') continue
      if (this.format === 'csv' && columns === undefined) {
        const header = parseCsvHeader(line)
        if ('problems' in header) {
          const message = `header row: ${header.problems.join('; ')}`
          throw new FileSourceDataError(this.path, [{ line: lineNumber, message }], 1)
        }
        columns = header.columns
        continue
      }
      rows++
      const lineProblems: string[] = []
      const fields =
        columns === undefined ? readJsonLine(line, lineProblems) : readCsvRow(line, columns, lineProblems)
      const row = fields === undefined ? undefined : checkRow(fields, lineProblems)
      const conflict = row === undefined ? undefined : builder.add(row, lineNumber)
      if (conflict !== undefined) lineProblems.push(conflict)
      if (lineProblems.length === 0) continue
      badLines++
      if (badLines === 1) builder.discardRows()
      if (problems.length < MAX_LISTED_PROBLEMS)
        problems.push({ line: lineNumber, message: lineProblems.join('; ') })
    }
    if (this.format === 'csv' && columns === undefined) {
      const message =
        'the file is empty: a CSV file starts with a header row such as timestamp,sli,good,total,value'
      throw new FileSourceDataError(this.path, [{ line: 1, message }], 1)
    }
    if (badLines > 0) throw new FileSourceDataError(this.path, problems, badLines)
    const slis = builder.build(this.resolutionMs)
    const sliSummaries = [...slis.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(
        ([id, sli]): FileSliSummary =>
          Object.freeze({
            id,
            kind: sli.kind,
            rows: sli.rows,
            firstMs: sli.t[0] as number,
            lastMs: sli.t[sli.t.length - 1] as number,
            resolutionMs: sli.resolutionMs,
          }),
      )
    const summary: FileSourceSummary = Object.freeze({
      path: this.path,
      format: this.format,
      gzip: this.gzip,
      bytes,
      rows,
      slis: Object.freeze(sliSummaries),
    })
    return { summary, slis }
  }

  private aborted(signal: AbortSignal, what: string): SlokitError {
    return abortedError(signal, `[slokit/file-source] FileSource "${this.name}" (${this.path}): ${what}`)
  }

  private unknownSli(sliId: string, loaded: Loaded): SlokitError {
    const ids = loaded.summary.slis.map((sli) => sli.id)
    const listed = ids.slice(0, MAX_LISTED_SLIS).map((id) => `"${id}"`)
    if (ids.length > MAX_LISTED_SLIS) listed.push(`… and ${ids.length - MAX_LISTED_SLIS} more`)
    const known = ids.length === 0 ? 'the file has no rows at all' : `its SLIs: ${listed.join(', ')}`
    return new SlokitError(
      'UNKNOWN_SLO',
      `[slokit/file-source] ${this.path} has no rows for SLI "${sliId}"; ${known}.`,
      { hint: 'check the SLI id against the `sli` column (CSV) or field (JSON Lines) of the file' },
    )
  }

  private kindMismatch(sliId: string, type: string, held: SliIndex['kind']): SlokitError {
    const rows = held === 'events' ? 'counts (`good`, `total`)' : 'values (`value`)'
    const needs = type === 'ratio' ? 'counts (`good`, `total`)' : 'values (`value`)'
    const fix =
      type === 'ratio'
        ? 'make the SLI a threshold SLI (measurement.type: threshold), or export good/total counts for it'
        : 'make the SLI a ratio SLI (measurement.type: ratio), or export a value per row for it'
    return new SlokitError(
      'INVALID_ARGUMENT',
      `[slokit/file-source] SLI "${sliId}" is a ${type} SLI, which needs rows with ${needs}, but ${this.path} holds ${rows} for it.`,
      { hint: fix },
    )
  }
}

/** Says why a file could not be read: in words for common fs and zlib failures. */
function readFailure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  const detail = error instanceof Error ? error.message : String(error)
  const known = typeof code === 'string' ? READ_ERROR_REASONS[code] : undefined
  if (known === undefined) return detail
  // zlib's own words ("incorrect header check") help; fs messages only repeat the path.
  return (code as string).startsWith('Z_') ? `${known} (${detail})` : known
}

function invalidOption(problem: string, hint?: string): SlokitError {
  const message = `[slokit/file-source] new FileSource(options): ${problem}`
  return new SlokitError('INVALID_ARGUMENT', message, hint === undefined ? {} : { hint })
}
