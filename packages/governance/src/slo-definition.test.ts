import { parseSlo, type SloSpecInput } from '@slokit/core'
import {
  applySloChanges,
  applySloPatch,
  diffSloDefinitions,
  GovernanceError,
  toSloDefinition,
} from '@slokit/governance'
import { describe, expect, it } from 'vitest'
import { SLOS } from './test/fixtures.js'

const VARIED: SloSpecInput[] = [
  {
    id: 'edge-latency',
    name: 'Edge p99',
    description: 'd',
    service: 'edge',
    sli: {
      id: 'edge-p99',
      kind: 'latency',
      measurement: {
        type: 'threshold',
        query: 'q',
        aggregation: 'p99',
        comparison: '<=',
        threshold: 400,
        unit: 'ms',
      },
      source: 'prometheus',
      labels: { team: 'edge' },
    },
    objective: '99.5%',
    window: { rolling: '28d' },
    budgetingMethod: 'timeslices',
    timeslice: { length: '1m' },
    priority: 'high',
    owner: 'team-edge',
    rationale: 'r',
    runbookUrl: 'https://runbooks.example.com/x',
    dashboardUrl: 'https://grafana.example.com/x',
    labels: { tier: 1 },
    annotations: { escalation: '#edge' },
  },
  {
    id: 'merchant-sla',
    service: 'checkout',
    sli: {
      id: 'checkout-requests',
      kind: 'availability',
      measurement: { type: 'ratio', good: 'g', total: 't' },
    },
    objective: 0.995,
    window: { calendar: 'month', timeZone: 'Europe/Berlin' },
  },
  {
    id: 'notifications',
    service: 'notifications',
    sli: { id: 'deliveries', kind: 'availability', measurement: { type: 'ratio' }, noData: 'bad' },
    objective: '99%',
    window: '1d',
    budgetingMethod: 'timeslices',
    timeslice: { length: '5m', objective: '95%' },
  },
  {
    id: 'odd-durations',
    service: 's',
    sli: { id: 's', kind: 'availability', measurement: { type: 'ratio' } },
    objective: 0.123456789,
    window: '1h30m15s250ms',
    budgetingMethod: 'ratio_timeslices',
    timeslice: { length: '90s' },
  },
]

describe('toSloDefinition', () => {
  it('writes an SLO back losslessly: parseSlo gives the same SLO again', () => {
    for (const input of VARIED) {
      const slo = parseSlo(input)
      const definition = toSloDefinition(slo)
      expect(parseSlo(definition)).toEqual(slo)
      expect(JSON.parse(JSON.stringify(definition))).toEqual(definition)
    }
  })

  it('writes durations as strings and objectives as ratios', () => {
    expect(toSloDefinition(parseSlo(VARIED[0] as SloSpecInput))).toMatchObject({
      objective: 0.995,
      window: '4w',
      timeslice: { length: '1m' },
      labels: { tier: '1' },
    })
    expect(toSloDefinition(parseSlo(VARIED[1] as SloSpecInput)).window).toEqual({
      calendar: 'month',
      timeZone: 'Europe/Berlin',
    })
  })
})

describe('applySloPatch and diffSloDefinitions', () => {
  const base = SLOS[0] as never

  it('validates the patched SLO as a whole and diffs it field by field, in field order', () => {
    const next = applySloPatch(base, { window: '28d', objective: '99.95%', dashboardUrl: null })
    const changes = diffSloDefinitions(toSloDefinition(base), toSloDefinition(next))
    expect(changes).toEqual([
      { field: 'objective', changeType: 'target', from: 0.999, to: 0.9995 },
      { field: 'window', changeType: 'window', from: '30d', to: '4w' },
      {
        field: 'dashboardUrl',
        changeType: 'metadata',
        from: 'https://grafana.example.com/d/checkout',
        to: null,
      },
    ])
    expect(applySloChanges(toSloDefinition(base), changes)).toEqual(toSloDefinition(next))
  })

  it('refuses an invalid result with every problem (SlokitSpecError), an id change and unknown fields', () => {
    expect(() => applySloPatch(base, { budgetingMethod: 'timeslices' })).toThrow(/needs `timeslice/)
    expect(() => applySloPatch(base, { id: 'other' } as never)).toThrow(GovernanceError)
    expect(() => applySloPatch(base, { objectve: 0.9 } as never)).toThrow(
      'Unknown SLO field `objectve` in the patch.',
    )
    expect(() => applySloPatch(base, 'x' as never)).toThrow(GovernanceError)
  })
})
