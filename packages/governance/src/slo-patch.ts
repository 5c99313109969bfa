import type { SliSpec } from '@slokit/core'
import { parse } from 'yaml'
import { GovernanceError } from './errors.js'
import { SLO_FIELDS, type SloField, type SloPatch } from './slo-definition.js'

/** Options of {@link parseSloPatch}. */
export interface ParseSloPatchOptions {
  /** SLIs an `sli=<id>` assignment may name (a configuration's `slis`). */
  readonly slis?: readonly SliSpec[] | undefined
}

const ALIASES: Readonly<Record<string, SloField>> = { target: 'objective' }

// Prose and names are taken as written: `rationale=Why: because` is not a YAML mapping.
const TEXT_FIELDS: ReadonlySet<SloField> = new Set([
  'name',
  'description',
  'rationale',
  'owner',
  'service',
  'runbookUrl',
  'dashboardUrl',
  'priority',
  'budgetingMethod',
])

/**
 * Reads `key=value` assignments — the CLI's `--set target=99.95` — into an {@link SloPatch}.
 * Text fields (`name`, `rationale`, `owner`, URLs, `priority`…) are taken as written; the others
 * are YAML (`window={ calendar: month }`, `labels={ tier: "1" }`). An empty value or `null`
 * removes an optional field. `target` is another name for `objective`, and an objective written as a bare
 * number from 1 to 100 is a percentage (`target=99.95` is `99.95%`); `sli=<id>` names an SLI of
 * `options.slis`.
 *
 * @example
 * ```ts
 * parseSloPatch(['target=99.95', 'window=28d']) // { objective: '99.95%', window: '28d' }
 * ```
 * @throws {@link GovernanceError} `INVALID_INPUT` naming the assignment that cannot be read.
 */
export function parseSloPatch(assignments: readonly string[], options: ParseSloPatchOptions = {}): SloPatch {
  const patch: Record<string, unknown> = {}
  for (const assignment of assignments) {
    const at = assignment.indexOf('=')
    const rawKey = at < 0 ? '' : assignment.slice(0, at).trim()
    if (at < 0 || rawKey === '') {
      throw new GovernanceError(
        'INVALID_INPUT',
        `Cannot read \`${assignment}\`: write key=value, e.g. target=99.95.`,
      )
    }
    const key = ALIASES[rawKey] ?? rawKey
    if (!(SLO_FIELDS as readonly string[]).includes(key)) {
      throw new GovernanceError(
        'INVALID_INPUT',
        `Cannot set \`${rawKey}\`: it is not a field a proposal can change.`,
        {
          hint: `use target (objective), ${SLO_FIELDS.filter((f) => f !== 'objective').join(', ')}`,
        },
      )
    }
    if (key in patch) throw new GovernanceError('INVALID_INPUT', `\`${key}\` is set twice.`)
    const text = assignment.slice(at + 1)
    let value: unknown
    try {
      if (text.trim() === '' || text.trim() === 'null') value = null
      else value = TEXT_FIELDS.has(key as SloField) ? text.trim() : parse(text)
    } catch (error) {
      throw new GovernanceError(
        'INVALID_INPUT',
        `Cannot read the value of \`${rawKey}\`: ${JSON.stringify(text)} is not valid YAML.`,
        {
          cause: error,
        },
      )
    }
    if (key === 'objective' && typeof value === 'number' && value >= 1 && value <= 100)
      value = `${text.trim()}%`
    if (key === 'sli' && typeof value === 'string') {
      const sli = options.slis?.find((candidate) => candidate.id === value)
      if (sli === undefined) {
        throw new GovernanceError('INVALID_INPUT', `Cannot set \`sli\`: no SLI \`${value}\` is defined.`, {
          hint: 'name an SLI listed under `slis`, or give an inline SLI mapping',
        })
      }
      value = sli
    }
    patch[key] = value
  }
  return patch as SloPatch
}
