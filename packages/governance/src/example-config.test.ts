import { readFileSync } from 'node:fs'
import { parseSlo, type SloSpecInput } from '@slokit/core'
import { checkDocumentation, parseGovernanceSection } from '@slokit/governance'
import { expect, it } from 'vitest'
import { parse } from 'yaml'

// The governance section proposed for examples/config/slo-definitions.yaml (see the report of
// issue #8): it must validate, and the example's SLOs must meet its documentation rules.
const proposed = parse(readFileSync(new URL('./test/example-governance.yaml', import.meta.url), 'utf8')) as {
  governance: unknown
}
const example = parse(
  readFileSync(new URL('../../../examples/config/slo-definitions.yaml', import.meta.url), 'utf8'),
) as { slis: Array<{ id: string }>; slos: Array<SloSpecInput & { sli: unknown }> }

it('the proposed governance section of the example config validates', () => {
  const section = parseGovernanceSection(proposed.governance)
  expect(Object.keys(section.actors)).toHaveLength(5)
  expect(section.approvals.critical?.default).toEqual({
    approvers: ['sre'],
    minApprovals: 2,
    requiredRoles: [],
  })
})

it('the example’s SLOs meet its documentation rules, with two warnings to show', () => {
  const section = parseGovernanceSection(proposed.governance)
  const slis = new Map(example.slis.map((sli) => [sli.id, sli]))
  const slos = example.slos.map((slo) =>
    parseSlo({ ...slo, sli: typeof slo.sli === 'string' ? slis.get(slo.sli) : slo.sli } as SloSpecInput),
  )
  expect(checkDocumentation(slos, section).map((i) => `${i.severity} ${i.sloId} ${i.field}`)).toEqual([
    'warning api-gateway-availability-1h dashboardUrl',
    'warning data-pipeline-partition-coverage dashboardUrl',
  ])
})
