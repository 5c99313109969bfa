import { SlokitError } from '@slokit/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RoutePattern } from './route-pattern.js'

describe('RoutePattern', () => {
  it.each([
    ['/users/:id', '/users/1', true],
    ['/users/:id', '/users/1/', true],
    ['/users/:id', '/users/1?x=/a/b', true],
    ['/users/:id', '/users/:userId', true],
    ['/users/:id', '/users', false],
    ['/users/:id', '/users/', false],
    ['/users/:id', '/users//', false],
    ['/users/:id', '/users/1/2', false],
    ['/users/:id', '/Users/1', false],
    ['/users/:id', '/usersx/1', false],
    ['/files/*', '/files', true],
    ['/files/*', '/files/', true],
    ['/files/*', '/files/a/b.txt', true],
    ['/files/*path', '/files/a', true],
    ['/files/*', '/filesx', false],
    ['/', '/', true],
    ['/', '/?q=1', true],
    ['/', '/a', false],
    ['/health/', '/health', true],
    ['/a/:b/c', '/a/x/c', true],
    ['/a/:b/c', '/a/x/d', false],
  ])('%s matches %s: %s', (template, path, expected) => {
    expect(new RoutePattern(template).matches(path)).toBe(expected)
  })

  it.each([
    ['users', 'must start with "/"'],
    ['/a//b', 'empty segment'],
    ['/a/*/b', '`*` may only be the last segment'],
    ['/a/:', 'is not a `:name` parameter'],
    ['/a/b:c', 'mixes a literal'],
    ['/a/{b}', 'mixes a literal'],
    ['/a?b', 'must not contain "?"'],
  ])('rejects the template %s', (template, message) => {
    expect(() => new RoutePattern(template)).toThrow(SlokitError)
    expect(() => new RoutePattern(template)).toThrow(message)
  })

  const segment = fc.stringMatching(/^[a-z0-9._~-]{1,8}$/)
  const part = fc.oneof(
    segment.map((text) => ({ template: text, path: fc.constant(text) })),
    fc.constant({ template: ':p', path: segment }),
  )

  it('matches every path built from the template, and none with an extra segment', () => {
    fc.assert(
      fc.property(
        fc
          .array(part, { maxLength: 6 })
          .chain((parts) =>
            fc.tuple(
              fc.constant(parts.map((p) => p.template)),
              fc.tuple(...parts.map((p) => p.path)),
              segment,
            ),
          ),
        ([templateParts, pathParts, extra]) => {
          const pattern = new RoutePattern(`/${templateParts.join('/')}`)
          const path = `/${pathParts.join('/')}`
          expect(pattern.matches(path)).toBe(true)
          expect(pattern.matches(`${path === '/' ? '' : path}/${extra}`)).toBe(false)
          expect(
            new RoutePattern(`/${[...templateParts, '*'].join('/')}`).matches(`${path}/${extra}/x`),
          ).toBe(true)
        },
      ),
    )
  })
})
