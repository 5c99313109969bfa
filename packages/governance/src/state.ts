import type { Actor } from './actor.js'
import type { RuleProgress } from './approval-matrix.js'
import { type AuditEntry, GENESIS_HASH, type ReviewOutcome } from './audit-entry.js'
import { GovernanceError } from './errors.js'
import type { SloChange, SloDefinition } from './slo-definition.js'
import type { AuditHead } from './verify-audit-log.js'

/** The status of a proposal: open until approved, rejected or withdrawn. */
export const PROPOSAL_STATUSES = ['open', 'approved', 'rejected', 'withdrawn'] as const
/** One of {@link PROPOSAL_STATUSES}. */
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number]

/** The status of a review. */
export const REVIEW_STATUSES = ['scheduled', 'completed', 'cancelled'] as const
/** One of {@link REVIEW_STATUSES}. */
export type ReviewStatus = (typeof REVIEW_STATUSES)[number]

/** One approval of a proposal, with the actor as they were when they approved. */
export interface Approval {
  readonly actor: Actor
  readonly atMs: number
  readonly comment?: string | undefined
}

/** How a closed proposal was closed. */
export interface ProposalDecision {
  readonly status: Exclude<ProposalStatus, 'open'>
  readonly actor: Actor
  readonly atMs: number
  /** The rejection's or withdrawal's reason. */
  readonly reason?: string | undefined
  /** For an approved proposal: the SLO version it produced. */
  readonly version?: number | undefined
  /** For an approved proposal: the rules as evaluated at the decision. */
  readonly rules?: readonly RuleProgress[] | undefined
}

/** A proposal as replayed from the log. @internal */
export interface ProposalRecord {
  readonly id: string
  readonly sloId: string
  readonly proposer: Actor
  readonly openedMs: number
  readonly reason: string
  readonly base: SloDefinition
  readonly proposed: SloDefinition
  readonly changes: readonly SloChange[]
  readonly approvals: Approval[]
  status: ProposalStatus
  decision?: ProposalDecision
}

/** A review as replayed from the log. @internal */
export interface ReviewRecord {
  readonly id: string
  readonly sloId: string
  readonly dueMs: number
  readonly reviewers: readonly string[]
  readonly notes?: string | undefined
  readonly scheduledBy: Actor
  readonly scheduledMs: number
  status: ReviewStatus
  completed?: {
    readonly actor: Actor
    readonly atMs: number
    readonly outcome: ReviewOutcome
    readonly notes: string
  }
  cancelled?: { readonly actor: Actor; readonly atMs: number; readonly reason: string }
}

/** A recorded SLO version. @internal */
export interface VersionRecord {
  readonly sloId: string
  readonly version: number
  readonly proposalId: string
  readonly reason: string
  readonly previous: SloDefinition
  readonly definition: SloDefinition
  readonly changes: readonly SloChange[]
  readonly atMs: number
  readonly actor: Actor
}

/**
 * Everything governance knows, replayed from the audit log one entry at a time. Each entry is
 * checked against the state before it: a hash-valid entry that makes no sense (an approval of an
 * unknown proposal) means a forged log, and is refused like a broken chain.
 * @internal
 */
export class GovernanceState {
  head: AuditHead = { sequence: 0, hash: GENESIS_HASH }
  readonly proposals = new Map<string, ProposalRecord>()
  readonly reviews = new Map<string, ReviewRecord>()
  readonly versions = new Map<string, VersionRecord[]>()

  nextProposalId(): string {
    return `P-${this.proposals.size + 1}`
  }

  nextReviewId(): string {
    return `R-${this.reviews.size + 1}`
  }

  latestVersion(sloId: string): VersionRecord | undefined {
    const list = this.versions.get(sloId)
    return list?.[list.length - 1]
  }

  apply(entry: AuditEntry): void {
    const bad = (problem: string) =>
      new GovernanceError(
        'AUDIT_LOG_INVALID',
        `Audit entry ${entry.sequence} (${entry.action}) cannot be replayed: ${problem}.`,
        {
          hint: 'the log is hash-valid but inconsistent, which only a forged log can be: run `verifyAuditLog` and restore the store from a backup',
        },
      )
    const proposal = (id: string, open = true): ProposalRecord => {
      const found = this.proposals.get(id)
      if (found === undefined) throw bad(`unknown proposal ${id}`)
      if (found.sloId !== entry.sloId) throw bad(`proposal ${id} belongs to SLO ${found.sloId}`)
      if (open && found.status !== 'open') throw bad(`proposal ${id} is already ${found.status}`)
      return found
    }
    const review = (id: string): ReviewRecord => {
      const found = this.reviews.get(id)
      if (found === undefined) throw bad(`unknown review ${id}`)
      if (found.sloId !== entry.sloId) throw bad(`review ${id} belongs to SLO ${found.sloId}`)
      if (found.status !== 'scheduled') throw bad(`review ${id} is already ${found.status}`)
      return found
    }
    switch (entry.action) {
      case 'proposal.opened': {
        const { data } = entry
        if (this.proposals.has(data.proposalId)) throw bad(`proposal ${data.proposalId} exists already`)
        this.proposals.set(data.proposalId, {
          id: data.proposalId,
          sloId: entry.sloId,
          proposer: entry.actor,
          openedMs: entry.atMs,
          reason: data.reason,
          base: data.base,
          proposed: data.proposed,
          changes: data.changes,
          approvals: [],
          status: 'open',
        })
        break
      }
      case 'proposal.approval': {
        const found = proposal(entry.data.proposalId)
        if (entry.actor.id === found.proposer.id) throw bad('the proposer approved their own proposal')
        if (found.approvals.some((a) => a.actor.id === entry.actor.id))
          throw bad(`${entry.actor.id} approved twice`)
        found.approvals.push({ actor: entry.actor, atMs: entry.atMs, comment: entry.data.comment })
        break
      }
      case 'proposal.approved': {
        const found = proposal(entry.data.proposalId)
        found.status = 'approved'
        found.decision = {
          status: 'approved',
          actor: entry.actor,
          atMs: entry.atMs,
          version: entry.data.version,
          rules: entry.data.rules,
        }
        break
      }
      case 'proposal.rejected':
      case 'proposal.withdrawn': {
        const found = proposal(entry.data.proposalId)
        const status = entry.action === 'proposal.rejected' ? 'rejected' : 'withdrawn'
        found.status = status
        found.decision = { status, actor: entry.actor, atMs: entry.atMs, reason: entry.data.reason }
        break
      }
      case 'slo.versioned': {
        const { data } = entry
        const found = proposal(data.proposalId, false)
        if (found.status !== 'approved')
          throw bad(`proposal ${data.proposalId} is ${found.status}, not approved`)
        const expected = (this.latestVersion(entry.sloId)?.version ?? 1) + 1
        if (data.version !== expected) throw bad(`version ${data.version} follows version ${expected - 1}`)
        const list = this.versions.get(entry.sloId) ?? []
        list.push({ sloId: entry.sloId, ...data, atMs: entry.atMs, actor: entry.actor })
        this.versions.set(entry.sloId, list)
        break
      }
      case 'review.scheduled': {
        const { data } = entry
        if (this.reviews.has(data.reviewId)) throw bad(`review ${data.reviewId} exists already`)
        this.reviews.set(data.reviewId, {
          id: data.reviewId,
          sloId: entry.sloId,
          dueMs: data.dueMs,
          reviewers: data.reviewers,
          notes: data.notes,
          scheduledBy: entry.actor,
          scheduledMs: entry.atMs,
          status: 'scheduled',
        })
        break
      }
      case 'review.completed': {
        const found = review(entry.data.reviewId)
        found.status = 'completed'
        found.completed = {
          actor: entry.actor,
          atMs: entry.atMs,
          outcome: entry.data.outcome,
          notes: entry.data.notes,
        }
        break
      }
      case 'review.cancelled': {
        const found = review(entry.data.reviewId)
        found.status = 'cancelled'
        found.cancelled = { actor: entry.actor, atMs: entry.atMs, reason: entry.data.reason }
        break
      }
    }
    this.head = { sequence: entry.sequence, hash: entry.hash }
  }
}
