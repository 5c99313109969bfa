import { afterEach, describe, expect, it } from 'vitest'
import { startShop } from './app.js'

/** A clock the test moves by hand: the checkout "waits" by advancing it, so durations are exact. */
class ManualClock {
  constructor(private ms: number) {}
  now(): number {
    return this.ms
  }
  advance(ms: number): void {
    this.ms += ms
  }
}

const stops: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop()
})

async function start() {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9))
  const timer = new ManualClock(0)
  const shop = await startShop(0, {
    clock,
    timer,
    sleep: async (ms) => timer.advance(ms),
  })
  stops.push(
    () =>
      new Promise((resolve) => {
        shop.server.closeAllConnections()
        shop.server.close(() => resolve())
      }),
  )
  const request = async (method: string, path: string) => {
    const response = await fetch(`${shop.url}${path}`, { method })
    await response.arrayBuffer()
    return response.status
  }
  return { ...shop, request }
}

/** Waits until the tracker has counted `n` requests into `sloId` (the middleware books on `close`). */
async function counted(shop: Awaited<ReturnType<typeof start>>, sloId: string, n: number) {
  for (let i = 0; i < 1_000 && shop.tracker.status(sloId).counts.total < n; i++) {
    await new Promise((resolve) => setImmediate(resolve))
  }
}

describe('the express-service example', () => {
  it('measures its SLOs in-process and serves them on /slo and /metrics', async () => {
    const shop = await start()
    for (let i = 0; i < 8; i++) expect(await shop.request('GET', `/products/${i}`)).toBe(200)
    expect(await shop.request('GET', '/products/missing')).toBe(404) // a client error: not the service's fault
    expect(await shop.request('POST', '/checkout')).toBe(201)
    expect(await shop.request('POST', '/checkout?delayMs=120')).toBe(201)
    expect(await shop.request('POST', '/checkout?delayMs=450')).toBe(201) // too slow
    expect(await shop.request('POST', '/checkout?fail=1')).toBe(503)
    expect(await shop.request('GET', '/healthz')).toBe(200) // ignored
    await counted(shop, 'shop-availability', 13)

    const res = await fetch(`${shop.url}/slo`)
    const slo = (await res.json()) as {
      slo: string
      good: number
      total: number
      sli: number
      met: boolean
    }[]
    const byId = Object.fromEntries(slo.map((s) => [s.slo, s]))
    expect(byId['shop-availability']).toMatchObject({ good: 12, total: 13, met: false })
    expect(byId['checkout-availability']).toMatchObject({ good: 3, total: 4, sli: 0.75, met: false })
    expect(byId['checkout-latency']).toMatchObject({ good: 3, total: 4, sli: 0.75 })

    const metrics = await (await fetch(`${shop.url}/metrics`)).text()
    expect(metrics).toContain('slo_compliance_ratio{slo="checkout-availability",slo_service="shop"} 0.75')
    expect(metrics).toContain('slo_compliance_ratio{slo="checkout-latency",slo_service="shop"} 0.75')
    expect(metrics).toMatch(/slo_compliance_ratio\{slo="shop-availability",slo_service="shop"\} 0\.923076/)
    expect(metrics).toContain('slo_objective_ratio{slo="shop-availability",slo_service="shop"} 0.999')
    // /metrics and /slo themselves are ignored: the counts did not move.
    expect(shop.tracker.status('shop-availability').counts).toEqual({ good: 12, total: 13 })
  })
})
