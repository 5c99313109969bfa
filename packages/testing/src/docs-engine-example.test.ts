// The fake-time example of docs/engine.md, kept as a test so the page cannot drift from the code.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { alertsSectionSchema, FileAlertStateStore, FileOutboxStore } from '@slokit/alerting'
import { DAY_MS, type EventPoint, HOUR_MS, MINUTE_MS, parseSlo, type SliSource } from '@slokit/core'
import { createEngine, type Engine } from '@slokit/engine'
import { MemorySource, RecordingNotifier } from '@slokit/testing'
import { expect, it } from 'vitest'

it('pages through the outbox, isolates a failing source, and does not page twice after a restart', async () => {
  const startMs = Date.UTC(2026, 10, 1)
  const outageMs = startMs + 3 * DAY_MS // three healthy days, then 30 minutes of errors

  // In place of a PrometheusSource: one point a minute, 1000 requests each.
  const points: EventPoint[] = []
  for (let t = startMs; t < outageMs + 3 * HOUR_MS; t += MINUTE_MS) {
    const failing = t >= outageMs && t < outageMs + 30 * MINUTE_MS
    points.push({ t, good: failing ? 0 : 1000, total: 1000 })
  }
  const prometheus = new MemorySource({ name: 'prometheus' }).addEvents('checkout-requests', points)
  const billingDb: SliSource = {
    name: 'billing-db',
    query: () => Promise.reject(new Error('connection refused')),
  }

  const slos = [
    parseSlo({
      id: 'checkout-availability',
      service: 'checkout',
      objective: '99.9%',
      window: '30d',
      sli: { id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio' } },
    }),
    parseSlo({
      id: 'billing-availability',
      service: 'billing',
      objective: '99.5%',
      window: '30d',
      sli: { id: 'billing-jobs', kind: 'availability', measurement: { type: 'ratio' }, source: 'billing-db' },
    }),
  ]
  const alerts = alertsSectionSchema.parse({
    rules: [{ name: 'slo-burn-rate', type: 'burn_rate' }],
    routes: [{ match: { severity: ['critical'] }, channels: ['pager'] }, { channels: ['chat'] }],
  })
  const pager = new RecordingNotifier('pager').failNext({ retryable: true, error: 'HTTP 503' })
  const chat = new RecordingNotifier('chat')
  const dir = await mkdtemp(join(tmpdir(), 'slokit-engine-'))

  let now = outageMs
  const log: string[] = []
  const sourceErrors = new Set<string>()
  const startEngine = (): Engine => {
    const engine = createEngine({
      slos,
      sources: { prometheus, 'billing-db': billingDb },
      defaultSource: 'prometheus',
      alerts,
      notifiers: { pager, chat },
      stores: {
        outbox: new FileOutboxStore(join(dir, 'outbox.jsonl')),
        alerts: new FileAlertStateStore(join(dir, 'alerts.json')),
      },
    })
    engine.on('alert', (t) => log.push(`+${(now - outageMs) / MINUTE_MS}m ${t.kind} ${t.state.alertId}`))
    engine.on('delivery', ({ entry }) =>
      log.push(`  ${entry.id} ${entry.status}${entry.lastError ? `: ${entry.lastError}` : ''}`),
    )
    engine.on('sourceError', (e) => sourceErrors.add(`${e.source}: ${e.error} (${e.sloIds.join(', ')})`))
    return engine
  }

  let engine = startEngine()
  for (; now < outageMs + 5 * MINUTE_MS; now += MINUTE_MS) await engine.tick(now)
  engine = startEngine() // a restart: the same stores, a new process
  for (; now <= outageMs + 2 * HOUR_MS; now += MINUTE_MS) await engine.tick(now)

  expect(log).toEqual([
    '+1m firing slo-burn-rate/checkout-availability/page',
    '  slo-burn-rate/checkout-availability/page:1:pager pending: HTTP 503',
    '  slo-burn-rate/checkout-availability/page:1:pager delivered',
    '+60m resolved slo-burn-rate/checkout-availability/page',
    '+60m firing slo-burn-rate/checkout-availability/ticket',
    '  slo-burn-rate/checkout-availability/page:2:pager delivered',
    '  slo-burn-rate/checkout-availability/ticket:1:chat delivered',
  ])
  expect([...sourceErrors]).toEqual(['billing-db: connection refused (billing-availability)'])
  expect(engine.statuses().find((s) => s.sloId === 'billing-availability')?.data).toMatchObject({
    state: 'stale',
    reason: 'connection refused',
  })
})
