import { SlokitError, type SlokitErrorCode } from '@slokit/core'
import type { BadAuditEntry } from './verify-audit-log.js'

/**
 * Why a governance action was refused or failed, with what it means. The table is the single
 * source of truth: {@link GovernanceErrorReason} is derived from it. Each reason maps to the
 * nearest `SlokitErrorCode` of `@slokit/core` (see {@link GovernanceError.code}); branch on
 * `reason` for the precise cause.
 */
export const GOVERNANCE_ERROR_REASONS = {
  /** The actor holds none of the roles the approval matrix (or the review) asks for. */
  NOT_AUTHORIZED: 'The actor may not perform this action.',
  /** The proposer tried to approve their own proposal. */
  SELF_APPROVAL: 'A proposer cannot approve their own proposal.',
  /** The actor has already approved this proposal. */
  ALREADY_APPROVED: 'The actor has already approved this proposal.',
  /** The proposal or review is no longer open (approved, rejected, withdrawn, completed, cancelled). */
  NOT_OPEN: 'The proposal or review is no longer open.',
  /** No proposal with this id exists. */
  UNKNOWN_PROPOSAL: 'No proposal with this id exists.',
  /** No review with this id exists. */
  UNKNOWN_REVIEW: 'No review with this id exists.',
  /** No SLO with this id is in the catalogue the host passed in. */
  UNKNOWN_SLO: 'No SLO with this id is known.',
  /** An actor id is not listed in the configuration's `governance.actors`. */
  UNKNOWN_ACTOR: 'No actor with this id is configured.',
  /** An actor, a patch or another argument is malformed. */
  INVALID_INPUT: 'An argument of a governance action is malformed.',
  /** The SLO already has an open review; complete or cancel it before scheduling another. */
  ALREADY_SCHEDULED: 'The SLO already has an open review.',
  /** The proposal would not change the SLO. */
  NO_CHANGE: 'The proposal changes nothing.',
  /** The approval matrix has no rule for a change the proposal makes, so nobody could approve it. */
  NO_APPROVAL_RULE: 'The approval matrix has no rule for this change.',
  /** The governance configuration is invalid. */
  INVALID_CONFIG: 'The governance configuration is invalid.',
  /**
   * The SLO moved under the proposal: a field it changes no longer has the value it was proposed
   * against, or another approved version has not been rolled out to the configuration yet.
   */
  CONFLICT: 'The SLO changed since the proposal was made.',
  /** Other writers kept appending first; the action was given up after several attempts. */
  BUSY: 'The store was busy with other writers.',
  /** The audit log failed verification; governance refuses to act on a log it cannot trust. */
  AUDIT_LOG_INVALID: 'The audit log failed verification.',
  /** The store failed to read or write. */
  STORE_FAILED: 'The governance store failed.',
} as const

/** A reason from {@link GOVERNANCE_ERROR_REASONS}. */
export type GovernanceErrorReason = keyof typeof GOVERNANCE_ERROR_REASONS

// `@slokit/core` has no codes for authorisation, conflicts or stores (yet): use the nearest.
const CODE_OF: Readonly<Record<GovernanceErrorReason, SlokitErrorCode>> = {
  NOT_AUTHORIZED: 'INVALID_ARGUMENT',
  SELF_APPROVAL: 'INVALID_ARGUMENT',
  ALREADY_APPROVED: 'INVALID_ARGUMENT',
  NOT_OPEN: 'INVALID_ARGUMENT',
  UNKNOWN_PROPOSAL: 'INVALID_ARGUMENT',
  UNKNOWN_REVIEW: 'INVALID_ARGUMENT',
  UNKNOWN_SLO: 'UNKNOWN_SLO',
  UNKNOWN_ACTOR: 'INVALID_ARGUMENT',
  INVALID_INPUT: 'INVALID_ARGUMENT',
  ALREADY_SCHEDULED: 'INVALID_ARGUMENT',
  NO_CHANGE: 'INVALID_ARGUMENT',
  NO_APPROVAL_RULE: 'INVALID_CONFIG',
  INVALID_CONFIG: 'INVALID_CONFIG',
  CONFLICT: 'INVALID_ARGUMENT',
  BUSY: 'SOURCE_TIMEOUT',
  AUDIT_LOG_INVALID: 'SOURCE_INVALID_DATA',
  STORE_FAILED: 'SOURCE_FAILED',
}

/** Options of {@link GovernanceError}. */
export interface GovernanceErrorOptions {
  /** The underlying error, kept for debugging. */
  readonly cause?: unknown
  /** How to fix the problem. */
  readonly hint?: string
}

/**
 * The error every governance action throws when it refuses or fails. `reason` says exactly why
 * (see {@link GOVERNANCE_ERROR_REASONS}); `code` is the nearest `@slokit/core` code, so a host
 * that handles every `SlokitError` the same way needs nothing new. Messages start with
 * `[slokit/governance]`, name the actor, proposal or SLO concerned, and say how to go on.
 *
 * @example
 * ```ts
 * try {
 *   await governance.approve(actor, 'P-3')
 * } catch (error) {
 *   if (error instanceof GovernanceError && error.reason === 'SELF_APPROVAL') {
 *     // tell the user to ask a colleague
 *   }
 * }
 * ```
 */
export class GovernanceError extends SlokitError {
  /** Why the action was refused; see {@link GOVERNANCE_ERROR_REASONS}. */
  readonly reason: GovernanceErrorReason

  constructor(reason: GovernanceErrorReason, message: string, options: GovernanceErrorOptions = {}) {
    super(CODE_OF[reason], `[slokit/governance] ${message}`, options)
    this.name = 'GovernanceError'
    this.reason = reason
  }
}

/**
 * Thrown when governance reads an audit log that fails verification: it refuses to decide
 * anything on a record it cannot trust. `firstBad` names the first bad entry.
 */
export class AuditLogError extends GovernanceError {
  /** The first entry at which the log stops being trustworthy. */
  readonly firstBad: BadAuditEntry

  constructor(firstBad: BadAuditEntry) {
    super(
      'AUDIT_LOG_INVALID',
      `The audit log failed verification at entry ${firstBad.sequence} (${firstBad.reason}): ${firstBad.detail}. Governance refuses to act on it.`,
      { hint: 'restore the store from a backup, or investigate with `slokit governance audit verify`' },
    )
    this.name = 'AuditLogError'
    this.firstBad = Object.freeze({ ...firstBad })
  }
}
