/**
 * `@slokit/testing/vitest`: conformance suites that register vitest tests. They live on their own
 * subpath (ESM only, like vitest itself) so the main `@slokit/testing` entry stays free of any test
 * framework and loads from CommonJS, Jest or plain Node.
 *
 * @example
 * ```ts
 * import { describeSliSourceContract } from '@slokit/testing/vitest'
 *
 * describeSliSourceContract('MySource', () => ({ source: new MySource(), ratio: {...}, empty: {...} }))
 * ```
 * @module
 */
export type { SliSourceContractFixture } from './sli-source-contract.js'
export { describeSliSourceContract } from './sli-source-contract.js'
