// The example of docs/alerting.md, kept as a test so the page cannot drift from the code.
import { alertsSectionSchema, ConsoleNotifier, createAlerting, createOutbox } from '@slokit/alerting'
import { createSloTracker, DAY_MS, HOUR_MS, MINUTE_MS, parseSlo } from '@slokit/core'
import { expect, it } from 'vitest'

it('pages a minute into a full outage, and resolves half an hour after it ends', async () => {
  const startMs = Date.UTC(2026, 10, 1)
  const outageMs = startMs + 3 * DAY_MS // three healthy days, then 30 minutes of errors
  let now = startMs
  const clock = { now: () => now }

  const slo = parseSlo({
    id: 'checkout-availability',
    service: 'checkout',
    objective: '99.9%',
    window: '30d',
    sli: { id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio' } },
  })
  const tracker = createSloTracker({ slos: [slo], clock })
  const alerting = createAlerting({
    clock,
    section: alertsSectionSchema.parse({
      rules: [{ name: 'slo-burn-rate', type: 'burn_rate', minEvents: 100 }],
      routes: [{ channels: ['oncall'] }],
    }),
  })
  const printed: string[] = []
  const oncall = new ConsoleNotifier({ epochMs: outageMs, write: (text) => printed.push(text) })
  const outbox = createOutbox({ clock, notifiers: { oncall } })

  while (now < outageMs + 8 * HOUR_MS) {
    const failing = now >= outageMs && now < outageMs + 30 * MINUTE_MS
    tracker.record(slo.id, { good: failing ? 0 : 1000, total: 1000 }, now) // this minute's requests
    now += MINUTE_MS
    const { notifications } = await alerting.evaluate([{ slo, status: tracker.status(slo.id) }])
    await outbox.enqueue(notifications)
    await outbox.drain()
  }

  expect(printed.map((text) => text.split('\n')[0])).toEqual([
    '[+1m] FIRING critical → oncall: checkout-availability is burning its error budget 16.67× (page, 1h/5m)',
    '[+1h] RESOLVED critical → oncall: checkout-availability no longer burns its error budget too fast (page)',
    '[+1h] FIRING warning → oncall: checkout-availability is burning its error budget 20.83× (ticket, 1d/2h)',
    '[+6h30m] RESOLVED warning → oncall: checkout-availability no longer burns its error budget too fast (ticket)',
  ])
  expect((await alerting.states()).map((s) => `${s.alertId} ${s.phase}`)).toEqual([
    'slo-burn-rate/checkout-availability/page inactive',
    'slo-burn-rate/checkout-availability/ticket inactive',
  ])
})
