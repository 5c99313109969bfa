import { existsSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runCli, tempFiles } from '../test-support.js'

const MINUTE = 60_000
const START = Date.UTC(2026, 10, 1)
const OUTAGE = START + 2 * 86_400_000 + 6 * 3_600_000
/** Three days of 5-minute counts (6,000 requests each, 0.02 % errors) with a one-hour total outage on day 3. */
const DATA = [
  'timestamp,sli,good,total',
  ...Array.from({ length: 3 * 288 }, (_, i) => {
    const t = START + i * 5 * MINUTE
    const good = t >= OUTAGE && t < OUTAGE + 60 * MINUTE ? 0 : 5999
    return `${new Date(t).toISOString()},api-requests,${good},6000`
  }),
].join('\n')

const config = (extra = '') => `apiVersion: slokit/v1
sources:
  exported: { type: file, path: data.csv, resolution: 5m }
slos:
  - id: api-availability
    service: api
    sli: { id: api-requests, kind: availability, measurement: { type: ratio } }
    objective: 99.9%
    window: 30d
alerts:
  rules:
    - { name: burn, type: burn_rate }
  routes:
    - { channels: [oncall] }
channels:
  oncall: { type: webhook, url: "\${env:ONCALL_HOOK}", signingSecret: "\${env:ONCALL_SIGNING_SECRET}" }
${extra}`

interface Received {
  readonly path: string
  readonly body: { notification: { kind: string; title: string; alerts: { sloId: string }[] } }
}

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))))
})

/** A webhook receiver on loopback that records what it is sent and answers `status`. */
async function receiver(status = 200): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = []
  const server = createServer((request: IncomingMessage, response) => {
    let text = ''
    request.on('data', (chunk) => (text += chunk))
    request.on('end', () => {
      received.push({ path: request.url ?? '', body: JSON.parse(text) })
      response.writeHead(status).end()
    })
  })
  servers.push(server)
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received }
}

async function setUp(extra = '') {
  const files = await tempFiles({ 'slo.yaml': config(extra), 'data.csv': DATA })
  const stateDir = join(dirname(files['slo.yaml']!), 'state')
  return { config: files['slo.yaml']!, stateDir }
}

describe('slokit run --once', () => {
  it('pages once for the outage, keeps the alert state in the state directory, and resolves after recovery', async () => {
    const hook = await receiver()
    const { config, stateDir } = await setUp()
    const env = { ONCALL_HOOK: hook.url, ONCALL_SIGNING_SECRET: 'canary-signing-secret-4d1f' }
    const once = (atMs: number) =>
      runCli(['run', '-c', config, '--state-dir', stateDir, '--once', '--at', new Date(atMs).toISOString()], {
        env,
      })

    const first = await once(OUTAGE + 10 * MINUTE)
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/api-availability/)
    expect(first.stderr).toMatch(/1 SLOs evaluated; 1 notifications delivered/)
    expect(
      hook.received.map((r) => [r.body.notification.kind, r.body.notification.alerts[0]?.sloId]),
    ).toEqual([['alert_firing', 'api-availability']])
    expect(existsSync(join(stateDir, 'alerts.json'))).toBe(true)

    // A later run reads the alert state back: still firing, nobody is paged twice.
    const second = await once(OUTAGE + 20 * MINUTE)
    expect(second.code).toBe(0)
    expect(hook.received).toHaveLength(1)

    // Hours after the outage the 5-minute window is clean again: the page resolves, and the ticket
    // tier it inhibited (the outage still weighs on the 6-hour and 3-day windows) opens a ticket.
    await once(OUTAGE + 6 * 60 * MINUTE)
    expect(hook.received.map((r) => [r.body.notification.kind, r.body.notification.title])).toEqual([
      ['alert_firing', 'api-availability is burning its error budget 166.81× (page, 1h/5m)'],
      ['alert_resolved', 'api-availability no longer burns its error budget too fast (page)'],
      ['alert_firing', 'api-availability is burning its error budget 16.83× (ticket, 3d/6h)'],
    ])
    for (const result of [first, second])
      expect(result.stderr + result.stdout).not.toContain('canary-signing-secret')
  })

  it('keeps a notification it could not deliver in the outbox, and delivers it on the next run', async () => {
    const down = await receiver(503)
    const { config, stateDir } = await setUp()
    const args = (atMs: number) => [
      'run',
      '-c',
      config,
      '--state-dir',
      stateDir,
      '--once',
      '--at',
      new Date(atMs).toISOString(),
    ]
    const first = await runCli(args(OUTAGE + 10 * MINUTE), {
      env: { ONCALL_HOOK: down.url, ONCALL_SIGNING_SECRET: 's' },
    })
    expect(first.code).toBe(0)
    expect(first.stderr).toMatch(/delivery to oncall failed/)
    expect(first.stderr).toMatch(/0 notifications delivered, 1 waiting for a retry in /)
    expect(first.stderr).not.toContain(down.url)

    const up = await receiver(200)
    await runCli(args(OUTAGE + 20 * MINUTE), { env: { ONCALL_HOOK: up.url, ONCALL_SIGNING_SECRET: 's' } })
    expect(up.received.map((r) => r.body.notification.kind)).toEqual(['alert_firing'])
  })

  it('refuses to start without the secrets it sends with, and without sources', async () => {
    const { config, stateDir } = await setUp()
    const missing = await runCli(['run', '-c', config, '--state-dir', stateDir, '--once'], { env: {} })
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/ONCALL_HOOK/)

    const files = await tempFiles({ 'slo.yaml': 'apiVersion: slokit/v1\nslos: []\n' })
    const noSources = await runCli(['run', '-c', files['slo.yaml']!, '--once'], { env: {} })
    expect(noSources.code).toBe(1)
    expect(noSources.stderr).toMatch(/no `sources` section/)
  })

  it('refuses bad options with exit code 2', async () => {
    const { config } = await setUp()
    for (const [args, message] of [
      [['--interval', 'often'], '--interval "often" is not a duration'],
      [['--at', '2026-11-01'], '--at needs --once'],
      [['--once', '--at', 'yesterday'], '--at "yesterday" is not a time'],
      [['--listen', 'everywhere'], '--listen "everywhere" is not a port'],
    ] as const) {
      const result = await runCli(['run', '-c', config, ...args], { env: {} })
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(message)
    }
  })
})

describe('slokit run', () => {
  it('evaluates on start, serves /healthz, /status and /gate, and stops cleanly when asked to', async () => {
    const hook = await receiver()
    const { config, stateDir } = await setUp()
    const port = await new Promise<number>((done) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo
        probe.close(() => done(port))
      })
    })
    let shutdown: (() => void) | undefined
    const running = runCli(['run', '-c', config, '--state-dir', stateDir, '--listen', `127.0.0.1:${port}`], {
      env: { ONCALL_HOOK: hook.url, ONCALL_SIGNING_SECRET: 's' },
      now: () => OUTAGE + 10 * MINUTE,
      onShutdown: (listener) => {
        shutdown = listener
        return () => {}
      },
    })
    let health: { status: number; body: { status: string; slos: number } } | undefined
    for (let attempt = 0; attempt < 200 && health?.status !== 200; attempt++) {
      health = await fetch(`http://127.0.0.1:${port}/healthz`)
        .then(async (r) => ({ status: r.status, body: (await r.json()) as { status: string; slos: number } }))
        .catch(() => undefined)
      if (health?.status !== 200) await new Promise((done) => setTimeout(done, 25))
    }
    expect(health).toEqual({
      status: 200,
      body: expect.objectContaining({ status: 'ok', slos: 1, stale: 0 }),
    })
    const status = (await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as {
      statuses: { sloId: string }[]
    }
    expect(status.statuses.map((s) => s.sloId)).toEqual(['api-availability'])
    // The outage burns the budget far past the gate's limits: a deploy to api fails.
    const gate = (await (await fetch(`http://127.0.0.1:${port}/gate?service=api`)).json()) as {
      status: string
    }
    expect(gate.status).toBe('FAIL')

    shutdown?.()
    const result = await running
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/engine started: 1 SLOs every 1m/)
    expect(result.stderr).toMatch(/stopped\n$/)
    expect(hook.received.map((r) => r.body.notification.kind)).toEqual(['alert_firing'])
  })
})
