import {
  type AuditEntry,
  type AuditRecord,
  GENESIS_HASH,
  hashAuditEntry,
  parseAuditEntry,
  parseAuditRecord,
} from './audit-entry.js'
import { canonicalJson } from './canonical-json.js'

/**
 * What can be wrong with an entry:
 * - `malformed`: the stored text is not a readable entry (not JSON, or not the shape of one);
 * - `edited`: its content does not match its own hash, or its stored bytes are not exactly the
 *   canonical JSON of its content, or the store keeps it under another sequence number;
 * - `removed`: the entry is missing (the next one has a later sequence number, or the log ends
 *   before the anchor given as `expectedHead`);
 * - `reordered`: the entry is present, but later in the log than it belongs;
 * - `duplicated`: a second copy of an earlier entry stands where this one belongs;
 * - `unlinked`: intact on its own, but the chain does not run through it: the next entry does not
 *   carry its hash (it was rewritten and its hash recomputed — or the next one was), or it does
 *   not match the anchored hash.
 */
export const AUDIT_PROBLEMS = [
  'malformed',
  'edited',
  'removed',
  'reordered',
  'duplicated',
  'unlinked',
] as const
/** One of {@link AUDIT_PROBLEMS}. */
export type AuditProblem = (typeof AUDIT_PROBLEMS)[number]

/** The last entry of a chain: an anchor to compare a later verification with. */
export interface AuditHead {
  readonly sequence: number
  readonly hash: string
}

/** The first entry at which a log stops being trustworthy. */
export interface BadAuditEntry {
  /** The sequence number of the first bad entry (where the chain breaks). */
  readonly sequence: number
  readonly reason: AuditProblem
  /** What exactly is wrong, for people. */
  readonly detail: string
}

/** The result of {@link verifyAuditLog}. */
export type AuditVerification =
  | {
      readonly ok: true
      /** How many entries were verified. */
      readonly entries: number
      /** The last entry, or `null` for an empty log: keep it somewhere else as an anchor. */
      readonly head: AuditHead | null
    }
  | {
      readonly ok: false
      readonly firstBad: BadAuditEntry
      /** How many entries before the first bad one are intact and linked. */
      readonly entries: number
    }

/** Options of {@link verifyAuditLog}. */
export interface VerifyAuditLogOptions {
  /**
   * The head recorded at an earlier verification (or published elsewhere: a commit message, a
   * ticket). The log must reach it with the same hash: this detects entries removed from the end
   * and a chain rewritten from some entry on, which a chain alone cannot.
   */
  readonly expectedHead?: AuditHead | undefined
  /**
   * Verify a continuation: the entries given follow this already-verified head instead of
   * starting at sequence 1.
   */
  readonly after?: AuditHead | undefined
}

interface Item {
  readonly entry?: AuditEntry
  readonly problem?: { readonly reason: 'malformed' | 'edited'; readonly detail: string }
  readonly storedSequence?: number
}

function inspect(item: AuditEntry | AuditRecord): Item {
  try {
    return inspectEntry(item)
  } catch (error) {
    // Content JSON cannot hold exactly (a number that overflowed to Infinity): not an entry.
    const reason = error instanceof Error ? error.message : String(error)
    return { problem: { reason: 'malformed', detail: `it cannot be hashed: ${reason}` } }
  }
}

function inspectEntry(item: AuditEntry | AuditRecord): Item {
  let entry: AuditEntry
  let storedSequence: number | undefined
  if (isRecord(item)) {
    storedSequence = item.sequence
    const parsed = parseAuditRecord(item)
    if ('problem' in parsed) return { problem: { reason: 'malformed', detail: parsed.problem } }
    entry = parsed.entry
    if (canonicalJson(entry) !== item.json) {
      return {
        entry,
        problem: { reason: 'edited', detail: 'its stored bytes are not the canonical JSON of its content' },
      }
    }
  } else {
    const parsed = parseAuditEntry(item)
    if ('problem' in parsed) return { problem: { reason: 'malformed', detail: parsed.problem } }
    entry = parsed.entry
  }
  if (hashAuditEntry(entry) !== entry.hash) {
    return { entry, problem: { reason: 'edited', detail: 'its content does not match its hash' } }
  }
  return storedSequence === undefined ? { entry } : { entry, storedSequence }
}

function isRecord(item: AuditEntry | AuditRecord): item is AuditRecord {
  return typeof (item as { json?: unknown }).json === 'string'
}

/**
 * Checks an audit log — entries, or records as a store returns them, in stored order — and names
 * the first entry that was edited, removed, re-ordered or otherwise tampered with. Each entry must
 * be intact (its hash matches its content; for records, the stored bytes are exactly its canonical
 * JSON), carry the sequence number after the previous one, and carry the previous entry's hash.
 *
 * What it cannot see on its own: entries removed from the very end, or a whole tail rewritten
 * with recomputed hashes. Record the `head` of a good verification somewhere else and pass it as
 * `expectedHead` later to catch both.
 *
 * @example
 * ```ts
 * const result = verifyAuditLog(await store.read())
 * if (!result.ok) console.error(`entry ${result.firstBad.sequence}: ${result.firstBad.reason}`)
 * ```
 */
export function verifyAuditLog(
  entries: readonly (AuditEntry | AuditRecord)[],
  options: VerifyAuditLogOptions = {},
): AuditVerification {
  const { verification } = verifyChain(entries, options)
  return verification
}

/**
 * {@link verifyAuditLog}, also returning the verified entries (up to the first bad one).
 * @internal
 */
export function verifyChain(
  items: readonly (AuditEntry | AuditRecord)[],
  options: VerifyAuditLogOptions = {},
): { readonly verification: AuditVerification; readonly entries: readonly AuditEntry[] } {
  const start = options.after ?? { sequence: 0, hash: GENESIS_HASH }
  const inspected = items.map(inspect)
  const verified: AuditEntry[] = []
  const fail = (sequence: number, reason: AuditProblem, detail: string) => ({
    verification: { ok: false as const, firstBad: { sequence, reason, detail }, entries: verified.length },
    entries: verified,
  })
  let head: AuditHead = start
  for (const [position, item] of inspected.entries()) {
    const expected = head.sequence + 1
    if (item.problem !== undefined || item.entry === undefined) {
      const problem = item.problem ?? { reason: 'malformed' as const, detail: 'unreadable' }
      return fail(expected, problem.reason, `entry ${expected}: ${problem.detail}`)
    }
    const entry = item.entry
    if (entry.sequence > expected) {
      const later = inspected.slice(position + 1).some((other) => other.entry?.sequence === expected)
      if (later) {
        return fail(
          expected,
          'reordered',
          `entry ${expected} is out of place: entry ${entry.sequence} stands where it belongs, and it comes later`,
        )
      }
      const missing =
        entry.sequence === expected + 1
          ? `entry ${expected} is missing`
          : `entries ${expected}–${entry.sequence - 1} are missing`
      return fail(
        expected,
        'removed',
        `${missing}: entry ${head.sequence} is followed by entry ${entry.sequence}`,
      )
    }
    if (entry.sequence < expected) {
      return fail(
        expected,
        'duplicated',
        `a second copy of entry ${entry.sequence} stands where entry ${expected} belongs`,
      )
    }
    if (entry.prevHash !== head.hash) {
      if (head.sequence === start.sequence) {
        return fail(
          expected,
          'unlinked',
          expected === 1
            ? 'entry 1 does not start from the genesis hash'
            : `entry ${expected} does not carry the hash of the verified entry ${head.sequence}`,
        )
      }
      return fail(
        head.sequence,
        'unlinked',
        `entry ${expected} does not carry the hash of entry ${head.sequence}: entry ${head.sequence} was rewritten with a recomputed hash (or entry ${expected} was)`,
      )
    }
    if (item.storedSequence !== undefined && item.storedSequence !== entry.sequence) {
      return fail(
        expected,
        'edited',
        `entry ${expected} is stored under sequence number ${item.storedSequence}`,
      )
    }
    verified.push(entry)
    head = { sequence: entry.sequence, hash: entry.hash }
  }
  const anchor = options.expectedHead
  if (anchor !== undefined) {
    if (head.sequence < anchor.sequence) {
      return fail(
        head.sequence + 1,
        'removed',
        `the log ends at entry ${head.sequence}, but the anchor is entry ${anchor.sequence}: entries from ${head.sequence + 1} on were removed`,
      )
    }
    const anchored =
      anchor.sequence === start.sequence
        ? start
        : verified.find((entry) => entry.sequence === anchor.sequence)
    if (anchored !== undefined && anchored.hash !== anchor.hash) {
      return fail(
        anchor.sequence,
        'unlinked',
        `entry ${anchor.sequence} does not match the anchored hash: the log was rewritten up to it`,
      )
    }
  }
  return {
    verification: {
      ok: true,
      entries: verified.length,
      head: head.sequence === 0 ? null : head,
    },
    entries: verified,
  }
}
