/**
 * `@slokit/governance/testing`: the conformance suite every `GovernanceStore` runs — ours
 * and yours. It imports no test framework: pass `describe` and `it` from the one you use.
 *
 * @example
 * ```ts
 * import { MemoryGovernanceStore } from '@slokit/governance'
 * import { describeGovernanceStoreContract } from '@slokit/governance/testing'
 * import { describe, it } from 'vitest'
 *
 * describeGovernanceStoreContract('MemoryGovernanceStore', () => ({ store: new MemoryGovernanceStore() }), { describe, it })
 * ```
 * @module
 */
export type {
  ContractTestApi,
  GovernanceStoreContractFixture,
  GovernanceStoreContractOptions,
} from './store-contract.js'
export { describeGovernanceStoreContract } from './store-contract.js'
