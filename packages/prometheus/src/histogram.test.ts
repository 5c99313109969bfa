import { parseSli, SlokitError } from '@slokit/core'
import { describe, expect, it } from 'vitest'
import { histogramQueries } from './histogram.js'

describe('histogramQueries', () => {
  it('counts good requests from the le bucket of the threshold over _count, as a ratio measurement', () => {
    const measurement = histogramQueries({
      metric: 'http_request_duration_seconds',
      threshold: 0.3,
      selector: '{job="api"}',
    })
    expect(measurement).toEqual({
      type: 'ratio',
      good: 'sum(rate(http_request_duration_seconds_bucket{job="api", le="0.3"}[{{window}}]))',
      total: 'sum(rate(http_request_duration_seconds_count{job="api"}[{{window}}]))',
    })
    expect(parseSli({ id: 'api-latency', kind: 'latency', measurement }).measurement).toEqual(measurement)
  })

  it('takes selectors without braces, a base name given with its suffix, a client’s le spelling and grouping labels', () => {
    expect(
      histogramQueries({
        metric: 'rpc_seconds_bucket',
        threshold: 1,
        selector: 'svc="a", route!~"/health.*"',
        le: '1.0',
        by: ['route'],
      }),
    ).toEqual({
      type: 'ratio',
      good: 'sum by (route)(rate(rpc_seconds_bucket{svc="a", route!~"/health.*", le="1.0"}[{{window}}]))',
      total: 'sum by (route)(rate(rpc_seconds_count{svc="a", route!~"/health.*"}[{{window}}]))',
    })
    expect(histogramQueries({ metric: 'x_seconds', threshold: 2.5 }).good).toBe(
      'sum(rate(x_seconds_bucket{le="2.5"}[{{window}}]))',
    )
  })

  it('refuses what cannot be a histogram query', () => {
    for (const options of [
      { metric: 'bad metric', threshold: 1 },
      { metric: 'x', threshold: 0 },
      { metric: 'x', threshold: Number.NaN },
      { metric: 'x', threshold: 1, selector: '{le="1"}' },
      { metric: 'x', threshold: 1, selector: '{a="b"} or {c="d"}' },
      { metric: 'x', threshold: 1, by: ['le'] },
    ]) {
      expect(() => histogramQueries(options), JSON.stringify(options)).toThrow(SlokitError)
    }
  })
})
