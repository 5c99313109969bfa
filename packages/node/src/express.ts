/**
 * `@slokit/node/express`: SLI middleware for Express 4 and 5. It imports nothing from Express;
 * the types it declares are the few members of a request and response it reads.
 *
 * @module
 */
import type { ServerResponse } from 'node:http'
import { createResponseTracker } from './measure.js'
import { CompiledOptions, type HttpSliOptions } from './options.js'

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
  const tracker = createResponseTracker(compiled, (incoming) => {
    const req: ExpressRequestLike = incoming
    const template = routeTemplate(req)
    const route = compiled.match(req.method, template, req.originalUrl ?? req.url ?? '/')
    if (route !== undefined) return route
    return req.route === undefined ? unmatched : fallback
  })
  return function slokitSli(_req, res, next) {
    tracker.begin(res)
    next()
  }
}

/** The Express route template of a handled request: mount path plus route path, when a string. */
function routeTemplate(req: ExpressRequestLike): string | undefined {
  const path = req.route?.path
  if (typeof path !== 'string') return undefined
  const base = req.baseUrl
  return base === undefined || base === '' ? path : base + path
}
