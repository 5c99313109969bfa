import type { StatusSnapshot } from './snapshot.js'

/** Which snapshots {@link StatusHistory.read} answers. */
export interface HistoryQuery {
  /** Only these SLOs; every SLO when left out. */
  readonly sloIds?: readonly string[] | undefined
  /** Start of the range, epoch ms (inclusive). */
  readonly startMs: number
  /** End of the range, epoch ms (exclusive). */
  readonly endMs: number
}

/**
 * Where status snapshots are kept over time, so reports can draw trends and burn-down charts and
 * forecast exhaustion. Two methods: the engine appends what it evaluated; a report reads a range.
 * Retention and thinning are settings of an implementation ({@link StatusHistoryOptions}), not of
 * the interface. Implement it over a database to share history between engine replicas, and run
 * {@link statusHistoryContract} in its tests.
 *
 * @example
 * ```ts
 * const history: StatusHistory = new FileStatusHistory('.slokit/history.jsonl', { retentionMs: 35 * DAY_MS })
 * await history.append(statuses.map(toSnapshot))                      // after every evaluation
 * const snapshots = await history.read({ startMs: now - 30 * DAY_MS, endMs: now })
 * ```
 */
export interface StatusHistory {
  /**
   * Keeps snapshots. Resolves once they are stored (for a file: written). Snapshots may arrive in
   * any order; an implementation may drop some (thinning, retention) but never reorders what it reads back.
   * @throws `SlokitError` `INVALID_ARGUMENT` for a malformed snapshot (nothing of the batch is kept).
   */
  append(snapshots: readonly StatusSnapshot[]): Promise<void>
  /**
   * The snapshots with `startMs <= atMs < endMs`, grouped by SLO (in the order SLOs were first
   * appended), each SLO's in time order.
   */
  read(query: HistoryQuery): Promise<StatusSnapshot[]>
}

/** Settings every slokit history implementation takes. */
export interface StatusHistoryOptions {
  /**
   * How long snapshots are kept, measured back from the newest snapshot appended (not the wall
   * clock, so a history replayed on fake time behaves the same). 35 days by default: a 30-day
   * report with room to spare.
   */
  readonly retentionMs?: number | undefined
  /**
   * Keep at most one snapshot per SLO per this interval (the first of each); 0 (keep all) by
   * default. An engine evaluating every minute with `minIntervalMs: 5 * MINUTE_MS` stores a fifth.
   */
  readonly minIntervalMs?: number | undefined
}
