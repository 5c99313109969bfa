import { SlokitError } from '@slokit/core'

const SLASH = 47

/** One `/`-separated part of a {@link RoutePattern}. */
type Segment =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'param' }
  | { readonly kind: 'rest' }

/**
 * A route template such as `/users/:id` or `/files/*`, compiled once and matched against request
 * paths without allocating.
 *
 * Syntax: segments separated by `/`; `:name` matches one non-empty segment; a last segment `*`
 * (or `*name`) matches the rest of the path, including nothing. Everything else matches itself,
 * case-sensitively. A request path may end with one extra `/`; its query string is ignored.
 */
export class RoutePattern {
  /** The template as given. */
  readonly template: string
  private readonly segments: readonly Segment[]

  /** @throws `SlokitError` `INVALID_ARGUMENT` for a template outside the syntax above. */
  constructor(template: string) {
    this.template = template
    this.segments = parseTemplate(template)
  }

  /**
   * Whether the path of `url` (a request target such as `/users/42?x=1`, or a route template of a
   * framework) matches the pattern.
   */
  matches(url: string): boolean {
    return this.matchesPath(url, pathEnd(url))
  }

  /**
   * Whether `url` up to `end` (the index of its query string, or its length) matches: for callers
   * that match one URL against many patterns and find `end` once.
   * @internal
   */
  matchesPath(url: string, end: number): boolean {
    let pos = 0
    const segments = this.segments
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] as Segment
      if (pos >= end || url.charCodeAt(pos) !== SLASH) return segment.kind === 'rest' && pos >= end
      pos++
      if (segment.kind === 'rest') return true
      if (segment.kind === 'param') {
        const start = pos
        while (pos < end && url.charCodeAt(pos) !== SLASH) pos++
        if (pos === start) return false
      } else {
        if (!url.startsWith(segment.text, pos)) return false
        pos += segment.text.length
        if (pos > end || (pos < end && url.charCodeAt(pos) !== SLASH)) return false
      }
    }
    return pos === end || (pos === end - 1 && url.charCodeAt(pos) === SLASH)
  }
}

/**
 * The index where the path of `url` ends: its `?`, or its length.
 * @internal
 */
export function pathEnd(url: string): number {
  const end = url.indexOf('?')
  return end < 0 ? url.length : end
}

function parseTemplate(template: string): Segment[] {
  const fail = (why: string): never => {
    throw new SlokitError('INVALID_ARGUMENT', `[slokit/node] Invalid route template "${template}": ${why}.`, {
      hint: 'use literal segments, `:name` for one segment and a last `*` for the rest, e.g. "/users/:id" or "/files/*"',
    })
  }
  if (typeof template !== 'string' || template.charCodeAt(0) !== SLASH) fail('it must start with "/"')
  if (template.includes('?') || template.includes('#')) fail('it must not contain "?" or "#"')
  const parts = template === '/' ? [] : template.slice(1).split('/')
  // A trailing slash in the template is the same route: request paths may end with one anyway.
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop()
  return parts.map((part, index): Segment => {
    if (part === '') fail('it has an empty segment ("//")')
    if (part.startsWith('*')) {
      if (index !== parts.length - 1) fail('`*` may only be the last segment')
      if (!/^\*[A-Za-z0-9_]*$/.test(part)) fail(`"${part}" is not \`*\` or \`*name\``)
      return { kind: 'rest' }
    }
    if (part.startsWith(':')) {
      if (!/^:[A-Za-z0-9_]+$/.test(part)) fail(`"${part}" is not a \`:name\` parameter`)
      return { kind: 'param' }
    }
    if (/[:*(){}]/.test(part)) {
      fail(
        `"${part}" mixes a literal with \`:\`, \`*\`, parentheses or braces (optional and regex parts are not supported)`,
      )
    }
    return { kind: 'literal', text: part }
  })
}
