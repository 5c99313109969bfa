import type { Exclusion, SloSpec, TimeRange } from '@slokit/core'
import { SlokitError } from '@slokit/core'
import rrulePackage from 'rrule'
import type { Correction } from './policy-schema.js'

// rrule ships CommonJS with a default export in ESM; reach the class either way.
const { RRule } = rrulePackage as unknown as typeof import('rrule')

/** Whether a correction applies to an SLO: listed by id, or matched by its selector. */
export function correctionApplies(correction: Correction, slo: SloSpec): boolean {
  if (correction.slos?.includes(slo.id) === true) return true
  const selector = correction.selector
  if (selector === undefined) return false
  return (
    (selector.service === undefined || selector.service.includes(slo.service)) &&
    (selector.priority === undefined ||
      (slo.priority !== undefined && selector.priority.includes(slo.priority))) &&
    Object.entries(selector.labels ?? {}).every(([k, v]) => slo.labels[k] === v)
  )
}

/**
 * The exclusions (maintenance windows and the like) that apply to `slo` and overlap `range`, ready
 * for `evaluateSlo(…, { exclusions })`. Recurring corrections are expanded from their RRULE.
 *
 * @example
 * ```ts
 * const exclusions = exclusionsFor(slo, section.corrections, { startMs: now - 30 * DAY_MS, endMs: now })
 * evaluateSlo(slo, series, { now, exclusions }).excluded // what was left out, and why
 * ```
 * @throws `SlokitError` `INVALID_CONFIG` for an RRULE that cannot be read.
 */
export function exclusionsFor(
  slo: SloSpec,
  corrections: readonly Correction[],
  range: TimeRange,
): Exclusion[] {
  const out: Exclusion[] = []
  for (const correction of corrections) {
    if (!correctionApplies(correction, slo)) continue
    const startMs = Date.parse(correction.start)
    const lengthMs = correction.duration ?? Date.parse(correction.end as string) - startMs
    const reason = `${correction.name}: ${correction.reason}`
    if (correction.rrule === undefined) {
      if (startMs < range.endMs && startMs + lengthMs > range.startMs)
        out.push({ startMs, endMs: startMs + lengthMs, reason })
      continue
    }
    let rule: InstanceType<typeof RRule>
    try {
      rule = new RRule({ ...RRule.parseString(correction.rrule), dtstart: new Date(startMs) })
    } catch (cause) {
      throw new SlokitError(
        'INVALID_CONFIG',
        `[slokit/budget] Correction "${correction.name}": cannot read rrule ${JSON.stringify(correction.rrule)}.`,
        {
          cause,
          hint: 'use an RFC 5545 rule such as FREQ=WEEKLY;BYDAY=SU',
        },
      )
    }
    // Occurrences that started up to one length before the range still overlap it.
    for (const occurrence of rule.between(new Date(range.startMs - lengthMs), new Date(range.endMs), true)) {
      const from = occurrence.getTime()
      if (from + lengthMs > range.startMs && from < range.endMs)
        out.push({ startMs: from, endMs: from + lengthMs, reason })
    }
  }
  return out.sort((a, b) => a.startMs - b.startMs)
}
