import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  alertsSectionSchema,
  MemoryAlertStateStore,
  MemoryOutboxStore,
  sampleNotification,
} from '@slokit/alerting'
import { policiesSectionSchema } from '@slokit/budget'
import { createSloTracker, type SloStatus } from '@slokit/core'
import { createEngine, type EngineJob, FileJobStateStore, type Timers } from '@slokit/engine'
import { describe, expect, it } from 'vitest'
import {
  availabilitySlo,
  hungSource,
  recordingNotifier,
  syntheticSource,
  workbookAlerts,
} from './test-support.js'

const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000
const t0 = Date.UTC(2026, 10, 1, 12)

describe('policies through the engine', () => {
  it('notifies when a step starts matching, freezes and unfreezes with notifications, and reminds at most daily, except while frozen', async () => {
    // 7-day SLO; a 2-hour incident spends the budget; it recovers when the incident leaves the window.
    const slo = availabilitySlo({ window: '7d' })
    const source = syntheticSource('requests', {
      resolutionMs: 10 * MINUTE,
      requestsPerPoint: 6000,
      errorRatio: (t) => (t >= t0 && t < t0 + 2 * HOUR ? 0.1 : 0.0001),
      fromMs: t0 - 8 * DAY,
    })
    const policies = policiesSectionSchema.parse({
      tiers: {
        critical: [
          {
            name: 'half',
            when: { budgetRemainingBelow: 0.5 },
            actions: [{ notify: { channels: ['chat'], message: '{{slo}}: {{budgetRemaining}} left' } }],
          },
          {
            name: 'freeze',
            when: { budgetRemainingBelow: 0.25 },
            actions: [
              { notify: { channels: ['oncall'], message: '{{slo}} frozen' } },
              { freeze_deployments: { allow: ['fix'], unfreezeAbove: 0.5 } },
            ],
          },
        ],
      },
    })
    const chat = recordingNotifier('chat')
    const oncall = recordingNotifier('oncall')
    const engine = createEngine({
      slos: [slo],
      sources: { requests: source },
      policies,
      notifiers: { chat, oncall },
    })
    const freezes: string[] = []
    engine.on('freeze', (t) => freezes.push(t.kind))
    for (let now = t0; now <= t0 + 8 * DAY; now += HOUR) await engine.tick(now)
    expect(freezes).toEqual(['cause_added', 'entered', 'cause_removed', 'left'])
    // The freeze's channel hears the freeze and the unfreeze — not daily reminders while frozen.
    expect(oncall.sent.map((n) => n.kind)).toEqual(['freeze', 'unfreeze'])
    // The freezing step's own message goes out with the freeze it announces.
    expect(oncall.sent[0]?.body.split('\n')[0]).toBe('checkout-availability frozen')
    // The other step kept matching for days: it reminds once a (UTC) day, only on its own channel.
    const reminders = chat.sent.map((n) => `${n.kind}:${n.details.step}@${Math.floor(n.createdAtMs / DAY)}`)
    expect(reminders).toEqual([...new Set(reminders)])
    expect(reminders.length).toBeGreaterThanOrEqual(5)
    expect(reminders.every((r) => r.startsWith('policy:half@'))).toBe(true)
    expect(oncall.sent.find((n) => n.kind === 'unfreeze')?.body).toMatch(
      /budget recovered to \d+(\.\d+)?% \(above 50%\)/,
    )
  }, 60_000)
})

describe('in-process SLOs', () => {
  it('refuses to start when a rule reads a window the tracker does not compute, and says how to fix it', () => {
    const slo = availabilitySlo()
    const alerts = alertsSectionSchema.parse({
      rules: [
        {
          name: 'custom',
          type: 'burn_rate',
          ticket: false,
          page: { severity: 'critical', windows: [{ long: '4h', short: '15m', budgetSpent: '5%' }] },
        },
      ],
    })
    const start = (burnRateWindowsMs?: number[]) =>
      createEngine({
        slos: [slo],
        tracker: createSloTracker({
          slos: [slo],
          ...(burnRateWindowsMs === undefined ? {} : { burnRateWindowsMs }),
        }),
        alerts,
      })
    expect(start).toThrow(
      /SLO checkout-availability is tracked in-process, but the alert rules or policies read its burn rate over 15m, 4h, which the tracker does not compute: pass burnRateWindowsMs with 900000, 14400000 to createSloTracker/,
    )
    expect(() => start([15 * MINUTE, 4 * HOUR])).not.toThrow()
  })

  it('reads statuses from a tracker for the SLOs it tracks', async () => {
    let now = t0
    const clock = { now: () => now }
    const slo = availabilitySlo()
    const tracker = createSloTracker({ slos: [slo], clock })
    const engine = createEngine({ slos: [slo], tracker, clock })
    for (let i = 0; i < 1000; i++) tracker.record(slo.id, i % 100 !== 0, t0 - HOUR + i * 1000)
    now = t0
    const result = await engine.tick()
    expect(result.statuses[0]).toMatchObject({ sloId: slo.id, counts: { good: 990, total: 1000 } })
    expect(engine.statuses()).toEqual(result.statuses)
  })
})

describe('trend rules', () => {
  it('fires when the SLI degrades against its own volatility over the lookback', async () => {
    const slo = availabilitySlo()
    const source = syntheticSource('requests', {
      resolutionMs: 10 * MINUTE,
      requestsPerPoint: 100_000,
      // Errors creep up from 0.01 % to 0.08 % over two days.
      errorRatio: (t) => (t < t0 ? 0.0001 : 0.0001 + (0.0007 * Math.min(t - t0, 2 * DAY)) / (2 * DAY)),
      fromMs: t0 - 31 * DAY,
    })
    const chat = recordingNotifier('chat')
    const alerts = alertsSectionSchema.parse({
      rules: [{ name: 'degrading', type: 'trend', severity: 'info', lookback: '1d', minPoints: 12 }],
      routes: [{ channels: ['chat'] }],
    })
    const engine = createEngine({
      slos: [slo],
      sources: { requests: source },
      alerts,
      notifiers: { chat },
      evaluationIntervalMs: HOUR,
    })
    for (let now = t0; now <= t0 + 2 * DAY; now += HOUR) await engine.tick(now)
    expect(chat.sent.map((n) => n.title)).toEqual(['checkout-availability is degrading'])
    expect(chat.sent[0]?.body).toMatch(/^SLI degrading over 1d: -?\d/)
  }, 60_000)
})

describe('start and stop', () => {
  it('evaluates every interval on the injected timers, writes history, and stops cleanly', async () => {
    let now = t0
    const pending: Array<{ at: number; callback: () => void }> = []
    const timers: Timers = {
      setTimeout: (callback, ms) => {
        const timer = { at: now + ms, callback }
        pending.push(timer)
        return timer
      },
      clearTimeout: (handle) => {
        const index = pending.indexOf(handle as (typeof pending)[number])
        if (index >= 0) pending.splice(index, 1)
      },
    }
    const history: SloStatus[][] = []
    const source = syntheticSource('requests', {
      resolutionMs: MINUTE,
      requestsPerPoint: 10,
      errorRatio: () => 0,
      fromMs: t0 - DAY,
    })
    const engine = createEngine({
      slos: [availabilitySlo()],
      sources: { requests: source },
      clock: { now: () => now },
      timers,
      evaluationIntervalMs: MINUTE,
      stores: {
        history: { append: async (statuses) => void history.push([...statuses]) },
        outbox: new MemoryOutboxStore(),
      },
    })
    const ticks: number[] = []
    engine.on('tick', (t) => ticks.push(t.atMs))
    engine.start()
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      const next = pending.sort((a, b) => a.at - b.at).shift()
      if (next === undefined) break
      now = next.at
      next.callback()
    }
    await engine.stop()
    // One evaluation on start, then one per interval.
    expect(ticks).toEqual([t0, t0 + MINUTE, t0 + 2 * MINUTE, t0 + 3 * MINUTE])
    expect(history).toHaveLength(4)
    expect(pending).toEqual([])
  })
})

describe('crashes and shutdown', () => {
  it('hands alert notifications to the outbox before saving alert states: a failed save re-fires the same ids, sent once', async () => {
    let failSaves = 1
    const inner = new MemoryAlertStateStore()
    const alerts = {
      load: () => inner.load(),
      async save(snapshot: Parameters<MemoryAlertStateStore['save']>[0]) {
        if (failSaves-- > 0) throw new Error('disk full')
        await inner.save(snapshot)
      },
    }
    const oncall = recordingNotifier('oncall')
    const source = syntheticSource('requests', {
      resolutionMs: MINUTE,
      requestsPerPoint: 100,
      errorRatio: (t) => (t >= t0 - 10 * MINUTE ? 1 : 0),
      fromMs: t0 - DAY,
    })
    const engine = createEngine({
      slos: [availabilitySlo()],
      sources: { requests: source },
      alerts: workbookAlerts(),
      notifiers: { oncall },
      stores: { alerts },
      clock: { now: () => t0 },
    })
    await engine.tick(t0) // pages, but saving the alert state fails
    await engine.tick(t0 + MINUTE) // the same page again: same id, already in the outbox
    expect(oncall.sent.map((n) => [n.id, n.kind])).toEqual([
      ['slo-burn-rate/checkout-availability/page:1:oncall', 'alert_firing'],
    ])
    expect((await inner.load())?.alerts['slo-burn-rate/checkout-availability/page']?.phase).toBe('firing')
  })

  it('stop() abandons a query in flight at once, leaving its SLOs stale', async () => {
    const engine = createEngine({
      slos: [availabilitySlo()],
      sources: { requests: hungSource('requests') },
      sourceTimeoutMs: 600_000,
    })
    const errors: string[] = []
    engine.on('sourceError', (e) => errors.push(e.error))
    engine.start()
    await new Promise((resolve) => setTimeout(resolve, 20))
    const outcome = await Promise.race([
      engine.stop().then(() => 'stopped'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5000)),
    ])
    expect(outcome).toBe('stopped')
    expect(errors).toEqual(['[slokit/engine] the engine is stopping'])
    expect(engine.statuses()[0]?.data.state).toBe('stale')
  })
})

describe('scheduled jobs', () => {
  /** A job due at every whole day (UTC) that sends one report notification per run. */
  const dailyJob = (runs: number[], fail?: () => boolean): EngineJob => ({
    name: 'daily-report',
    nextDueAtMs: (lastRunMs) => (Math.floor(lastRunMs / DAY) + 1) * DAY,
    async run({ dueAtMs }) {
      if (fail?.() === true) throw new Error('the report store is down')
      runs.push(dueAtMs)
      return [
        {
          ...sampleNotification('report'),
          id: `report/daily:${dueAtMs}:chat`,
          dedupKey: 'report/daily',
          channel: 'chat',
        },
      ]
    },
  })

  it('runs a job once per slot, after the evaluation, and delivers what it returns through the outbox', async () => {
    const runs: number[] = []
    const chat = recordingNotifier('chat')
    const engine = createEngine({ slos: [], jobs: [dailyJob(runs)], notifiers: { chat } })
    const ran: string[][] = []
    for (let now = t0; now < t0 + 3 * DAY; now += 6 * HOUR) ran.push([...(await engine.tick(now)).jobs])
    // From 1 November 12:00 to 4 November 06:00, evaluating every 6 hours: the job starts counting
    // when the engine first sees it, so the slots are the midnights of 2, 3 and 4 November.
    expect(runs).toEqual([2, 3, 4].map((day) => Date.UTC(2026, 10, day)))
    expect(ran.filter((names) => names.length > 0)).toHaveLength(3)
    expect(chat.sent.map((n) => n.id)).toEqual(runs.map((at) => `report/daily:${at}:chat`))
  })

  it('keeps the last run in a file across restarts, and retries a failed run at the next evaluation', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slokit-jobs-'))
    const runs: number[] = []
    let failing = true
    const errors: string[] = []
    const first = createEngine({
      slos: [],
      jobs: [dailyJob(runs, () => failing)],
      notifiers: { chat: recordingNotifier('chat') },
      stores: { jobs: new FileJobStateStore(join(dir, 'jobs.json')) },
    })
    first.on('jobError', (e) => errors.push(e.error))
    await first.tick(t0) // first seen: nothing due yet
    await first.tick(t0 + 12 * HOUR)
    expect(errors).toEqual(['the report store is down'])
    failing = false
    await first.tick(t0 + 13 * HOUR)
    expect(runs).toEqual([Date.UTC(2026, 10, 2)])
    const second = createEngine({
      slos: [],
      jobs: [dailyJob(runs)],
      notifiers: { chat: recordingNotifier('chat') },
      stores: { jobs: new FileJobStateStore(join(dir, 'jobs.json')) },
    })
    await second.tick(t0 + 14 * HOUR) // same day: already done
    await second.tick(t0 + 36 * HOUR)
    expect(runs).toEqual([Date.UTC(2026, 10, 2), Date.UTC(2026, 10, 3)])
  })

  it('forgets delivered notifications after outboxRetentionMs, so a long-running outbox stays small', async () => {
    const runs: number[] = []
    const engine = createEngine({
      slos: [],
      jobs: [dailyJob(runs)],
      notifiers: { chat: recordingNotifier('chat') },
      outboxRetentionMs: 3 * DAY,
    })
    for (let now = t0; now < t0 + 10 * DAY; now += 6 * HOUR) await engine.tick(now)
    expect(runs).toHaveLength(10)
    // Compaction runs once a day and keeps three days: never more than four daily reports.
    const kept = (await engine.outbox.entries()).map((e) => e.id)
    expect(kept.length).toBeGreaterThanOrEqual(3)
    expect(kept.length).toBeLessThanOrEqual(4)
    expect(kept.at(-1)).toBe(`report/daily:${runs.at(-1)}:chat`)
    expect(() => createEngine({ slos: [], outboxRetentionMs: 60_000 })).toThrow(
      /outboxRetentionMs must be at least one hour/,
    )
  })

  it('refuses two jobs with one name, and a corrupt job state file is an error naming it', async () => {
    expect(() => createEngine({ slos: [], jobs: [dailyJob([]), dailyJob([])] })).toThrow(
      /two jobs are named "daily-report"/,
    )
    const dir = await mkdtemp(join(tmpdir(), 'slokit-jobs-'))
    await writeFile(join(dir, 'jobs.json'), '{"lastRuns": 3')
    await expect(new FileJobStateStore(join(dir, 'jobs.json')).load()).rejects.toThrow(
      /the job state file .*jobs\.json is not valid/,
    )
  })
})
