import type { IncomingMessage, ServerResponse } from 'node:http'
import type { CompiledOptions, Route } from './options.js'

/**
 * How often, in milliseconds of the monotonic timer, the event time derived from the timer is
 * re-anchored to the wall clock (see {@link createResponseTracker}).
 * @internal
 */
export const RESYNC_MS = 1_000

/** What the framework adapters share: start measuring a response. @internal */
export interface ResponseTracker {
  /**
   * Notes the start time and books the outcome into `route` when the response closes. When
   * `route` is `undefined` the route is resolved from the request at close (`resolveAtClose`),
   * for frameworks that route after the middleware ran (Express).
   */
  begin(res: ServerResponse, route: Route | undefined): void
  /**
   * Like `begin`, and returns a function that records the request now as failed (status 500
   * unless the response had already ended) unless it is already booked; it returns whether it
   * recorded. For `httpSli().wrap()`.
   */
  beginFallible(res: ServerResponse, route: Route): () => boolean
}

/**
 * The shared measuring core. Per request: one timer read at the start, one `close` listener (a
 * closure over the start time and the route), and at close one timer read, the status lookup and
 * one record per SLO of the route.
 *
 * The event time comes from the same timer read as the duration when it can: with the default
 * clock and timer (`Date.now()` and `performance.now()`) it is the end time plus an offset to the
 * wall clock, re-anchored with one `Date.now()` every {@link RESYNC_MS} of traffic, so it is
 * within a millisecond of `Date.now()` (plus any wall-clock step of the last second); when the
 * clock and the timer are the same object, it is the end time itself. Otherwise the clock is
 * read at close.
 * @internal
 */
export function createResponseTracker(
  options: CompiledOptions,
  resolveAtClose: (req: IncomingMessage) => Route | null = () => null,
): ResponseTracker {
  const { timer, latencyOfAll, countAborted } = options
  const eventTime = eventTimeOf(options)

  /** The outcome of a closed response: good, bad, or `undefined` to leave it out. */
  const outcome = (res: ServerResponse): boolean | undefined => {
    if (res.writableFinished) return options.classify(res.statusCode)
    return countAborted ? false : undefined
  }

  const book = (route: Route, good: boolean, durationMs: number, at: number): void => {
    const availability = route.availability
    for (let i = 0; i < availability.length; i++) availability[i]?.record(good, at)
    const latency = route.latency
    if (latency.length > 0 && (good || latencyOfAll)) {
      const thresholdMs = route.latencyThresholdMs
      if (thresholdMs === undefined) {
        for (let i = 0; i < latency.length; i++) latency[i]?.observe(durationMs, at)
      } else {
        const fast = durationMs <= thresholdMs
        for (let i = 0; i < latency.length; i++) latency[i]?.record(fast, at)
      }
    }
  }

  return {
    begin(res, known) {
      const start = timer.now()
      // `close` rather than `finish`: it also comes for aborted responses, and a `ServerResponse`
      // has no other `close` listener, so ours is stored without allocating a listener array.
      // Node emits `close` once per response.
      res.on('close', function onClose(this: ServerResponse) {
        const end = timer.now()
        const good = outcome(this)
        if (good === undefined) return
        const route = known === undefined ? resolveAtClose(this.req) : known
        if (route !== null) book(route, good, end - start, eventTime(end))
      })
    },
    beginFallible(res, route) {
      const start = timer.now()
      let booked = false
      res.on('close', () => {
        if (booked) return
        booked = true
        const end = timer.now()
        const good = outcome(res)
        if (good !== undefined) book(route, good, end - start, eventTime(end))
      })
      return () => {
        if (booked) return false
        booked = true
        const end = timer.now()
        const good = options.classify(res.writableEnded ? res.statusCode : 500)
        if (good !== undefined) book(route, good, end - start, eventTime(end))
        return true
      }
    },
  }
}

/** The event time of a response that ended at timer time `end`. */
function eventTimeOf(options: CompiledOptions): (end: number) => number {
  const { clock, timer } = options
  if (clock === timer) return (end) => end
  if (!options.derivedTime) return () => clock.now()
  let offsetMs = 0
  let resyncAt = Number.NEGATIVE_INFINITY
  return (end) => {
    if (end >= resyncAt) {
      offsetMs = clock.now() - end
      resyncAt = end + RESYNC_MS
    }
    return end + offsetMs
  }
}
