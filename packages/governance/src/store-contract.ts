import assert from 'node:assert/strict'
import { parseSlo } from '@slokit/core'
import {
  type AuditRecord,
  createGovernance,
  type GovernanceStore,
  parseGovernanceSection,
  verifyAuditLog,
} from '@slokit/governance'

/**
 * The two functions of a test framework the suite registers its cases with: vitest's, Jest's,
 * Mocha's and `node:test`'s `describe` and `it` all fit.
 */
export interface ContractTestApi {
  describe(name: string, body: () => void): unknown
  it(name: string, body: () => Promise<void>): unknown
}

/** What {@link describeGovernanceStoreContract} needs for each case: a fresh, empty store. */
export interface GovernanceStoreContractFixture {
  /** An empty store, used by one case only. */
  readonly store: GovernanceStore
  /**
   * Opens the same storage again as a new store (a new connection, as a restarted process
   * would); required with `durable: true`.
   */
  readonly reopen?: (() => GovernanceStore | Promise<GovernanceStore>) | undefined
  /** Runs after the case: remove files, stop servers. The suite closes the stores itself. */
  readonly cleanup?: (() => void | Promise<void>) | undefined
}

const record = (sequence: number, json = `{"n":${sequence}}`): AuditRecord => ({ sequence, json })

/** The cases of the contract, in order. @internal Exported for the package's own tests. */
export const governanceStoreContractCases: ReadonlyArray<{
  readonly name: string
  readonly needsReopen?: boolean
  readonly run: (fixture: GovernanceStoreContractFixture) => Promise<void>
}> = [
  {
    name: 'reads an empty store as no records',
    async run({ store }) {
      assert.deepEqual([...(await store.read())], [])
      assert.deepEqual([...(await store.read({ afterSequence: 5 }))], [])
    },
  },
  {
    name: 'gives back what was appended, in order, byte for byte',
    async run({ store }) {
      const tricky = [
        record(1),
        record(2, JSON.stringify({ text: 'ünïcödé ✓ 𝄞 \u2028 "quoted" \\ back\nslash', n: -0.000001 })),
        record(3, `{"long":"${'x'.repeat(100_000)}"}`),
        record(4, 'not JSON at all: a store keeps bytes, it does not judge them'),
      ]
      assert.equal(await store.append(tricky.slice(0, 2)), true)
      assert.equal(await store.append(tricky.slice(2)), true)
      const read = await store.read()
      assert.deepEqual(
        read.map((r) => ({ sequence: r.sequence, json: r.json })),
        tricky,
      )
    },
  },
  {
    name: 'reads only the records after `afterSequence`',
    async run({ store }) {
      assert.equal(await store.append([record(1), record(2), record(3)]), true)
      assert.deepEqual(
        (await store.read({ afterSequence: 1 })).map((r) => r.sequence),
        [2, 3],
      )
      assert.deepEqual([...(await store.read({ afterSequence: 3 }))], [])
      assert.deepEqual(
        (await store.read({ afterSequence: 0 })).map((r) => r.sequence),
        [1, 2, 3],
      )
    },
  },
  {
    name: 'answers false and writes nothing when the first sequence is not one past the last',
    async run({ store }) {
      assert.equal(await store.append([record(2)]), false, 'an empty store takes sequence 1 first')
      assert.equal(await store.append([record(1)]), true)
      assert.equal(await store.append([record(1, '{"again":true}')]), false, 'sequence 1 is taken')
      assert.equal(await store.append([record(3), record(4)]), false, 'sequence 2 would be skipped')
      const read = await store.read()
      assert.deepEqual(
        read.map((r) => ({ sequence: r.sequence, json: r.json })),
        [record(1)],
      )
    },
  },
  {
    name: 'writes all the records of a batch or none of them',
    async run({ store }) {
      assert.equal(await store.append([record(1), record(2)]), true)
      assert.equal(await store.append([record(2), record(3), record(4)]), false)
      assert.deepEqual(
        (await store.read()).map((r) => r.sequence),
        [1, 2],
      )
    },
  },
  {
    name: 'rejects a malformed batch (empty, not consecutive) and writes nothing',
    async run({ store }) {
      await assert.rejects(store.append([]))
      await assert.rejects(store.append([record(1), record(3)]))
      await assert.rejects(store.append([record(0)]))
      assert.deepEqual([...(await store.read())], [])
    },
  },
  {
    name: 'lets exactly one of two racing appends at the same sequence win',
    async run({ store }) {
      const results = await Promise.all([
        store.append([record(1, '{"writer":"a"}')]),
        store.append([record(1, '{"writer":"b"}')]),
      ])
      assert.deepEqual([...results].sort(), [false, true])
      const read = await store.read()
      assert.equal(read.length, 1)
      assert.equal(read[0]?.json, results[0] === true ? '{"writer":"a"}' : '{"writer":"b"}')
    },
  },
  {
    name: 'is not changed through the records it returned',
    async run({ store }) {
      assert.equal(await store.append([record(1)]), true)
      const read = (await store.read()) as AuditRecord[]
      try {
        ;(read[0] as { json: string }).json = '{"forged":true}'
        read.push(record(2))
      } catch {
        // frozen: all the better
      }
      const again = await store.read()
      assert.deepEqual(
        again.map((r) => ({ sequence: r.sequence, json: r.json })),
        [record(1)],
      )
    },
  },
  {
    name: 'keeps its records across reopening',
    needsReopen: true,
    async run({ store, reopen }) {
      assert.equal(await store.append([record(1), record(2)]), true)
      await store.close?.()
      const again = await (reopen as () => GovernanceStore | Promise<GovernanceStore>)()
      try {
        assert.deepEqual(
          (await again.read()).map((r) => ({ sequence: r.sequence, json: r.json })),
          [record(1), record(2)],
        )
        assert.equal(await again.append([record(3)]), true)
      } finally {
        await again.close?.()
      }
    },
  },
  {
    name: 'carries a governance workflow whose audit log verifies',
    async run({ store }) {
      const config = parseGovernanceSection({
        approvals: { default: { default: { approvers: ['sre'], minApprovals: 2 } } },
      })
      const slo = parseSlo({
        id: 'api',
        service: 'api',
        objective: '99.9%',
        window: '30d',
        sli: { id: 'api-requests', kind: 'availability', measurement: { type: 'ratio' } },
      })
      let now = Date.UTC(2026, 0, 1)
      const governance = createGovernance({ store, config, slos: [slo], clock: { now: () => now++ } })
      const proposal = await governance.propose(
        { id: 'alice', roles: ['sre'] },
        {
          sloId: 'api',
          set: { objective: '99.95%' },
          reason: 'contract check',
        },
      )
      await governance.approve({ id: 'bob', roles: ['sre'] }, proposal.id)
      const approved = await governance.approve({ id: 'carol', roles: ['sre'] }, proposal.id)
      assert.equal(approved.status, 'approved')
      const result = verifyAuditLog(await store.read())
      assert.equal(result.ok, true, JSON.stringify(result))
      assert.equal(result.ok && result.entries, 5)
    },
  },
]

/** Options of {@link describeGovernanceStoreContract}: the test framework's functions, and what to expect. */
export interface GovernanceStoreContractOptions extends ContractTestApi {
  /** The store keeps records across reopening (fixtures then give `reopen`); `false` by default. */
  readonly durable?: boolean | undefined
}

/**
 * Registers the conformance suite of {@link GovernanceStore}: what governance relies on from a
 * store — ordered, byte-exact records; appends that land only on the newest record and all or
 * nothing; one winner when two writers race — and, for a `durable` store, records that survive
 * reopening. Every case gets a fresh store from `factory`.
 *
 * Pass your test framework's `describe` and `it`; the cases assert with `node:assert`, so the
 * suite runs under vitest, Jest, Mocha or `node:test` alike.
 *
 * @example
 * ```ts
 * import { describeGovernanceStoreContract } from '@slokit/governance/testing'
 * import { describe, it } from 'vitest'
 *
 * describeGovernanceStoreContract('PostgresGovernanceStore', async () => {
 *   const schema = await freshSchema()
 *   return {
 *     store: new PostgresGovernanceStore({ pool, schema }),
 *     reopen: () => new PostgresGovernanceStore({ pool: newPool(), schema }),
 *     cleanup: () => dropSchema(schema),
 *   }
 * }, { describe, it, durable: true })
 * ```
 */
export function describeGovernanceStoreContract(
  name: string,
  factory: () => GovernanceStoreContractFixture | Promise<GovernanceStoreContractFixture>,
  options: GovernanceStoreContractOptions,
): void {
  options.describe(`${name} keeps the GovernanceStore contract`, () => {
    for (const contractCase of governanceStoreContractCases) {
      if (contractCase.needsReopen === true && options.durable !== true) continue
      options.it(contractCase.name, async () => {
        const fixture = await factory()
        try {
          assert.ok(
            contractCase.needsReopen !== true || fixture.reopen !== undefined,
            "a durable store's fixture must give `reopen`",
          )
          await contractCase.run(fixture)
        } finally {
          await fixture.store.close?.()
          await fixture.cleanup?.()
        }
      })
    }
  })
}
