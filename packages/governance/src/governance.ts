import {
  type Clock,
  type Logger,
  noopLogger,
  type Priority,
  parseSlo,
  SlokitError,
  type SloSpec,
  systemClock,
} from '@slokit/core'
import { type Actor, checkActor, checkIds } from './actor.js'
import {
  type ApplicableRule,
  type ApprovalProgress,
  applicableRules,
  evaluateApprovals,
  mayApprove,
} from './approval-matrix.js'
import {
  AUDIT_FORMAT,
  type AuditEntry,
  type AuditEvent,
  type AuditRecord,
  REVIEW_OUTCOMES,
  type ReviewOutcome,
  sealAuditEntry,
  toAuditRecord,
} from './audit-entry.js'
import { canonicalJson } from './canonical-json.js'
import type { GovernanceSection } from './config.js'
import { checkDocumentation, type DocumentationIssue } from './documentation.js'
import { AuditLogError, GovernanceError } from './errors.js'
import { isoTime, type ReviewNotice, reviewNotices, reviewTiming } from './reviews.js'
import {
  applySloChanges,
  applySloPatch,
  CHANGE_TYPES,
  type ChangeType,
  diffSloDefinitions,
  type SloChange,
  type SloDefinition,
  type SloPatch,
  sameDefinition,
  toSloDefinition,
} from './slo-definition.js'
import {
  type Approval,
  GovernanceState,
  type ProposalDecision,
  type ProposalRecord,
  type ProposalStatus,
  type ReviewRecord,
  type ReviewStatus,
  type VersionRecord,
} from './state.js'
import type { GovernanceStore } from './store.js'
import {
  type AuditHead,
  type AuditVerification,
  type VerifyAuditLogOptions,
  verifyAuditLog,
  verifyChain,
} from './verify-audit-log.js'

/** Options of {@link Governance}. */
export interface GovernanceOptions {
  /** Where the audit log lives. */
  readonly store: GovernanceStore
  /** The parsed `governance` section (see `governanceSectionSchema`, `parseGovernanceSection`). */
  readonly config: GovernanceSection
  /** The SLOs as the configuration defines them now: the current version of each. */
  readonly slos: readonly SloSpec[]
  /** The source of every entry's time; `systemClock` by default. */
  readonly clock?: Clock | undefined
  /** Where retries and refusals are logged (at `debug`); nothing by default. */
  readonly logger?: Logger | undefined
  /** How often a write is retried when other writers keep appending first; 5 by default. */
  readonly maxWriteAttempts?: number | undefined
}

/**
 * How an SLO's configuration relates to its recorded versions:
 * - `baseline`: no change was ever approved; the configuration is version 1;
 * - `in-sync`: the configuration is the latest approved version;
 * - `pending`: the latest version was approved, but the configuration still has the one before
 *   (roll it out: `updateSloInYaml`, or your own store of definitions);
 * - `drifted`: the configuration matches neither — it was changed outside governance;
 * - `not-in-config`: the SLO has recorded versions but is no longer in the configuration.
 */
export const VERSION_STATUSES = ['baseline', 'in-sync', 'pending', 'drifted', 'not-in-config'] as const
/** One of {@link VERSION_STATUSES}. */
export type VersionStatus = (typeof VERSION_STATUSES)[number]

/** One version of an SLO definition: who changed it, when, why, and what changed. */
export interface SloVersion {
  readonly sloId: string
  /** 1 for the definition before the first approved change, then +1 per approved proposal. */
  readonly version: number
  readonly definition: SloDefinition
  /** The definition as a validated SLO. */
  readonly slo: SloSpec
  /** `baseline` for version 1 (no record of who wrote it), `proposal` for an approved change. */
  readonly source: 'baseline' | 'proposal'
  /** When the change was approved. */
  readonly atMs?: number | undefined
  readonly proposalId?: string | undefined
  readonly proposedBy?: Actor | undefined
  /** Ids of the approvers, in approval order. */
  readonly approvedBy?: readonly string[] | undefined
  /** Why: the proposal's reason. */
  readonly reason?: string | undefined
  /** What changed from the previous version (empty for version 1). */
  readonly changes: readonly SloChange[]
  /**
   * Changes made outside governance between the previous version and the definition this one
   * was approved on (the configuration had drifted), if any.
   */
  readonly outsideChanges: readonly SloChange[]
}

/** A proposal: a structured change to one SLO, its approvals, and how it ended. */
export interface Proposal {
  /** `P-1`, `P-2`, … */
  readonly id: string
  readonly sloId: string
  readonly status: ProposalStatus
  readonly proposer: Actor
  readonly openedMs: number
  readonly reason: string
  /** The definition it was proposed against. */
  readonly base: SloDefinition
  /** The definition it would make. */
  readonly proposed: SloDefinition
  readonly changes: readonly SloChange[]
  /** The change types of `changes`, in {@link CHANGE_TYPES} order. */
  readonly changeTypes: readonly ChangeType[]
  readonly approvals: readonly Approval[]
  /**
   * Against the approval matrix in force now (for an approved proposal: as evaluated when it
   * was decided).
   */
  readonly progress: ApprovalProgress
  readonly decision?: ProposalDecision | undefined
  /** For an approved proposal: the version it produced. */
  readonly version?: SloVersion | undefined
  /**
   * For an approved proposal: whether the configuration has it — `applied`, `pending` (roll it
   * out), `drifted` (the configuration differs from both), or `superseded` by a later version.
   */
  readonly rollout?: 'applied' | 'pending' | 'drifted' | 'superseded' | undefined
}

/** A review of an SLO: scheduled with reviewers and a due date, then completed or cancelled. */
export interface Review {
  /** `R-1`, `R-2`, … */
  readonly id: string
  readonly sloId: string
  readonly status: ReviewStatus
  readonly dueMs: number
  readonly reviewers: readonly string[]
  readonly notes?: string | undefined
  readonly scheduledBy: Actor
  readonly scheduledMs: number
  readonly completed?:
    | {
        readonly actor: Actor
        readonly atMs: number
        readonly outcome: ReviewOutcome
        readonly notes: string
      }
    | undefined
  readonly cancelled?: { readonly actor: Actor; readonly atMs: number; readonly reason: string } | undefined
}

/** An SLO of the registry: its current definition and its governance state. */
export interface SloRecord {
  readonly slo: SloSpec
  /** The latest recorded version, or 1. */
  readonly version: number
  readonly status: VersionStatus
  /** Ids of its open proposals. */
  readonly openProposals: readonly string[]
  readonly lastReviewedMs: number | null
  /** When its next review is due, or `null` (never reviewed and nothing scheduled, or no cadence). */
  readonly nextReviewDueMs: number | null
  /** The review notice, when the review is overdue, due soon or unscheduled. */
  readonly review?: ReviewNotice | undefined
  readonly documentation: readonly DocumentationIssue[]
}

/** Everything recorded about one SLO. */
export interface SloHistory {
  readonly sloId: string
  readonly status: VersionStatus
  /** The definition in the configuration now (absent when the SLO is no longer configured). */
  readonly current?: SloSpec | undefined
  /** Oldest first. Version 1 is the configuration before the first approved change. */
  readonly versions: readonly SloVersion[]
  /** For `drifted` and `pending`: how the configuration differs from the latest version. */
  readonly configChanges: readonly SloChange[]
  readonly proposals: readonly Proposal[]
  readonly reviews: readonly Review[]
}

/** What needs attention, for a dashboard or a weekly digest. */
export interface GovernanceDashboard {
  readonly atMs: number
  /** Reviews overdue, due soon or never scheduled, most urgent first. */
  readonly reviews: readonly ReviewNotice[]
  readonly openProposals: readonly Proposal[]
  /** Approved proposals the configuration does not have yet. */
  readonly pendingRollout: readonly Proposal[]
  /** SLOs whose configuration was changed outside governance. */
  readonly drifted: readonly string[]
  /** Missing documentation, by the rules of `governance.documentation`. */
  readonly documentation: readonly DocumentationIssue[]
  /** The verified audit log's size and head (an anchor for `verifyAuditLog`'s `expectedHead`). */
  readonly audit: { readonly entries: number; readonly head: AuditHead | null }
}

/** What {@link Governance.propose} takes. */
export interface ProposeInput {
  readonly sloId: string
  /** The fields to change, in SLO input form (`{ objective: '99.95%' }`); `null` removes one. */
  readonly set: SloPatch
  /** Why: recorded with the proposal and the version it produces. */
  readonly reason: string
}

/** What {@link Governance.scheduleReview} takes. */
export interface ScheduleReviewInput {
  readonly sloId: string
  /** When the review is due, epoch milliseconds. */
  readonly dueMs: number
  /** Actor ids; one of them completes the review. */
  readonly reviewers: readonly string[]
  readonly notes?: string | undefined
}

/** What {@link Governance.completeReview} takes. */
export interface CompleteReviewInput {
  readonly outcome: ReviewOutcome
  /** What was looked at and decided. */
  readonly notes: string
}

type NewEntry = { readonly sloId: string } & AuditEvent

const MAX_TEXT = 10_000

/**
 * The governance workflow over one store: the SLO registry with its versions, reviews, change
 * proposals decided by the approval matrix, and the audit log they all live in.
 *
 * Every action takes the {@link Actor} the host authenticated, is checked against the
 * configuration, and is appended to the audit log as one atomic write; the state is replayed from
 * that log (verified entry by entry), so what governance decides on is exactly what the log
 * says. Several instances — several processes — may share a store: each write lands only on the
 * newest entry, and an instance that lost the race re-reads and re-checks before retrying.
 * A log that fails verification makes every action fail with {@link AuditLogError}.
 *
 * @example
 * ```ts
 * const governance = new Governance({ store, config: section, slos: config.slos, clock })
 * const proposal = await governance.propose(alice, {
 *   sloId: 'checkout-availability',
 *   set: { objective: '99.95%' },
 *   reason: 'Checkout has run at 99.97 % for two quarters; promise what we deliver.',
 * })
 * await governance.approve(bob, proposal.id)
 * const done = await governance.approve(carol, proposal.id) // the second SRE approval decides it
 * done.status            // 'approved'
 * done.version?.slo      // the new SloSpec: objective 0.9995
 * ```
 */
export class Governance {
  readonly #store: GovernanceStore
  readonly #config: GovernanceSection
  readonly #slos: ReadonlyMap<string, SloSpec>
  readonly #clock: Clock
  readonly #logger: Logger
  readonly #maxWriteAttempts: number
  readonly #state = new GovernanceState()
  #queue: Promise<unknown> = Promise.resolve()

  /** @throws {@link GovernanceError} `INVALID_INPUT` for a missing store or duplicate SLO ids. */
  constructor(options: GovernanceOptions) {
    const store = options.store as Partial<GovernanceStore> | undefined
    if (typeof store?.append !== 'function' || typeof store.read !== 'function') {
      throw new GovernanceError('INVALID_INPUT', 'Missing required option `store`: a GovernanceStore.', {
        hint: 'pass new MemoryGovernanceStore(), or openSqliteGovernanceStore() from @slokit/governance/sqlite',
      })
    }
    if (typeof options.config !== 'object' || options.config === null) {
      throw new GovernanceError(
        'INVALID_INPUT',
        'Missing required option `config`: the parsed governance section.',
        {
          hint: 'parse it with parseGovernanceSection(), or load it with governanceSectionSchema through @slokit/config',
        },
      )
    }
    const slos = new Map<string, SloSpec>()
    for (const slo of options.slos ?? []) {
      if (slos.has(slo.id))
        throw new GovernanceError('INVALID_INPUT', `Option \`slos\` has SLO \`${slo.id}\` twice.`)
      slos.set(slo.id, slo)
    }
    const attempts = options.maxWriteAttempts ?? 5
    if (!Number.isSafeInteger(attempts) || attempts < 1) {
      throw new GovernanceError(
        'INVALID_INPUT',
        `Option \`maxWriteAttempts\` must be a positive integer, got ${attempts}.`,
      )
    }
    this.#store = options.store
    this.#config = options.config
    this.#slos = slos
    this.#clock = options.clock ?? systemClock
    this.#logger = options.logger ?? noopLogger
    this.#maxWriteAttempts = attempts
  }

  // --- registry ------------------------------------------------------------------------------

  /** The SLOs of the configuration with their version, review and documentation state. */
  listSlos(filter: { readonly priority?: Priority | undefined } = {}): Promise<SloRecord[]> {
    return this.#read((state) => {
      const nowMs = this.#clock.now()
      const notices = new Map(
        reviewNotices(this.#slos.values(), state, this.#config, nowMs).map((n) => [n.sloId, n]),
      )
      const documentation = checkDocumentation([...this.#slos.values()], this.#config)
      const records: SloRecord[] = []
      for (const slo of this.#slos.values()) {
        if (filter.priority !== undefined && slo.priority !== filter.priority) continue
        const timing = reviewTiming(slo, state, this.#config)
        records.push({
          slo,
          version: state.latestVersion(slo.id)?.version ?? 1,
          status: this.#versionStatus(state, slo.id).status,
          openProposals: [...state.proposals.values()]
            .filter((p) => p.sloId === slo.id && p.status === 'open')
            .map((p) => p.id),
          lastReviewedMs: timing.lastReviewedMs,
          nextReviewDueMs: timing.dueMs,
          review: notices.get(slo.id),
          documentation: documentation.filter((issue) => issue.sloId === slo.id),
        })
      }
      return records
    })
  }

  /** Every version of an SLO, its proposals and reviews, and how the configuration relates to them. */
  history(sloId: string): Promise<SloHistory> {
    return this.#read((state) => {
      const recorded = state.versions.get(sloId) ?? []
      const current = this.#slos.get(sloId)
      const known =
        current !== undefined ||
        recorded.length > 0 ||
        [...state.proposals.values(), ...state.reviews.values()].some((item) => item.sloId === sloId)
      if (!known) throw this.#unknownSlo(sloId)
      const { status, configChanges } = this.#versionStatus(state, sloId)
      const versions: SloVersion[] = []
      const first = recorded[0]
      if (first !== undefined) versions.push(baselineVersion(sloId, first.previous))
      else if (current !== undefined) versions.push(baselineVersion(sloId, toSloDefinition(current)))
      for (const [i, record] of recorded.entries()) {
        const before = i === 0 ? undefined : recorded[i - 1]
        versions.push(this.#version(state, record, before))
      }
      return {
        sloId,
        status,
        current,
        versions,
        configChanges,
        proposals: [...state.proposals.values()]
          .filter((p) => p.sloId === sloId)
          .map((p) => this.#proposalView(state, p)),
        reviews: [...state.reviews.values()].filter((r) => r.sloId === sloId).map(reviewView),
      }
    })
  }

  // --- proposals -----------------------------------------------------------------------------

  /** Proposals, oldest first, optionally only those of one status or SLO. */
  proposals(
    filter: { readonly status?: ProposalStatus | undefined; readonly sloId?: string | undefined } = {},
  ): Promise<Proposal[]> {
    return this.#read((state) =>
      [...state.proposals.values()]
        .filter(
          (p) =>
            (filter.status === undefined || p.status === filter.status) &&
            (filter.sloId === undefined || p.sloId === filter.sloId),
        )
        .map((p) => this.#proposalView(state, p)),
    )
  }

  /** One proposal. @throws {@link GovernanceError} `UNKNOWN_PROPOSAL`. */
  proposal(proposalId: string): Promise<Proposal> {
    return this.#read((state) => this.#proposalView(state, this.#proposal(state, proposalId)))
  }

  /**
   * Proposes a change to an SLO. The patch is applied to the SLO's current definition and the
   * result validated as a whole; the proposal records both definitions and the field-level diff.
   *
   * @throws `SlokitSpecError` when the patched SLO is invalid; {@link GovernanceError} with
   * `UNKNOWN_SLO`, `NO_CHANGE`, `NO_APPROVAL_RULE` (nobody could ever approve it), `CONFLICT` (an
   * approved version of this SLO has not been rolled out yet) or `INVALID_INPUT`.
   */
  async propose(actor: Actor, input: ProposeInput): Promise<Proposal> {
    const who = checkActor(actor)
    const reason = checkText(input?.reason, 'reason')
    const slo = this.#slo(input.sloId)
    const proposedSlo = applySloPatch(slo, input.set)
    const base = toSloDefinition(slo)
    const proposed = toSloDefinition(proposedSlo)
    const changes = diffSloDefinitions(base, proposed)
    if (changes.length === 0) {
      throw new GovernanceError(
        'NO_CHANGE',
        `The proposal changes nothing: SLO \`${slo.id}\` already has these values.`,
      )
    }
    this.#rulesFor(slo.id, base, proposed, changes)
    let proposalId = ''
    await this.#write((state) => {
      this.#refusePending(state, slo.id)
      proposalId = state.nextProposalId()
      return [
        { sloId: slo.id, action: 'proposal.opened', data: { proposalId, reason, base, proposed, changes } },
      ]
    }, who)
    return this.proposal(proposalId)
  }

  /**
   * Approves a proposal. Refused for the proposer (`SELF_APPROVAL`), for an actor holding none of
   * the roles of the applicable rules (`NOT_AUTHORIZED`), twice by the same actor
   * (`ALREADY_APPROVED`), and for a proposal that is not open (`NOT_OPEN`) or no longer applies to
   * the SLO (`CONFLICT`). When this approval satisfies every applicable rule, the proposal is
   * approved and the new SLO version recorded, in the same write.
   */
  async approve(
    actor: Actor,
    proposalId: string,
    options: { readonly comment?: string | undefined } = {},
  ): Promise<Proposal> {
    const who = checkActor(actor)
    const comment = options.comment === undefined ? undefined : checkText(options.comment, 'comment')
    await this.#write((state) => {
      const proposal = this.#openProposal(state, proposalId, 'approve')
      if (who.id === proposal.proposer.id) {
        throw new GovernanceError(
          'SELF_APPROVAL',
          `\`${who.id}\` proposed ${proposal.id} and cannot approve it: a change needs approval from someone other than its proposer.`,
          { hint: 'ask an approver named by the approval matrix' },
        )
      }
      if (proposal.approvals.some((a) => a.actor.id === who.id)) {
        throw new GovernanceError('ALREADY_APPROVED', `\`${who.id}\` has already approved ${proposal.id}.`)
      }
      const slo = this.#slo(proposal.sloId)
      const rules = this.#rulesFor(slo.id, proposal.base, proposal.proposed, proposal.changes)
      this.#authorize(who, 'approve', proposal, rules, slo)
      const rebased = this.#rebase(state, proposal, slo)
      const progress = evaluateApprovals(rules, [...proposal.approvals, { actor: who }], {
        proposerId: proposal.proposer.id,
        sloOwner: slo.owner,
      })
      const entries: NewEntry[] = [
        { sloId: slo.id, action: 'proposal.approval', data: { proposalId: proposal.id, comment } },
      ]
      if (progress.satisfied) {
        const version = (state.latestVersion(slo.id)?.version ?? 1) + 1
        entries.push(
          {
            sloId: slo.id,
            action: 'proposal.approved',
            data: { proposalId: proposal.id, version, rules: progress.rules },
          },
          {
            sloId: slo.id,
            action: 'slo.versioned',
            data: {
              version,
              proposalId: proposal.id,
              reason: proposal.reason,
              previous: rebased.previous,
              definition: rebased.definition,
              changes: diffSloDefinitions(rebased.previous, rebased.definition),
            },
          },
        )
      }
      return entries
    }, who)
    return this.proposal(proposalId)
  }

  /**
   * Rejects a proposal, closing it. Any actor who may approve it may reject it; the proposer
   * withdraws instead.
   */
  async reject(actor: Actor, proposalId: string, options: { readonly reason: string }): Promise<Proposal> {
    const who = checkActor(actor)
    const reason = checkText(options?.reason, 'reason')
    await this.#write((state) => {
      const proposal = this.#openProposal(state, proposalId, 'reject')
      if (who.id === proposal.proposer.id) {
        throw new GovernanceError(
          'NOT_AUTHORIZED',
          `\`${who.id}\` proposed ${proposal.id}: withdraw it rather than reject it.`,
        )
      }
      const slo = this.#slo(proposal.sloId)
      const rules = this.#rulesFor(slo.id, proposal.base, proposal.proposed, proposal.changes)
      this.#authorize(who, 'reject', proposal, rules, slo)
      return [{ sloId: slo.id, action: 'proposal.rejected', data: { proposalId: proposal.id, reason } }]
    }, who)
    return this.proposal(proposalId)
  }

  /** Withdraws a proposal; only its proposer may. */
  async withdraw(
    actor: Actor,
    proposalId: string,
    options: { readonly reason?: string | undefined } = {},
  ): Promise<Proposal> {
    const who = checkActor(actor)
    const reason = options.reason === undefined ? undefined : checkText(options.reason, 'reason')
    await this.#write((state) => {
      const proposal = this.#openProposal(state, proposalId, 'withdraw')
      if (who.id !== proposal.proposer.id) {
        throw new GovernanceError(
          'NOT_AUTHORIZED',
          `Only the proposer \`${proposal.proposer.id}\` can withdraw ${proposal.id}; \`${who.id}\` can reject it if the approval matrix allows.`,
        )
      }
      return [
        { sloId: proposal.sloId, action: 'proposal.withdrawn', data: { proposalId: proposal.id, reason } },
      ]
    }, who)
    return this.proposal(proposalId)
  }

  // --- reviews -------------------------------------------------------------------------------

  /** Reviews, oldest first, optionally only those of one status or SLO. */
  reviews(
    filter: { readonly status?: ReviewStatus | undefined; readonly sloId?: string | undefined } = {},
  ): Promise<Review[]> {
    return this.#read((state) =>
      [...state.reviews.values()]
        .filter(
          (r) =>
            (filter.status === undefined || r.status === filter.status) &&
            (filter.sloId === undefined || r.sloId === filter.sloId),
        )
        .map(reviewView),
    )
  }

  /**
   * Schedules a review of an SLO with its reviewers and due date. One open review per SLO:
   * complete or cancel it before scheduling the next (`ALREADY_SCHEDULED`).
   */
  async scheduleReview(actor: Actor, input: ScheduleReviewInput): Promise<Review> {
    const who = checkActor(actor)
    const slo = this.#slo(input?.sloId)
    if (!Number.isSafeInteger(input.dueMs) || input.dueMs < 0) {
      throw new GovernanceError('INVALID_INPUT', `\`dueMs\` must be epoch milliseconds, got ${input.dueMs}.`)
    }
    const reviewers = checkIds(input.reviewers, 'reviewers')
    if (reviewers.length === 0) {
      throw new GovernanceError('INVALID_INPUT', `A review of \`${slo.id}\` needs at least one reviewer.`)
    }
    const notes = input.notes === undefined ? undefined : checkText(input.notes, 'notes')
    let reviewId = ''
    await this.#write((state) => {
      const open = [...state.reviews.values()].find((r) => r.sloId === slo.id && r.status === 'scheduled')
      if (open !== undefined) {
        throw new GovernanceError(
          'ALREADY_SCHEDULED',
          `SLO \`${slo.id}\` already has review ${open.id} scheduled (due ${isoTime(open.dueMs)}): complete or cancel it first.`,
        )
      }
      reviewId = state.nextReviewId()
      return [
        {
          sloId: slo.id,
          action: 'review.scheduled',
          data: { reviewId, dueMs: input.dueMs, reviewers, notes },
        },
      ]
    }, who)
    return this.#read((state) => reviewView(this.#review(state, reviewId)))
  }

  /** Completes a review with its outcome and notes; only one of its reviewers may. */
  async completeReview(actor: Actor, reviewId: string, input: CompleteReviewInput): Promise<Review> {
    const who = checkActor(actor)
    if (!(REVIEW_OUTCOMES as readonly unknown[]).includes(input?.outcome)) {
      throw new GovernanceError(
        'INVALID_INPUT',
        `A review outcome must be one of ${REVIEW_OUTCOMES.join(', ')}, got ${JSON.stringify(input?.outcome)}.`,
      )
    }
    const notes = checkText(input.notes, 'notes')
    await this.#write((state) => {
      const review = this.#openReview(state, reviewId, 'complete')
      if (!review.reviewers.includes(who.id)) {
        throw new GovernanceError(
          'NOT_AUTHORIZED',
          `\`${who.id}\` is not a reviewer of ${review.id}: its reviewers are ${review.reviewers.join(', ')}.`,
        )
      }
      return [
        {
          sloId: review.sloId,
          action: 'review.completed',
          data: { reviewId: review.id, outcome: input.outcome, notes },
        },
      ]
    }, who)
    return this.#read((state) => reviewView(this.#review(state, reviewId)))
  }

  /** Cancels a scheduled review; its scheduler or one of its reviewers may. */
  async cancelReview(actor: Actor, reviewId: string, options: { readonly reason: string }): Promise<Review> {
    const who = checkActor(actor)
    const reason = checkText(options?.reason, 'reason')
    await this.#write((state) => {
      const review = this.#openReview(state, reviewId, 'cancel')
      if (review.scheduledBy.id !== who.id && !review.reviewers.includes(who.id)) {
        throw new GovernanceError(
          'NOT_AUTHORIZED',
          `\`${who.id}\` neither scheduled ${review.id} nor reviews it, so cannot cancel it.`,
        )
      }
      return [{ sloId: review.sloId, action: 'review.cancelled', data: { reviewId: review.id, reason } }]
    }, who)
    return this.#read((state) => reviewView(this.#review(state, reviewId)))
  }

  /**
   * Reviews that need attention at `nowMs` (the clock's now by default): overdue, due within
   * `reviews.dueSoon`, or never reviewed with nothing scheduled — as structured notices for the
   * host to send (the engine will route them through `@slokit/alerting`).
   */
  reviewsDue(nowMs?: number): Promise<ReviewNotice[]> {
    return this.#read((state) =>
      reviewNotices(this.#slos.values(), state, this.#config, nowMs ?? this.#clock.now()),
    )
  }

  // --- overview and audit ---------------------------------------------------------------------

  /** Reviews due, proposals open or awaiting rollout, drifted SLOs, missing documentation. */
  dashboard(nowMs?: number): Promise<GovernanceDashboard> {
    return this.#read((state) => {
      const atMs = nowMs ?? this.#clock.now()
      const proposals = [...state.proposals.values()].map((p) => this.#proposalView(state, p))
      return {
        atMs,
        reviews: reviewNotices(this.#slos.values(), state, this.#config, atMs),
        openProposals: proposals.filter((p) => p.status === 'open'),
        pendingRollout: proposals.filter((p) => p.rollout === 'pending'),
        drifted: [...this.#slos.keys()].filter((id) => this.#versionStatus(state, id).status === 'drifted'),
        documentation: checkDocumentation([...this.#slos.values()], this.#config),
        audit: {
          entries: state.head.sequence,
          head: state.head.sequence === 0 ? null : state.head,
        },
      }
    })
  }

  /**
   * The whole audit log, verified; optionally only the entries of one SLO.
   * @throws {@link AuditLogError} when the log fails verification.
   */
  async auditLog(filter: { readonly sloId?: string | undefined } = {}): Promise<AuditEntry[]> {
    const records = await this.#readStore()
    const { verification, entries } = verifyChain(records)
    if (!verification.ok) throw new AuditLogError(verification.firstBad)
    return entries.filter((entry) => filter.sloId === undefined || entry.sloId === filter.sloId)
  }

  /**
   * Verifies the whole log as the store holds it now (see `verifyAuditLog`). Never throws for a
   * bad log — the result says what is wrong; rejects only when the store cannot be read.
   */
  async verify(options: VerifyAuditLogOptions = {}): Promise<AuditVerification> {
    return verifyAuditLog(await this.#readStore(), options)
  }

  // --- internals -----------------------------------------------------------------------------

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task)
    this.#queue = run.catch(() => undefined)
    return run
  }

  #read<T>(view: (state: GovernanceState) => T): Promise<T> {
    return this.#exclusive(async () => view(await this.#sync()))
  }

  async #readStore(afterSequence?: number): Promise<readonly AuditRecord[]> {
    try {
      return await this.#store.read(afterSequence === undefined ? {} : { afterSequence })
    } catch (error) {
      throw storeFailure('read', error)
    }
  }

  async #sync(): Promise<GovernanceState> {
    const head = this.#state.head
    const records = await this.#readStore(head.sequence)
    const { verification, entries } = verifyChain(records, { after: head })
    if (!verification.ok) throw new AuditLogError(verification.firstBad)
    for (const entry of entries) this.#state.apply(entry)
    return this.#state
  }

  #write(build: (state: GovernanceState) => NewEntry[], actor: Actor): Promise<AuditEntry[]> {
    return this.#exclusive(async () => {
      for (let attempt = 1; attempt <= this.#maxWriteAttempts; attempt++) {
        const state = await this.#sync()
        const atMs = this.#clock.now()
        let head = state.head
        const sealed: AuditEntry[] = []
        for (const entry of build(state)) {
          const next = sealAuditEntry({
            format: AUDIT_FORMAT,
            sequence: head.sequence + 1,
            atMs,
            actor,
            prevHash: head.hash,
            ...entry,
          } as Parameters<typeof sealAuditEntry>[0])
          sealed.push(next)
          head = { sequence: next.sequence, hash: next.hash }
        }
        let appended: boolean
        try {
          appended = await this.#store.append(sealed.map(toAuditRecord))
        } catch (error) {
          throw storeFailure('append to', error)
        }
        if (appended) {
          for (const entry of sealed) state.apply(entry)
          return sealed
        }
        this.#logger.debug('[slokit/governance] another writer appended first; re-reading and retrying', {
          attempt,
          action: sealed[0]?.action,
        })
      }
      throw new GovernanceError(
        'BUSY',
        `Other writers appended first ${this.#maxWriteAttempts} times in a row; nothing was written.`,
        { hint: 'retry the action' },
      )
    })
  }

  #slo(sloId: string): SloSpec {
    const slo = typeof sloId === 'string' ? this.#slos.get(sloId) : undefined
    if (slo === undefined) throw this.#unknownSlo(sloId)
    return slo
  }

  #unknownSlo(sloId: unknown): GovernanceError {
    const known = [...this.#slos.keys()]
    return new GovernanceError('UNKNOWN_SLO', `No SLO \`${String(sloId)}\` in the configuration.`, {
      hint:
        known.length === 0
          ? 'the configuration has no SLOs'
          : `known SLOs: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''}`,
    })
  }

  #proposal(state: GovernanceState, proposalId: string): ProposalRecord {
    const proposal = state.proposals.get(proposalId)
    if (proposal === undefined) {
      throw new GovernanceError('UNKNOWN_PROPOSAL', `No proposal \`${String(proposalId)}\`.`, {
        hint:
          state.proposals.size === 0
            ? 'nothing has been proposed yet'
            : `proposals are P-1 to P-${state.proposals.size}`,
      })
    }
    return proposal
  }

  #openProposal(state: GovernanceState, proposalId: string, verb: string): ProposalRecord {
    const proposal = this.#proposal(state, proposalId)
    if (proposal.status !== 'open') {
      const by =
        proposal.decision === undefined
          ? ''
          : ` by \`${proposal.decision.actor.id}\` at ${isoTime(proposal.decision.atMs)}`
      throw new GovernanceError('NOT_OPEN', `Cannot ${verb} ${proposal.id}: it was ${proposal.status}${by}.`)
    }
    return proposal
  }

  #review(state: GovernanceState, reviewId: string): ReviewRecord {
    const review = state.reviews.get(reviewId)
    if (review === undefined) {
      throw new GovernanceError('UNKNOWN_REVIEW', `No review \`${String(reviewId)}\`.`, {
        hint:
          state.reviews.size === 0
            ? 'no review has been scheduled yet'
            : `reviews are R-1 to R-${state.reviews.size}`,
      })
    }
    return review
  }

  #openReview(state: GovernanceState, reviewId: string, verb: string): ReviewRecord {
    const review = this.#review(state, reviewId)
    if (review.status !== 'scheduled') {
      throw new GovernanceError('NOT_OPEN', `Cannot ${verb} ${review.id}: it was ${review.status}.`)
    }
    return review
  }

  /** The rules a proposal must satisfy under the matrix in force now. */
  #rulesFor(
    sloId: string,
    base: SloDefinition,
    proposed: SloDefinition,
    changes: readonly SloChange[],
  ): ApplicableRule[] {
    const changeTypes = changeTypesOf(changes)
    const { rules, uncovered } = applicableRules(
      this.#config,
      [base.priority, proposed.priority],
      changeTypes,
    )
    if (uncovered.length > 0) {
      const cells = uncovered.map((u) => `${u.priority ?? 'default'}/${u.changeType}`).join(', ')
      const first = uncovered[0]
      throw new GovernanceError(
        'NO_APPROVAL_RULE',
        `The approval matrix has no rule for ${cells} changes, so nobody could approve this change to \`${sloId}\`.`,
        {
          hint: `add governance.approvals.${first?.priority ?? 'default'}.${first?.changeType ?? 'default'} (or a \`default\` entry)`,
        },
      )
    }
    return rules
  }

  #authorize(
    actor: Actor,
    verb: 'approve' | 'reject',
    proposal: ProposalRecord,
    rules: readonly ApplicableRule[],
    slo: SloSpec,
  ): void {
    if (rules.some((applicable) => mayApprove(actor, applicable.rule, slo.owner))) return
    const needs = rules
      .map((r) => `approvals.${r.cell.priority}.${r.cell.changeType} needs ${r.rule.approvers.join(' or ')}`)
      .join('; ')
    const roles = actor.roles.length === 0 ? 'no roles' : `roles: ${actor.roles.join(', ')}`
    const teams = actor.teams === undefined ? '' : `; teams: ${actor.teams.join(', ')}`
    this.#logger.debug('[slokit/governance] refused: not authorised', {
      actor: actor.id,
      proposal: proposal.id,
      verb,
    })
    throw new GovernanceError(
      'NOT_AUTHORIZED',
      `\`${actor.id}\` (${roles}${teams}) may not ${verb} ${proposal.id}: ${needs}.`,
      {
        hint: 'ask someone holding one of these roles; roles come from the host (for the CLI: governance.actors)',
      },
    )
  }

  #refusePending(state: GovernanceState, sloId: string): void {
    const { status } = this.#versionStatus(state, sloId)
    if (status !== 'pending') return
    const latest = state.latestVersion(sloId) as VersionRecord
    throw new GovernanceError(
      'CONFLICT',
      `${latest.proposalId} was approved as version ${latest.version} of \`${sloId}\`, but the configuration does not have it yet.`,
      { hint: `roll it out first (slokit governance apply ${latest.proposalId}), then propose` },
    )
  }

  /** The definitions a proposal turns into now: its changes applied to the configuration's SLO. */
  #rebase(
    state: GovernanceState,
    proposal: ProposalRecord,
    slo: SloSpec,
  ): { previous: SloDefinition; definition: SloDefinition } {
    this.#refusePending(state, slo.id)
    const current = toSloDefinition(slo)
    const fields = current as Readonly<Record<string, unknown>>
    for (const change of proposal.changes) {
      const now = fields[change.field]
      if (canonicalJson(now ?? null) !== canonicalJson(change.from)) {
        throw new GovernanceError(
          'CONFLICT',
          `${proposal.id} changes \`${change.field}\` from ${show(change.from)}, but \`${slo.id}\` now has ${show(now ?? null)}.`,
          { hint: `withdraw ${proposal.id} and propose again against the current definition` },
        )
      }
    }
    let definition: SloDefinition
    try {
      definition = toSloDefinition(parseSlo(applySloChanges(current, proposal.changes)))
    } catch (error) {
      if (!(error instanceof SlokitError)) throw error
      throw new GovernanceError(
        'CONFLICT',
        `${proposal.id} no longer makes a valid SLO on top of the current \`${slo.id}\`: ${error.message}`,
        { cause: error, hint: `withdraw ${proposal.id} and propose again` },
      )
    }
    return { previous: current, definition }
  }

  #versionStatus(
    state: GovernanceState,
    sloId: string,
  ): { status: VersionStatus; configChanges: SloChange[] } {
    const latest = state.latestVersion(sloId)
    const current = this.#slos.get(sloId)
    if (current === undefined)
      return { status: latest === undefined ? 'baseline' : 'not-in-config', configChanges: [] }
    if (latest === undefined) return { status: 'baseline', configChanges: [] }
    const definition = toSloDefinition(current)
    const configChanges = diffSloDefinitions(latest.definition, definition)
    if (configChanges.length === 0) return { status: 'in-sync', configChanges }
    return { status: sameDefinition(definition, latest.previous) ? 'pending' : 'drifted', configChanges }
  }

  #version(state: GovernanceState, record: VersionRecord, before: VersionRecord | undefined): SloVersion {
    const proposal = state.proposals.get(record.proposalId)
    const previousRecorded = before?.definition ?? record.previous
    return {
      sloId: record.sloId,
      version: record.version,
      definition: record.definition,
      slo: parseRecorded(record.definition),
      source: 'proposal',
      atMs: record.atMs,
      proposalId: record.proposalId,
      proposedBy: proposal?.proposer,
      approvedBy: proposal?.approvals.map((a) => a.actor.id) ?? [],
      reason: record.reason,
      changes: record.changes,
      outsideChanges: diffSloDefinitions(previousRecorded, record.previous),
    }
  }

  #proposalView(state: GovernanceState, proposal: ProposalRecord): Proposal {
    let progress: ApprovalProgress
    if (proposal.decision?.rules !== undefined) {
      progress = { satisfied: true, rules: proposal.decision.rules }
    } else {
      try {
        const rules = this.#rulesFor(proposal.sloId, proposal.base, proposal.proposed, proposal.changes)
        progress = evaluateApprovals(rules, proposal.approvals, {
          proposerId: proposal.proposer.id,
          sloOwner: this.#slos.get(proposal.sloId)?.owner,
        })
      } catch (error) {
        if (!(error instanceof GovernanceError)) throw error
        progress = { satisfied: false, rules: [] }
      }
    }
    let version: SloVersion | undefined
    let rollout: Proposal['rollout']
    if (proposal.status === 'approved') {
      const list = state.versions.get(proposal.sloId) ?? []
      const index = list.findIndex((v) => v.proposalId === proposal.id)
      const record = list[index]
      if (record !== undefined) {
        version = this.#version(state, record, index === 0 ? undefined : list[index - 1])
        if (index < list.length - 1) rollout = 'superseded'
        else {
          const status = this.#versionStatus(state, proposal.sloId).status
          rollout = status === 'in-sync' ? 'applied' : status === 'pending' ? 'pending' : 'drifted'
        }
      }
    }
    return {
      id: proposal.id,
      sloId: proposal.sloId,
      status: proposal.status,
      proposer: proposal.proposer,
      openedMs: proposal.openedMs,
      reason: proposal.reason,
      base: proposal.base,
      proposed: proposal.proposed,
      changes: proposal.changes,
      changeTypes: changeTypesOf(proposal.changes),
      approvals: [...proposal.approvals],
      progress,
      decision: proposal.decision,
      version,
      rollout,
    }
  }
}

/** Builds a {@link Governance}; the same as `new Governance(options)`. */
export function createGovernance(options: GovernanceOptions): Governance {
  return new Governance(options)
}

function baselineVersion(sloId: string, definition: SloDefinition): SloVersion {
  return {
    sloId,
    version: 1,
    definition,
    slo: parseRecorded(definition),
    source: 'baseline',
    changes: [],
    outsideChanges: [],
  }
}

function parseRecorded(definition: SloDefinition): SloSpec {
  try {
    return parseSlo(definition)
  } catch (error) {
    throw new GovernanceError('AUDIT_LOG_INVALID', 'A recorded SLO definition is not a valid SLO.', {
      cause: error,
    })
  }
}

function reviewView(review: ReviewRecord): Review {
  return { ...review }
}

function changeTypesOf(changes: readonly SloChange[]): ChangeType[] {
  return CHANGE_TYPES.filter((type) => changes.some((change) => change.changeType === type))
}

function checkText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new GovernanceError('INVALID_INPUT', `A \`${what}\` is required: say why, in words.`)
  }
  if (value.length > MAX_TEXT) {
    throw new GovernanceError(
      'INVALID_INPUT',
      `The \`${what}\` is ${value.length} characters long; at most ${MAX_TEXT} are kept.`,
    )
  }
  return value
}

function show(value: unknown): string {
  const text = canonicalJson(value)
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}

function storeFailure(verb: string, error: unknown): GovernanceError {
  if (error instanceof GovernanceError) return error
  const reason = error instanceof Error ? error.message : String(error)
  return new GovernanceError('STORE_FAILED', `Could not ${verb} the governance store: ${reason}`, {
    cause: error,
  })
}
