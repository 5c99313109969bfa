import type { IncomingMessage, ServerResponse } from 'node:http'
import { SlokitError } from '@slokit/core'
import { createResponseTracker } from './measure.js'
import { CompiledOptions, type HttpSliOptions, type Route } from './options.js'

/** A request listener as `http.createServer()` takes it; may return a promise. */
export type RequestListener<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
> = (req: Req, res: Res) => unknown

/** SLI measurement for a plain `node:http` (or `node:https`) server. See {@link httpSli}. */
export interface HttpSli {
  /**
   * Starts measuring one request: call it first thing in your request listener, or register it
   * with `server.prependListener('request', sli.track)`. The outcome is recorded when the
   * response closes. A function of its own, so it may be passed around unbound.
   */
  readonly track: (req: IncomingMessage, res: ServerResponse) => void
  /**
   * Wraps a request listener: tracks each request and catches what the listener throws or
   * rejects with. A failed request is recorded as a 500 (unless its response had already ended),
   * answered with an empty 500 if nothing was sent yet (or cut off if it was), and the error goes
   * to `logger.error`, so one bad handler neither crashes the process nor leaves a client hanging.
   */
  wrap<Req extends IncomingMessage, Res extends ServerResponse>(
    listener: RequestListener<Req, Res>,
  ): (req: Req, res: Res) => void
}

/**
 * Measures availability and latency per route of a `node:http` server into an SLO tracker.
 * Routes are matched against the request path with the templates of `options.routes`
 * (`/users/:id`, `/files/*`); requests that match none count toward `options.default`.
 *
 * Per request it matches the path against the route keys, reads the monotonic timer twice, adds
 * one `close` listener (a small closure) to the response, and records into each SLO of the route.
 * Requests left out (ignored paths, routes set to `false`) cost the path match only.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { createSloTracker } from '@slokit/core'
 * import { httpSli } from '@slokit/node'
 *
 * const tracker = createSloTracker({ slos: [availabilitySlo, latencySlo] })
 * const sli = httpSli({
 *   tracker,
 *   routes: { 'GET /users/:id': { availability: 'users-availability', latency: 'users-latency' }, '/health': false },
 *   default: { availability: 'api-availability' },
 * })
 * createServer(sli.wrap(async (req, res) => { res.end(await render(req)) })).listen(8080)
 * ```
 * @throws `SlokitError` `INVALID_ARGUMENT` when an option is invalid: an unknown SLO id, a route
 * template outside the supported syntax, nothing to record.
 */
export function httpSli(options: HttpSliOptions): HttpSli {
  const compiled = new CompiledOptions(options, 'httpSli(options)')
  const { fallback, logger } = compiled
  const tracker = createResponseTracker(compiled)
  const routeOf = (req: IncomingMessage): Route | null => {
    const route = compiled.find(req.method, req.url ?? '/')
    return route === undefined ? fallback : route
  }

  const failed = (
    req: IncomingMessage,
    res: ServerResponse,
    fail: (() => boolean) | null,
    error: unknown,
  ): void => {
    fail?.()
    logger.error('[slokit/node] A request handler failed; answered 500.', { method: req.method, error })
    if (!res.headersSent) {
      res.statusCode = 500
      res.end()
    } else if (!res.writableEnded) {
      res.destroy()
    }
  }

  const track = (req: IncomingMessage, res: ServerResponse): void => {
    const route = routeOf(req)
    if (route !== null) tracker.begin(res, route)
  }

  return {
    track,
    wrap(listener) {
      if (typeof listener !== 'function') {
        throw new SlokitError(
          'INVALID_ARGUMENT',
          '[slokit/node] httpSli().wrap(listener): `listener` must be a function.',
        )
      }
      return function (this: unknown, req, res) {
        const route = routeOf(req)
        const fail = route === null ? null : tracker.beginFallible(res, route)
        let result: unknown
        try {
          result = listener.call(this, req, res)
        } catch (error) {
          failed(req, res, fail, error)
          return
        }
        if (
          result !== null &&
          typeof result === 'object' &&
          typeof (result as PromiseLike<unknown>).then === 'function'
        ) {
          // Only async listeners get here; the rejection handler is the one allocation they cost.
          ;(result as PromiseLike<unknown>).then(undefined, (error: unknown) => failed(req, res, fail, error))
        }
      }
    },
  }
}
