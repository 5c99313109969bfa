import {
  DAY_MS,
  describeZodIssue,
  durationSchema,
  formatSpecPath,
  PRIORITIES,
  type Priority,
} from '@slokit/core'
import { z } from 'zod'
import { type Actor, OWNER_ROLE } from './actor.js'
import { GovernanceError } from './errors.js'
import { CHANGE_TYPES, type ChangeType } from './slo-definition.js'

/**
 * The keys of every by-priority table in the `governance` section: the four priorities, and
 * `default` for SLOs whose priority has no entry (or that have no priority).
 */
export const PRIORITY_KEYS = [...PRIORITIES, 'default'] as const
/** One of {@link PRIORITY_KEYS}. */
export type PriorityKey = (typeof PRIORITY_KEYS)[number]

/**
 * The SLO fields a documentation rule can require, besides `labels.<name>` and
 * `annotations.<name>`. `reviewCadence` is met when `governance.reviews.cadence` has an entry for
 * the SLO's priority (or a `default`).
 */
export const DOCUMENTATION_FIELDS = [
  'name',
  'description',
  'owner',
  'rationale',
  'runbookUrl',
  'dashboardUrl',
  'priority',
  'reviewCadence',
] as const

/** A field a documentation rule can require: one of {@link DOCUMENTATION_FIELDS}, `labels.<name>` or `annotations.<name>`. */
export type DocumentationField =
  | (typeof DOCUMENTATION_FIELDS)[number]
  | `labels.${string}`
  | `annotations.${string}`

/** How a missing documentation field is reported. */
export const DOCUMENTATION_SEVERITIES = ['error', 'warning'] as const
/** One of {@link DOCUMENTATION_SEVERITIES}. */
export type DocumentationSeverity = (typeof DOCUMENTATION_SEVERITIES)[number]

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:@+-]{0,127}$/
const NAME_MESSAGE =
  'must be 1–128 letters, digits, `_`, `.`, `:`, `@`, `+` or `-`, starting with a letter or digit'
const nameSchema = z.string().regex(NAME_PATTERN, { error: NAME_MESSAGE })
const ATTRIBUTE_FIELD = /^(labels|annotations)\.[A-Za-z_][A-Za-z0-9_]*$/

const documentationFieldSchema = z
  .string()
  .refine(
    (field) => (DOCUMENTATION_FIELDS as readonly string[]).includes(field) || ATTRIBUTE_FIELD.test(field),
    {
      error: (issue) =>
        `unknown documentation field ${JSON.stringify(issue.input)}: use ${DOCUMENTATION_FIELDS.join(', ')}, labels.<name> or annotations.<name>`,
    },
  ) as z.ZodType<DocumentationField, string>

function byPriority<S extends z.ZodType>(value: S) {
  return z.strictObject({
    critical: value.optional(),
    high: value.optional(),
    medium: value.optional(),
    low: value.optional(),
    default: value.optional(),
  })
}

/**
 * One cell of the approval matrix: who may approve, and how many approvals make a decision.
 *
 * @example
 * ```yaml
 * { approvers: [sre, sre-lead], minApprovals: 2, requiredRoles: [sre-lead] }
 * ```
 */
export const approvalRuleSchema = z
  .strictObject({
    /** Roles whose holders may approve (or reject); `owner` is a member of the SLO's owning team. */
    approvers: z.array(nameSchema).min(1, { error: 'list at least one role that may approve' }),
    /** Distinct approvers needed, the proposer never counting. */
    minApprovals: z.int().min(1, { error: 'must be at least 1' }).max(20).default(1),
    /** Roles of which at least one holder must be among the approvers. Each must be in `approvers`. */
    requiredRoles: z.array(nameSchema).default([]),
  })
  .superRefine((rule, ctx) => {
    for (const [i, role] of rule.requiredRoles.entries()) {
      if (!rule.approvers.includes(role)) {
        ctx.addIssue({
          code: 'custom',
          path: ['requiredRoles', i],
          message: `required role \`${role}\` is not among \`approvers\`, so its approval would be refused`,
          params: { hint: `add \`${role}\` to \`approvers\`` },
        })
      }
    }
  })

/** An approval rule after parsing. */
export type ApprovalRule = z.output<typeof approvalRuleSchema>

const changeTypeRulesSchema = z.strictObject({
  target: approvalRuleSchema.optional(),
  window: approvalRuleSchema.optional(),
  sli: approvalRuleSchema.optional(),
  budgeting: approvalRuleSchema.optional(),
  priority: approvalRuleSchema.optional(),
  ownership: approvalRuleSchema.optional(),
  metadata: approvalRuleSchema.optional(),
  default: approvalRuleSchema.optional(),
})

const documentationRuleSchema = z
  .strictObject({
    error: z.array(documentationFieldSchema).default([]),
    warning: z.array(documentationFieldSchema).default([]),
  })
  .superRefine((rule, ctx) => {
    for (const [i, field] of rule.warning.entries()) {
      if (rule.error.includes(field)) {
        ctx.addIssue({
          code: 'custom',
          path: ['warning', i],
          message: `\`${field}\` is listed under both \`error\` and \`warning\``,
        })
      }
    }
  })

const actorSchema = z.strictObject({
  /** A display name. */
  name: z.string().min(1).optional(),
  roles: z.array(nameSchema).default([]),
  teams: z.array(z.string().min(1).max(128)).default([]),
})

const reviewsSchema = z
  .strictObject({
    cadence: byPriority(durationSchema).prefault({}),
    dueSoon: durationSchema.default(14 * DAY_MS),
  })
  .transform((reviews) => ({ cadenceMs: reviews.cadence, dueSoonMs: reviews.dueSoon }))

/**
 * The zod schema of a configuration's `governance` section; hand it to `@slokit/config`'s loader
 * as `sections.governance`. Durations are strings (`30d`) and parse to milliseconds
 * (`reviews.cadenceMs`, `reviews.dueSoonMs`). Unknown keys are refused with the key probably
 * meant, and the section is checked as a whole: a rule that needs more approvers than the
 * configured actors can supply is an error.
 *
 * @example
 * ```yaml
 * governance:
 *   actors:
 *     alice: { roles: [sre] }
 *     bob: { roles: [sre, sre-lead], teams: [team-checkout] }
 *   reviews:
 *     cadence: { critical: 30d, high: 90d, default: 365d }
 *     dueSoon: 14d
 *   approvals:
 *     critical:
 *       default: { approvers: [sre], minApprovals: 2 }
 *       metadata: { approvers: [owner, sre] }
 *     default:
 *       default: { approvers: [owner, sre] }
 *   documentation:
 *     critical: { error: [owner, rationale, runbookUrl, dashboardUrl], warning: [name] }
 *     default: { warning: [owner] }
 * ```
 */
export const governanceSectionSchema = z
  .strictObject({
    /** The people (or bots) who act, by id, with the roles and teams they hold. */
    actors: z.record(nameSchema, actorSchema).default({}),
    reviews: reviewsSchema.prefault({}),
    /** The approval matrix: by priority, then by change type. */
    approvals: byPriority(changeTypeRulesSchema).default({}),
    /** Fields an SLO must document, by priority. */
    documentation: byPriority(documentationRuleSchema).default({}),
  })
  .superRefine((section, ctx) => {
    for (const [id, actor] of Object.entries(section.actors)) {
      const at = actor.roles.indexOf(OWNER_ROLE)
      if (at >= 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['actors', id, 'roles', at],
          message: '`owner` is reserved: in an approval rule it means a member of the SLO’s owning team',
          params: { hint: 'list the team under `teams` (e.g. `teams: [team-checkout]`) instead' },
        })
      }
    }
    const actors = Object.values(section.actors)
    if (actors.length === 0) return
    for (const priority of PRIORITY_KEYS) {
      const cells = section.approvals[priority]
      if (cells === undefined) continue
      for (const [changeType, rule] of Object.entries(cells)) {
        if (rule === undefined || rule.approvers.includes(OWNER_ROLE)) continue
        const holders = actors.filter((actor) => actor.roles.some((role) => rule.approvers.includes(role)))
        if (holders.length < rule.minApprovals) {
          ctx.addIssue({
            code: 'custom',
            path: ['approvals', priority, changeType, 'minApprovals'],
            message: `needs ${rule.minApprovals} approvals from ${rule.approvers.join(', ')}, but only ${holders.length} configured ${holders.length === 1 ? 'actor holds' : 'actors hold'} one of these roles`,
            params: {
              hint: 'grant the role to more actors under `governance.actors`, or lower `minApprovals`',
            },
          })
        }
        for (const role of rule.requiredRoles) {
          if (!actors.some((actor) => actor.roles.includes(role))) {
            ctx.addIssue({
              code: 'custom',
              path: ['approvals', priority, changeType, 'requiredRoles'],
              message: `requires an approval from \`${role}\`, but no configured actor holds that role`,
            })
          }
        }
      }
    }
  })

/** What a configuration's `governance` section may contain, as written (durations as strings). */
export type GovernanceSectionInput = z.input<typeof governanceSectionSchema>
/** A `governance` section after {@link governanceSectionSchema} parsed it (durations in ms). */
export type GovernanceSection = z.output<typeof governanceSectionSchema>
/** One actor of the governance section's `actors` (see {@link GovernanceSection}). */
export type ConfiguredActor = GovernanceSection['actors'][string]

/**
 * Validates a `governance` section given as an object (for hosts that do not load YAML through
 * `@slokit/config`) and returns it parsed.
 *
 * @example
 * ```ts
 * const section = parseGovernanceSection({
 *   reviews: { cadence: { critical: '30d' } },
 *   approvals: { critical: { default: { approvers: ['sre'], minApprovals: 2 } } },
 * })
 * section.reviews.cadenceMs.critical // 2_592_000_000
 * ```
 * @throws {@link GovernanceError} `INVALID_CONFIG` listing every problem with its path.
 */
export function parseGovernanceSection(input: unknown): GovernanceSection {
  const result = governanceSectionSchema.safeParse(input, { reportInput: true })
  if (result.success) return result.data
  const lines = result.error.issues.map((issue) => {
    const described = describeZodIssue(issue)
    const hint = described.hint === undefined ? '' : ` (${described.hint})`
    return `  - governance.${formatSpecPath(described.path)}: ${described.message}${hint}`
  })
  const count = lines.length
  throw new GovernanceError(
    'INVALID_CONFIG',
    `Invalid governance section: ${count} ${count === 1 ? 'problem' : 'problems'}\n${lines.join('\n')}`,
  )
}

/** The entry of a by-priority table that applies to an SLO of `priority`: its own, else `default`. */
export function forPriority<T>(
  table: { readonly [K in PriorityKey]?: T | undefined },
  priority: Priority | undefined,
): { readonly key: PriorityKey; readonly value: T } | undefined {
  if (priority !== undefined && table[priority] !== undefined) {
    return { key: priority, value: table[priority] as T }
  }
  if (table.default !== undefined) return { key: 'default', value: table.default }
  return undefined
}

/** The cell of a change-type table that applies to `changeType`: its own, else `default`. */
export function forChangeType<T>(
  table: { readonly [K in ChangeType | 'default']?: T | undefined },
  changeType: ChangeType,
): { readonly key: ChangeType | 'default'; readonly value: T } | undefined {
  if (table[changeType] !== undefined) return { key: changeType, value: table[changeType] as T }
  if (table.default !== undefined) return { key: 'default', value: table.default }
  return undefined
}

// Keep CHANGE_TYPES and the change-type table in step: a new change type must get a key.
const changeTypeKeys: readonly (keyof z.output<typeof changeTypeRulesSchema>)[] = [...CHANGE_TYPES, 'default']
void changeTypeKeys

/**
 * The actor `id` as the section's `actors` describes them — for hosts whose directory is the
 * configuration, like the CLI's `--as`. Roles and teams come from the configuration only.
 *
 * @example
 * ```ts
 * const actor = configuredActor(section, 'maria.schulz') // { id, roles: ['sre', 'sre-lead'], teams: ['team-edge'] }
 * await governance.approve(actor, 'P-3')
 * ```
 * @throws {@link GovernanceError} `UNKNOWN_ACTOR`, listing the configured ids.
 */
export function configuredActor(section: GovernanceSection, id: string): Actor {
  const configured = Object.hasOwn(section.actors, id) ? section.actors[id] : undefined
  if (configured === undefined) {
    const known = Object.keys(section.actors)
    throw new GovernanceError(
      'UNKNOWN_ACTOR',
      `Unknown actor \`${id}\`: governance.actors does not list it.`,
      {
        hint:
          known.length === 0
            ? 'list the people who act under governance.actors'
            : `known actors: ${known.join(', ')}`,
      },
    )
  }
  return { id, roles: configured.roles, teams: configured.teams }
}
