import { createServer, request } from 'node:http'
import { SlokitError } from '@slokit/core'
import { afterEach, describe, expect, it } from 'vitest'
import { type HttpSliOptions, httpSli } from './index.js'
import { listen, send, TestTracker } from './test/fixtures.js'

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

/** A server whose handler reads `?ms=` (time the handler takes on the fake timer) and `?status=`. */
async function start(t: TestTracker, options: Partial<HttpSliOptions> = {}) {
  const sli = httpSli({
    tracker: t,
    clock: t.clock,
    timer: t.timer,
    routes: {
      'GET /users/:id': { availability: 'users-availability', latency: 'users-latency' },
      'POST /orders': {
        availability: 'orders-availability',
        latency: 'orders-fast',
        latencyThresholdMs: 200,
      },
    },
    ignore: ['/metrics', '/healthz'],
    default: { availability: 'api-availability' },
    ...options,
  })
  const server = createServer(
    sli.wrap(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      t.timer.advance(Number(url.searchParams.get('ms') ?? 0))
      if (url.pathname === '/throw') throw new Error('handler failed')
      if (url.pathname === '/reject') {
        await Promise.resolve()
        throw new Error('async handler failed')
      }
      res.statusCode = Number(url.searchParams.get('status') ?? 200)
      res.end('ok')
    }),
  )
  const running = await listen(server)
  closers.push(running.close)
  return running.url
}

describe('httpSli on a node:http server', () => {
  it('records exact good/total counts per route, classifies statuses and latencies, skips ignored paths', async () => {
    const t = new TestTracker()
    const url = await start(t, { badStatus: ['5xx', 429] })

    expect(await send(`${url}/users/1?ms=100`)).toBe(200)
    expect(await send(`${url}/users/2?ms=400&status=503`)).toBe(503)
    expect(await send(`${url}/users/3?status=404`)).toBe(404)
    expect(await send(`${url}/users/4`, 'HEAD')).toBe(200)
    expect(await send(`${url}/orders?ms=150`, 'POST')).toBe(200)
    expect(await send(`${url}/orders?ms=250&status=429`, 'POST')).toBe(429)
    expect(await send(`${url}/metrics`)).toBe(200)
    expect(await send(`${url}/healthz?status=503`)).toBe(503)
    expect(await send(`${url}/other`)).toBe(200)
    expect(await send(`${url}/users/1/extra`)).toBe(200)
    expect(await send(`${url}/throw`)).toBe(500)
    expect(await send(`${url}/reject`)).toBe(500)
    await t.waitForCalls(16)

    expect(t.counts('users-availability')).toEqual({ good: 3, total: 4 })
    expect(t.counts('users-latency')).toEqual({ good: 3, total: 4 })
    expect(t.calls.filter(([id]) => id === 'users-latency').map(([, , ms]) => ms)).toEqual([100, 400, 0, 0])
    expect(t.counts('orders-availability')).toEqual({ good: 1, total: 2 })
    expect(t.counts('orders-fast')).toEqual({ good: 1, total: 2 })
    expect(t.calls.filter(([id]) => id === 'orders-fast')).toEqual([
      ['orders-fast', 'record', true],
      ['orders-fast', 'record', false],
    ])
    expect(t.counts('api-availability')).toEqual({ good: 2, total: 4 })
    expect(t.calls).toHaveLength(16)
    expect(t.inner.dropped()).toEqual({ unknown_slo: 0, wrong_method: 0, invalid_value: 0, too_old: 0 })
  })

  it('leaves out CORS preflights with an `OPTIONS /*` key set to false, and counts redirects as good', async () => {
    const t = new TestTracker()
    const url = await start(t, {
      routes: {
        'OPTIONS /*': false,
        'GET /users/:id': { availability: 'users-availability' },
      },
    })
    expect(await send(`${url}/users/1`, 'OPTIONS')).toBe(200)
    expect(await send(`${url}/other`, 'OPTIONS')).toBe(200)
    expect(await send(`${url}/users/1?status=503`)).toBe(503)
    expect(await fetch(`${url}/users/2?status=302`, { redirect: 'manual' }).then((r) => r.status)).toBe(302)
    expect(await send(`${url}/users/3?status=304`)).toBe(304)
    await t.waitForCalls(3)
    expect(t.calls).toEqual([
      ['users-availability', 'record', false],
      ['users-availability', 'record', true],
      ['users-availability', 'record', true],
    ])
  })

  it('counts 429 as good by default (only 5xx is bad)', async () => {
    const t = new TestTracker()
    const url = await start(t)
    await send(`${url}/users/1?status=429`)
    await send(`${url}/users/1?status=500`)
    await send(`${url}/users/1?status=599`)
    await t.waitForCalls(6)
    expect(t.counts('users-availability')).toEqual({ good: 1, total: 3 })
  })

  it('takes a badStatus function, and leaves out requests it throws for (warning once)', async () => {
    const t = new TestTracker()
    const warnings: string[] = []
    const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} }
    const url = await start(t, {
      logger,
      badStatus: (status) => {
        if (status === 418) throw new Error('teapot')
        return status >= 400
      },
    })
    await send(`${url}/users/1?status=418`)
    await send(`${url}/users/1?status=418`)
    await send(`${url}/users/1?status=404`)
    await send(`${url}/users/1`)
    await t.waitForCalls(4)
    expect(t.counts('users-availability')).toEqual({ good: 1, total: 2 })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('`badStatus` threw')
  })

  it('observes latencies of good requests only with latencyOf: "good"', async () => {
    const t = new TestTracker()
    const url = await start(t, { latencyOf: 'good' })
    await send(`${url}/users/1?ms=50`)
    await send(`${url}/users/1?ms=900&status=500`)
    await send(`${url}/users/1?ms=70`)
    await t.waitForCalls(5)
    expect(t.calls.filter(([id]) => id === 'users-latency').map(([, , ms]) => ms)).toEqual([50, 70])
    expect(t.counts('users-availability')).toEqual({ good: 2, total: 3 })
  })

  it('uses the default latencyThresholdMs for latency SLOs of routes without their own', async () => {
    const t = new TestTracker()
    const url = await start(t, {
      latencyThresholdMs: 100,
      routes: { 'GET /fast/*': { latency: 'orders-fast' } },
    })
    await send(`${url}/fast/a/b?ms=100`)
    await send(`${url}/fast?ms=101`)
    await t.waitForCalls(2)
    expect(t.calls).toEqual([
      ['orders-fast', 'record', true],
      ['orders-fast', 'record', false],
    ])
  })

  for (const aborted of ['ignore', 'bad'] as const) {
    it(`with aborted: "${aborted}", a request the client abandons is ${aborted === 'bad' ? 'bad, with the time until it left' : 'left out'}`, async () => {
      const t = new TestTracker()
      let entered!: () => void
      const inHandler = new Promise<void>((resolve) => {
        entered = resolve
      })
      let closed!: () => void
      const serverSawClose = new Promise<void>((resolve) => {
        closed = resolve
      })
      const sli = httpSli({
        tracker: t,
        clock: t.clock,
        timer: t.timer,
        aborted,
        default: { availability: 'api-availability', latency: 'users-latency' },
      })
      const server = createServer(
        sli.wrap((_req, res) => {
          res.on('close', closed) // added after the middleware's listener, so it runs after it
          t.timer.advance(1_500)
          entered()
        }),
      )
      const running = await listen(server)
      closers.push(running.close)
      const client = request(`${running.url}/slow`)
      client.on('error', () => {})
      client.end()
      await inHandler
      client.destroy()
      await serverSawClose
      if (aborted === 'bad') {
        expect(t.counts('api-availability')).toEqual({ good: 0, total: 1 })
        expect(t.calls).toEqual([
          ['api-availability', 'record', false],
          ['users-latency', 'observe', 1_500],
        ])
      } else {
        expect(t.calls).toEqual([])
      }
    })
  }

  it('track() registered with prependListener measures a server it does not wrap', async () => {
    const t = new TestTracker()
    const sli = httpSli({
      tracker: t,
      clock: t.clock,
      timer: t.timer,
      default: { availability: 'api-availability' },
      ignore: ['/metrics'],
    })
    const listeners: Record<string, number> = {}
    const server = createServer((req, res) => {
      listeners[req.url ?? ''] = res.listenerCount('close')
      res.statusCode = req.url === '/down' ? 502 : 204
      res.end()
    })
    server.prependListener('request', sli.track)
    const running = await listen(server)
    closers.push(running.close)
    expect(await send(`${running.url}/up`)).toBe(204)
    expect(await send(`${running.url}/down`)).toBe(502)
    expect(await send(`${running.url}/metrics`)).toBe(204)
    await t.waitForCalls(2)
    expect(t.counts('api-availability')).toEqual({ good: 1, total: 2 })
    // A measured request carries one `close` listener; an ignored one none at all.
    expect(listeners).toEqual({ '/up': 1, '/down': 1, '/metrics': 0 })
  })

  it('books each event at the clock time of the response', async () => {
    const t = new TestTracker()
    const at: (number | undefined)[] = []
    let done!: () => void
    const recorded = new Promise<void>((resolve) => {
      done = resolve
    })
    const tracker = {
      sloIds: ['api-availability'],
      recorder: () => ({
        record: (_outcome: unknown, atMs?: number) => {
          at.push(atMs)
          done()
        },
        observe() {},
      }),
    }
    const sli = httpSli({
      tracker,
      clock: t.clock,
      timer: t.timer,
      default: { availability: 'api-availability' },
    })
    const server = createServer(sli.wrap((_req, res) => res.end()))
    const running = await listen(server)
    closers.push(running.close)
    t.clock.advance(60_000)
    await send(`${running.url}/a`)
    await recorded
    expect(at).toEqual([Date.UTC(2026, 0, 1, 0, 1)])
  })

  /** A server with `httpSli` (extra options) whose single SLO notes the event times it receives. */
  async function timesOf(options: Partial<HttpSliOptions>, handle: () => void = () => {}) {
    const at: (number | undefined)[] = []
    let done!: () => void
    const recorded = new Promise<void>((resolve) => {
      done = resolve
    })
    const tracker = {
      sloIds: ['api-availability'],
      recorder: () => ({
        record: (_outcome: unknown, atMs?: number) => {
          at.push(atMs)
          done()
        },
        observe() {},
      }),
    }
    const sli = httpSli({ tracker, default: { availability: 'api-availability' }, ...options })
    const server = createServer(
      sli.wrap((_req, res) => {
        handle()
        res.end()
      }),
    )
    const running = await listen(server)
    closers.push(running.close)
    return { at, send: () => send(`${running.url}/a`), recorded }
  }

  it('books at the end time when the clock is also the timer', async () => {
    const clock = new TestTracker().clock
    const run = await timesOf({ clock, timer: clock }, () => clock.advance(250))
    await run.send()
    await run.recorded
    expect(run.at).toEqual([Date.UTC(2026, 0, 1) + 250])
  })

  it('with the default clock and timer, books at the wall-clock time of the response (derived from the timer)', async () => {
    const run = await timesOf({})
    const before = Date.now()
    await run.send()
    await run.recorded
    const after = Date.now()
    expect(run.at).toHaveLength(1)
    // Within the request's wall-clock span, give or take Date.now()'s millisecond.
    expect(run.at[0]).toBeGreaterThanOrEqual(before - 1)
    expect(run.at[0]).toBeLessThanOrEqual(after + 1)
  })
})

describe('httpSli options', () => {
  const t = new TestTracker()
  const invalid = (options: Record<string, unknown>, message: RegExp) => {
    let error: unknown
    try {
      httpSli({ tracker: t, ...options } as HttpSliOptions)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(SlokitError)
    expect((error as SlokitError).code).toBe('INVALID_ARGUMENT')
    expect((error as SlokitError).message).toMatch(message)
  }

  it('rejects invalid options with a message naming the option', () => {
    invalid({ tracker: undefined }, /Missing required option `tracker`/)
    invalid({ default: { availability: 'nope' } }, /`default.availability` names SLO "nope"/)
    invalid({ routes: { 'GET users': { availability: 'api-availability' } } }, /key "GET users" is not/)
    invalid(
      { routes: { 'GET /a/*/b': { availability: 'api-availability' } } },
      /`\*` may only be the last segment/,
    )
    invalid({ routes: { '/a': { availabilty: 'api-availability' } } }, /unknown key `availabilty`/)
    invalid({ routes: { '/health': false } }, /Nothing to record/)
    invalid(
      { default: { availability: 'api-availability' }, badStatus: ['5xx', 4291] },
      /`badStatus` has 4291/,
    )
    invalid({ default: { availability: 'api-availability' }, badStatus: ['3xx'] }, /`badStatus` has "3xx"/)
    invalid(
      { default: { availability: 'api-availability' }, latencyThresholdMs: 0 },
      /`latencyThresholdMs` must be a positive/,
    )
    invalid(
      { default: { latency: 'orders-fast', latencyThresholdMs: Number.NaN } },
      /`default.latencyThresholdMs` must be a positive/,
    )
    invalid({ default: { availability: 'api-availability' }, aborted: 'count' }, /`aborted` must be/)
    invalid({ default: { availability: 'api-availability' }, ignore: '/metrics' }, /`ignore` must be a list/)
    invalid({ default: { availability: 'api-availability' }, clock: {} }, /`clock` must be a Clock/)
  })

  it('wrap() rejects a listener that is not a function', () => {
    const sli = httpSli({ tracker: t, default: { availability: 'api-availability' } })
    expect(() => sli.wrap(undefined as never)).toThrow(/`listener` must be a function/)
  })
})
