import type { IncomingMessage, ServerResponse } from 'node:http'
import type { CompiledOptions, Route } from './options.js'

/**
 * One request being measured: its start time and whether it is booked. Kept in the `close`
 * listener's closure rather than as a property of the response: adding a property to a
 * `ServerResponse` (which Express re-prototypes) cost several microseconds per request under load,
 * a closure and this object a few dozen nanoseconds.
 * @internal
 */
export interface Measurement {
  /**
   * Records the request now as failed (status 500 unless the response had already ended),
   * unless it is already booked. Returns whether it recorded.
   */
  fail(): boolean
}

/** What the framework adapters share: start measuring a response. @internal */
export interface ResponseTracker {
  /**
   * Notes the start time and books the outcome when the response closes. `template` is the
   * framework's route template when it is known at the start (Fastify).
   */
  begin(res: ServerResponse, template?: string): Measurement
}

/**
 * The shared measuring core: a `close` listener reads the status, classifies it, and records
 * into the route's SLOs. `resolve` maps a request (and the template given to `begin`) to its
 * route when the response closes.
 * @internal
 */
export function createResponseTracker(
  options: CompiledOptions,
  resolve: (req: IncomingMessage, template: string | undefined) => Route | null,
): ResponseTracker {
  const { timer, clock, latencyOfAll, countAborted } = options

  const book = (pending: Pending, good: boolean): void => {
    const end = timer.now()
    const route = resolve(pending.res.req, pending.template)
    if (route === null) return
    const at = clock.now()
    const availability = route.availability
    for (let i = 0; i < availability.length; i++) availability[i]?.record(good, at)
    const latency = route.latency
    if (latency.length > 0 && (good || latencyOfAll)) {
      const ms = end - pending.start
      const thresholdMs = route.latencyThresholdMs
      if (thresholdMs === undefined) {
        for (let i = 0; i < latency.length; i++) latency[i]?.observe(ms, at)
      } else {
        const fast = ms <= thresholdMs
        for (let i = 0; i < latency.length; i++) latency[i]?.record(fast, at)
      }
    }
  }

  class Pending implements Measurement {
    booked = false
    constructor(
      readonly res: ServerResponse,
      readonly start: number,
      readonly template: string | undefined,
    ) {}

    readonly onClose = (): void => {
      if (this.booked) return
      this.booked = true
      let good: boolean | undefined
      if (this.res.writableFinished) good = options.classify(this.res.statusCode)
      else if (countAborted) good = false
      if (good !== undefined) book(this, good)
    }

    fail(): boolean {
      if (this.booked) return false
      this.booked = true
      const good = options.classify(this.res.writableEnded ? this.res.statusCode : 500)
      if (good !== undefined) book(this, good)
      return true
    }
  }

  return {
    begin(res, template) {
      const pending = new Pending(res, timer.now(), template)
      res.on('close', pending.onClose)
      return pending
    },
  }
}
