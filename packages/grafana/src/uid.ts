import { createHash } from 'node:crypto'
import { SlokitError } from '@slokit/core'

/** Grafana's limit on dashboard, folder and alert-rule uids. */
export const MAX_UID_LENGTH = 40

/** The characters Grafana accepts in a uid. */
export const UID_PATTERN = /^[a-zA-Z0-9\-_]+$/

/**
 * A uid Grafana accepts (at most 40 of `a-z A-Z 0-9 - _`) made from readable parts: the parts
 * joined with `-`, other characters replaced by `-`, and — when that is too long or had to be
 * changed — cut and ended with 8 hex digits of a hash of the parts, so that different inputs
 * never share a uid. Deterministic: the same parts give the same uid on every run.
 *
 * @example
 * ```ts
 * grafanaUid('slokit', 'checkout-availability') // 'slokit-checkout-availability'
 * grafanaUid('slokit', 'payments.authorization/errors-over-a-very-long-id') // 'slokit-payments-authorization-er-1a2b3c4d'
 * ```
 */
export function grafanaUid(...parts: readonly string[]): string {
  if (parts.length === 0 || parts.some((part) => typeof part !== 'string' || part === '')) {
    throw new SlokitError('INVALID_ARGUMENT', '[slokit/grafana] grafanaUid() needs non-empty strings.')
  }
  const joined = parts.join('-')
  const clean = joined.replace(/[^a-zA-Z0-9\-_]/g, '-')
  if (clean === joined && clean.length <= MAX_UID_LENGTH) return clean
  const hash = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 8)
  return `${clean.slice(0, MAX_UID_LENGTH - 9).replace(/-+$/, '')}-${hash}`
}

/** Checks a uid given by the caller; returns it. */
export function checkUid(uid: string, option: string): string {
  if (typeof uid !== 'string' || !UID_PATTERN.test(uid) || uid.length > MAX_UID_LENGTH) {
    throw new SlokitError(
      'INVALID_ARGUMENT',
      `[slokit/grafana] \`${option}\` must be 1–${MAX_UID_LENGTH} characters of a-z, A-Z, 0-9, - and _, got ${JSON.stringify(uid)}.`,
      { hint: 'Grafana refuses longer uids and other characters' },
    )
  }
  return uid
}
