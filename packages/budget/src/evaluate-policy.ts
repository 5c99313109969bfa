import { formatDuration, SlokitError, type SloSpec, type SloStatus, timeToExhaustionMs } from '@slokit/core'
import type { BudgetPolicy, ChangeType, PoliciesSection, PolicyCondition } from './policy-schema.js'
import { renderMessage } from './template.js'

/** An action a matched step asks for, with its message rendered. */
export type PolicyAction =
  | { readonly type: 'notify'; readonly channels: readonly string[]; readonly message: string }
  | { readonly type: 'require_approval'; readonly approvers: readonly string[]; readonly reason: string }
  | {
      readonly type: 'freeze_deployments'
      readonly allow: readonly ChangeType[]
      readonly unfreezeAbove: number
    }
  | { readonly type: 'custom'; readonly action: string; readonly with: Readonly<Record<string, unknown>> }

/** A step whose conditions all held. */
export interface MatchedStep {
  /** Position of the step in its policy, from 0. */
  readonly index: number
  readonly name: string | undefined
  /** Why it matched, one reason per condition, e.g. `budget remaining 20% < 25%`. */
  readonly reasons: readonly string[]
}

/** What a policy decided for one SLO status. */
export interface PolicyDecision {
  readonly sloId: string
  readonly service: string
  readonly policy: string
  readonly evaluatedAtMs: number
  /** `alert` when a step matched, `ok` when none did, `unknown` without data to judge. */
  readonly state: 'ok' | 'alert' | 'unknown'
  readonly matchedSteps: readonly MatchedStep[]
  /** The actions of every matched step, in step order. */
  readonly actions: readonly PolicyAction[]
  readonly reasons: readonly string[]
  /** The message to show: the policy's alert message, or its ok message (like slo-generator's). */
  readonly message: string
  /** The strictest freeze a matched step asked for, or `null`. */
  readonly freeze: { readonly allow: readonly ChangeType[]; readonly unfreezeAbove: number } | null
  readonly budgetRemaining: number | null
}

const DEFAULT_ALERT = '{{slo}} ({{service}}): {{reasons}}'
const DEFAULT_OK = '{{slo}} ({{service}}) is within its error budget: {{budgetRemaining}} left'
/** A freeze entered at `budgetRemainingBelow: x` ends, by default, once `x + 0.1` of the budget is back. */
export const DEFAULT_HYSTERESIS = 0.1

const pct = (ratio: number) => `${Number((ratio * 100).toFixed(2))}%`

/**
 * The policy an SLO follows: the first whose `appliesTo` selects it, or else the one named by the
 * SLO's priority. `undefined` when none applies.
 */
export function policyFor(
  slo: SloSpec,
  section: PoliciesSection,
): { name: string; policy: BudgetPolicy } | undefined {
  for (const [name, policy] of Object.entries(section.tiers)) {
    const selector = 'appliesTo' in policy ? policy.appliesTo : undefined
    if (selector === undefined) continue
    const labels = selector.labels ?? {}
    const selected =
      (selector.priority === undefined ||
        (slo.priority !== undefined && selector.priority.includes(slo.priority))) &&
      (selector.service === undefined || selector.service.includes(slo.service)) &&
      (selector.slo === undefined || selector.slo.includes(slo.id)) &&
      Object.entries(labels).every(([k, v]) => slo.labels[k] === v)
    if (selected) return { name, policy }
  }
  if (slo.priority !== undefined) {
    const policy = section.tiers[slo.priority]
    if (policy !== undefined && !('appliesTo' in policy && policy.appliesTo !== undefined))
      return { name: slo.priority, policy }
  }
  return undefined
}

/** Options of {@link evaluatePolicy}. */
export interface EvaluatePolicyOptions {
  /** Names of custom actions the host handles; a step using another name is an error. */
  readonly customActions?: readonly string[]
}

/**
 * Applies an error-budget policy to an SLO's status: which steps match (every condition of a
 * step must hold), the actions they ask for, why, and the message to show. Stateless — the
 * freeze controller turns decisions into freeze state with hysteresis.
 *
 * @example
 * ```ts
 * const { name, policy } = policyFor(slo, section)!
 * const decision = evaluatePolicy(name, policy, slo, status)
 * if (decision.state === 'alert') notify(decision.message)
 * ```
 * @throws `SlokitError` `INVALID_CONFIG` for a custom action the host did not register.
 */
export function evaluatePolicy(
  name: string,
  policy: BudgetPolicy,
  slo: SloSpec,
  status: SloStatus,
  options: EvaluatePolicyOptions = {},
): PolicyDecision {
  const remaining = status.budget?.remaining ?? null
  const values = {
    slo: slo.id,
    service: slo.service,
    policy: name,
    objective: pct(slo.objective),
    sli: status.sli === null ? 'no data' : pct(status.sli),
    budgetRemaining: remaining === null ? 'unknown' : pct(remaining),
    reasons: '',
  }
  const base = {
    sloId: slo.id,
    service: slo.service,
    policy: name,
    evaluatedAtMs: status.evaluatedAtMs,
    budgetRemaining: remaining,
  }
  if (remaining === null || status.sli === null) {
    const reason = `no data to judge: ${status.data.reason ?? status.data.state}`
    // No data is no evidence: the budget left is unknown, so no freeze may end on it.
    return {
      ...base,
      budgetRemaining: null,
      state: 'unknown',
      matchedSteps: [],
      actions: [],
      reasons: [reason],
      message: `${slo.id}: ${reason}`,
      freeze: null,
    }
  }

  const matchedSteps: MatchedStep[] = []
  const actions: PolicyAction[] = []
  let freeze: PolicyDecision['freeze'] = null
  policy.steps.forEach((step, index) => {
    const reasons = matches(step.when, status, slo)
    if (reasons === undefined) return
    matchedSteps.push({ index, name: step.name, reasons })
    const stepValues = { ...values, reasons: reasons.join('; ') }
    for (const spec of step.actions) {
      if ('notify' in spec) {
        actions.push({
          type: 'notify',
          channels: spec.notify.channels,
          message: renderMessage(spec.notify.message ?? DEFAULT_ALERT, stepValues),
        })
      } else if ('require_approval' in spec) {
        const reason = renderMessage(spec.require_approval.reason ?? '{{slo}}: {{reasons}}', stepValues)
        actions.push({ type: 'require_approval', approvers: spec.require_approval.approvers, reason })
      } else if ('freeze_deployments' in spec) {
        const threshold = step.when.budgetRemainingBelow
        const unfreezeAbove =
          spec.freeze_deployments.unfreezeAbove ??
          (threshold === undefined ? 0 : Math.min(1, threshold + DEFAULT_HYSTERESIS))
        const action = {
          type: 'freeze_deployments' as const,
          allow: spec.freeze_deployments.allow,
          unfreezeAbove,
        }
        actions.push(action)
        freeze = freeze === null ? action : strictest(freeze, action)
      } else {
        if (options.customActions !== undefined && !options.customActions.includes(spec.custom.action)) {
          throw new SlokitError(
            'INVALID_CONFIG',
            `[slokit/budget] Policy "${name}" uses the custom action "${spec.custom.action}", which the host has not registered.`,
            {
              hint: `registered: ${options.customActions.join(', ') || '(none)'}`,
            },
          )
        }
        actions.push({ type: 'custom', action: spec.custom.action, with: spec.custom.with })
      }
    }
  })

  const reasons = matchedSteps.flatMap((step) => step.reasons)
  const state = matchedSteps.length > 0 ? 'alert' : 'ok'
  const template =
    state === 'alert' ? (policy.messages.alert ?? DEFAULT_ALERT) : (policy.messages.ok ?? DEFAULT_OK)
  return {
    ...base,
    state,
    matchedSteps,
    actions,
    reasons,
    message: renderMessage(template, { ...values, reasons: reasons.join('; ') }),
    freeze,
  }
}

function strictest(
  a: { allow: readonly ChangeType[]; unfreezeAbove: number },
  b: { allow: readonly ChangeType[]; unfreezeAbove: number },
): { allow: readonly ChangeType[]; unfreezeAbove: number } {
  return {
    allow: a.allow.filter((t) => b.allow.includes(t)),
    unfreezeAbove: Math.max(a.unfreezeAbove, b.unfreezeAbove),
  }
}

/** The reasons every condition holds, or `undefined` when one does not. */
function matches(when: PolicyCondition, status: SloStatus, slo: SloSpec): string[] | undefined {
  const reasons: string[] = []
  const remaining = status.budget?.remaining ?? 1
  if (when.budgetRemainingBelow !== undefined) {
    if (!(remaining < when.budgetRemainingBelow)) return undefined
    reasons.push(`budget remaining ${pct(remaining)} < ${pct(when.budgetRemainingBelow)}`)
  }
  if (when.burnRateAbove !== undefined) {
    const { rate, window } = when.burnRateAbove
    const reading = status.burnRates.find((b) => b.windowMs === window)
    if (reading === undefined || reading.burnRate === null || !(reading.burnRate > rate)) return undefined
    reasons.push(`burn rate ${Number(reading.burnRate.toFixed(2))} over ${formatDuration(window)} > ${rate}`)
  }
  if (when.exhaustionWithin !== undefined) {
    const { within, window } = when.exhaustionWithin
    const reading = status.burnRates.find((b) => b.windowMs === window)
    const periodMs = status.range.periodEndMs - status.range.periodStartMs
    const left = timeToExhaustionMs(remaining, reading?.burnRate ?? null, periodMs)
    if (left === null || left > within) return undefined
    reasons.push(
      left === 0
        ? 'budget exhausted'
        : `budget runs out in ${formatDuration(Math.round(left))} at the ${formatDuration(window)} burn rate`,
    )
  }
  if (when.sloNotMet === true) {
    if (status.met !== false) return undefined
    reasons.push(`SLO not met: ${pct(status.sli ?? 0)} < ${pct(slo.objective)}`)
  }
  return reasons
}
