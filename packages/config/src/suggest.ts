import type { z } from 'zod'

/** Edit distance between two strings (insertions, deletions, substitutions, transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(
        (d[i - 1]![j] as number) + 1,
        (d[i]![j - 1] as number) + 1,
        (d[i - 1]![j - 1] as number) + cost,
      )
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, (d[i - 2]![j - 2] as number) + 1)
      d[i]![j] = best
    }
  }
  return d[a.length]![b.length] as number
}

/**
 * The candidate closest to `word`, when it is close enough to be a plausible typo (at most a third
 * of the word's letters off, compared case-insensitively); `undefined` otherwise.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase()
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  const allowed = Math.max(1, Math.floor(word.length / 3))
  return best !== undefined && bestDistance <= allowed && bestDistance < word.length ? best : undefined
}

/** `did you mean \`x\`?` for the closest candidate, or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const match = closest(word, candidates)
  return match === undefined ? undefined : `did you mean \`${match}\`?`
}

type AnySchema = z.core.$ZodType

interface Def {
  type: string
  innerType?: AnySchema
  in?: AnySchema
  shape?: Record<string, AnySchema>
  element?: AnySchema
  valueType?: AnySchema
  options?: AnySchema[]
  getter?: () => AnySchema
}

const defOf = (schema: AnySchema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def

function unwrap(schema: AnySchema): AnySchema {
  let current = schema
  for (let guard = 0; guard < 32; guard++) {
    const def = defOf(current)
    if (def.innerType !== undefined) current = def.innerType
    else if (def.type === 'pipe' && def.in !== undefined) current = def.in
    else if (def.type === 'lazy' && def.getter !== undefined) current = def.getter()
    else return current
  }
  return current
}

function candidatesAt(schema: AnySchema, path: ReadonlyArray<string | number>): AnySchema[] {
  let candidates = [schema]
  for (const segment of path) {
    candidates = candidates.flatMap((candidate) => childSchemas(unwrap(candidate), segment))
    if (candidates.length === 0) return []
  }
  return candidates
}

function childSchemas(schema: AnySchema, segment: string | number): AnySchema[] {
  const def = defOf(schema)
  switch (def.type) {
    case 'object': {
      const child = typeof segment === 'string' ? def.shape?.[segment] : undefined
      return child === undefined ? [] : [child]
    }
    case 'array':
      return def.element === undefined ? [] : [def.element]
    case 'record':
      return def.valueType === undefined ? [] : [def.valueType]
    case 'union':
      return (def.options ?? []).flatMap((option) => childSchemas(unwrap(option), segment))
    default:
      return []
  }
}

/**
 * The keys a schema accepts for the object at `path` (looking through optionals, defaults,
 * transforms and every branch of unions), used to suggest the key a user probably meant.
 */
export function knownKeysAt(schema: z.core.$ZodType, path: ReadonlyArray<string | number>): string[] {
  const keys = new Set<string>()
  const collect = (candidate: AnySchema): void => {
    const def = defOf(unwrap(candidate))
    if (def.type === 'object') for (const key of Object.keys(def.shape ?? {})) keys.add(key)
    else if (def.type === 'union') for (const option of def.options ?? []) collect(option)
  }
  for (const candidate of candidatesAt(schema, path)) collect(candidate)
  return [...keys]
}
