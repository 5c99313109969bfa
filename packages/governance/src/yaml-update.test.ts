import { parseSlo } from '@slokit/core'
import { GovernanceError, type SloChange, updateSloInYaml } from '@slokit/governance'
import { describe, expect, it } from 'vitest'

const YAML = `apiVersion: slokit/v1
slis:
  - id: checkout-requests
    kind: availability
    measurement: { type: ratio }
  - id: checkout-requests-v2
    kind: availability
    measurement: { type: ratio }
slos:
  # The checkout SLO.
  - id: checkout-availability
    service: checkout
    sli: checkout-requests
    objective: 99.9% # what the PSP lets us promise
    window: { rolling: 30d }
    owner: team-checkout
    dashboardUrl: https://grafana.example.com/d/checkout
  - id: search-availability
    service: search
    sli: { id: search-requests, kind: availability, measurement: { type: ratio } }
    objective: 99.5%
    window: 7d
---
apiVersion: slokit/v1
slos:
  - id: notifications-delivery
    service: notifications
    sli: { id: deliveries, kind: availability, measurement: { type: ratio } }
    objective: 99%
    window: 1d
`

const change = (field: SloChange['field'], from: unknown, to: unknown): SloChange =>
  ({ field, changeType: 'metadata', from, to }) as SloChange

describe('updateSloInYaml', () => {
  it('changes only the keys of that SLO, keeping comments, layout and the other documents', () => {
    const out = updateSloInYaml(YAML, 'checkout-availability', [
      change('objective', 0.999, 0.9995),
      change('window', '30d', '4w'),
      change('dashboardUrl', 'https://grafana.example.com/d/checkout', null),
      change('rationale', null, 'Two quarters at 99.97 %.'),
    ])
    expect(out).toBe(
      YAML.replace('objective: 99.9% # what', 'objective: 99.95% # what')
        .replace('window: { rolling: 30d }', 'window: 4w')
        .replace(
          '    dashboardUrl: https://grafana.example.com/d/checkout\n',
          '    rationale: Two quarters at 99.97 %.\n',
        ),
    )
  })

  it('writes mappings in flow style where the file did, and edits SLOs in later documents', () => {
    const out = updateSloInYaml(YAML, 'notifications-delivery', [
      change('window', '1d', { calendar: 'month', timeZone: 'Europe/Berlin' }),
      change('budgetingMethod', 'occurrences', 'timeslices'),
      change('timeslice', null, { length: '5m', objective: 0.95 }),
    ])
    expect(out.split('---')[1]).toContain('window: { calendar: month, timeZone: Europe/Berlin }\n')
    expect(out).toContain('timeslice: { length: 5m, objective: 95% }')
    expect(out.split('---')[0]).toBe(YAML.split('---')[0])
  })

  it('keeps an SLI referenced by id referenced by id', () => {
    const sli = parseSlo({
      id: 'x',
      service: 'x',
      objective: 0.9,
      window: '1d',
      sli: { id: 'checkout-requests-v2', kind: 'availability', measurement: { type: 'ratio' } },
    }).sli
    const out = updateSloInYaml(YAML, 'checkout-availability', [change('sli', null, sli)])
    expect(out).toContain('    sli: checkout-requests-v2\n')
  })

  it('writes an objective that no short percentage gives back exactly as a ratio', () => {
    const out = updateSloInYaml(YAML, 'search-availability', [change('objective', 0.995, 0.123456789012345)])
    expect(out).toContain('objective: 0.123456789012345\n')
  })

  it('replaces a block mapping on its key’s line, removes one with all its lines, appends to a file without a final newline', () => {
    const text = `slos:
  - id: a
    annotations:
      escalation: "#a"
      pager: primary
    labels:
      team: a
    objective: 99%`
    const out = updateSloInYaml(text, 'a', [
      change('labels', { team: 'a' }, { team: 'b', tier: '1' }),
      change('annotations', { escalation: '#a' }, null),
      change('owner', null, 'team-b'),
    ])
    expect(out).toBe(`slos:
  - id: a
    labels: { team: b, tier: "1" }
    objective: 99%
    owner: team-b
`)
  })

  it('refuses broken YAML and an SLO the text does not define', () => {
    expect(() => updateSloInYaml('slos: [', 'x', [])).toThrow(GovernanceError)
    expect(() => updateSloInYaml(YAML, 'payments', [])).toThrow(
      'No SLO `payments` under `slos` in this YAML text.',
    )
    expect(() => updateSloInYaml('', 'payments', [])).toThrow(GovernanceError)
  })
})
