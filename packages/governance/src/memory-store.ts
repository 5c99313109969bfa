import type { AuditRecord } from './audit-entry.js'
import { GovernanceError } from './errors.js'
import { checkAppendRecords, type GovernanceStore, type GovernanceStoreReadOptions } from './store.js'

/**
 * A {@link GovernanceStore} in memory: for tests, and for hosts that keep the log elsewhere and
 * load it at start. Records are copied in and out, so no caller can change a stored record by
 * holding on to it.
 *
 * @example
 * ```ts
 * const governance = createGovernance({ store: new MemoryGovernanceStore(), config, slos })
 * ```
 */
export class MemoryGovernanceStore implements GovernanceStore {
  readonly #records: AuditRecord[] = []
  #closed = false

  /** @param records Records to start with (e.g. a log exported earlier), kept as given. */
  constructor(records: readonly AuditRecord[] = []) {
    for (const record of records)
      this.#records.push(Object.freeze({ sequence: record.sequence, json: record.json }))
  }

  async append(records: readonly AuditRecord[]): Promise<boolean> {
    this.#open()
    const problem = checkAppendRecords(records)
    if (problem !== undefined) {
      throw new GovernanceError('INVALID_INPUT', `MemoryGovernanceStore.append(): ${problem}.`)
    }
    const last = this.#records[this.#records.length - 1]?.sequence ?? 0
    if ((records[0] as AuditRecord).sequence !== last + 1) return false
    for (const record of records)
      this.#records.push(Object.freeze({ sequence: record.sequence, json: record.json }))
    return true
  }

  async read(options: GovernanceStoreReadOptions = {}): Promise<readonly AuditRecord[]> {
    this.#open()
    const after = options.afterSequence ?? 0
    return this.#records.filter((record) => record.sequence > after)
  }

  close(): void {
    this.#closed = true
  }

  #open(): void {
    if (this.#closed) {
      throw new GovernanceError('STORE_FAILED', 'The MemoryGovernanceStore is closed.')
    }
  }
}
