import assert from 'node:assert/strict'
import { DAY_MS, HOUR_MS, SlokitError } from '@slokit/core'
import type { StatusSnapshot } from './snapshot.js'
import type { StatusHistory, StatusHistoryOptions } from './status-history.js'

/** Makes a fresh, empty history with the given options; called once per case. */
export type StatusHistoryFactory = (options: StatusHistoryOptions) => StatusHistory | Promise<StatusHistory>

/** One case of the {@link statusHistoryContract}: register `run` as a test named `name`. */
export interface ContractCase {
  readonly name: string
  /** Resolves when the implementation behaves; rejects with an assertion error naming what differs. */
  readonly run: () => Promise<void>
}

const T0 = Date.UTC(2026, 0, 1)

function snap(
  sloId: string,
  atMs: number,
  sli: number | null = 0.999,
  budgetRemaining: number | null = 0.5,
): StatusSnapshot {
  return { sloId, atMs, sli, objective: 0.99, budgetRemaining, state: sli === null ? 'no_data' : 'ok' }
}

/**
 * The conformance suite of {@link StatusHistory}, for every implementation — slokit's and yours
 * over a database — so the engine and reports can rely on the same behaviour. It is plain
 * functions that throw `node:assert` errors, so it runs under any test runner.
 *
 * @example
 * ```ts
 * import { statusHistoryContract } from '@slokit/reporter'
 * import { describe, it } from 'vitest'
 *
 * describe('PostgresStatusHistory', () => {
 *   for (const c of statusHistoryContract((options) => new PostgresStatusHistory(pool, options))) it(c.name, c.run)
 * })
 * ```
 */
export function statusHistoryContract(factory: StatusHistoryFactory): ContractCase[] {
  return [
    {
      name: 'reads back what was appended, by SLO, in time order, within [startMs, endMs)',
      run: async () => {
        const history = await factory({})
        await history.append([snap('a', T0 + 2 * HOUR_MS), snap('b', T0 + HOUR_MS, null, null)])
        await history.append([snap('a', T0 + HOUR_MS, 0.98, -0.25), snap('a', T0 + 3 * HOUR_MS)])
        assert.deepEqual(await history.read({ startMs: T0, endMs: T0 + DAY_MS }), [
          snap('a', T0 + HOUR_MS, 0.98, -0.25),
          snap('a', T0 + 2 * HOUR_MS),
          snap('a', T0 + 3 * HOUR_MS),
          snap('b', T0 + HOUR_MS, null, null),
        ])
        assert.deepEqual(
          await history.read({ startMs: T0 + HOUR_MS, endMs: T0 + 3 * HOUR_MS, sloIds: ['a'] }),
          [snap('a', T0 + HOUR_MS, 0.98, -0.25), snap('a', T0 + 2 * HOUR_MS)],
        )
        assert.deepEqual(await history.read({ startMs: T0, endMs: T0 + DAY_MS, sloIds: ['unknown'] }), [])
      },
    },
    {
      name: 'forgets snapshots older than the retention, measured from the newest one',
      run: async () => {
        const history = await factory({ retentionMs: 2 * DAY_MS })
        await history.append([snap('a', T0), snap('a', T0 + DAY_MS)])
        assert.equal((await history.read({ startMs: T0, endMs: T0 + 10 * DAY_MS })).length, 2)
        await history.append([snap('a', T0 + 2 * DAY_MS + HOUR_MS)])
        const kept = await history.read({ startMs: T0, endMs: T0 + 10 * DAY_MS })
        assert.deepEqual(
          kept.map((s) => s.atMs),
          [T0 + DAY_MS, T0 + 2 * DAY_MS + HOUR_MS],
        )
      },
    },
    {
      name: 'keeps one snapshot per SLO per minIntervalMs when thinning',
      run: async () => {
        const history = await factory({ minIntervalMs: HOUR_MS })
        await history.append(Array.from({ length: 180 }, (_, i) => snap('a', T0 + i * 60_000)))
        const kept = await history.read({ startMs: T0, endMs: T0 + DAY_MS })
        assert.deepEqual(
          kept.map((s) => (s.atMs - T0) / HOUR_MS),
          [0, 1, 2],
        )
      },
    },
    {
      name: 'refuses a malformed snapshot with INVALID_ARGUMENT and keeps nothing of its batch',
      run: async () => {
        const history = await factory({})
        const bad = { ...snap('a', T0), atMs: Number.NaN }
        await assert.rejects(
          history.append([snap('a', T0 - 1), bad]),
          (error: unknown) => error instanceof SlokitError && error.code === 'INVALID_ARGUMENT',
        )
        assert.deepEqual(await history.read({ startMs: 0, endMs: T0 + DAY_MS }), [])
      },
    },
  ]
}
