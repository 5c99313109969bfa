/**
 * The Express app the load benchmark drives: `GET /users/:id` answering a small JSON body, with
 * or without the SLI middleware (two SLOs on the route: availability and a 300 ms latency ratio).
 */
import { createSloTracker } from '@slokit/core'
import { expressSli } from '@slokit/node/express'
import express, { type Express } from 'express'

const ratio = (id: string) => ({
  id,
  service: 'bench',
  sli: { id, kind: 'availability' as const, measurement: { type: 'ratio' as const } },
  objective: '99.9%',
  window: '30d',
})

/** A fresh tracker with the two SLOs the benchmarked route records into. */
export function benchTracker() {
  return createSloTracker({ slos: [ratio('users-availability'), ratio('users-latency')] })
}

/** The middleware as the benchmark configures it. */
export function benchMiddleware(tracker = benchTracker()) {
  return expressSli({
    tracker,
    routes: {
      'GET /users/:id': {
        availability: 'users-availability',
        latency: 'users-latency',
        latencyThresholdMs: 300,
      },
    },
    ignore: ['/metrics', '/healthz'],
  })
}

/** What the app runs before its route: nothing, a middleware that only calls `next()`, or the SLI middleware. */
export type Variant = 'none' | 'noop' | 'sli'

export function createApp(variant: Variant): Express {
  const app = express()
  app.set('etag', false)
  app.set('x-powered-by', false)
  if (variant === 'noop') app.use((_req, _res, next) => next())
  if (variant === 'sli') app.use(benchMiddleware())
  app.get('/users/:id', (req, res) => {
    res.json({ id: req.params.id, name: 'Ada' })
  })
  return app
}
