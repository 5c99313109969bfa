import {
  formatDuration,
  type Measurement,
  parseSlo,
  type SliSpec,
  type SliSpecInput,
  type SloSpec,
  type SloSpecInput,
} from '@slokit/core'
import { canonicalJson, type JsonValue } from './canonical-json.js'
import { GovernanceError } from './errors.js'

/**
 * The kinds of change the approval matrix tells apart:
 * - `target`: the objective;
 * - `window`: the window;
 * - `sli`: what is measured (the SLI);
 * - `budgeting`: `budgetingMethod` and `timeslice`, how the budget is counted;
 * - `priority`: the priority, which also picks the error-budget policy and the review cadence;
 * - `ownership`: `owner` and `service`;
 * - `metadata`: name, description, rationale, runbook and dashboard URLs, labels, annotations.
 */
export const CHANGE_TYPES = [
  'target',
  'window',
  'sli',
  'budgeting',
  'priority',
  'ownership',
  'metadata',
] as const
/** One of {@link CHANGE_TYPES}. */
export type ChangeType = (typeof CHANGE_TYPES)[number]

/** The SLO fields a proposal may change, in the order changes are listed. `id` never changes. */
export const SLO_FIELDS = [
  'objective',
  'window',
  'sli',
  'budgetingMethod',
  'timeslice',
  'priority',
  'owner',
  'service',
  'name',
  'description',
  'rationale',
  'runbookUrl',
  'dashboardUrl',
  'labels',
  'annotations',
] as const
/** One of {@link SLO_FIELDS}. */
export type SloField = (typeof SLO_FIELDS)[number]

/** The {@link ChangeType} each field's change counts as. */
export const CHANGE_TYPE_OF_FIELD: Readonly<Record<SloField, ChangeType>> = {
  objective: 'target',
  window: 'window',
  sli: 'sli',
  budgetingMethod: 'budgeting',
  timeslice: 'budgeting',
  priority: 'priority',
  owner: 'ownership',
  service: 'ownership',
  name: 'metadata',
  description: 'metadata',
  rationale: 'metadata',
  runbookUrl: 'metadata',
  dashboardUrl: 'metadata',
  labels: 'metadata',
  annotations: 'metadata',
}

/**
 * An SLO written the way a configuration file writes it — objective as a ratio, durations as
 * strings (`30d`), the SLI inlined — with defaults filled in and nothing `undefined`. This is the
 * form the audit log records (readable, and exactly what `parseSlo` turns back into the
 * same `SloSpec`).
 */
export type SloDefinition = SloSpecInput

/** One field a proposal changes. `null` stands for "not set". Values are in definition form. */
export interface SloChange {
  readonly field: SloField
  readonly changeType: ChangeType
  readonly from: JsonValue | null
  readonly to: JsonValue | null
}

/**
 * The changes a proposal asks for, in the input form of an SLO (`objective: '99.95%'`,
 * `window: '28d'`). `null` removes an optional field (e.g. `timeslice` when going back to
 * `occurrences`). Fields left out stay as they are.
 */
export type SloPatch = { readonly [K in SloField]?: SloSpecInput[K] | null }

/**
 * Writes a validated SLO back in definition form. Lossless: `parseSlo(toSloDefinition(slo))`
 * equals `slo`.
 *
 * @example
 * ```ts
 * toSloDefinition(parseSlo({ ..., objective: '99.9%', window: '30d' }))
 * // { ..., objective: 0.999, window: '30d', budgetingMethod: 'occurrences', labels: {}, annotations: {} }
 * ```
 */
export function toSloDefinition(slo: SloSpec): SloDefinition {
  return prune({
    id: slo.id,
    name: slo.name,
    description: slo.description,
    service: slo.service,
    sli: toSliDefinition(slo.sli),
    objective: slo.objective,
    window:
      slo.window.type === 'rolling'
        ? formatDuration(slo.window.durationMs)
        : { calendar: slo.window.unit, timeZone: slo.window.timeZone },
    budgetingMethod: slo.budgetingMethod,
    timeslice:
      slo.timeslice === undefined
        ? undefined
        : prune({ length: formatDuration(slo.timeslice.lengthMs), objective: slo.timeslice.objective }),
    priority: slo.priority,
    owner: slo.owner,
    rationale: slo.rationale,
    runbookUrl: slo.runbookUrl,
    dashboardUrl: slo.dashboardUrl,
    labels: { ...slo.labels },
    annotations: { ...slo.annotations },
  }) as SloDefinition
}

function toSliDefinition(sli: SliSpec): SliSpecInput {
  return prune({
    id: sli.id,
    name: sli.name,
    description: sli.description,
    kind: sli.kind,
    measurement: prune({ ...sli.measurement }) as Measurement,
    noData: sli.noData,
    source: sli.source,
    labels: { ...sli.labels },
  }) as SliSpecInput
}

function prune<T extends Record<string, unknown>>(record: T): T {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value
  return out as T
}

/** The fields whose values differ between two definitions, in {@link SLO_FIELDS} order. */
export function diffSloDefinitions(from: SloDefinition, to: SloDefinition): SloChange[] {
  const changes: SloChange[] = []
  const a = from as Readonly<Record<string, unknown>>
  const b = to as Readonly<Record<string, unknown>>
  for (const field of SLO_FIELDS) {
    const before = toJson(a[field])
    const after = toJson(b[field])
    if (canonicalJson(before) === canonicalJson(after)) continue
    changes.push({ field, changeType: CHANGE_TYPE_OF_FIELD[field], from: before, to: after })
  }
  return changes
}

function toJson(value: unknown): JsonValue | null {
  // A round trip through canonical JSON drops `undefined` keys and checks the value is JSON.
  return value === undefined ? null : (JSON.parse(canonicalJson(value)) as JsonValue)
}

/**
 * Applies a patch to an SLO and validates the result as a whole (a new window is checked
 * against the existing time slice, and so on).
 *
 * @throws `SlokitSpecError` (`INVALID_SPEC`) listing every problem of the patched SLO, or
 * {@link GovernanceError} `INVALID_INPUT` for a field that cannot be changed (`id`) or is unknown.
 */
export function applySloPatch(slo: SloSpec, patch: SloPatch): SloSpec {
  return parseSlo(patchDefinition(toSloDefinition(slo), patch))
}

/** Applies a patch to a definition without validating it. */
export function patchDefinition(definition: SloDefinition, patch: SloPatch): SloDefinition {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new GovernanceError(
      'INVALID_INPUT',
      'A patch must be an object of SLO fields, e.g. `{ objective: "99.95%" }`.',
    )
  }
  const next: Record<string, unknown> = { ...definition }
  for (const [key, value] of Object.entries(patch)) {
    if (!(SLO_FIELDS as readonly string[]).includes(key)) {
      throw new GovernanceError(
        'INVALID_INPUT',
        key === 'id'
          ? 'An SLO id cannot be changed: a new id is a new SLO.'
          : `Unknown SLO field \`${key}\` in the patch.`,
        { hint: `the fields a proposal can change are ${SLO_FIELDS.join(', ')}` },
      )
    }
    if (value === undefined) continue
    if (value === null) delete next[key]
    else next[key] = value
  }
  return next as SloDefinition
}

/**
 * Applies changes (as recorded in a proposal) to a definition: each field is set to its `to`
 * value, or removed when `to` is `null`.
 */
export function applySloChanges(definition: SloDefinition, changes: readonly SloChange[]): SloDefinition {
  const next: Record<string, unknown> = { ...definition }
  for (const change of changes) {
    if (change.to === null) delete next[change.field]
    else next[change.field] = change.to
  }
  return next as SloDefinition
}

/** True when two definitions are the same SLO, field for field. */
export function sameDefinition(a: SloDefinition, b: SloDefinition): boolean {
  return canonicalJson(a) === canonicalJson(b)
}
