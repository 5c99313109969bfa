import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Clock, createSloTracker, type SloSpecInput, type SloTracker } from '@slokit/core'
import { expressSli } from '@slokit/node/express'
import { SloMetrics } from '@slokit/prometheus/exporter'
import express, { type Express } from 'express'
import { Registry } from 'prom-client'

/** The shop's SLOs: one over every request, two over checkout. */
export const SLOS: SloSpecInput[] = [
  {
    id: 'shop-availability',
    service: 'shop',
    sli: { id: 'shop-requests', kind: 'availability', measurement: { type: 'ratio' } },
    objective: '99.9%',
    window: '30d',
  },
  {
    id: 'checkout-availability',
    service: 'shop',
    sli: { id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio' } },
    objective: '99.5%',
    window: '30d',
  },
  {
    id: 'checkout-latency',
    service: 'shop',
    description: 'Checkouts answered within 300 ms.',
    sli: { id: 'checkout-fast-requests', kind: 'latency', measurement: { type: 'ratio' } },
    objective: '99%',
    window: '30d',
  },
]

export interface ShopOptions {
  /** Wall clock events are booked at; the system clock by default. */
  readonly clock?: Clock
  /** Monotonic timer request durations are measured with; `performance.now()` by default. */
  readonly timer?: Clock
  /** How the checkout handler waits; a real timeout by default (tests advance a fake timer instead). */
  readonly sleep?: (ms: number) => Promise<void>
}

export interface Shop {
  readonly app: Express
  readonly tracker: SloTracker
  readonly registry: Registry
}

/** The service: its routes, the SLI middleware in front of them, `/slo` and `/metrics`. */
export function createShop(options: ShopOptions = {}): Shop {
  const tracker = createSloTracker({ slos: SLOS, clock: options.clock })
  const registry = new Registry()
  const metrics = new SloMetrics({ registry })
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))

  const app = express()
  app.use(
    expressSli({
      tracker,
      clock: options.clock,
      timer: options.timer,
      routes: {
        'POST /checkout': {
          availability: ['checkout-availability', 'shop-availability'],
          latency: 'checkout-latency',
          latencyThresholdMs: 300,
        },
      },
      default: { availability: 'shop-availability' },
      ignore: ['/metrics', '/healthz', '/slo'],
      badStatus: ['5xx', 429],
    }),
  )

  app.get('/products/:id', (req, res) => {
    if (req.params.id === 'missing') {
      res.status(404).json({ error: 'no such product' })
      return
    }
    res.json({ id: req.params.id, name: `Product ${req.params.id}`, priceCents: 1999 })
  })

  // `?delayMs=` and `?fail=` let you (and the test) make checkouts slow or failing.
  app.post('/checkout', async (req, res) => {
    const delayMs = Number(req.query.delayMs ?? 0)
    if (delayMs > 0) await sleep(delayMs)
    if (req.query.fail !== undefined) {
      res.status(503).json({ error: 'payment provider unavailable' })
      return
    }
    res.status(201).json({ orderId: 'o-1' })
  })

  app.get('/healthz', (_req, res) => {
    res.send('ok')
  })

  app.get('/slo', (_req, res) => {
    res.json(
      tracker.statuses().map((s) => ({
        slo: s.sloId,
        sli: s.sli,
        objective: s.objective,
        met: s.met,
        good: s.counts.good,
        total: s.counts.total,
        budgetRemaining: s.budget?.remaining ?? null,
      })),
    )
  })

  app.get('/metrics', async (_req, res) => {
    for (const status of tracker.statuses()) metrics.update(status)
    res.type(registry.contentType).send(await registry.metrics())
  })

  return { app, tracker, registry }
}

/** Starts the shop on `port` (0: any free port) on loopback; resolves with the server and its URL. */
export async function startShop(
  port: number,
  options: ShopOptions = {},
): Promise<Shop & { server: Server; url: string }> {
  const shop = createShop(options)
  const server = await new Promise<Server>((resolve) => {
    const listening = shop.app.listen(port, '127.0.0.1', () => resolve(listening))
  })
  const { port: bound } = server.address() as AddressInfo
  return { ...shop, server, url: `http://127.0.0.1:${bound}` }
}
