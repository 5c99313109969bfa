import {
  checkSeries,
  type EventSeries,
  parseSli,
  type SliQueryOptions,
  type SliSource,
  type SliSpec,
  SlokitError,
  type TimeRange,
} from '@slokit/core'
import { MemorySource } from '@slokit/testing'
import { describeSliSourceContract } from '@slokit/testing/vitest'
import { describe, expect, it } from 'vitest'
import { type SliSourceContractFixture, sliSourceContractCases } from './sli-source-contract.js'

const T0 = Date.UTC(2026, 0, 1)
const MIN = 60_000
const hour: TimeRange = { startMs: T0, endMs: T0 + 60 * MIN }
const nextHour: TimeRange = { startMs: T0 + 60 * MIN, endMs: T0 + 120 * MIN }

const requests = parseSli({ id: 'requests', kind: 'availability', measurement: { type: 'ratio' } })
const latency = parseSli({
  id: 'latency',
  kind: 'latency',
  measurement: { type: 'threshold', comparison: '<=', threshold: 300 },
})
const unknown = parseSli({ id: 'unknown', kind: 'availability', measurement: { type: 'ratio' } })

function memory(): MemorySource {
  return new MemorySource()
    .addEvents('requests', [
      { t: T0, good: 9, total: 10 },
      { t: T0 + MIN, good: 10, total: 10 },
    ])
    .addValues('latency', [{ t: T0, value: 100 }])
}

/** A fixture around `source` whose data matches {@link memory}. */
function fixtureFor(source: SliSource): SliSourceContractFixture {
  return {
    source,
    ratio: { sli: requests, range: hour, expected: { good: 19, total: 20 } },
    threshold: { sli: latency, range: hour, expectedCount: 1 },
    empty: { sli: requests, range: nextHour },
    unknownSli: unknown,
  }
}

/** A source that answers like {@link memory} except where `override` says otherwise. */
function broken(
  override: (inner: MemorySource, sli: SliSpec, range: TimeRange, opts?: SliQueryOptions) => Promise<unknown>,
  name = 'broken',
): SliSource {
  const inner = memory()
  return {
    name,
    query: (sli, range, opts) => override(inner, sli, range, opts) as ReturnType<SliSource['query']>,
  }
}

const caseNamed = (name: RegExp) => {
  const found = sliSourceContractCases.find((c) => name.test(c.name))
  if (found === undefined) throw new Error(`no contract case matches ${name}`)
  return found
}

// The suite against a source that also offers no threshold SLI and no unknown SLI: those cases skip.
describeSliSourceContract('MemorySource without optional fixtures', () => ({
  source: memory(),
  ratio: { sli: requests, range: hour, expected: { good: 19, total: 20 } },
  empty: { sli: requests, range: nextHour },
}))

describe('describeSliSourceContract building blocks', () => {
  it('has the cases the contract promises, each with a distinct name', () => {
    const names = sliSourceContractCases.map((c) => c.name)
    expect(new Set(names).size).toBe(names.length)
    expect(names).toHaveLength(8)
  })

  it('every case passes for a correct source', async () => {
    for (const contractCase of sliSourceContractCases) await contractCase.run(fixtureFor(memory()))
  })

  it('skips the optional cases only when their fixture is missing', () => {
    const full = fixtureFor(memory())
    const { threshold: _t, unknownSli: _u, ...minimal } = full
    const skipped = sliSourceContractCases
      .filter((c) => c.skipReason?.(minimal) !== undefined)
      .map((c) => c.name)
    expect(skipped).toEqual([caseNamed(/threshold/).name, caseNamed(/unknown SLI/).name])
    expect(sliSourceContractCases.filter((c) => c.skipReason?.(full) !== undefined)).toEqual([])
  })

  it('checkSeries flags points outside the range, unsorted points and bad counts', () => {
    const series: EventSeries = {
      kind: 'events',
      resolutionMs: MIN,
      points: [
        { t: T0 + MIN, good: 1, total: 1 },
        { t: T0, good: 2, total: 1 },
        { t: hour.endMs, good: 0, total: 0 },
      ],
    }
    const messages = checkSeries(requests, hour, series).map((p) => p.message)
    expect(messages.join('\n')).toMatch(/not sorted/)
    expect(messages.join('\n')).toMatch(/0 <= good <= total/)
    expect(messages.join('\n')).toMatch(/outside the queried range/)
  })

  describe('catches a broken source', () => {
    it('a blank name', async () => {
      await expect(
        caseNamed(/name/).run(fixtureFor(broken((s, ...a) => s.query(...a), '  '))),
      ).rejects.toThrow(/name/)
    })

    it('a ratio SLI answered with values', async () => {
      const source = broken(async () => ({ kind: 'values', points: [] }))
      await expect(caseNamed(/ratio SLI/).run(fixtureFor(source))).rejects.toThrow(/kind "events"/)
    })

    it('points outside the queried range', async () => {
      const source = broken(async (inner, sli, range) => {
        const series = (await inner.query(sli, range)) as EventSeries
        return { ...series, points: [...series.points, { t: range.endMs, good: 0, total: 0 }] }
      })
      await expect(caseNamed(/ratio SLI/).run(fixtureFor(source))).rejects.toThrow(/checkSeries/)
    })

    it('counts that differ from the expected ones', async () => {
      const source = broken(async (inner, sli, range) => {
        const series = (await inner.query(sli, range)) as EventSeries
        return { ...series, points: series.points.slice(1) }
      })
      await expect(caseNamed(/ratio SLI/).run(fixtureFor(source))).rejects.toThrow(
        /sum of `good`.*expected 19, got 10/,
      )
    })

    it('a missing resolution', async () => {
      const source = broken(async (inner, sli, range) => ({
        ...(await inner.query(sli, range)),
        resolutionMs: 0,
      }))
      await expect(caseNamed(/ratio SLI/).run(fixtureFor(source))).rejects.toThrow(/resolutionMs/)
    })

    it('a threshold SLI answered with the wrong number of values', async () => {
      const source = broken(async (inner, sli, range) => {
        const series = await inner.query(sli, range)
        return series.kind === 'values' ? { ...series, points: [] } : series
      })
      await expect(caseNamed(/threshold SLI/).run(fixtureFor(source))).rejects.toThrow(/number of values/)
    })

    it('invented zeros for a range without data', async () => {
      const source = broken(async (inner, sli, range) => {
        const series = await inner.query(sli, range)
        if (series.points.length > 0) return series
        return { ...series, points: [{ t: range.startMs, good: 0, total: 0 }] }
      })
      await expect(caseNamed(/without data/).run(fixtureFor(source))).rejects.toThrow(/no points at all/)
    })

    it('ignoring an aborted signal', async () => {
      const source = broken((inner, sli, range) => inner.query(sli, range))
      await expect(caseNamed(/aborted/).run(fixtureFor(source))).rejects.toThrow(
        /must reject.*but it resolved/,
      )
    })

    it('rejecting an aborted signal with the wrong error', async () => {
      const source = broken(async () => {
        throw new DOMException('aborted', 'AbortError')
      })
      await expect(caseNamed(/aborted/).run(fixtureFor(source))).rejects.toThrow(
        /expected a SlokitError with code ABORTED/,
      )
    })

    it('a SlokitError with another code', async () => {
      const source = broken(async () => {
        throw new SlokitError('SOURCE_FAILED', 'nope')
      })
      await expect(caseNamed(/aborted/).run(fixtureFor(source))).rejects.toThrow(/got code SOURCE_FAILED/)
    })

    it('throwing synchronously instead of rejecting', async () => {
      const source: SliSource = {
        name: 'sync-thrower',
        query(_sli, _range, opts) {
          if (opts?.signal?.aborted) throw new SlokitError('ABORTED', 'aborted')
          return memory().query(_sli, _range)
        },
      }
      await expect(caseNamed(/aborted/).run(fixtureFor(source))).rejects.toThrow(/not throw/)
    })

    it('mutating the SLI spec (strict mode: the frozen spec throws)', async () => {
      const source = broken(async (inner, sli, range) => {
        ;(sli as { labels: Record<string, string> }).labels = { touched: 'yes' }
        return inner.query(sli, range)
      })
      await expect(caseNamed(/mutate/).run(fixtureFor(source))).rejects.toThrow(TypeError)
    })

    it('mutating the SLI spec where writes cannot throw', async () => {
      const source = broken(async (inner, sli, range) => {
        if (!Object.isFrozen(sli)) (sli as { name?: string }).name = 'renamed'
        return inner.query(sli, range)
      })
      await expect(caseNamed(/mutate/).run(fixtureFor(source))).rejects.toThrow(/changed the SLI spec/)
    })

    it('answering identical queries differently', async () => {
      let calls = 0
      const source = broken(async (inner, sli, range) => {
        const series = (await inner.query(sli, range)) as EventSeries
        calls++
        return { ...series, points: series.points.slice(0, 1 + (calls % 2)) }
      })
      await expect(caseNamed(/identically/).run(fixtureFor(source))).rejects.toThrow(/answered differently/)
    })

    it('resolving for an unknown SLI', async () => {
      const source = broken(async () => ({ kind: 'events', resolutionMs: MIN, points: [] }))
      await expect(caseNamed(/unknown SLI/).run(fixtureFor(source))).rejects.toThrow(/must reject/)
    })

    it('rejecting an unknown SLI with a plain Error', async () => {
      const source = broken(async () => {
        throw new Error('404')
      })
      await expect(caseNamed(/unknown SLI/).run(fixtureFor(source))).rejects.toThrow(
        /expected a SlokitError, got Error: 404/,
      )
    })

    it('an error from a second copy of @slokit/core', async () => {
      const source = broken(async () => {
        throw Object.assign(new Error('copy'), { name: 'SlokitError', code: 'UNKNOWN_SLO' })
      })
      await expect(caseNamed(/unknown SLI/).run(fixtureFor(source))).rejects.toThrow(
        /second copy of @slokit\/core/,
      )
    })
  })
})
