// The OpenSLO v1 rules strict validators (the spec's notes, the go SDK) apply to what slokit
// writes, checked on exported objects by the property tests. Not exported from the package.
import type { OpenSloObject } from './index.js'

const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/
const DURATION = /^\d+[mhdwMQY]$/

type Plain = Record<string, unknown>
const record = (value: unknown): Plain => (value ?? {}) as Plain
const list = (value: unknown): Plain[] => (Array.isArray(value) ? (value as Plain[]) : [])

/** Every rule the objects break, as `path: rule` strings; empty when a strict validator accepts them. */
export function strictOpenSloProblems(objects: readonly OpenSloObject[]): string[] {
  const problems: string[] = []
  const name = (at: string, object: Plain) => {
    const value = record(object.metadata).name
    if (typeof value !== 'string' || !DNS_LABEL.test(value))
      problems.push(`${at}.metadata.name: ${String(value)}`)
  }
  const duration = (at: string, value: unknown) => {
    if (typeof value !== 'string' || !DURATION.test(value)) problems.push(`${at}: duration ${String(value)}`)
  }
  objects.forEach((object, i) => {
    const at = `[${i}] ${String(object.kind)}`
    name(at, object)
    if (object.kind !== 'SLO') return
    const spec = record(object.spec)
    if (typeof spec.service !== 'string' || !DNS_LABEL.test(spec.service)) problems.push(`${at}.spec.service`)
    name(`${at}.spec.indicator`, record(spec.indicator))
    const windows = list(spec.timeWindow)
    if (windows.length !== 1) problems.push(`${at}.spec.timeWindow: exactly one`)
    for (const w of windows) duration(`${at}.spec.timeWindow.duration`, w.duration)
    const objectives = list(spec.objectives)
    if (objectives.length < 1) problems.push(`${at}.spec.objectives: at least one`)
    const method = spec.budgetingMethod
    const ratio = record(record(spec.indicator).spec).ratioMetric !== undefined
    for (const o of objectives) {
      if (typeof o.target !== 'number' || o.target < 0 || o.target >= 1)
        problems.push(`${at}: target in [0, 1)`)
      if (!ratio && (o.op === undefined || o.value === undefined))
        problems.push(`${at}: threshold op and value`)
      if ((method === 'Timeslices' || method === 'RatioTimeslices') && o.timeSliceWindow === undefined)
        problems.push(`${at}: timeSliceWindow`)
      if (method === 'Timeslices' && ratio && o.timeSliceTarget === undefined)
        problems.push(`${at}: timeSliceTarget`)
      if (o.timeSliceWindow !== undefined) duration(`${at}.timeSliceWindow`, o.timeSliceWindow)
    }
    for (const [p, policy] of list(spec.alertPolicies).entries()) {
      const pat = `${at}.alertPolicies[${p}]`
      name(pat, policy)
      const conditions = list(record(policy.spec).conditions)
      if (conditions.length !== 1)
        problems.push(`${pat}.spec.conditions: exactly one, not ${conditions.length}`)
      for (const c of conditions) {
        name(`${pat}.condition`, c)
        const cs = record(c.spec)
        if (typeof cs.severity !== 'string') problems.push(`${pat}.condition.severity`)
        const cond = record(cs.condition)
        if (cond.kind !== 'burnrate' || typeof cond.threshold !== 'number') problems.push(`${pat}.condition`)
        if (!['lt', 'lte', 'gt', 'gte'].includes(cond.op as string)) problems.push(`${pat}.condition.op`)
        duration(`${pat}.condition.lookbackWindow`, cond.lookbackWindow)
        if (cond.alertAfter !== '0m') duration(`${pat}.condition.alertAfter`, cond.alertAfter)
      }
      for (const target of list(record(policy.spec).notificationTargets)) name(`${pat}.target`, target)
    }
  })
  return problems
}
