import type { Priority } from '@slokit/core'
import { type Actor, OWNER_ROLE } from './actor.js'
import { type ApprovalRule, forChangeType, type GovernanceSection, type PriorityKey } from './config.js'
import type { ChangeType } from './slo-definition.js'

/** Where in the approval matrix a rule sits: `approvals.<priority>.<changeType>`. */
export interface RuleCell {
  readonly priority: PriorityKey
  readonly changeType: ChangeType | 'default'
}

/** A rule of the matrix that a proposal must satisfy, and the change types it covers there. */
export interface ApplicableRule {
  readonly cell: RuleCell
  readonly rule: ApprovalRule
  readonly changeTypes: readonly ChangeType[]
}

/** A change type and priority the matrix has no rule for. */
export interface UncoveredChange {
  readonly priority: Priority | undefined
  readonly changeType: ChangeType
}

/**
 * The rules a proposal must satisfy: for each change type it makes and each priority involved
 * (the SLO's current priority and, when the proposal changes it, the new one — so downgrading a
 * critical SLO still needs the critical sign-off), the matrix cell
 * `approvals[priority][changeType]`, falling back to `[priority].default`, then
 * `default[changeType]`, then `default.default`. Cells reached more than once count once.
 */
export function applicableRules(
  section: GovernanceSection,
  priorities: readonly (Priority | undefined)[],
  changeTypes: readonly ChangeType[],
): { readonly rules: ApplicableRule[]; readonly uncovered: UncoveredChange[] } {
  const byCell = new Map<string, { cell: RuleCell; rule: ApprovalRule; changeTypes: ChangeType[] }>()
  const uncovered: UncoveredChange[] = []
  for (const priority of new Set(priorities)) {
    for (const changeType of changeTypes) {
      const found = lookup(section, priority, changeType)
      if (found === undefined) {
        uncovered.push({ priority, changeType })
        continue
      }
      const key = `${found.cell.priority}/${found.cell.changeType}`
      const entry = byCell.get(key) ?? { ...found, changeTypes: [] }
      if (!entry.changeTypes.includes(changeType)) entry.changeTypes.push(changeType)
      byCell.set(key, entry)
    }
  }
  return { rules: [...byCell.values()], uncovered }
}

function lookup(
  section: GovernanceSection,
  priority: Priority | undefined,
  changeType: ChangeType,
): { cell: RuleCell; rule: ApprovalRule } | undefined {
  const own = priority === undefined ? undefined : section.approvals[priority]
  const candidates: Array<[PriorityKey, typeof own]> = []
  if (priority !== undefined && own !== undefined) candidates.push([priority, own])
  if (section.approvals.default !== undefined) candidates.push(['default', section.approvals.default])
  for (const [key, table] of candidates) {
    const cell = table === undefined ? undefined : forChangeType(table, changeType)
    if (cell !== undefined) return { cell: { priority: key, changeType: cell.key }, rule: cell.value }
  }
  return undefined
}

/**
 * Whether an actor holds a role, as the host granted it. The reserved role `owner` is held by
 * members of the SLO's owning team (`actor.teams` includes the SLO's `owner`) and never by a role
 * named `owner`.
 */
export function holdsRole(actor: Actor, role: string, sloOwner: string | undefined): boolean {
  if (role === OWNER_ROLE) return sloOwner !== undefined && (actor.teams ?? []).includes(sloOwner)
  return actor.roles.includes(role)
}

/** Whether an actor may approve (or reject) under a rule: they hold one of its `approvers` roles. */
export function mayApprove(actor: Actor, rule: ApprovalRule, sloOwner: string | undefined): boolean {
  return rule.approvers.some((role) => holdsRole(actor, role, sloOwner))
}

/** How far one rule is from being satisfied. */
export interface RuleProgress {
  readonly cell: RuleCell
  readonly changeTypes: readonly ChangeType[]
  readonly approvers: readonly string[]
  readonly minApprovals: number
  readonly requiredRoles: readonly string[]
  /** Ids of the approvers that count for this rule, in approval order. */
  readonly approvedBy: readonly string[]
  /** Approvals still needed (0 when enough). */
  readonly missingApprovals: number
  /** Required roles no counted approver holds yet. */
  readonly missingRoles: readonly string[]
  readonly satisfied: boolean
}

/** How far a proposal is from approval: it is approved when every applicable rule is satisfied. */
export interface ApprovalProgress {
  readonly satisfied: boolean
  readonly rules: readonly RuleProgress[]
}

/**
 * Evaluates approvals against the applicable rules. An approval counts for a rule when its
 * approver held one of the rule's roles (as recorded when they approved) and is not the proposer;
 * each approver counts once per rule.
 */
export function evaluateApprovals(
  rules: readonly ApplicableRule[],
  approvals: readonly { readonly actor: Actor }[],
  context: { readonly proposerId: string; readonly sloOwner: string | undefined },
): ApprovalProgress {
  const progress = rules.map((applicable): RuleProgress => {
    const { rule } = applicable
    const counted: Actor[] = []
    for (const { actor } of approvals) {
      if (actor.id === context.proposerId || counted.some((a) => a.id === actor.id)) continue
      if (mayApprove(actor, rule, context.sloOwner)) counted.push(actor)
    }
    const missingRoles = rule.requiredRoles.filter(
      (role) => !counted.some((actor) => holdsRole(actor, role, context.sloOwner)),
    )
    const missingApprovals = Math.max(0, rule.minApprovals - counted.length)
    return {
      cell: applicable.cell,
      changeTypes: applicable.changeTypes,
      approvers: rule.approvers,
      minApprovals: rule.minApprovals,
      requiredRoles: rule.requiredRoles,
      approvedBy: counted.map((actor) => actor.id),
      missingApprovals,
      missingRoles,
      satisfied: missingApprovals === 0 && missingRoles.length === 0,
    }
  })
  return { satisfied: progress.every((rule) => rule.satisfied), rules: progress }
}

/** `critical/target: 1 of 2 approvals (sre); needs sre-lead`, for messages. */
export function describeProgress(rule: RuleProgress): string {
  const count = `${rule.approvedBy.length} of ${rule.minApprovals} ${rule.minApprovals === 1 ? 'approval' : 'approvals'} from ${rule.approvers.join(' or ')}`
  const roles = rule.missingRoles.length === 0 ? '' : `; needs one from ${rule.missingRoles.join(', ')}`
  return `approvals.${rule.cell.priority}.${rule.cell.changeType}: ${count}${roles}`
}
