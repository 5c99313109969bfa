import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { dirname } from 'node:path'
import { SlokitError } from '@slokit/core'
import type { Notification } from './notification.js'

/** Where a notification is in its life. */
export const OUTBOX_STATUSES = ['pending', 'delivered', 'dead'] as const
/** One of {@link OUTBOX_STATUSES}: waiting (or retrying), done, or given up on with a reason. */
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number]

/** One notification in the outbox. */
export interface OutboxEntry {
  /** The notification's id: the outbox keeps at most one entry per id, ever. */
  readonly id: string
  readonly notification: Notification
  readonly status: OutboxStatus
  readonly attempts: number
  /** When the next attempt is due (epoch ms). */
  readonly nextAttemptAtMs: number
  readonly createdAtMs: number
  readonly lastError: string | null
  readonly deliveredAtMs: number | null
  readonly externalId: string | null
  /** Position in the outbox, for delivering in order. */
  readonly order: number
}

/**
 * Where outbox entries live. A store must make `put` durable before it resolves: the outbox
 * writes an entry before it sends it, and records the outcome after.
 */
export interface OutboxStore {
  /** Every entry, in any order. */
  load(): Promise<OutboxEntry[]>
  /** Inserts or replaces the entry with this id. */
  put(entry: OutboxEntry): Promise<void>
  /** Drops delivered and dead entries older than `beforeMs` (optional housekeeping). */
  compact?(beforeMs: number): Promise<void>
}

/** An outbox in memory: for tests, and hosts that accept losing pending notifications on a crash. */
export class MemoryOutboxStore implements OutboxStore {
  readonly #entries = new Map<string, OutboxEntry>()
  async load(): Promise<OutboxEntry[]> {
    return [...this.#entries.values()].map((e) => structuredClone(e))
  }
  async put(entry: OutboxEntry): Promise<void> {
    this.#entries.set(entry.id, structuredClone(entry))
  }
  async compact(beforeMs: number): Promise<void> {
    for (const [id, entry] of this.#entries)
      if (entry.status !== 'pending' && entry.createdAtMs < beforeMs) this.#entries.delete(id)
  }
}

/**
 * An outbox in an append-only JSON Lines file: each `put` appends the entry's new state and
 * flushes it to disk before resolving, so a crash (even `kill -9`) loses nothing that was put. On
 * load the last state of each id wins; a torn last line (a crash mid-write) is ignored. `compact`
 * rewrites the file with what is still worth keeping, atomically.
 */
export class FileOutboxStore implements OutboxStore {
  constructor(readonly path: string) {}

  async load(): Promise<OutboxEntry[]> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw new SlokitError('SOURCE_FAILED', `[slokit/alerting] Cannot read the outbox file ${this.path}.`, {
        cause: error,
      })
    }
    const latest = new Map<string, OutboxEntry>()
    const lines = text.split('\n')
    lines.forEach((line, index) => {
      if (line.trim() === '') return
      try {
        const entry = JSON.parse(line) as OutboxEntry
        latest.set(entry.id, entry)
      } catch (cause) {
        // Only the last line can be torn by a crash; anything else is corruption.
        if (index < lines.length - 1 && lines.slice(index + 1).some((l) => l.trim() !== '')) {
          throw new SlokitError(
            'INVALID_CONFIG',
            `[slokit/alerting] The outbox file ${this.path} is corrupt at line ${index + 1}.`,
            { cause },
          )
        }
      }
    })
    return [...latest.values()]
  }

  async put(entry: OutboxEntry): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true })
    const handle = await open(this.path, 'a')
    try {
      await handle.appendFile(`${JSON.stringify(entry)}\n`, 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
  }

  async compact(beforeMs: number): Promise<void> {
    const keep = (await this.load()).filter((e) => e.status === 'pending' || e.createdAtMs >= beforeMs)
    const temporary = `${this.path}.${process.pid}.tmp`
    const handle = await open(temporary, 'w')
    try {
      await handle.writeFile(keep.map((e) => `${JSON.stringify(e)}\n`).join(''), 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, this.path)
  }
}
