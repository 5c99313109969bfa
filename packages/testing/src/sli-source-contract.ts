import {
  checkSeries,
  type SliSeries,
  type SliSource,
  type SliSpec,
  SlokitError,
  type SlokitErrorCode,
  type TimeRange,
} from '@slokit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * What {@link describeSliSourceContract} checks a source against: the source, and queries with
 * answers you know from the data you gave it.
 */
export interface SliSourceContractFixture {
  /** The source under test. */
  readonly source: SliSource
  /** A ratio SLI with data in `range`, and the event counts the source holds there. */
  readonly ratio: {
    readonly sli: SliSpec
    readonly range: TimeRange
    /** Sums of `good` and `total` over the answered points (compared to 1e-9 relative). */
    readonly expected: { readonly good: number; readonly total: number }
  }
  /** A threshold SLI with data in `range`, and how many values the source holds there. Optional. */
  readonly threshold?:
    | {
        readonly sli: SliSpec
        readonly range: TimeRange
        readonly expectedCount: number
      }
    | undefined
  /** An SLI the source knows, and a range in which it has no data at all. */
  readonly empty: { readonly sli: SliSpec; readonly range: TimeRange }
  /** An SLI the source cannot answer for, if it can tell (leave out when every SLI is answerable). */
  readonly unknownSli?: SliSpec | undefined
  /** Runs after the last case: stop servers, close clients. */
  readonly cleanup?: (() => void | Promise<void>) | undefined
}

/**
 * One case of the contract: `run` fails (throws an assertion error) when the source breaks it.
 * @internal Exported for the package's own tests.
 */
export interface SliSourceContractCase {
  readonly name: string
  /** Why the case does not apply to a fixture (it is then skipped); undefined when it does. */
  readonly skipReason?: (fixture: SliSourceContractFixture) => string | undefined
  readonly run: (fixture: SliSourceContractFixture) => Promise<void>
}

/**
 * The cases of the contract, in order.
 * @internal Exported for the package's own tests; use {@link describeSliSourceContract}.
 */
export const sliSourceContractCases: readonly SliSourceContractCase[] = [
  {
    name: 'has a non-empty name',
    async run({ source }) {
      expect(typeof source.name, 'source.name must be a string').toBe('string')
      expect(source.name.trim(), 'source.name must not be empty or only whitespace').not.toBe('')
    },
  },
  {
    name: 'answers a ratio SLI with a valid event series holding the expected counts',
    async run({ source, ratio }) {
      const series = await source.query(ratio.sli, ratio.range)
      expect(series.kind, 'a ratio SLI must be answered with kind "events"').toBe('events')
      if (series.kind !== 'events') return
      expect(
        Number.isFinite(series.resolutionMs) && series.resolutionMs > 0,
        `resolutionMs must be a positive finite number, got ${series.resolutionMs}`,
      ).toBe(true)
      expect(checkSeries(ratio.sli, ratio.range, series, 20), 'checkSeries() found problems').toEqual([])
      let good = 0
      let total = 0
      for (const point of series.points) {
        good += point.good
        total += point.total
      }
      expectClose(good, ratio.expected.good, 'sum of `good` over the ratio range')
      expectClose(total, ratio.expected.total, 'sum of `total` over the ratio range')
    },
  },
  {
    name: 'answers a threshold SLI with a valid value series holding the expected number of values',
    skipReason: ({ threshold }) =>
      threshold === undefined ? 'the fixture has no `threshold` query' : undefined,
    async run({ source, threshold }) {
      if (threshold === undefined) return
      const series = await source.query(threshold.sli, threshold.range)
      expect(series.kind, 'a threshold SLI must be answered with kind "values"').toBe('values')
      if (series.kind !== 'values') return
      const { resolutionMs } = series
      expect(
        resolutionMs === undefined || (Number.isFinite(resolutionMs) && resolutionMs > 0),
        `resolutionMs, when given, must be a positive finite number, got ${resolutionMs}`,
      ).toBe(true)
      expect(checkSeries(threshold.sli, threshold.range, series, 20), 'checkSeries() found problems').toEqual(
        [],
      )
      expect(series.points.length, 'number of values in the threshold range').toBe(threshold.expectedCount)
    },
  },
  {
    name: 'answers a range without data with an empty series (no invented zeros, no perfect score)',
    async run({ source, empty }) {
      const series = await source.query(empty.sli, empty.range)
      expect(checkSeries(empty.sli, empty.range, series, 20), 'checkSeries() found problems').toEqual([])
      expect(series.points, 'a range without data must answer no points at all').toEqual([])
    },
  },
  {
    name: 'rejects with SlokitError ABORTED when the signal is already aborted',
    async run({ source, ratio }) {
      const controller = new AbortController()
      controller.abort(new Error('aborted by the SliSource contract'))
      let answer: Promise<SliSeries> | undefined
      expect(() => {
        answer = source.query(ratio.sli, ratio.range, { signal: controller.signal })
      }, 'query() must return a rejected promise, not throw').not.toThrow()
      expectSlokitError(await rejectionOf(answer, 'query() with an aborted signal'), 'ABORTED')
    },
  },
  {
    name: 'does not mutate the SLI spec or the range it is given',
    async run({ source, ratio }) {
      // Frozen: a source writing to the spec in strict-mode code throws here.
      const frozenSli = deepFreeze(structuredClone(ratio.sli))
      const frozenRange = deepFreeze({ ...ratio.range })
      const fromFrozen = await source.query(frozenSli, frozenRange)
      // Not frozen: catches writes that sloppy-mode code would silently drop on a frozen object.
      const sli = structuredClone(ratio.sli)
      const range = { ...ratio.range }
      const fromPlain = await source.query(sli, range)
      expect(sli, 'query() changed the SLI spec it was given').toEqual(ratio.sli)
      expect(range, 'query() changed the range it was given').toEqual(ratio.range)
      expect(fromFrozen, 'a frozen SLI spec must get the same answer as a plain one').toEqual(fromPlain)
    },
  },
  {
    name: 'answers two identical queries identically',
    async run({ source, ratio, threshold }) {
      const first = await source.query(ratio.sli, ratio.range)
      const second = await source.query(ratio.sli, ratio.range)
      expect(second, 'the same ratio query answered differently').toEqual(first)
      if (threshold === undefined) return
      const firstValues = await source.query(threshold.sli, threshold.range)
      const secondValues = await source.query(threshold.sli, threshold.range)
      expect(secondValues, 'the same threshold query answered differently').toEqual(firstValues)
    },
  },
  {
    name: 'rejects an unknown SLI with a SlokitError',
    skipReason: ({ unknownSli }) =>
      unknownSli === undefined ? 'the fixture has no `unknownSli`' : undefined,
    async run({ source, ratio, unknownSli }) {
      if (unknownSli === undefined) return
      let answer: Promise<SliSeries> | undefined
      expect(() => {
        answer = source.query(unknownSli, ratio.range)
      }, 'query() must return a rejected promise, not throw').not.toThrow()
      expectSlokitError(await rejectionOf(answer, `query() for the unknown SLI "${unknownSli.id}"`))
    },
  },
]

/**
 * Registers a vitest suite that checks an {@link SliSource} keeps the contract the engine relies
 * on: the right series kind, points inside the range and sorted, no invented data, the expected
 * counts, `SlokitError` rejections (`ABORTED` for an aborted signal), no mutation of its inputs, and
 * deterministic answers. Call it at the top level of a test file; `factory` runs once before the
 * cases (it may start a server) and `cleanup` once after them.
 *
 * Needs `vitest` (an optional peer dependency of this package).
 *
 * @param name Shown in the suite title: `SliSource contract: <name>`.
 * @param factory Builds the source with known data and the queries to check it with.
 *
 * @example
 * ```ts
 * // my-source.test.ts
 * import { parseSli } from '@slokit/core'
 * import { describeSliSourceContract } from '@slokit/testing'
 *
 * const requests = parseSli({ id: 'requests', kind: 'availability', measurement: { type: 'ratio' } })
 * const day = { startMs: Date.UTC(2026, 0, 1), endMs: Date.UTC(2026, 0, 2) }
 *
 * describeSliSourceContract('MySource', async () => {
 *   const server = await startFakeApi({ requests: [{ t: day.startMs, ok: 99, all: 100 }] })
 *   return {
 *     source: new MySource({ url: server.url }),
 *     ratio: { sli: requests, range: day, expected: { good: 99, total: 100 } },
 *     empty: { sli: requests, range: { startMs: day.endMs, endMs: day.endMs + 3_600_000 } },
 *     unknownSli: parseSli({ id: 'nope', kind: 'availability', measurement: { type: 'ratio' } }),
 *     cleanup: () => server.close(),
 *   }
 * })
 * ```
 */
export function describeSliSourceContract(
  name: string,
  factory: () => SliSourceContractFixture | Promise<SliSourceContractFixture>,
): void {
  describe(`SliSource contract: ${name}`, () => {
    let fixture: SliSourceContractFixture | undefined
    beforeAll(async () => {
      fixture = await factory()
    })
    afterAll(async () => {
      await fixture?.cleanup?.()
    })
    for (const contractCase of sliSourceContractCases) {
      it(contractCase.name, async (context) => {
        if (fixture === undefined)
          throw new Error('[slokit/testing] the SliSource contract factory did not return a fixture')
        const skipReason = contractCase.skipReason?.(fixture)
        if (skipReason !== undefined) context.skip(skipReason)
        await contractCase.run(fixture)
      })
    }
  })
}

function expectClose(actual: number, expected: number, what: string): void {
  const tolerance = Math.max(1e-9, Math.abs(expected) * 1e-9)
  expect(Math.abs(actual - expected) <= tolerance, `${what}: expected ${expected}, got ${actual}`).toBe(true)
}

async function rejectionOf(answer: Promise<unknown> | undefined, what: string): Promise<unknown> {
  try {
    await answer
  } catch (error) {
    return error
  }
  return expect.fail(`${what} must reject with a SlokitError, but it resolved`)
}

function expectSlokitError(error: unknown, code?: SlokitErrorCode): void {
  const wanted = code === undefined ? 'a SlokitError' : `a SlokitError with code ${code}`
  if (!(error instanceof SlokitError)) {
    const looksLikeOne = typeof error === 'object' && error !== null && 'code' in error
    const hint = looksLikeOne
      ? ' (it has a `code`: is a second copy of @slokit/core installed? Adapters take it as a peer dependency)'
      : ''
    expect.fail(`expected ${wanted}, got ${describeValue(error)}${hint}`)
  }
  if (code !== undefined) expect(error.code, `expected ${wanted}, got code ${error.code}`).toBe(code)
}

function describeValue(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`
  return String(value)
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key])
  }
  return value
}
