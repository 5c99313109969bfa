import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { fastifySli } from './fastify.js'
import { send, TestTracker } from './test/fixtures.js'

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

async function start(t: TestTracker) {
  const app = Fastify({ routerOptions: { caseSensitive: false } })
  await app.register(
    fastifySli({
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
        'GET /files/*': { availability: 'api-availability' },
      },
      ignore: ['/healthz'],
      default: { availability: 'api-availability' },
      unmatched: { availability: 'missed-availability' },
      badStatus: ['5xx', 429],
    }),
  )
  const reply = async (request: FastifyRequest, res: FastifyReply) => {
    const query = request.query as { ms?: string; status?: string }
    t.timer.advance(Number(query.ms ?? 0))
    return res.code(Number(query.status ?? 200)).send('ok')
  }
  app.get('/users/:userId', reply)
  await app.register(
    async (api) => {
      api.post('/orders', reply)
    },
    { prefix: '/api' },
  )
  app.get('/healthz', reply)
  app.get('/files/*', reply)
  app.get('/boom', async () => {
    throw new Error('handler failed')
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  closers.push(() => app.close())
  return `http://127.0.0.1:${address.port}`
}

describe('fastifySli', () => {
  it('records exact counts per route template, 404s as unmatched, skips ignored paths', async () => {
    const t = new TestTracker()
    const url = await start(t)

    expect(await send(`${url}/users/1?ms=100`)).toBe(200)
    expect(await send(`${url}/users/2?status=503`)).toBe(503)
    expect(await send(`${url}/users/3?status=429`)).toBe(429)
    expect(await send(`${url}/api/orders?ms=150`, 'POST')).toBe(200)
    expect(await send(`${url}/api/orders?ms=300`, 'POST')).toBe(200)
    expect(await send(`${url}/healthz?status=500`)).toBe(500)
    expect(await send(`${url}/nope/123`)).toBe(404)
    expect(await send(`${url}/boom`)).toBe(500)
    expect(await send(`${url}/files/a/b.txt`)).toBe(200)
    await t.waitForCalls(13)

    expect(t.counts('users-availability')).toEqual({ good: 1, total: 3 })
    expect(t.calls.filter(([id]) => id === 'users-latency').map(([, , ms]) => ms)).toEqual([100, 0, 0])
    expect(t.counts('orders-availability')).toEqual({ good: 2, total: 2 })
    expect(t.counts('orders-fast')).toEqual({ good: 1, total: 2 })
    expect(t.counts('missed-availability')).toEqual({ good: 1, total: 1 })
    expect(t.counts('api-availability')).toEqual({ good: 1, total: 2 })
    expect(t.calls).toHaveLength(13)
  })

  it('leaves out an ignored path even when a key matches the route that answered it, and counts HEAD as GET', async () => {
    const t = new TestTracker()
    const app = Fastify()
    await app.register(
      fastifySli({
        tracker: t,
        clock: t.clock,
        timer: t.timer,
        routes: { 'GET /users/:id': { availability: 'users-availability' } },
        ignore: ['/users/me'],
      }),
    )
    // `/users/me` fails: were it counted, the counts below would show it.
    app.get('/users/:id', async (request, reply) =>
      reply.code((request.params as { id: string }).id === 'me' ? 503 : 200).send('ok'),
    )
    await app.listen({ port: 0, host: '127.0.0.1' })
    closers.push(() => app.close())
    const address = app.server.address()
    if (address === null || typeof address === 'string') throw new Error('no port')
    const url = `http://127.0.0.1:${address.port}`
    expect(await send(`${url}/users/me`)).toBe(503)
    expect(await send(`${url}/users/1`)).toBe(200)
    expect(await send(`${url}/users/me?x=1`)).toBe(503)
    expect(await send(`${url}/users/2`, 'HEAD')).toBe(200)
    await t.waitForCalls(2)
    expect(t.counts('users-availability')).toEqual({ good: 2, total: 2 })
    expect(t.calls).toHaveLength(2)
  })

  it("matches keys against the route's template, not only the raw path", async () => {
    const t = new TestTracker()
    const url = await start(t)
    expect(await send(`${url}/USERS/7`)).toBe(200)
    await t.waitForCalls(2)
    expect(t.calls.map(([id]) => id)).toEqual(['users-availability', 'users-latency'])
  })

  it('names many raw URLs of one route by its template', async () => {
    const t = new TestTracker()
    const url = await start(t)
    for (let i = 0; i < 12; i++) await send(`${url}/users/${5000 + i}?status=${i % 3 === 0 ? 502 : 200}`)
    await t.waitForCalls(24)
    expect(t.counts('users-availability')).toEqual({ good: 8, total: 12 })
  })
})
