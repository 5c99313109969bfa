export { correctionApplies, exclusionsFor } from './corrections.js'
export type { EvaluatePolicyOptions, MatchedStep, PolicyAction, PolicyDecision } from './evaluate-policy.js'
export { DEFAULT_HYSTERESIS, evaluatePolicy, policyFor } from './evaluate-policy.js'
export type { ChangeVerdict, FreezeController, FreezeControllerOptions, ServiceFreeze } from './freeze.js'
export { createFreezeController } from './freeze.js'
export type {
  FreezeCause,
  FreezeOverride,
  FreezeSnapshot,
  FreezeStore,
  FreezeTransition,
  ServiceFreezeRecord,
} from './freeze-store.js'
export { FileFreezeStore, FREEZE_TRANSITION_KINDS, MemoryFreezeStore } from './freeze-store.js'
export type { GateInputs, GateObjective, GateResult, GateVerdict } from './gate.js'
export { evaluateGate } from './gate.js'
export type { GateHandlerOptions, GateResponseBody } from './gate-handler.js'
export { createGateHandler, gateResponseBody } from './gate-handler.js'
export type {
  DeploymentProtectionRuleEvent,
  DeploymentProtectionRuleOptions,
  ProtectionRuleOutcome,
} from './github-protection-rule.js'
export { createDeploymentProtectionRuleHandler } from './github-protection-rule.js'
export type {
  BudgetPolicy,
  ChangeType,
  Correction,
  GateSettings,
  PoliciesSection,
  PoliciesSectionInput,
  PolicyActionSpec,
  PolicyCondition,
  PolicyStep,
} from './policy-schema.js'
export { CHANGE_TYPES, policiesSectionSchema } from './policy-schema.js'
export type { MessagePlaceholder } from './template.js'
export { MESSAGE_PLACEHOLDERS, renderMessage, unknownPlaceholders } from './template.js'
