import { SlokitError } from '@slokit/core'

/**
 * Where the Web API transport remembers the `ts` of each alert's firing message, so the resolved
 * message is posted in its thread. Three methods; implement them over a file or database to keep
 * threads across restarts. Keys are `<channel>\n<dedup key>`: never secrets.
 */
export interface SlackThreadStore {
  /** The `ts` of the firing message kept under `key`, if any. */
  get(key: string): Promise<string | undefined>
  /** Keeps the `ts` of a firing message (a later firing of the same alert replaces it). */
  set(key: string, ts: string): Promise<void>
  /** Forgets `key`, once its resolved message was posted. */
  delete(key: string): Promise<void>
}

/**
 * Keeps thread roots in memory, the newest `maxEntries` (10,000 by default). After a restart, a
 * resolved message whose firing message is forgotten is posted to the channel rather than a thread.
 */
export class MemorySlackThreadStore implements SlackThreadStore {
  readonly #entries = new Map<string, string>()
  readonly #maxEntries: number

  /** @throws `SlokitError` `INVALID_ARGUMENT` when `maxEntries` is not a positive integer. */
  constructor(options: { readonly maxEntries?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? 10_000
    if (!(Number.isInteger(this.#maxEntries) && this.#maxEntries > 0)) {
      throw new SlokitError(
        'INVALID_ARGUMENT',
        `[slokit/slack] MemorySlackThreadStore: \`maxEntries\` must be a positive integer, got ${this.#maxEntries}.`,
      )
    }
  }

  async get(key: string): Promise<string | undefined> {
    return this.#entries.get(key)
  }

  async set(key: string, ts: string): Promise<void> {
    this.#entries.delete(key)
    this.#entries.set(key, ts)
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value
      if (oldest !== undefined) this.#entries.delete(oldest)
    }
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key)
  }
}
