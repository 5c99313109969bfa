import { evaluateGate, policiesSectionSchema } from '@slokit/budget'
import { HOUR_MS } from '@slokit/core'
import { describe, expect, it } from 'vitest'
import { statusWith, testSlo } from './test-support.js'

const now = Date.UTC(2026, 10, 1)
const availability = testSlo()
const latency = testSlo({
  id: 'checkout-latency',
  sli: { id: 'lat', kind: 'latency', measurement: { type: 'ratio' } },
})
const slos = [availability, latency, testSlo({ id: 'search-availability', service: 'search' })]
const settings = policiesSectionSchema.parse({}).gate

describe('evaluateGate', () => {
  it('passes when every objective has budget to spare', () => {
    const verdict = evaluateGate({
      service: 'checkout',
      slos,
      statuses: [statusWith(availability, 0.8), statusWith(latency, 0.6)],
      settings,
      now,
    })
    expect(verdict).toMatchObject({
      result: 'pass',
      service: 'checkout',
      changeType: null,
      score: null,
      evaluatedAt: '2026-11-01T00:00:00.000Z',
    })
    expect(verdict.objectives.map((o) => [o.slo, o.status])).toEqual([
      ['checkout-availability', 'pass'],
      ['checkout-latency', 'pass'],
    ])
  })

  it('warns on a low budget and fails on an exhausted one, naming why', () => {
    const warn = evaluateGate({
      service: 'checkout',
      slos,
      statuses: [statusWith(availability, 0.1), statusWith(latency, 0.6)],
      settings,
      now,
    })
    expect(warn.result).toBe('warn')
    expect(warn.reasons).toEqual(['checkout-availability: error budget low: 10% left'])
    const fail = evaluateGate({
      service: 'checkout',
      slos,
      statuses: [statusWith(availability, -0.2), statusWith(latency, 0.6)],
      settings,
      now,
    })
    expect(fail.result).toBe('fail')
    expect(fail.reasons[0]).toMatch(/checkout-availability: SLO not met/)
  })

  it('fails closed without data, and warns with failOpen', () => {
    const statuses = [statusWith(availability, null), statusWith(latency, 0.6)]
    expect(evaluateGate({ service: 'checkout', slos, statuses, settings, now }).result).toBe('fail')
    expect(evaluateGate({ service: 'checkout', slos, statuses, settings, now, failOpen: true }).result).toBe(
      'warn',
    )
    expect(evaluateGate({ service: 'unknown', slos, statuses, settings, now }).reasons).toEqual([
      'no SLOs for service unknown: nothing to judge the change by',
    ])
  })

  it('fails a fast burn whatever budget is left, when configured', () => {
    const strict = policiesSectionSchema.parse({
      gate: { failOnBurnRate: { rate: 14.4, window: '1h' } },
    }).gate
    const verdict = evaluateGate({
      service: 'checkout',
      slos,
      statuses: [statusWith(availability, 0.9, { [HOUR_MS]: 20 }), statusWith(latency, 0.9)],
      settings: strict,
      now,
    })
    expect(verdict.result).toBe('fail')
    expect(verdict.objectives[0]).toMatchObject({
      status: 'fail',
      burnRate: 20,
      reason: 'burning 20× the budget (limit 14.4×)',
    })
  })

  it('scores like Keptn: weights, half for warn, thresholds, and key objectives that fail the gate', () => {
    const scored = policiesSectionSchema.parse({
      gate: {
        scoring: {
          pass: 90,
          warning: 60,
          weights: { 'checkout-availability': 3 },
          key: ['checkout-latency'],
        },
      },
    }).gate
    // availability warns (weight 3 → 1.5), latency passes (1): 2.5 / 4 = 62.5 % → warn.
    const warn = evaluateGate({
      service: 'checkout',
      slos,
      statuses: [statusWith(availability, 0.1), statusWith(latency, 0.9)],
      settings: scored,
      now,
    })
    expect(warn).toMatchObject({ result: 'warn', score: 62.5 })
    // availability passes (3), latency (a key objective) fails: score 75 %, but the gate fails.
    const key = evaluateGate({
      service: 'checkout',
      slos,
      statuses: [statusWith(availability, 0.9), statusWith(latency, -1)],
      settings: scored,
      now,
    })
    expect(key).toMatchObject({ result: 'fail', score: 75 })
    expect(key.reasons[0]).toMatch(/^key objective checkout-latency failed/)
  })

  it('lets a freeze decide: blocked changes fail, allowed ones pass', () => {
    const statuses = [statusWith(availability, -0.5), statusWith(latency, 0.9)]
    const blocked = evaluateGate({
      service: 'checkout',
      changeType: 'feature',
      slos,
      statuses,
      settings,
      now,
      freeze: { allowed: false, reason: 'checkout is frozen (…): only fix, rollback changes may ship' },
    })
    expect(blocked).toMatchObject({ result: 'fail', changeType: 'feature' })
    const fix = evaluateGate({
      service: 'checkout',
      changeType: 'fix',
      slos,
      statuses,
      settings,
      now,
      freeze: { allowed: true, reason: 'checkout is frozen (…), but fix changes are allowed' },
    })
    expect(fix.result).toBe('pass')
  })
})
