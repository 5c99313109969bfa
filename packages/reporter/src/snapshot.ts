import { type DataState, SlokitError, type SloStatus } from '@slokit/core'

/**
 * One SLO at one instant, as a status history keeps it: the few numbers trends, forecasts and
 * charts need, not the whole `SloStatus`. A month of one-minute snapshots of 100 SLOs is
 * 4.3 million of these, so they stay small.
 */
export interface StatusSnapshot {
  readonly sloId: string
  /** Evaluation time, epoch ms. */
  readonly atMs: number
  /** The SLI over the SLO's window; `null` without data. */
  readonly sli: number | null
  /** The objective in force then (objectives change; breaches are judged against the one of the time). */
  readonly objective: number
  /** Fraction of the error budget left (negative once overspent); `null` when unknown. */
  readonly budgetRemaining: number | null
  /** How trustworthy the status was. */
  readonly state: DataState
}

/**
 * Reduces a status to the snapshot a {@link StatusHistory} keeps.
 *
 * @example
 * ```ts
 * await history.append(statuses.map(toSnapshot))
 * ```
 */
export function toSnapshot(status: SloStatus): StatusSnapshot {
  return {
    sloId: status.sloId,
    atMs: status.evaluatedAtMs,
    sli: status.sli,
    objective: status.objective,
    budgetRemaining: status.budget === null ? null : status.budget.remaining,
    state: status.data.state,
  }
}

/** `met` as the status had it: the SLI reached the objective; `null` without data. */
export function snapshotMet(snapshot: StatusSnapshot): boolean | null {
  return snapshot.sli === null ? null : snapshot.sli >= snapshot.objective
}

/** Throws `INVALID_ARGUMENT` naming the first problem of a snapshot handed to a history. */
export function checkSnapshot(snapshot: StatusSnapshot, where: string): void {
  const problem =
    typeof snapshot?.sloId !== 'string' || snapshot.sloId === ''
      ? '`sloId` must be a non-empty string'
      : !Number.isFinite(snapshot.atMs)
        ? '`atMs` must be a finite epoch time in ms'
        : !(snapshot.sli === null || Number.isFinite(snapshot.sli))
          ? '`sli` must be a number or null'
          : !Number.isFinite(snapshot.objective)
            ? '`objective` must be a number'
            : !(snapshot.budgetRemaining === null || Number.isFinite(snapshot.budgetRemaining))
              ? '`budgetRemaining` must be a number or null'
              : undefined
  if (problem !== undefined) {
    throw new SlokitError('INVALID_ARGUMENT', `[slokit/reporter] ${where}: ${problem}.`, {
      hint: 'build snapshots with toSnapshot(status)',
    })
  }
}
