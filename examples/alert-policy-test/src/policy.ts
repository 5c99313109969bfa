import { readFileSync } from 'node:fs'
import { type AlertsSection, alertsSectionSchema } from '@slokit/alerting'
import { parseConfig } from '@slokit/config'
import type { SloSpec } from '@slokit/core'

/** The SLOs and alert rules of a slokit config: what `expectAlerts` takes. */
export interface AlertPolicy {
  readonly slos: readonly SloSpec[]
  readonly alerts: AlertsSection
}

/**
 * Reads the alert policy under test from the same YAML the service deploys, validated exactly as
 * the service validates it (an invalid rule fails the test with the config loader's message).
 *
 * @example
 * ```ts
 * const policy = loadAlertPolicy(new URL('./alert-policy.yaml', import.meta.url))
 * const timeline = await expectAlerts(policy, { traffic })
 * ```
 */
export function loadAlertPolicy(file: URL): AlertPolicy {
  const source = [{ name: file.pathname, text: readFileSync(file, 'utf8') }]
  // Validated as the service validates it: every problem, with file, line and column.
  const config = parseConfig(source, { sections: { alerts: alertsSectionSchema } })
  if (config.sections.alerts === undefined)
    throw new Error(`${file.pathname} has no \`alerts\` section to test`)
  return { slos: config.slos, alerts: config.sections.alerts as AlertsSection }
}
