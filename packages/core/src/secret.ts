import { z } from 'zod'
import { SlokitError } from './errors.js'

const inspect = Symbol.for('nodejs.util.inspect.custom')

/**
 * A secret value (a webhook URL, a routing key, a token) that does not leak: `String(secret)`,
 * `JSON.stringify`, `console.log` and template literals all show `[secret NAME]`, never the value.
 * Only {@link Secret.reveal} returns it, at the one place that sends it over the wire.
 *
 * Config files reference secrets as `${env:NAME}`; `@slokit/config` resolves each into a
 * `Secret`, so a secret can never end up in a plain string field, an error message or a report.
 *
 * @example
 * ```ts
 * const token = new Secret('PROMETHEUS_TOKEN', process.env.PROMETHEUS_TOKEN ?? '')
 * `${token}` // '[secret PROMETHEUS_TOKEN]'
 * fetch(url, { headers: { authorization: `Bearer ${token.reveal()}` } })
 * ```
 */
export class Secret {
  /** Where the value came from (an environment variable name), safe to show. */
  readonly name: string
  readonly #value: string | undefined

  /**
   * @param value the secret; `undefined` for a secret that is not set (a config checked without
   * its environment), which throws when revealed instead of sending an empty credential
   */
  constructor(name: string, value: string | undefined) {
    this.name = name
    this.#value = value
  }

  /** Whether a value is set. */
  get isSet(): boolean {
    return this.#value !== undefined
  }

  /**
   * The secret value. Call it only where the value is sent, never where it could be logged.
   * @throws {@link SlokitError} `INVALID_CONFIG` when the secret is not set.
   */
  reveal(): string {
    if (this.#value === undefined) {
      throw new SlokitError('INVALID_CONFIG', `[slokit/core] Secret ${this.name} is not set.`, {
        hint: `set the environment variable ${this.name}`,
      })
    }
    return this.#value
  }

  /** `[secret NAME]` */
  toString(): string {
    return `[secret ${this.name}]`
  }

  /** `[secret NAME]`: serialising a config or a status never writes the value. */
  toJSON(): string {
    return this.toString()
  }

  [inspect](): string {
    return this.toString()
  }
}

/**
 * A secret field: a {@link Secret} (what `${env:NAME}` in a config becomes), or a non-empty
 * string given in code, wrapped into a `Secret` named `inline`.
 */
export const secretSchema = z.union([
  z.instanceof(Secret),
  z
    .string()
    .min(1)
    .transform((value) => new Secret('inline', value)),
])
