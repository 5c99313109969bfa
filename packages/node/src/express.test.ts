import { request as httpRequest } from 'node:http'
import express5, { type NextFunction, type Request, type Response } from 'express'
import express4 from 'express4'
import { afterEach, describe, expect, it } from 'vitest'
import { expressSli, type HttpSliOptions } from './express.js'
import { listen, send, TestTracker } from './test/fixtures.js'

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

const versions = [
  { name: 'Express 4', express: express4, rest: '/files/*', major: 4 },
  { name: 'Express 5', express: express5, rest: '/files/*path', major: 5 },
] as const

describe.each(versions)('expressSli with $name', ({ express, rest, major }) => {
  const hung: { entered?: () => void; resolve?: () => void } = {}
  async function start(t: TestTracker, extra: Partial<HttpSliOptions> = {}) {
    const app = express()
    app.use(
      expressSli({
        ...extra,
        tracker: t,
        clock: t.clock,
        timer: t.timer,
        routes: {
          'GET /users/:id': { availability: 'users-availability', latency: 'users-latency' },
          'POST /api/orders': {
            availability: 'orders-availability',
            latency: 'orders-fast',
            latencyThresholdMs: 200,
          },
          '/re/:n': { availability: 'api-availability' },
          'GET /files/*': { availability: 'api-availability' },
        },
        ignore: ['/healthz'],
        default: { availability: 'api-availability' },
        unmatched: { availability: 'missed-availability' },
        badStatus: ['5xx', 429],
      }),
    )
    const reply = (req: Request, res: Response) => {
      t.timer.advance(Number(req.query.ms ?? 0))
      res.status(Number(req.query.status ?? 200)).send('ok')
    }
    app.use('/private', (_req: Request, res: Response) => {
      res.status(503).end()
    })
    // The template names the parameter differently from the `routes` key: it still matches.
    app.get('/users/:userId', reply)
    const api = express.Router()
    api.post('/orders', reply)
    app.use('/api', api)
    app.get('/healthz', reply)
    app.get(/^\/re\/\d+$/, reply)
    app.get(rest, reply)
    app.get('/hang', (_req: Request, res: Response) => {
      res.on('close', () => hung.resolve?.())
      t.timer.advance(2_000)
      hung.entered?.()
    })
    app.get('/boom', () => {
      throw new Error('handler failed')
    })
    app.get('/reject', async () => {
      await Promise.resolve()
      throw new Error('async handler failed')
    })
    app.use((_error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).send('failed')
    })
    const running = await listen(app.listen(0, '127.0.0.1'))
    closers.push(running.close)
    return running.url
  }

  it('records exact counts per route template, 404s and middleware answers as unmatched, skips ignored paths', async () => {
    const t = new TestTracker()
    const url = await start(t)

    expect(await send(`${url}/users/1?ms=100`)).toBe(200)
    expect(await send(`${url}/users/2?status=503`)).toBe(503)
    expect(await send(`${url}/users/3?status=429`)).toBe(429)
    expect(await send(`${url}/api/orders?ms=150`, 'POST')).toBe(200)
    expect(await send(`${url}/api/orders?ms=300`, 'POST')).toBe(200)
    expect(await send(`${url}/healthz?status=500`)).toBe(500)
    expect(await send(`${url}/nope/123`)).toBe(404)
    expect(await send(`${url}/private/thing`)).toBe(503)
    expect(await send(`${url}/boom`)).toBe(500)
    expect(await send(`${url}/re/42`)).toBe(200)
    expect(await send(`${url}/files/a/b.txt`)).toBe(200)
    await t.waitForCalls(15)

    expect(t.counts('users-availability')).toEqual({ good: 1, total: 3 })
    expect(t.calls.filter(([id]) => id === 'users-latency').map(([, , ms]) => ms)).toEqual([100, 0, 0])
    expect(t.counts('orders-availability')).toEqual({ good: 2, total: 2 })
    expect(t.counts('orders-fast')).toEqual({ good: 1, total: 2 })
    expect(t.counts('missed-availability')).toEqual({ good: 1, total: 2 })
    expect(t.counts('api-availability')).toEqual({ good: 2, total: 3 })
    expect(t.calls).toHaveLength(15)
  })

  if (major === 5) {
    it('counts a rejected async handler by the status of the error handler', async () => {
      const t = new TestTracker()
      const url = await start(t)
      expect(await send(`${url}/reject`)).toBe(500)
      await t.waitForCalls(1)
      expect(t.calls).toEqual([['api-availability', 'record', false]])
    })
  }

  it('with aborted: "bad", counts a request the client abandoned as bad, with the time until it left', async () => {
    const t = new TestTracker()
    const url = await start(t, { aborted: 'bad' })
    const entered = new Promise<void>((resolve) => {
      hung.entered = resolve
    })
    const closed = new Promise<void>((resolve) => {
      hung.resolve = resolve
    })
    const client = httpRequest(`${url}/hang`)
    client.on('error', () => {})
    client.end()
    await entered
    client.destroy()
    await closed
    expect(t.calls).toEqual([['api-availability', 'record', false]])
    expect(t.counts('api-availability')).toEqual({ good: 0, total: 1 })
  })

  it("matches keys against the route's template, not only the raw path", async () => {
    const t = new TestTracker()
    const url = await start(t)
    // Express routes match case-insensitively: the raw path "/USERS/7" matches no key, the
    // template "/users/:userId" of the route that answered does.
    expect(await send(`${url}/USERS/7`)).toBe(200)
    await t.waitForCalls(2)
    expect(t.calls.map(([id]) => id)).toEqual(['users-availability', 'users-latency'])
  })

  it('names the routes of a router mounted at two paths, and of one route object serving two methods, by their own keys', async () => {
    const t = new TestTracker()
    const app = express()
    app.use(
      expressSli({
        tracker: t,
        clock: t.clock,
        timer: t.timer,
        routes: {
          'GET /a/items/:id': { availability: 'users-availability' },
          'GET /b/items/:id': { availability: 'orders-availability' },
          'POST /a/items/:id': { availability: 'api-availability' },
          'GET /users/:id': { availability: 'api-availability' },
        },
        ignore: ['/users/me'],
        default: { availability: 'missed-availability' },
      }),
    )
    const items = express.Router()
    items
      .route('/items/:id')
      .get((_req: Request, res: Response) => res.send('ok'))
      .post((_req: Request, res: Response) => res.status(500).send('no'))
    app.use('/a', items)
    app.use('/b', items)
    // `/users/me` fails: were it counted, the counts below would show it.
    app.get('/users/:id', (req: Request, res: Response) =>
      res.status(req.params.id === 'me' ? 503 : 200).send('ok'),
    )
    const running = await listen(app.listen(0, '127.0.0.1'))
    closers.push(running.close)
    // Alternating mount paths and methods on the same route object: each resolves by its own key.
    for (const [path, method] of [
      ['/a/items/1', 'GET'],
      ['/b/items/2', 'GET'],
      ['/a/items/3', 'POST'],
      ['/a/items/4', 'GET'],
      ['/b/items/5', 'GET'],
      ['/b/items/6', 'POST'],
      ['/users/me', 'GET'], // ignored by path, although the route `/users/:id` answered it
      ['/users/7', 'GET'],
    ] as const) {
      await send(`${running.url}${path}`, method)
    }
    await t.waitForCalls(7)
    expect(t.counts('users-availability')).toEqual({ good: 2, total: 2 })
    expect(t.counts('orders-availability')).toEqual({ good: 2, total: 2 })
    expect(t.counts('api-availability')).toEqual({ good: 1, total: 2 })
    // `POST /b/items/:id` matches no key: the default.
    expect(t.counts('missed-availability')).toEqual({ good: 0, total: 1 })
    expect(t.calls).toHaveLength(7)
  })

  it('names many raw URLs of one route by its template (bounded: one SLO, not one per URL)', async () => {
    const t = new TestTracker()
    const url = await start(t)
    for (let i = 0; i < 20; i++) await send(`${url}/users/${1000 + i}?status=${i % 4 === 0 ? 500 : 200}`)
    await t.waitForCalls(40)
    expect(t.counts('users-availability')).toEqual({ good: 15, total: 20 })
    expect(new Set(t.calls.map(([id]) => id))).toEqual(new Set(['users-availability', 'users-latency']))
  })
})
