import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { Actor } from './actor.js'
import type { RuleProgress } from './approval-matrix.js'
import { canonicalJson, type JsonValue } from './canonical-json.js'
import { PRIORITY_KEYS } from './config.js'
import { CHANGE_TYPES, SLO_FIELDS, type SloChange, type SloDefinition } from './slo-definition.js'

/** The version of the audit entry format written by this package. */
export const AUDIT_FORMAT = 1

/** The `prevHash` of the first entry: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64)

/** Every action the audit log records. */
export const AUDIT_ACTIONS = [
  'proposal.opened',
  'proposal.approval',
  'proposal.approved',
  'proposal.rejected',
  'proposal.withdrawn',
  'slo.versioned',
  'review.scheduled',
  'review.completed',
  'review.cancelled',
] as const
/** One of {@link AUDIT_ACTIONS}. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

/** How a review ended: the SLO stands as it is, or it needs a change (propose one). */
export const REVIEW_OUTCOMES = ['confirmed', 'changes-needed'] as const
/** One of {@link REVIEW_OUTCOMES}. */
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number]

/** `proposal.opened`: a change to an SLO was proposed. */
export interface ProposalOpenedData {
  readonly proposalId: string
  readonly reason: string
  /** The SLO as it was when proposed (from the host's configuration). */
  readonly base: SloDefinition
  /** The SLO the proposal would make. */
  readonly proposed: SloDefinition
  readonly changes: readonly SloChange[]
}
/** `proposal.approval`: one approver approved. */
export interface ProposalApprovalData {
  readonly proposalId: string
  readonly comment?: string | undefined
}
/** `proposal.approved`: the approvals satisfied every applicable rule; the proposal is decided. */
export interface ProposalApprovedData {
  readonly proposalId: string
  /** The SLO version the approval produced (see `slo.versioned`). */
  readonly version: number
  /** The rules as evaluated at the decision, with who counted for each. */
  readonly rules: readonly RuleProgress[]
}
/** `proposal.rejected`: an approver rejected the proposal; it is closed. */
export interface ProposalRejectedData {
  readonly proposalId: string
  readonly reason: string
}
/** `proposal.withdrawn`: the proposer withdrew it; it is closed. */
export interface ProposalWithdrawnData {
  readonly proposalId: string
  readonly reason?: string | undefined
}
/** `slo.versioned`: a new version of an SLO definition, produced by an approved proposal. */
export interface SloVersionedData {
  /** 2 for the first approved change: version 1 is the definition before it (`previous`). */
  readonly version: number
  readonly proposalId: string
  /** The proposal's reason: why the SLO changed. */
  readonly reason: string
  /** The definition the change was applied to. */
  readonly previous: SloDefinition
  readonly definition: SloDefinition
  readonly changes: readonly SloChange[]
}
/** `review.scheduled`: a review of an SLO was scheduled. */
export interface ReviewScheduledData {
  readonly reviewId: string
  readonly dueMs: number
  /** Actor ids; one of them completes the review. */
  readonly reviewers: readonly string[]
  readonly notes?: string | undefined
}
/** `review.completed`: a reviewer completed the review. */
export interface ReviewCompletedData {
  readonly reviewId: string
  readonly outcome: ReviewOutcome
  readonly notes: string
}
/** `review.cancelled`: the review was called off. */
export interface ReviewCancelledData {
  readonly reviewId: string
  readonly reason: string
}

/** What an entry records: the action and its data. */
export type AuditEvent =
  | { readonly action: 'proposal.opened'; readonly data: ProposalOpenedData }
  | { readonly action: 'proposal.approval'; readonly data: ProposalApprovalData }
  | { readonly action: 'proposal.approved'; readonly data: ProposalApprovedData }
  | { readonly action: 'proposal.rejected'; readonly data: ProposalRejectedData }
  | { readonly action: 'proposal.withdrawn'; readonly data: ProposalWithdrawnData }
  | { readonly action: 'slo.versioned'; readonly data: SloVersionedData }
  | { readonly action: 'review.scheduled'; readonly data: ReviewScheduledData }
  | { readonly action: 'review.completed'; readonly data: ReviewCompletedData }
  | { readonly action: 'review.cancelled'; readonly data: ReviewCancelledData }

/** Who did it, when, to which SLO, and where the entry sits in the chain. */
export interface AuditEnvelope {
  /** {@link AUDIT_FORMAT}. */
  readonly format: typeof AUDIT_FORMAT
  /** 1 for the first entry, then +1 each: a gap is a removed entry. */
  readonly sequence: number
  /** When the action happened, epoch milliseconds, from the injected clock. */
  readonly atMs: number
  /** The actor as the host passed it (roles and teams sorted). */
  readonly actor: Actor
  readonly sloId: string
  /** The previous entry's `hash` ({@link GENESIS_HASH} for the first). */
  readonly prevHash: string
  /** SHA-256 (hex) of `prevHash` followed by the canonical JSON of this entry without `hash`. */
  readonly hash: string
}

/** One entry of the audit log. */
export type AuditEntry = AuditEnvelope & AuditEvent

/** An entry before it is sealed with its hash. */
export type UnsealedAuditEntry = Omit<AuditEnvelope, 'hash'> & AuditEvent

/**
 * An entry as a store keeps it: the sequence number (the store's ordering key) and the entry's
 * canonical JSON, byte for byte.
 */
export interface AuditRecord {
  readonly sequence: number
  readonly json: string
}

const HASH = /^[0-9a-f]{64}$/
const text = z.string().min(1).max(10_000)
const id = z.string().min(1).max(128)
const definition = z.custom<SloDefinition>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  { error: 'must be an SLO definition (a mapping)' },
)
const change = z.strictObject({
  field: z.enum(SLO_FIELDS),
  changeType: z.enum(CHANGE_TYPES),
  from: z.json(),
  to: z.json(),
}) as z.ZodType<SloChange>
const ruleProgress = z.strictObject({
  cell: z.strictObject({ priority: z.enum(PRIORITY_KEYS), changeType: z.enum([...CHANGE_TYPES, 'default']) }),
  changeTypes: z.array(z.enum(CHANGE_TYPES)),
  approvers: z.array(id),
  minApprovals: z.int().min(1),
  requiredRoles: z.array(id),
  approvedBy: z.array(id),
  missingApprovals: z.int().min(0),
  missingRoles: z.array(id),
  satisfied: z.boolean(),
})

const envelope = {
  format: z.literal(AUDIT_FORMAT),
  sequence: z.int().min(1),
  atMs: z.int().min(0),
  actor: z.strictObject({ id, roles: z.array(id), teams: z.array(id).optional() }),
  sloId: id,
  prevHash: z.string().regex(HASH),
  hash: z.string().regex(HASH),
}

const auditEntrySchema = z.discriminatedUnion('action', [
  z.strictObject({
    ...envelope,
    action: z.literal('proposal.opened'),
    data: z.strictObject({
      proposalId: id,
      reason: text,
      base: definition,
      proposed: definition,
      changes: z.array(change).min(1),
    }),
  }),
  z.strictObject({
    ...envelope,
    action: z.literal('proposal.approval'),
    data: z.strictObject({ proposalId: id, comment: text.optional() }),
  }),
  z.strictObject({
    ...envelope,
    action: z.literal('proposal.approved'),
    data: z.strictObject({ proposalId: id, version: z.int().min(2), rules: z.array(ruleProgress) }),
  }),
  z.strictObject({
    ...envelope,
    action: z.literal('proposal.rejected'),
    data: z.strictObject({ proposalId: id, reason: text }),
  }),
  z.strictObject({
    ...envelope,
    action: z.literal('proposal.withdrawn'),
    data: z.strictObject({ proposalId: id, reason: text.optional() }),
  }),
  z.strictObject({
    ...envelope,
    action: z.literal('slo.versioned'),
    data: z.strictObject({
      version: z.int().min(2),
      proposalId: id,
      reason: text,
      previous: definition,
      definition,
      changes: z.array(change).min(1),
    }),
  }),
  z.strictObject({
    ...envelope,
    action: z.literal('review.scheduled'),
    data: z.strictObject({
      reviewId: id,
      dueMs: z.int().min(0),
      reviewers: z.array(id).min(1),
      notes: text.optional(),
    }),
  }),
  z.strictObject({
    ...envelope,
    action: z.literal('review.completed'),
    data: z.strictObject({ reviewId: id, outcome: z.enum(REVIEW_OUTCOMES), notes: text }),
  }),
  z.strictObject({
    ...envelope,
    action: z.literal('review.cancelled'),
    data: z.strictObject({ reviewId: id, reason: text }),
  }),
])

// Compile-time proof that what the schema accepts is an AuditEntry.
const schemaMatches: (entry: z.output<typeof auditEntrySchema>) => AuditEntry = (entry) => entry
void schemaMatches

/** The hash of an entry: SHA-256 (hex) of its `prevHash` followed by its canonical JSON without `hash`. */
export function hashAuditEntry(entry: UnsealedAuditEntry | AuditEntry): string {
  const { hash: _ignored, ...body } = entry as AuditEntry
  return createHash('sha256')
    .update(entry.prevHash + canonicalJson(body), 'utf8')
    .digest('hex')
}

/** Seals an entry with its hash. */
export function sealAuditEntry(entry: UnsealedAuditEntry): AuditEntry {
  return { ...entry, hash: hashAuditEntry(entry) } as AuditEntry
}

/** The record a store keeps for an entry: its sequence and canonical JSON. */
export function toAuditRecord(entry: AuditEntry): AuditRecord {
  return { sequence: entry.sequence, json: canonicalJson(entry) }
}

/**
 * Reads a record back into an entry, checking its shape (not its hash: see `verifyAuditLog`).
 * Returns the problem instead of throwing, since a bad record is data, not a bug.
 */
export function parseAuditRecord(
  record: AuditRecord,
): { readonly entry: AuditEntry } | { readonly problem: string } {
  let value: unknown
  try {
    value = JSON.parse(record.json) as JsonValue
  } catch {
    return { problem: 'its stored text is not valid JSON' }
  }
  return parseAuditEntry(value)
}

/** Checks that a value has the shape of an {@link AuditEntry} (not its hash). */
export function parseAuditEntry(
  value: unknown,
): { readonly entry: AuditEntry } | { readonly problem: string } {
  const result = auditEntrySchema.safeParse(value)
  if (result.success) return { entry: result.data }
  const issue = result.error.issues[0]
  const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`
  return { problem: `it is not a valid audit entry${where}: ${issue?.message ?? 'unknown problem'}` }
}
