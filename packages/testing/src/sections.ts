import { type AlertsSection, type AlertsSectionInput, alertsSectionSchema } from '@slokit/alerting'
import { parseSlo, type SloSpec, type SloSpecInput } from '@slokit/core'

/**
 * An SLO as written (`window: '30d'`) or as parsed (`parseSlo`, the config loader's `slos`): a
 * parsed one is taken as it is, since parsing is not idempotent (a parsed window is an object).
 */
export function sloOf(slo: SloSpec | SloSpecInput): SloSpec {
  return typeof slo.window === 'object' && slo.window !== null && 'type' in slo.window
    ? (slo as SloSpec)
    : parseSlo(slo as SloSpecInput)
}

/**
 * The `alerts` section as written or as validated (the config loader's `sections.alerts`): a
 * validated one — its `cooldown` already in milliseconds — is taken as it is.
 */
export function alertsOf(
  section: AlertsSection | AlertsSectionInput | Readonly<Record<string, unknown>>,
): AlertsSection {
  return typeof (section as { cooldown?: unknown }).cooldown === 'number'
    ? (section as AlertsSection)
    : alertsSectionSchema.parse(section)
}
