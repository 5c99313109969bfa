/**
 * `@slokit/node/express`: SLI middleware for Express 4 and 5. It imports nothing from Express;
 * the types it declares are the few members of a request and response it reads.
 *
 * @module
 */
import type { ServerResponse } from 'node:http'
import { createResponseTracker } from './measure.js'
import { CompiledOptions, type HttpSliOptions, type Route } from './options.js'

export type { HttpSliOptions, RouteSlos, SliTracker, StatusClass } from './options.js'

/** The members of an Express request the middleware reads. */
export interface ExpressRequestLike {
  /** The HTTP method, e.g. `GET`. */
  readonly method?: string | undefined
  /** The URL as routers see it. */
  readonly url?: string | undefined
  /** The URL as received, before routers rewrote `url`. */
  readonly originalUrl?: string | undefined
  /** The path the router was mounted at, e.g. `/api`. */
  readonly baseUrl?: string | undefined
  /** Set by Express once a route handles the request; its `path` is the route's template. */
  readonly route?: { readonly path?: unknown } | undefined
}

/** An Express middleware function. */
export type ExpressMiddleware = (
  req: ExpressRequestLike,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void

/**
 * Express middleware that records availability and latency per route into an SLO tracker. Add
 * it once, before your routes (`app.use(expressSli(...))`), so it sees every request; each
 * registration measures a request again.
 *
 * Requests are named by the Express route that handled them (`req.baseUrl + req.route.path`, so
 * routes inside mounted routers count under their full path, `'GET /api/users/:id'`) and matched
 * with the templates of `options.routes`; requests without a route template (404s, regular
 * expression routes) are matched by their path instead. Raw URLs never become names, so the
 * number of routes recorded is bounded by `options.routes`. Requests that match no key count toward `options.default`; those no
 * Express route handled (404s, responses from middleware) toward `options.unmatched`, which
 * is `default` unless given.
 *
 * An error a handler throws reaches your error handler (or Express's), and the status it
 * answers with decides: 500 is bad by default.
 *
 * Per request: the request path (`req.originalUrl`, so a mount path of the middleware does not
 * hide it) is checked against `options.ignore`, and an ignored request costs nothing more; others
 * get one `close` listener and two reads of the monotonic timer, and their route is looked up
 * once per Express route object, method and mount path rather than matched per request.
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { expressSli } from '@slokit/node/express'
 *
 * const app = express()
 * app.use(expressSli({
 *   tracker,
 *   routes: { 'GET /users/:id': { availability: 'users-availability', latency: 'users-latency' } },
 *   default: { availability: 'api-availability' },
 * }))
 * app.get('/users/:id', getUser)
 * ```
 * @throws `SlokitError` `INVALID_ARGUMENT` when an option is invalid.
 */
export function expressSli(options: HttpSliOptions): ExpressMiddleware {
  const compiled = new CompiledOptions(options, 'expressSli(options)')
  const { fallback, unmatched } = compiled
  const routes = new RouteCache(compiled)
  const tracker = createResponseTracker(compiled, (incoming) => {
    const req: ExpressRequestLike = incoming
    const handler = req.route
    if (handler === null || typeof handler !== 'object') {
      const route = compiled.find(req.method, req.originalUrl ?? req.url ?? '/')
      return route === undefined ? unmatched : route
    }
    const route = routes.get(handler, req)
    if (route !== undefined) return route
    const byPath = compiled.find(req.method, req.originalUrl ?? req.url ?? '/')
    return byPath === undefined ? fallback : byPath
  })
  const checkIgnore = compiled.hasIgnore
  return function slokitSli(req, res, next) {
    if (!checkIgnore || !compiled.isIgnored(req.originalUrl ?? req.url ?? '/')) tracker.begin(res, undefined)
    next()
  }
}

/** What the template of one Express route object resolved to, for one method and mount path. */
interface Resolved {
  readonly baseUrl: string | undefined
  /** The route of the first key matching the template; `undefined` when none does. */
  readonly route: Route | null | undefined
}

/**
 * Resolves an Express route object's template (`req.baseUrl + req.route.path`) against the keys
 * once per route object, method and mount path, instead of matching the template per request.
 * Weakly keyed, so routers an app drops are not kept alive.
 */
class RouteCache {
  private readonly byRoute = new WeakMap<object, Record<string, Resolved>>()
  constructor(private readonly compiled: CompiledOptions) {}

  get(handler: { readonly path?: unknown }, req: ExpressRequestLike): Route | null | undefined {
    const method = req.method ?? ''
    const baseUrl = req.baseUrl
    let perMethod = this.byRoute.get(handler)
    if (perMethod === undefined) {
      perMethod = Object.create(null) as Record<string, Resolved>
      this.byRoute.set(handler, perMethod)
    }
    const cached = perMethod[method]
    if (cached !== undefined && cached.baseUrl === baseUrl) return cached.route
    const template = routeTemplate(handler.path, baseUrl)
    const route = template === undefined ? undefined : this.compiled.find(req.method, template)
    // One entry per method: a router mounted at several paths re-resolves when the path changes.
    perMethod[method] = { baseUrl, route }
    return route
  }
}

/** The Express route template of a handled request: mount path plus route path, when a string. */
function routeTemplate(path: unknown, base: string | undefined): string | undefined {
  if (typeof path !== 'string') return undefined
  return base === undefined || base === '' ? path : base + path
}
