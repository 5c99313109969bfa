import { Secret } from '@slokit/core'

/** A whole-value reference `${env:NAME}`. */
const REFERENCE = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/
const ANY_REFERENCE = /\$\{env:/

/** Deeper than this, a document is refused rather than risking the stack. */
export const MAX_DEPTH = 64

/** A problem found while resolving references, with its path inside the walked value. */
export interface ReferenceProblem {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
  readonly hint?: string
  /** `warning` for an unset variable when unset secrets are allowed. */
  readonly severity: 'error' | 'warning'
}

/**
 * Replaces every string that is exactly `${env:NAME}` with a {@link Secret} holding the
 * variable's value. A reference that is not the whole value, or names a variable that is not set,
 * is a problem (a warning for an unset variable when `unsetSecrets` is `warn`: the secret is kept
 * as an unset `Secret` that throws when revealed); values never appear in problems. Also refuses
 * nesting deeper than {@link MAX_DEPTH}.
 */
export function resolveEnvReferences(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  unsetSecrets: 'error' | 'warn' = 'error',
): { value: unknown; problems: ReferenceProblem[] } {
  const problems: ReferenceProblem[] = []
  const walk = (node: unknown, path: Array<string | number>): unknown => {
    if (path.length > MAX_DEPTH) {
      problems.push({ path, message: `nested more than ${MAX_DEPTH} levels deep`, severity: 'error' })
      return undefined
    }
    if (typeof node === 'string') {
      if (!ANY_REFERENCE.test(node)) return node
      const match = REFERENCE.exec(node)
      if (match === null) {
        problems.push({
          path: [...path],
          message: 'a secret reference must be the whole value',
          hint: 'write the value as `${env:NAME}` and keep the full secret in the variable',
          severity: 'error',
        })
        return node
      }
      const name = match[1] as string
      const resolved = env[name]
      if (resolved === undefined || resolved === '') {
        problems.push({
          path: [...path],
          message: `environment variable ${name} is not set`,
          hint: `export ${name}=… before loading`,
          severity: unsetSecrets === 'warn' ? 'warning' : 'error',
        })
        // Revealing it throws: an unset secret is never sent as an empty credential.
        return new Secret(name, undefined)
      }
      return new Secret(name, resolved)
    }
    if (Array.isArray(node)) {
      return node.map((item, index) => {
        path.push(index)
        const out = walk(item, path)
        path.pop()
        return out
      })
    }
    if (node !== null && typeof node === 'object' && !(node instanceof Date)) {
      const out: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(node)) {
        path.push(key)
        out[key] = walk(item, path)
        path.pop()
      }
      return out
    }
    return node
  }
  return { value: walk(value, []), problems }
}
