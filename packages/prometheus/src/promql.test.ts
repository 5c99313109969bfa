import { describe, expect, it } from 'vitest'
import { hasWindowPlaceholder, matchers, promNumber, quote, withWindow } from './promql.js'

describe('PromQL helpers', () => {
  it('replaces every {{window}} (spaces allowed) with a Prometheus duration', () => {
    expect(withWindow('sum(rate(a[{{window}}])) / sum(rate(b[{{ window }}]))', 28 * 86_400_000)).toBe(
      'sum(rate(a[4w])) / sum(rate(b[4w]))',
    )
    expect(withWindow('x[{{window}}]', 90_000)).toBe('x[1m30s]')
    expect(hasWindowPlaceholder('x[{{ window }}]')).toBe(true)
    expect(hasWindowPlaceholder('x[5m]')).toBe(false)
  })

  it('quotes label values and writes numbers PromQL reads back exactly', () => {
    expect(quote('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"')
    expect(matchers({ slo: 'a', slo_service: 'b' })).toBe('{slo="a", slo_service="b"}')
    expect(promNumber(0.001)).toBe('0.001')
    expect(promNumber(1e-7)).toBe('1e-7')
    expect(promNumber(Number.NaN)).toBe('NaN')
    expect(promNumber(Number.NEGATIVE_INFINITY)).toBe('-Inf')
  })
})
