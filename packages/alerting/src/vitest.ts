/**
 * `@slokit/alerting/vitest`: the `Notifier` conformance suite. On its own subpath (ESM only, like
 * vitest itself) so the main entry imports no test framework.
 * @module
 */
export type { NotifierContractFixture } from './notifier-contract.js'
export { describeNotifierContract } from './notifier-contract.js'
