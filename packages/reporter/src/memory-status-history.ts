import { DAY_MS, type DataState, SlokitError } from '@slokit/core'
import { checkSnapshot, type StatusSnapshot } from './snapshot.js'
import type { HistoryQuery, StatusHistory, StatusHistoryOptions } from './status-history.js'

const STATES: readonly DataState[] = ['ok', 'partial', 'stale', 'no_data']
/** Default retention of the slokit histories: 35 days. */
export const DEFAULT_HISTORY_RETENTION_MS = 35 * DAY_MS

/**
 * One SLO's snapshots as columns. Plain number arrays hold unboxed doubles in V8, so a snapshot
 * costs about 33 bytes here instead of an object's ~150: 4.3 M snapshots fit in ~140 MB.
 */
class Columns {
  atMs: number[] = []
  sli: number[] = [] // NaN for null
  objective: number[] = []
  remaining: number[] = [] // NaN for null
  state: number[] = []
  sorted = true

  push(s: StatusSnapshot): void {
    const n = this.atMs.length
    if (n > 0 && s.atMs < (this.atMs[n - 1] as number)) this.sorted = false
    this.atMs.push(s.atMs)
    this.sli.push(s.sli ?? Number.NaN)
    this.objective.push(s.objective)
    this.remaining.push(s.budgetRemaining ?? Number.NaN)
    this.state.push(STATES.indexOf(s.state))
  }

  sort(): void {
    if (this.sorted) return
    const order = this.atMs
      .map((_, i) => i)
      .sort((a, b) => (this.atMs[a] as number) - (this.atMs[b] as number))
    const pick = (column: number[]) => order.map((i) => column[i] as number)
    this.atMs = pick(this.atMs)
    this.sli = pick(this.sli)
    this.objective = pick(this.objective)
    this.remaining = pick(this.remaining)
    this.state = pick(this.state)
    this.sorted = true
  }

  /** First index with `atMs >= t` (columns sorted). */
  lowerBound(t: number): number {
    let lo = 0
    let hi = this.atMs.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.atMs[mid] as number) < t) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  dropBefore(t: number): void {
    this.sort()
    const n = this.lowerBound(t)
    if (n === 0) return
    this.atMs.splice(0, n)
    this.sli.splice(0, n)
    this.objective.splice(0, n)
    this.remaining.splice(0, n)
    this.state.splice(0, n)
  }

  snapshot(sloId: string, i: number): StatusSnapshot {
    const sli = this.sli[i] as number
    const remaining = this.remaining[i] as number
    return {
      sloId,
      atMs: this.atMs[i] as number,
      sli: Number.isNaN(sli) ? null : sli,
      objective: this.objective[i] as number,
      budgetRemaining: Number.isNaN(remaining) ? null : remaining,
      state: STATES[this.state[i] as number] ?? 'ok',
    }
  }
}

/** Validated {@link StatusHistoryOptions}, with defaults applied. */
export interface ResolvedHistoryOptions {
  readonly retentionMs: number
  readonly minIntervalMs: number
}

/** Applies defaults and refuses nonsense, naming the option. */
export function resolveHistoryOptions(options: StatusHistoryOptions, where: string): ResolvedHistoryOptions {
  const retentionMs = options.retentionMs ?? DEFAULT_HISTORY_RETENTION_MS
  const minIntervalMs = options.minIntervalMs ?? 0
  if (!(Number.isFinite(retentionMs) && retentionMs > 0)) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `[slokit/reporter] ${where}: \`retentionMs\` must be a positive number of milliseconds, got ${retentionMs}.`,
    )
  }
  if (!(Number.isFinite(minIntervalMs) && minIntervalMs >= 0)) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `[slokit/reporter] ${where}: \`minIntervalMs\` must be a number of milliseconds >= 0, got ${minIntervalMs}.`,
    )
  }
  return { retentionMs, minIntervalMs }
}

/**
 * Keeps status snapshots in memory, compactly (as columns per SLO), with retention measured from
 * the newest snapshot and optional thinning. For tests, short-lived hosts, and as the index behind
 * {@link FileStatusHistory}.
 *
 * @example
 * ```ts
 * const history = new MemoryStatusHistory({ retentionMs: 35 * DAY_MS })
 * await history.append(tracker.statuses().map(toSnapshot))
 * ```
 */
export class MemoryStatusHistory implements StatusHistory {
  readonly #bySlo = new Map<string, Columns>()
  readonly #options: ResolvedHistoryOptions
  #newestMs = Number.NEGATIVE_INFINITY
  #expiredSincePrune = 0

  /** @throws `SlokitError` `INVALID_ARGUMENT` for a retention or interval that is not a valid duration. */
  constructor(options: StatusHistoryOptions = {}) {
    this.#options = resolveHistoryOptions(options, 'new MemoryStatusHistory()')
  }

  async append(snapshots: readonly StatusSnapshot[]): Promise<void> {
    this.accept(snapshots)
  }

  async read(query: HistoryQuery): Promise<StatusSnapshot[]> {
    return this.select(query)
  }

  /**
   * Synchronous {@link append}: validates the whole batch first, then keeps what thinning lets
   * through. Returns the snapshots kept, in batch order.
   * @internal
   */
  accept(snapshots: readonly StatusSnapshot[]): StatusSnapshot[] {
    for (const [i, s] of snapshots.entries()) checkSnapshot(s, `StatusHistory.append(): snapshot ${i}`)
    const kept: StatusSnapshot[] = []
    for (const s of snapshots) {
      let columns = this.#bySlo.get(s.sloId)
      if (columns === undefined) {
        columns = new Columns()
        this.#bySlo.set(s.sloId, columns)
      }
      const n = columns.atMs.length
      if (this.#options.minIntervalMs > 0 && n > 0) {
        const last = columns.atMs[n - 1] as number
        if (s.atMs >= last && s.atMs - last < this.#options.minIntervalMs) continue
      }
      if (s.atMs < this.cutoffMs()) continue
      columns.push(s)
      kept.push(s)
      if (s.atMs > this.#newestMs) this.#newestMs = s.atMs
    }
    this.prune()
    return kept
  }

  /**
   * Synchronous {@link read}.
   * @internal
   */
  select(query: HistoryQuery): StatusSnapshot[] {
    const startMs = Math.max(query.startMs, this.cutoffMs())
    const ids = query.sloIds ?? [...this.#bySlo.keys()]
    const out: StatusSnapshot[] = []
    for (const id of new Set(ids)) {
      const columns = this.#bySlo.get(id)
      if (columns === undefined) continue
      columns.sort()
      const end = columns.lowerBound(query.endMs)
      for (let i = columns.lowerBound(startMs); i < end; i++) out.push(columns.snapshot(id, i))
    }
    return out
  }

  /** Every kept snapshot, SLO by SLO in time order: what a file compaction writes. @internal */
  all(): StatusSnapshot[] {
    return this.select({ startMs: Number.NEGATIVE_INFINITY, endMs: Number.POSITIVE_INFINITY })
  }

  /** How many snapshots are live (kept and not expired). @internal */
  liveCount(): number {
    const cutoff = this.cutoffMs()
    let n = 0
    for (const columns of this.#bySlo.values()) {
      columns.sort()
      n += columns.atMs.length - columns.lowerBound(cutoff)
    }
    return n
  }

  /** Snapshots older than this are expired. @internal */
  cutoffMs(): number {
    return this.#newestMs - this.#options.retentionMs
  }

  // Expired snapshots are invisible at once (reads clip at the cutoff); the arrays are trimmed in
  // batches so that appending every minute does not shift every column every minute.
  private prune(): void {
    const cutoff = this.cutoffMs()
    let expired = 0
    for (const columns of this.#bySlo.values()) {
      const first = columns.atMs[0]
      if (first !== undefined && first < cutoff) expired++
    }
    if (expired === 0) return
    this.#expiredSincePrune++
    if (this.#expiredSincePrune < 64) return
    this.#expiredSincePrune = 0
    for (const [id, columns] of this.#bySlo) {
      columns.dropBefore(cutoff)
      if (columns.atMs.length === 0) this.#bySlo.delete(id)
    }
  }
}
