export type { Actor } from './actor.js'
export { checkActor, OWNER_ROLE } from './actor.js'
export type {
  ApplicableRule,
  ApprovalProgress,
  RuleCell,
  RuleProgress,
  UncoveredChange,
} from './approval-matrix.js'
export {
  applicableRules,
  describeProgress,
  evaluateApprovals,
  holdsRole,
  mayApprove,
} from './approval-matrix.js'
export type {
  AuditAction,
  AuditEntry,
  AuditEnvelope,
  AuditEvent,
  AuditRecord,
  ProposalApprovalData,
  ProposalApprovedData,
  ProposalOpenedData,
  ProposalRejectedData,
  ProposalWithdrawnData,
  ReviewCancelledData,
  ReviewCompletedData,
  ReviewOutcome,
  ReviewScheduledData,
  SloVersionedData,
  UnsealedAuditEntry,
} from './audit-entry.js'
export {
  AUDIT_ACTIONS,
  AUDIT_FORMAT,
  GENESIS_HASH,
  hashAuditEntry,
  parseAuditEntry,
  parseAuditRecord,
  REVIEW_OUTCOMES,
  sealAuditEntry,
  toAuditRecord,
} from './audit-entry.js'
export type { JsonValue } from './canonical-json.js'
export { canonicalJson } from './canonical-json.js'
export type {
  ApprovalRule,
  ConfiguredActor,
  DocumentationField,
  DocumentationSeverity,
  GovernanceSection,
  GovernanceSectionInput,
  PriorityKey,
} from './config.js'
export {
  approvalRuleSchema,
  configuredActor,
  DOCUMENTATION_FIELDS,
  DOCUMENTATION_SEVERITIES,
  forChangeType,
  forPriority,
  governanceSectionSchema,
  PRIORITY_KEYS,
  parseGovernanceSection,
} from './config.js'
export type { DocumentationIssue } from './documentation.js'
export { checkDocumentation } from './documentation.js'
export type { GovernanceErrorOptions, GovernanceErrorReason } from './errors.js'
export { AuditLogError, GOVERNANCE_ERROR_REASONS, GovernanceError } from './errors.js'
export type {
  CompleteReviewInput,
  GovernanceDashboard,
  GovernanceOptions,
  Proposal,
  ProposeInput,
  Review,
  ScheduleReviewInput,
  SloHistory,
  SloRecord,
  SloVersion,
  VersionStatus,
} from './governance.js'
export { createGovernance, Governance, VERSION_STATUSES } from './governance.js'
export { MemoryGovernanceStore } from './memory-store.js'
export type { ReviewNotice, ReviewNoticeState } from './reviews.js'
export { REVIEW_NOTICE_STATES } from './reviews.js'
export type { ChangeType, SloChange, SloDefinition, SloField, SloPatch } from './slo-definition.js'
export {
  applySloChanges,
  applySloPatch,
  CHANGE_TYPE_OF_FIELD,
  CHANGE_TYPES,
  diffSloDefinitions,
  SLO_FIELDS,
  toSloDefinition,
} from './slo-definition.js'
export type { ParseSloPatchOptions } from './slo-patch.js'
export { parseSloPatch } from './slo-patch.js'
export type { Approval, ProposalDecision, ProposalStatus, ReviewStatus } from './state.js'
export { PROPOSAL_STATUSES, REVIEW_STATUSES } from './state.js'
export type { GovernanceStore, GovernanceStoreReadOptions } from './store.js'
export { checkAppendRecords } from './store.js'
export type {
  AuditHead,
  AuditProblem,
  AuditVerification,
  BadAuditEntry,
  VerifyAuditLogOptions,
} from './verify-audit-log.js'
export { AUDIT_PROBLEMS, verifyAuditLog } from './verify-audit-log.js'
export { updateSloInYaml } from './yaml-update.js'
