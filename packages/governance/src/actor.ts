import { GovernanceError } from './errors.js'

/**
 * Who performs a governance action, as the host knows them. slokit has no user directory: the
 * host authenticates the person (SSO, a signed commit, the CLI's `--as` checked against the
 * configuration) and passes their id and roles in. Authorisation uses these roles and nothing
 * else — never a role derived from the id, the SLO or anything in the store.
 */
export interface Actor {
  /** A stable id: a user name, an e-mail address. 1–128 characters without control characters. */
  readonly id: string
  /** Roles the host grants, e.g. `sre`, `sre-lead`, `product-owner`. `owner` is reserved (see `teams`). */
  readonly roles: readonly string[]
  /**
   * Teams the actor belongs to. An approval rule listing the reserved role `owner` counts an
   * actor whose teams include the SLO's `owner` (e.g. `team-checkout`).
   */
  readonly teams?: readonly string[] | undefined
}

/** The reserved approver role that stands for "a member of the SLO's owning team". */
export const OWNER_ROLE = 'owner'

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/

/**
 * Checks an actor passed in by the host and returns a frozen copy with roles and teams sorted and
 * deduplicated (the form recorded in the audit log).
 *
 * @throws {@link GovernanceError} `INVALID_INPUT` when the id, a role or a team is not a
 * non-empty string of at most 128 characters without control characters.
 */
export function checkActor(actor: Actor): Actor {
  if (typeof actor !== 'object' || actor === null) {
    throw new GovernanceError('INVALID_INPUT', 'An actor must be an object `{ id, roles, teams? }`.')
  }
  const id = actor.id
  if (!isName(id)) {
    throw new GovernanceError(
      'INVALID_INPUT',
      'An actor needs an `id`: a string of 1–128 characters without control characters.',
    )
  }
  const roles = names(actor.roles, `actor \`${id}\`: \`roles\``)
  const teams = actor.teams === undefined ? undefined : names(actor.teams, `actor \`${id}\`: \`teams\``)
  return Object.freeze({
    id,
    roles: Object.freeze(roles),
    ...(teams === undefined || teams.length === 0 ? {} : { teams: Object.freeze(teams) }),
  })
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 128 && !CONTROL.test(value)
}

/**
 * Checks a list of actor ids (reviewers) and returns it sorted and deduplicated.
 * @throws {@link GovernanceError} `INVALID_INPUT` like {@link checkActor}.
 */
export function checkIds(list: readonly string[], what: string): string[] {
  return names(list, `\`${what}\``)
}

function names(list: unknown, what: string): string[] {
  if (!Array.isArray(list) || !list.every(isName)) {
    throw new GovernanceError(
      'INVALID_INPUT',
      `${what} must be a list of strings of 1–128 characters without control characters.`,
    )
  }
  return [...new Set(list)].sort()
}
