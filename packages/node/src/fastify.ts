/**
 * `@slokit/node/fastify`: SLI plugin for Fastify 5. It imports nothing from Fastify; the types it
 * declares are the few members of a request, a reply and an instance it uses.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createResponseTracker } from './measure.js'
import { CompiledOptions, type HttpSliOptions, type Route } from './options.js'

export type { HttpSliOptions, RouteSlos, SliTracker, StatusClass } from './options.js'

/** The members of a Fastify request the plugin reads. */
export interface FastifyRequestLike {
  readonly method: string
  readonly url: string
  /** The matched route; its `url` is the route's template (`/users/:id`), absent for 404s. */
  readonly routeOptions?: { readonly url?: string | undefined } | undefined
  readonly raw: IncomingMessage
}

/** The members of a Fastify reply the plugin reads. */
export interface FastifyReplyLike {
  readonly raw: ServerResponse
}

/** The member of a Fastify instance the plugin uses. */
export interface FastifyInstanceLike {
  // biome-ignore lint/suspicious/noExplicitAny: Fastify's overloaded addHook is only assignable to a loosely typed signature.
  addHook(name: 'onRequest', hook: (request: any, reply: any, done: (error?: Error) => void) => void): unknown
}

/**
 * A Fastify plugin (register it with `app.register(plugin)`). Marked with
 * `Symbol.for('skip-override')`, as `fastify-plugin` does, so its hook applies to the whole
 * instance rather than an encapsulated child context.
 */
export interface FastifySliPlugin {
  (instance: FastifyInstanceLike, options: unknown, done: (error?: Error) => void): void
  /** Tells Fastify not to encapsulate the plugin. */
  readonly [key: symbol]: unknown
}

/**
 * A Fastify plugin that records availability and latency per route into an SLO tracker: an
 * `onRequest` hook notes the start and the route, and the outcome is recorded when the response
 * closes. Register it before your routes' plugins, at the root instance.
 *
 * Requests are named by Fastify's route template (`request.routeOptions.url`, e.g.
 * `/users/:id`) and matched with the templates of `options.routes`; requests that match no key
 * count toward `options.default`; Fastify's 404s toward `options.unmatched` (which is `default`
 * unless given). Raw URLs never become names. A handler that throws gets Fastify's error reply
 * (500 unless the error carries a status), which is classified like any other response.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify'
 * import { fastifySli } from '@slokit/node/fastify'
 *
 * const app = Fastify()
 * await app.register(fastifySli({
 *   tracker,
 *   routes: { 'GET /users/:id': { availability: 'users-availability', latency: 'users-latency' } },
 *   ignore: ['/healthz'],
 * }))
 * app.get('/users/:id', getUser)
 * ```
 * @throws `SlokitError` `INVALID_ARGUMENT` when an option is invalid.
 */
export function fastifySli(options: HttpSliOptions): FastifySliPlugin {
  const compiled = new CompiledOptions(options, 'fastifySli(options)')
  const { fallback, unmatched } = compiled
  // Template → method → the route its first matching key gives (`undefined`: no key matches).
  // Templates are the app's routes, so the cache is bounded by them.
  const byTemplate = new Map<string, Record<string, Route | null | undefined>>()
  const routeOf = (method: string, template: string | undefined, url: string): Route | null => {
    if (template === undefined) {
      const route = compiled.find(method, url)
      return route === undefined ? unmatched : route
    }
    let perMethod = byTemplate.get(template)
    if (perMethod === undefined) {
      perMethod = Object.create(null) as Record<string, Route | null | undefined>
      byTemplate.set(template, perMethod)
    }
    let route = perMethod[method]
    if (route === undefined && !(method in perMethod)) {
      route = compiled.find(method, template)
      perMethod[method] = route
    }
    if (route !== undefined) return route
    const byPath = compiled.find(method, url)
    return byPath === undefined ? fallback : byPath
  }
  const tracker = createResponseTracker(compiled)
  const checkIgnore = compiled.hasIgnore
  const onRequest = (
    request: FastifyRequestLike,
    reply: FastifyReplyLike,
    done: (error?: Error) => void,
  ): void => {
    const url = request.url
    if (!checkIgnore || !compiled.isIgnored(url)) {
      const route = routeOf(request.method, request.routeOptions?.url, url)
      if (route !== null) tracker.begin(reply.raw, route)
    }
    done()
  }
  const plugin = (instance: FastifyInstanceLike, _options: unknown, done: (error?: Error) => void): void => {
    instance.addHook('onRequest', onRequest)
    done()
  }
  return Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: '@slokit/node/fastify',
  })
}
