import { DAY_MS, HOUR_MS, MINUTE_MS, PRIORITIES, type Priority, type SloSpec } from '@slokit/core'
import { forPriority, type GovernanceSection } from './config.js'
import type { GovernanceState } from './state.js'

/** How urgent a review is. */
export const REVIEW_NOTICE_STATES = ['overdue', 'due', 'unscheduled'] as const
/** One of {@link REVIEW_NOTICE_STATES}. */
export type ReviewNoticeState = (typeof REVIEW_NOTICE_STATES)[number]

/**
 * An SLO whose review is due: the structured notice a host (or, later, the engine through
 * `@slokit/alerting`) turns into a notification. Plain data, safe to serialise.
 */
export interface ReviewNotice {
  readonly kind: 'review-due'
  readonly sloId: string
  readonly priority: Priority | undefined
  readonly owner: string | undefined
  /**
   * `overdue`: the due date has passed; `due`: it falls within `reviews.dueSoon`;
   * `unscheduled`: the SLO was never reviewed and no review is scheduled.
   */
  readonly state: ReviewNoticeState
  /**
   * When the review is due: the earlier of the open review's due date and the last completed
   * review plus the cadence. `null` for `unscheduled`.
   */
  readonly dueMs: number | null
  /** How long past due (0 unless `overdue`). */
  readonly overdueByMs: number
  /** The review cadence of the SLO's priority. */
  readonly cadenceMs: number
  /** When the last review was completed, or `null`. */
  readonly lastReviewedMs: number | null
  /** The open review, if one is scheduled. */
  readonly reviewId: string | null
  /** Its reviewers (empty when none is scheduled). */
  readonly reviewers: readonly string[]
  /** One line for people: `checkout-availability (critical): review overdue by 3 days (due 2026-06-01T00:00:00Z); reviewers alice, bob`. */
  readonly message: string
}

/** When an SLO was last reviewed and when it is next due. @internal */
export interface ReviewTiming {
  readonly cadenceMs: number | undefined
  readonly lastReviewedMs: number | null
  readonly dueMs: number | null
  readonly openReview:
    | { readonly id: string; readonly dueMs: number; readonly reviewers: readonly string[] }
    | undefined
}

/** @internal */
export function reviewTiming(slo: SloSpec, state: GovernanceState, config: GovernanceSection): ReviewTiming {
  const cadenceMs = forPriority(config.reviews.cadenceMs, slo.priority)?.value
  let lastReviewedMs: number | null = null
  let openReview: ReviewTiming['openReview']
  for (const review of state.reviews.values()) {
    if (review.sloId !== slo.id) continue
    if (review.status === 'completed' && review.completed !== undefined) {
      lastReviewedMs = Math.max(lastReviewedMs ?? review.completed.atMs, review.completed.atMs)
    }
    if (review.status === 'scheduled' && (openReview === undefined || review.dueMs < openReview.dueMs)) {
      openReview = { id: review.id, dueMs: review.dueMs, reviewers: review.reviewers }
    }
  }
  const byCadence =
    cadenceMs === undefined || lastReviewedMs === null ? undefined : lastReviewedMs + cadenceMs
  const candidates = [byCadence, openReview?.dueMs].filter((ms): ms is number => ms !== undefined)
  return {
    cadenceMs,
    lastReviewedMs,
    openReview,
    dueMs: candidates.length === 0 ? null : Math.min(...candidates),
  }
}

/**
 * The review notices at `nowMs`: SLOs past due, due within `reviews.dueSoon`, or never reviewed
 * with nothing scheduled. SLOs whose priority has no cadence are left out. Sorted most urgent
 * first: overdue (longest first), due (soonest first), unscheduled; then by priority and id.
 * @internal
 */
export function reviewNotices(
  slos: Iterable<SloSpec>,
  state: GovernanceState,
  config: GovernanceSection,
  nowMs: number,
): ReviewNotice[] {
  const notices: ReviewNotice[] = []
  for (const slo of slos) {
    const timing = reviewTiming(slo, state, config)
    if (timing.cadenceMs === undefined) continue
    let noticeState: ReviewNoticeState
    if (timing.dueMs === null) noticeState = 'unscheduled'
    else if (nowMs >= timing.dueMs) noticeState = 'overdue'
    else if (timing.dueMs - nowMs <= config.reviews.dueSoonMs) noticeState = 'due'
    else continue
    const overdueByMs = noticeState === 'overdue' && timing.dueMs !== null ? nowMs - timing.dueMs : 0
    const reviewers = timing.openReview?.reviewers ?? []
    notices.push({
      kind: 'review-due',
      sloId: slo.id,
      priority: slo.priority,
      owner: slo.owner,
      state: noticeState,
      dueMs: timing.dueMs,
      overdueByMs,
      cadenceMs: timing.cadenceMs,
      lastReviewedMs: timing.lastReviewedMs,
      reviewId: timing.openReview?.id ?? null,
      reviewers,
      message: describeNotice(slo, noticeState, timing.dueMs, nowMs, reviewers),
    })
  }
  const order = (notice: ReviewNotice) => REVIEW_NOTICE_STATES.indexOf(notice.state)
  const rank = (notice: ReviewNotice) =>
    notice.priority === undefined ? PRIORITIES.length : PRIORITIES.indexOf(notice.priority)
  return notices.sort(
    (a, b) =>
      order(a) - order(b) ||
      (a.state === 'overdue' ? b.overdueByMs - a.overdueByMs : (a.dueMs ?? 0) - (b.dueMs ?? 0)) ||
      rank(a) - rank(b) ||
      (a.sloId < b.sloId ? -1 : a.sloId > b.sloId ? 1 : 0),
  )
}

function describeNotice(
  slo: SloSpec,
  state: ReviewNoticeState,
  dueMs: number | null,
  nowMs: number,
  reviewers: readonly string[],
): string {
  const who = `${slo.id}${slo.priority === undefined ? '' : ` (${slo.priority})`}`
  const by = reviewers.length === 0 ? '' : `; reviewers ${reviewers.join(', ')}`
  if (state === 'unscheduled' || dueMs === null) return `${who}: never reviewed and no review scheduled`
  if (state === 'overdue')
    return `${who}: review overdue by ${roughDuration(nowMs - dueMs)} (due ${isoTime(dueMs)})${by}`
  return `${who}: review due in ${roughDuration(dueMs - nowMs)} (${isoTime(dueMs)})${by}`
}

/** `2026-06-01T00:00:00Z`. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}

/** `3 days`, `5 hours`, `12 minutes`: for people, rounded down. */
export function roughDuration(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`
  if (ms >= 2 * DAY_MS) return plural(Math.floor(ms / DAY_MS), 'day')
  if (ms >= 2 * HOUR_MS) return plural(Math.floor(ms / HOUR_MS), 'hour')
  return plural(Math.max(0, Math.floor(ms / MINUTE_MS)), 'minute')
}
