import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Notification } from '@slokit/alerting'
import { SlokitError, type SloStatus } from '@slokit/core'

/** What a job sees when it runs. */
export interface JobContext {
  /** The slot the job runs for (from its `nextDueAtMs`): stable across a retry after a crash. */
  readonly dueAtMs: number
  /** When it actually runs. */
  readonly now: number
  /** The latest status of every SLO. */
  readonly statuses: readonly SloStatus[]
  /** Aborts when the engine stops. */
  readonly signal: AbortSignal
}

/**
 * Work the engine runs on a schedule besides evaluating SLOs — a weekly report, say
 * (`reportJobs` of `@slokit/reporter` makes these from the config's `reporting` section).
 */
export interface EngineJob {
  /** Unique among the engine's jobs; the key of its last run in the job state store. */
  readonly name: string
  /**
   * When the job is due next, given when it last ran — or, before its first run, when the engine
   * first saw it (a new job never runs for slots before it existed). A time at or before `now`
   * means it is due now; missed slots are run once, not replayed one by one. `null`: never again.
   */
  nextDueAtMs(lastRunMs: number, now: number): number | null
  /**
   * Runs the job. Notifications it returns go through the outbox; give them ids derived from
   * `dueAtMs`, so a run repeated after a crash is delivered once.
   */
  run(context: JobContext): Promise<readonly Notification[]>
}

/** When each job last ran (epoch ms, by job name), kept between restarts. */
export interface JobStateStore {
  load(): Promise<Readonly<Record<string, number>>>
  save(lastRuns: Readonly<Record<string, number>>): Promise<void>
}

/** Job state in memory: jobs run again after a restart if they are due. */
export class MemoryJobStateStore implements JobStateStore {
  #lastRuns: Readonly<Record<string, number>> = {}
  async load(): Promise<Readonly<Record<string, number>>> {
    return { ...this.#lastRuns }
  }
  async save(lastRuns: Readonly<Record<string, number>>): Promise<void> {
    this.#lastRuns = { ...lastRuns }
  }
}

/**
 * Job state in a JSON file, written atomically (a temporary file flushed to disk, then renamed over
 * the old one): after a crash, the old or the new state is there, never half of one. A missing file
 * is an empty state; a corrupt one is an error naming the file, never silently replaced.
 */
export class FileJobStateStore implements JobStateStore {
  constructor(readonly path: string) {}

  async load(): Promise<Readonly<Record<string, number>>> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
      throw new SlokitError(
        'SOURCE_FAILED',
        `[slokit/engine] cannot read the job state file ${this.path}: ${(error as Error).message}`,
      )
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }
    const lastRuns = (parsed as { version?: unknown; lastRuns?: unknown } | undefined)?.lastRuns
    if (
      (parsed as { version?: unknown } | undefined)?.version !== 1 ||
      typeof lastRuns !== 'object' ||
      lastRuns === null ||
      Object.values(lastRuns).some((v) => typeof v !== 'number')
    ) {
      throw new SlokitError(
        'INVALID_CONFIG',
        `[slokit/engine] the job state file ${this.path} is not valid: move it away to start over`,
      )
    }
    return lastRuns as Record<string, number>
  }

  async save(lastRuns: Readonly<Record<string, number>>): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true })
    const temporary = `${this.path}.${process.pid}.tmp`
    const file = await open(temporary, 'w')
    try {
      await file.writeFile(`${JSON.stringify({ version: 1, lastRuns }, null, 2)}\n`)
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(temporary, this.path)
  }
}
