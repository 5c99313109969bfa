import { parseSli } from '@slokit/core'
import { GovernanceError, parseSloPatch } from '@slokit/governance'
import { describe, expect, it } from 'vitest'

describe('parseSloPatch', () => {
  const requests = parseSli({ id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio' } })

  it('reads key=value assignments with YAML values; target=99.95 is a percentage', () => {
    expect(
      parseSloPatch([
        'target=99.95',
        'window={ calendar: month, timeZone: Europe/Berlin }',
        'labels={ tier: "1" }',
        'dashboardUrl=null',
        'rationale=Two quarters at 99.97 %: promise what we deliver.',
      ]),
    ).toEqual({
      objective: '99.95%',
      window: { calendar: 'month', timeZone: 'Europe/Berlin' },
      labels: { tier: '1' },
      dashboardUrl: null,
      rationale: 'Two quarters at 99.97 %: promise what we deliver.',
    })
    expect(parseSloPatch(['objective=0.9995'])).toEqual({ objective: 0.9995 })
    expect(parseSloPatch(['objective=99.9%'])).toEqual({ objective: '99.9%' })
    expect(parseSloPatch(['owner='])).toEqual({ owner: null })
  })

  it('resolves sli=<id> against the SLIs given', () => {
    expect(parseSloPatch(['sli=checkout-requests'], { slis: [requests] })).toEqual({ sli: requests })
    expect(() => parseSloPatch(['sli=nope'], { slis: [requests] })).toThrow(
      'Cannot set `sli`: no SLI `nope` is defined.',
    )
  })

  it('refuses what it cannot read, naming the assignment', () => {
    expect(() => parseSloPatch(['target'])).toThrow(
      'Cannot read `target`: write key=value, e.g. target=99.95.',
    )
    expect(() => parseSloPatch(['id=x'])).toThrow('Cannot set `id`')
    expect(() => parseSloPatch(['target=1', 'objective=2'])).toThrow('`objective` is set twice.')
    expect(() => parseSloPatch(['window={ rolling: '])).toThrow(GovernanceError)
  })
})
