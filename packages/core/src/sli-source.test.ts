import { abortedError, checkSeries, parseSli, type SliSeries, SlokitError } from '@slokit/core'
import { describe, expect, it } from 'vitest'

const ratio = parseSli({ id: 'r', kind: 'availability', measurement: { type: 'ratio' } })
const threshold = parseSli({
  id: 't',
  kind: 'latency',
  measurement: { type: 'threshold', comparison: '<=', threshold: 1 },
})
const range = { startMs: 0, endMs: 10_000 }
const messages = (sli = ratio, series: unknown) =>
  checkSeries(sli, range, series as SliSeries).map((p) => p.message)

describe('checkSeries', () => {
  it('accepts a valid series', () => {
    expect(
      checkSeries(ratio, range, {
        kind: 'events',
        resolutionMs: 1000,
        points: [{ t: 0, good: 1, total: 2 }],
      }),
    ).toEqual([])
    expect(checkSeries(threshold, range, { kind: 'values', points: [{ t: 5, value: 3 }] })).toEqual([])
  })

  it.each([
    [null, 'not a series: expected { kind, points: [...] }'],
    ['<html>502</html>', 'not a series: expected { kind, points: [...] }'],
    [{ kind: 'values', points: [] }, 'a ratio SLI needs a series of kind "events", got "values"'],
    [{ kind: 'events', resolutionMs: 0, points: [] }, 'resolutionMs must be a positive number, got 0'],
    [{ kind: 'events', resolutionMs: 1000, points: [null] }, 'not a point: expected an object, got null'],
    [
      { kind: 'events', resolutionMs: 1000, points: [{ t: 20_000, good: 1, total: 1 }] },
      't=20000 is outside the queried range [0, 10000)',
    ],
    [
      { kind: 'events', resolutionMs: 1000, points: [{ t: 0, good: 2, total: 1 }] },
      'needs finite counts with 0 <= good <= total, got good=2 total=1',
    ],
    [
      { kind: 'events', resolutionMs: 1000, points: [{ t: 0, good: Number.NaN, total: 1 }] },
      'needs finite counts with 0 <= good <= total, got good=NaN total=1',
    ],
    [
      {
        kind: 'events',
        resolutionMs: 1000,
        points: [
          { t: 5, good: 1, total: 1 },
          { t: 5, good: 1, total: 1 },
        ],
      },
      'points are not sorted by time (or repeat a time)',
    ],
  ])('reports %j', (series, message) => {
    expect(messages(ratio, series)).toEqual([message])
  })

  it('checks value series: finite values and a positive resolution when one is given', () => {
    expect(
      messages(threshold, {
        kind: 'values',
        resolutionMs: Number.NaN,
        points: [{ t: 1, value: Number.POSITIVE_INFINITY }],
      }),
    ).toEqual([
      'resolutionMs must be a positive number, got NaN',
      'value must be a finite number, got Infinity',
    ])
  })

  it('stops after maxProblems', () => {
    const points = Array.from({ length: 50 }, (_, i) => ({ t: -i, good: 1, total: 1 }))
    expect(checkSeries(ratio, range, { kind: 'events', resolutionMs: 1000, points }, 3)).toHaveLength(3)
  })
})

describe('abortedError', () => {
  it('is an ABORTED SlokitError carrying the signal reason', () => {
    const controller = new AbortController()
    controller.abort(new Error('shutting down'))
    const error = abortedError(controller.signal, '[slokit/prometheus] query for "api"')
    expect(error).toBeInstanceOf(SlokitError)
    expect(error.code).toBe('ABORTED')
    expect(error.message).toBe('[slokit/prometheus] query for "api" was aborted.')
    expect((error.cause as Error).message).toBe('shutting down')
  })
})
