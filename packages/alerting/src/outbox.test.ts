import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  createOutbox,
  type DeliveryResult,
  FileOutboxStore,
  MemoryOutboxStore,
  type Notification,
  type Notifier,
  sampleNotification,
} from '@slokit/alerting'
import { describe, expect, it } from 'vitest'

function scripted(
  answers: DeliveryResult[],
  fallback: DeliveryResult = { ok: true, retryable: false },
): Notifier & { sent: Notification[] } {
  const sent: Notification[] = []
  return {
    name: 'scripted',
    sent,
    async send(notification) {
      sent.push(notification)
      return answers.shift() ?? fallback
    },
  }
}

/** A notification about one alert, whose id is `dedupKey` (as the alerting engine makes them). */
const note = (id: string, dedupKey = id, kind: Notification['kind'] = 'alert_firing') => {
  const sample = sampleNotification(kind, { id, dedupKey, channel: 'hook' })
  return { ...sample, alerts: sample.alerts.map((a) => ({ ...a, alertId: dedupKey })) }
}

describe('createOutbox', () => {
  it('compact() forgets delivered and dead entries older than the cut-off, keeps pending ones, and shrinks the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slokit-outbox-'))
    const store = new FileOutboxStore(join(dir, 'outbox.jsonl'))
    const notifier = scripted([
      { ok: true, retryable: false },
      { ok: false, retryable: false, error: 'HTTP 400 invalid_payload' },
      { ok: false, retryable: true, error: 'HTTP 503' },
    ])
    const outbox = createOutbox({ notifiers: { hook: notifier }, store, clock: { now: () => 0 } })
    await outbox.enqueue([note('delivered'), note('dead'), note('pending')], 0)
    await outbox.drain(0)
    await outbox.enqueue([note('recent')], 10_000)
    expect((await outbox.entries()).map((e) => [e.id, e.status])).toEqual([
      ['delivered', 'delivered'],
      ['dead', 'dead'],
      ['pending', 'pending'],
      ['recent', 'pending'],
    ])

    expect(await outbox.compact(5_000)).toBe(2)
    expect((await outbox.entries()).map((e) => e.id)).toEqual(['pending', 'recent'])
    // The file was rewritten with what is left, and reads back the same.
    expect((await store.load()).map((e) => e.id).sort()).toEqual(['pending', 'recent'])
    expect(await outbox.compact(5_000)).toBe(0)
  })

  it('retries with exponential backoff and jitter, honouring retryAfterMs, then delivers', async () => {
    const notifier = scripted([
      { ok: false, retryable: true, error: 'HTTP 503' },
      { ok: false, retryable: true, error: 'HTTP 429', retryAfterMs: 30_000 },
    ])
    const outbox = createOutbox({
      notifiers: { hook: notifier },
      retry: { initialDelayMs: 1000, jitter: 0.5 },
      random: () => 0.5,
      clock: { now: () => 0 },
    })
    await outbox.enqueue([note('a')], 0)
    await outbox.drain(0) // fails: next attempt after 1 s × (1 − 0.5 × 0.5) = 750 ms
    expect((await outbox.entries())[0]).toMatchObject({
      attempts: 1,
      nextAttemptAtMs: 750,
      lastError: 'HTTP 503',
    })
    expect(await outbox.drain(749)).toEqual([])
    await outbox.drain(750) // 429: at least 30 s, more than the 1.5 s backoff
    expect((await outbox.entries())[0]).toMatchObject({ attempts: 2, nextAttemptAtMs: 30_750 })
    await outbox.drain(30_750)
    expect((await outbox.entries())[0]).toMatchObject({
      status: 'delivered',
      attempts: 3,
      deliveredAtMs: 30_750,
    })
  })

  it('dead-letters what cannot be delivered, with the reason, and what fails for too long', async () => {
    const notifier = scripted([{ ok: false, retryable: false, error: 'HTTP 400 invalid_payload' }], {
      ok: false,
      retryable: true,
      error: 'HTTP 503',
    })
    const outbox = createOutbox({
      notifiers: { hook: notifier },
      retry: { maxAgeMs: 10_000, initialDelayMs: 1000, jitter: 0 },
    })
    await outbox.enqueue([note('bad'), note('flaky')], 0)
    await outbox.drain(0)
    await outbox.drain(20_000)
    const entries = await outbox.entries()
    expect(entries.map((e) => [e.id, e.status, e.lastError])).toEqual([
      ['bad', 'dead', 'HTTP 400 invalid_payload'],
      ['flaky', 'dead', 'gave up after 2 attempts: HTTP 503'],
    ])
  })

  it('keeps order per alert and channel: a resolve never overtakes its firing', async () => {
    const notifier = scripted([{ ok: false, retryable: true, error: 'HTTP 503' }])
    const outbox = createOutbox({ notifiers: { hook: notifier }, retry: { initialDelayMs: 1000, jitter: 0 } })
    await outbox.enqueue(
      [note('x:1', 'x', 'alert_firing'), note('x:2', 'x', 'alert_resolved'), note('y:1', 'y')],
      0,
    )
    await outbox.drain(0) // x:1 fails; x:2 must wait behind it; y:1 goes
    expect(notifier.sent.map((n) => n.id)).toEqual(['x:1', 'y:1'])
    await outbox.drain(1000)
    await outbox.drain(1000)
    expect(notifier.sent.map((n) => n.id)).toEqual(['x:1', 'y:1', 'x:1', 'x:2'])
  })

  it('reports as next due the time an entry can actually go: a resolve waits for its retrying firing', async () => {
    const notifier = scripted([{ ok: false, retryable: true, error: 'HTTP 429', retryAfterMs: 30_000 }])
    const outbox = createOutbox({ notifiers: { hook: notifier }, retry: { jitter: 0 } })
    await outbox.enqueue([note('x:1', 'x')], 0)
    await outbox.drain(0) // rate limited: due again at 30 s
    await outbox.enqueue([note('x:2', 'x', 'alert_resolved')], 1000)
    // Not 1000: the resolve cannot go before its firing (an engine sleeping until then would spin).
    expect(await outbox.nextDueAtMs()).toBe(30_000)
    expect(await outbox.drain(1000)).toEqual([])
  })

  it('keeps a resolve behind the group firing that announced its alert', async () => {
    const notifier = scripted([{ ok: false, retryable: true, error: 'HTTP 503' }])
    const outbox = createOutbox({ notifiers: { hook: notifier }, retry: { initialDelayMs: 1000, jitter: 0 } })
    const x = note('x:1', 'x')
    const group = {
      ...note('group:1', 'checkout/group-1'),
      alerts: [...x.alerts, ...note('y:1', 'y').alerts],
    }
    await outbox.enqueue([group, note('x:2', 'x', 'alert_resolved'), note('z:1', 'z')], 0)
    await outbox.drain(0) // the group fails; x's resolve waits behind it; z is another alert and goes
    expect(notifier.sent.map((n) => n.id)).toEqual(['group:1', 'z:1'])
    await outbox.drain(1000)
    await outbox.drain(1000)
    expect(notifier.sent.map((n) => n.id)).toEqual(['group:1', 'z:1', 'group:1', 'x:2'])
  })

  it('accepts each notification id once, and stops sending to a destination that is gone', async () => {
    const notifier = scripted([
      { ok: false, retryable: false, error: 'HTTP 410 channel_is_archived', disableDestination: true },
    ])
    const outbox = createOutbox({ notifiers: { hook: notifier } })
    expect(await outbox.enqueue([note('a'), note('a')], 0)).toBe(1)
    expect(await outbox.enqueue([note('a')], 0)).toBe(0)
    await outbox.drain(0)
    await outbox.enqueue([note('b')], 0)
    await outbox.drain(0)
    expect(notifier.sent.map((n) => n.id)).toEqual(['a'])
    expect(outbox.disabledChannels()).toEqual(new Map([['hook', 'HTTP 410 channel_is_archived']]))
    expect((await outbox.entries('dead')).map((e) => e.lastError)).toEqual([
      'HTTP 410 channel_is_archived',
      'channel hook is disabled: HTTP 410 channel_is_archived',
    ])
  })

  it('treats a notifier that throws as a transient failure', async () => {
    const outbox = createOutbox({
      notifiers: { hook: { name: 'broken', send: () => Promise.reject(new Error('boom')) } },
      retry: { jitter: 0 },
    })
    await outbox.enqueue([note('a')], 0)
    const [attempt] = await outbox.drain(0)
    expect(attempt?.result).toEqual({ ok: false, retryable: true, error: 'broken threw: boom' })
    expect(attempt?.entry.status).toBe('pending')
  })

  it('abandons a send that ignores its abort signal once sendTimeoutMs passes, and retries it', async () => {
    const outbox = createOutbox({
      notifiers: { hook: { name: 'stuck', send: () => new Promise<never>(() => {}) } },
      sendTimeoutMs: 50,
      retry: { jitter: 0 },
    })
    await outbox.enqueue([note('a')], 0)
    const [attempt] = await outbox.drain(0)
    expect(attempt?.result).toEqual({ ok: false, retryable: true, error: 'stuck: no answer within 50 ms' })
    expect(attempt?.entry.status).toBe('pending')
  })

  it('survives a restart with a file store: pending entries are sent, delivered ones never again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slokit-outbox-'))
    const store = new FileOutboxStore(join(dir, 'outbox.jsonl'))
    const first = scripted([], { ok: false, retryable: true, error: 'down' })
    const before = createOutbox({ notifiers: { hook: first }, store })
    await before.enqueue([note('a'), note('b')], 0)
    await before.drain(0)
    const second = scripted([])
    const after = createOutbox({
      notifiers: { hook: second },
      store: new FileOutboxStore(join(dir, 'outbox.jsonl')),
    })
    expect(await after.enqueue([note('a')], 0)).toBe(0)
    await after.drain(60_000)
    await after.drain(60_000)
    expect(second.sent.map((n) => n.id)).toEqual(['a', 'b'])
    const third = createOutbox({
      notifiers: { hook: scripted([]) },
      store: new FileOutboxStore(join(dir, 'outbox.jsonl')),
    })
    expect(await third.drain(120_000)).toEqual([])
  })

  it('keeps a torn last line from a crash from breaking the store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slokit-outbox-'))
    const path = join(dir, 'outbox.jsonl')
    const store = new FileOutboxStore(path)
    await createOutbox({ notifiers: {}, store }).enqueue([note('a')], 0)
    const { appendFile } = await import('node:fs/promises')
    await appendFile(path, '{"id":"b","notif')
    expect((await new FileOutboxStore(path).load()).map((e) => e.id)).toEqual(['a'])
    void MemoryOutboxStore
  })
})

describe('outbox durability across kill -9', () => {
  it('delivers every notification exactly once, in order per alert, through a long outage and a crash', async () => {
    let failing = true
    const received: Array<{ id: string; dedupKey: string; kind: string }> = []
    let requests = 0
    const server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        requests++
        if (failing) {
          // Retryable failures only: 503, or 429 with a short Retry-After.
          if (requests % 3 === 0) res.writeHead(429, { 'retry-after': '0' }).end()
          else res.writeHead(503).end()
          return
        }
        const { notification } = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        received.push({ id: notification.id, dedupKey: notification.dedupKey, kind: notification.kind })
        res.writeHead(204).end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
    const dir = await mkdtemp(join(tmpdir(), 'slokit-outbox-crash-'))
    const storePath = join(dir, 'outbox.jsonl')
    const fixture = fileURLToPath(new URL('./outbox-crash.fixture.ts', import.meta.url))
    const cwd = fileURLToPath(new URL('..', import.meta.url))
    const start = (mode: string): Promise<ChildProcess> =>
      new Promise((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', '--conditions', '@slokit/source', fixture, storePath, url, mode],
          { cwd },
        )
        child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child))
        child.on('error', reject)
      })
    const until = async (condition: () => boolean) => {
      for (let i = 0; i < 2000 && !condition(); i++) await new Promise((r) => setTimeout(r, 10))
      expect(condition()).toBe(true)
    }

    const first = await start('first')
    await until(() => requests >= 60) // many failed attempts
    first.kill('SIGKILL')
    await new Promise((r) => first.once('exit', r))
    const failedBeforeCrash = requests

    const second = await start('second')
    await until(() => requests >= failedBeforeCrash + 30) // still failing after the restart
    failing = false
    await until(() => received.length >= 20)
    await new Promise((r) => setTimeout(r, 200)) // time for any duplicate to show up
    second.kill('SIGKILL')
    await new Promise((r) => second.once('exit', r))
    await new Promise<void>((resolve) => server.close(() => resolve()))

    expect(received).toHaveLength(20)
    expect(new Set(received.map((r) => r.id)).size).toBe(20)
    for (let i = 0; i < 10; i++) {
      expect(received.filter((r) => r.dedupKey === `alert-${i}`).map((r) => r.kind)).toEqual([
        'alert_firing',
        'alert_resolved',
      ])
    }
  }, 60_000)
})
