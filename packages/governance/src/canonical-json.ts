import { GovernanceError } from './errors.js'

/** A value canonical JSON can hold. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue }

const MAX_DEPTH = 64

/**
 * Serialises a value as canonical JSON: object keys sorted by UTF-16 code units, no whitespace,
 * strings and numbers as `JSON.stringify` writes them — the rules of RFC 8785 (JCS) for the values
 * governance writes. Keys whose value is `undefined` are left out, as `JSON.stringify` does; so the
 * same data always gives the same bytes, whatever order its keys were built in.
 *
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [true, 'x'], c: undefined }) // '{"a":[true,"x"],"b":1}'
 * ```
 * @throws {@link GovernanceError} `INVALID_INPUT` for values JSON cannot represent exactly:
 * `NaN`, `Infinity`, `undefined` in an array, bigints, functions, symbols, class instances
 * (a `Date`, a `Map`), or nesting deeper than 64 levels.
 */
export function canonicalJson(value: unknown): string {
  return write(value, 0, '$')
}

function write(value: unknown, depth: number, path: string): string {
  if (depth > MAX_DEPTH) throw invalid(path, `nesting deeper than ${MAX_DEPTH} levels`)
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false'
    case 'string':
      return JSON.stringify(value)
    case 'number':
      if (!Number.isFinite(value)) throw invalid(path, `${value} is not a JSON number`)
      return JSON.stringify(value) // -0 becomes 0
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => {
          if (item === undefined) throw invalid(`${path}[${i}]`, 'undefined in an array')
          return write(item, depth + 1, `${path}[${i}]`)
        })}]`
      }
      const proto = Object.getPrototypeOf(value)
      if (proto !== Object.prototype && proto !== null) throw invalid(path, 'not a plain object')
      const record = value as Record<string, unknown>
      const parts: string[] = []
      for (const key of Object.keys(record).sort()) {
        const item = record[key]
        if (item === undefined) continue
        parts.push(`${JSON.stringify(key)}:${write(item, depth + 1, `${path}.${key}`)}`)
      }
      return `{${parts.join(',')}}`
    }
    default:
      throw invalid(path, `a ${typeof value} is not JSON`)
  }
}

function invalid(path: string, problem: string): GovernanceError {
  return new GovernanceError('INVALID_INPUT', `Cannot write canonical JSON at ${path}: ${problem}.`)
}
