import type { AuditRecord } from './audit-entry.js'

/** Options of {@link GovernanceStore.read}. */
export interface GovernanceStoreReadOptions {
  /** Only records with a greater sequence number (for reading what others appended since). */
  readonly afterSequence?: number | undefined
}

/**
 * Where governance keeps its audit log: an append-only list of records. Everything governance
 * knows — proposals, approvals, reviews, SLO versions — is an entry of that log, and the current
 * state is replayed from it, so the record and the state can never disagree and there is nothing
 * else to tamper with. A store only keeps bytes in order; hashing and verification happen above
 * it, so a store needs no cryptography and cannot weaken the chain.
 *
 * `MemoryGovernanceStore` (tests, short-lived hosts) and `SqliteGovernanceStore` (from
 * `@slokit/governance/sqlite`, the default that survives restarts) implement it; run
 * `describeGovernanceStoreContract` from `@slokit/governance/testing` against your own.
 */
export interface GovernanceStore {
  /**
   * Appends records atomically — all of them or none, even if the process dies halfway — and
   * only if the first one's `sequence` is one past the last stored record's (1 for an empty
   * store) and the rest follow it one by one. Resolves `true` when appended, `false` (having
   * written nothing) when another writer appended first; governance then re-reads and retries.
   * `json` must be kept byte for byte. Rejects only when the store itself fails.
   */
  append(records: readonly AuditRecord[]): Promise<boolean>
  /** Every record (or those after `afterSequence`), in ascending sequence order, exactly as appended. */
  read(options?: GovernanceStoreReadOptions): Promise<readonly AuditRecord[]>
  /** Releases what the store holds (a database connection). Further calls may reject. */
  close?(): void | Promise<void>
}

/**
 * For store authors: checks that the records of one `append` are well-formed — at least one,
 * JSON text, sequence numbers consecutive integers from 1 up — and returns what is wrong, or
 * `undefined`.
 */
export function checkAppendRecords(records: readonly AuditRecord[]): string | undefined {
  if (!Array.isArray(records) || records.length === 0) return 'nothing to append'
  for (const [i, record] of records.entries()) {
    if (typeof record.json !== 'string') return `record ${i} has no JSON text`
    if (!Number.isSafeInteger(record.sequence) || record.sequence < 1) {
      return `record ${i} has sequence ${record.sequence}: sequence numbers are integers from 1`
    }
    const first = records[0] as AuditRecord
    if (record.sequence !== first.sequence + i) {
      return `record ${i} has sequence ${record.sequence}, expected ${first.sequence + i}: records of one append must be consecutive`
    }
  }
  return undefined
}
