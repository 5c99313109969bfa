import type { z } from 'zod'
import type { SpecIssue } from './errors.js'

const MAX_SHOWN = 40

function show(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > MAX_SHOWN ? `a ${value.length}-character string` : JSON.stringify(value)
  }
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  return String(value)
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  return `a ${typeof value}`
}

function depth(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(...issues.map((i) => i.path.length))
}

/**
 * Turns one zod issue into a {@link SpecIssue} with a message written for people editing a YAML
 * file: what was expected, and what was found when that is safe and short to show.
 * Raw zod wording never reaches the user.
 */
export function describeZodIssue(issue: z.core.$ZodIssue): SpecIssue {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol')
  const input = (issue as { input?: unknown }).input
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined) return { path, message: `is required (expected ${issue.expected})` }
      if (issue.expected === 'number' && typeof input === 'number') {
        return { path, message: `must be a finite number, got ${typeName(input)}` }
      }
      return { path, message: `expected ${issue.expected}, got ${typeName(input)}` }
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => JSON.stringify(v)).join(', ')
      const got = input === undefined ? '' : `, got ${show(input)}`
      return issue.values.length === 1
        ? { path, message: `must be ${options}${got}` }
        : { path, message: `must be one of ${options}${got}` }
    }
    case 'unrecognized_keys':
      return issue.keys.length === 1
        ? { path: [...path, issue.keys[0] as string], message: 'unknown key' }
        : { path, message: `unknown keys ${issue.keys.map((k) => `\`${k}\``).join(', ')}` }
    case 'invalid_union': {
      // Report the alternative that came closest: skip those whose input was of the wrong type
      // altogether, then prefer the one with the fewest and deepest problems.
      const closest = issue.errors
        .filter(
          (errs) =>
            errs.length > 0 &&
            !(errs.length === 1 && errs[0]?.code === 'invalid_type' && errs[0].path.length === 0),
        )
        .sort((a, b) => a.length - b.length || depth(b) - depth(a))[0]
      if (closest !== undefined) {
        const first = closest[0] as z.core.$ZodIssue
        return describeZodIssue({ ...first, path: [...issue.path, ...first.path] })
      }
      if ((issue as { note?: string }).note === 'No matching discriminator') {
        const { options, discriminator } = issue as { options?: unknown[]; discriminator?: string }
        const list = Array.isArray(options)
          ? options.map((o) => JSON.stringify(o)).join(', ')
          : 'a known type'
        const value =
          discriminator === undefined
            ? undefined
            : (input as Record<string, unknown> | undefined)?.[discriminator]
        return { path, message: `must be one of ${list}${value === undefined ? '' : `, got ${show(value)}`}` }
      }
      if (input === undefined) return { path, message: 'is required' }
      const expected = issue.errors.flatMap((errs) =>
        errs[0]?.code === 'invalid_type' && errs[0].path.length === 0 ? [errs[0].expected] : [],
      )
      if (expected.length === issue.errors.length && expected.length > 0) {
        return { path, message: `expected ${[...new Set(expected)].join(' or ')}, got ${typeName(input)}` }
      }
      return { path, message: `is not valid here (got ${typeName(input)})` }
    }
    case 'too_small':
      return { path, message: issue.message }
    case 'too_big':
      return { path, message: issue.message }
    case 'invalid_format':
      return { path, message: issue.message }
    case 'custom': {
      const hint = (issue.params as { hint?: unknown } | undefined)?.hint
      return typeof hint === 'string'
        ? { path, message: issue.message, hint }
        : { path, message: issue.message }
    }
    default:
      return { path, message: issue.message }
  }
}
