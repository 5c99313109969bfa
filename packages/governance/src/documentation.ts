import type { SloSpec } from '@slokit/core'
import {
  type DocumentationField,
  type DocumentationSeverity,
  forPriority,
  type GovernanceSection,
} from './config.js'

/** One missing documentation field of one SLO. */
export interface DocumentationIssue {
  readonly sloId: string
  /** The missing field: `runbookUrl`, `labels.team`, `reviewCadence`… */
  readonly field: DocumentationField
  readonly severity: DocumentationSeverity
  /** What is missing and which rule asks for it, for people (no file position: add it from `originOf`). */
  readonly message: string
}

const FIELD_HINTS: Readonly<Record<string, string>> = {
  owner: 'the team that answers for it',
  rationale: 'why this objective and window',
  runbookUrl: 'what to do when it burns',
  dashboardUrl: 'where to look',
  reviewCadence: 'how often it is reviewed',
}

/**
 * Checks every SLO against the documentation rules of its priority (`governance.documentation`,
 * falling back to `default`) and returns one issue per missing field, in SLO order then rule
 * order. A field counts as missing when it is absent or only whitespace; `reviewCadence` is
 * missing when `governance.reviews.cadence` has no entry for the SLO's priority and no `default`.
 *
 * @example
 * ```ts
 * for (const issue of checkDocumentation(config.slos, governance)) {
 *   const at = config.originOf(issue.sloId)
 *   console.log(`${at?.file}:${at?.line}: ${issue.severity}: ${issue.message}`)
 * }
 * // slo.yaml:12: error: SLO `checkout-availability` has no `runbookUrl` (what to do when it burns): governance.documentation.critical requires it
 * ```
 */
export function checkDocumentation(
  slos: readonly SloSpec[],
  governance: GovernanceSection,
): DocumentationIssue[] {
  const issues: DocumentationIssue[] = []
  for (const slo of slos) {
    const rule = forPriority(governance.documentation, slo.priority)
    if (rule === undefined) continue
    for (const severity of ['error', 'warning'] as const) {
      for (const field of rule.value[severity]) {
        if (isDocumented(slo, field, governance)) continue
        const hint = FIELD_HINTS[field]
        issues.push({
          sloId: slo.id,
          field,
          severity,
          message: `SLO \`${slo.id}\` has no \`${field}\`${hint === undefined ? '' : ` (${hint})`}: governance.documentation.${rule.key} ${severity === 'error' ? 'requires' : 'asks for'} it${
            field === 'reviewCadence' ? ` — add governance.reviews.cadence.${slo.priority ?? 'default'}` : ''
          }`,
        })
      }
    }
  }
  return issues
}

function isDocumented(slo: SloSpec, field: DocumentationField, governance: GovernanceSection): boolean {
  if (field === 'reviewCadence') return forPriority(governance.reviews.cadenceMs, slo.priority) !== undefined
  let value: unknown
  if (field.startsWith('labels.')) value = slo.labels[field.slice('labels.'.length)]
  else if (field.startsWith('annotations.')) value = slo.annotations[field.slice('annotations.'.length)]
  else value = slo[field as keyof SloSpec]
  return typeof value === 'string' ? value.trim() !== '' : value !== undefined
}
