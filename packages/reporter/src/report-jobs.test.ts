import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DAY_MS, HOUR_MS, MINUTE_MS, parseSlo } from '@slokit/core'
import { createEngine, MemoryJobStateStore } from '@slokit/engine'
import { historySink, MemoryStatusHistory, reportingSectionSchema, reportJobs } from '@slokit/reporter'
import { MemorySource, RecordingNotifier } from '@slokit/testing'
import { describe, expect, it } from 'vitest'

const start = Date.UTC(2026, 10, 1)
const slo = parseSlo({
  id: 'checkout-availability',
  name: 'Checkout requests succeed',
  service: 'checkout',
  sli: { id: 'checkout-requests', kind: 'availability', measurement: { type: 'ratio' } },
  objective: '99.9%',
  window: '7d',
})

describe('reportJobs: scheduled reports in the engine', () => {
  it('writes the daily report at its slot from the history the engine kept, and sends its digest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slokit-reports-'))
    // Ten days of a minute-resolution source: 1 bad request in 2,000, a bad hour on day 9.
    const source = new MemorySource({ name: 'requests', resolutionMs: MINUTE_MS }).addEvents(
      'checkout-requests',
      Array.from({ length: (10 * DAY_MS) / MINUTE_MS }, (_, i) => {
        const t = start + i * MINUTE_MS
        const bad =
          t >= start + 8 * DAY_MS + 10 * HOUR_MS && t < start + 8 * DAY_MS + 11 * HOUR_MS
            ? 50
            : i % 20 === 0
              ? 1
              : 0
        return { t, good: 100 - bad, total: 100 }
      }),
    )
    const section = reportingSectionSchema.parse({
      daily: {
        schedule: { cron: '0 8 * * *', timeZone: 'Europe/Berlin' },
        format: 'markdown',
        output: { file: 'reports/daily.md', notify: ['chat'] },
      },
    })
    const history = new MemoryStatusHistory()
    const chat = new RecordingNotifier('chat')
    const written: string[] = []
    const engine = createEngine({
      slos: [slo],
      sources: { requests: source },
      notifiers: { chat },
      stores: { history: historySink(history), jobs: new MemoryJobStateStore() },
      jobs: reportJobs(section, {
        history,
        slos: [slo],
        baseDir: dir,
        writeFile: async (path, content) => {
          written.push(path)
          const { writeFile } = await import('node:fs/promises')
          const { mkdir } = await import('node:fs/promises')
          const { dirname } = await import('node:path')
          await mkdir(dirname(path), { recursive: true })
          await writeFile(path, content)
        },
      }),
    })
    const runs: number[] = []
    engine.on('job', (j) => runs.push(j.dueAtMs))
    for (let now = start + 7 * DAY_MS; now <= start + 9 * DAY_MS + 8 * HOUR_MS; now += 30 * MINUTE_MS)
      await engine.tick(now)

    // 08:00 in Berlin is 07:00 UTC in November: the first run covers the day before it.
    expect(runs).toEqual([
      start + 7 * DAY_MS + 7 * HOUR_MS,
      start + 8 * DAY_MS + 7 * HOUR_MS,
      start + 9 * DAY_MS + 7 * HOUR_MS,
    ])
    expect(written).toEqual([
      join(dir, 'reports/daily.md'),
      join(dir, 'reports/daily.md'),
      join(dir, 'reports/daily.md'),
    ])
    const markdown = await readFile(join(dir, 'reports/daily.md'), 'utf8')
    expect(markdown).toContain('checkout-availability')
    expect(chat.delivered.map((n) => [n.id, n.kind])).toEqual(
      runs.map((at) => [`report/daily:${at}:chat`, 'report']),
    )
    expect(chat.delivered[2]?.body).toMatch(/Full report: reports\/daily\.md$/)
    // The last report covers the day of the bad hour and says so in its severity.
    expect(chat.delivered[2]?.severity).not.toBe('info')
  })

  it('sends nothing for a report it could not write, and writes it at the next evaluation', async () => {
    const section = reportingSectionSchema.parse({
      daily: { schedule: 'daily', format: 'json', output: { file: 'daily.json', notify: ['chat'] } },
    })
    const history = new MemoryStatusHistory()
    const chat = new RecordingNotifier('chat')
    let diskFull = true
    const errors: string[] = []
    const engine = createEngine({
      slos: [slo],
      sources: { requests: new MemorySource({ name: 'requests' }) },
      notifiers: { chat },
      stores: { history: historySink(history) },
      jobs: reportJobs(section, {
        history,
        writeFile: async () => {
          if (diskFull) throw new Error('ENOSPC: no space left on device')
        },
      }),
    })
    engine.on('jobError', (e) => errors.push(e.error))
    await engine.tick(start) // first seen
    await engine.tick(start + DAY_MS)
    expect(errors).toEqual(['ENOSPC: no space left on device'])
    expect(chat.delivered).toEqual([])
    diskFull = false
    await engine.tick(start + DAY_MS + MINUTE_MS)
    expect(chat.delivered.map((n) => n.id)).toEqual([`report/daily:${start + DAY_MS}:chat`])
  })

  it('makes no jobs without a reporting section, and writes atomically by default', async () => {
    expect(reportJobs(undefined, { history: new MemoryStatusHistory() })).toEqual([])
    const dir = await mkdtemp(join(tmpdir(), 'slokit-reports-'))
    const [job] = reportJobs(
      reportingSectionSchema.parse({
        weekly: { schedule: 'weekly', format: 'json', output: { file: join(dir, 'weekly.json') } },
      }),
      { history: new MemoryStatusHistory() },
    )
    const notifications = await job!.run({
      dueAtMs: start + 7 * DAY_MS,
      now: start + 7 * DAY_MS,
      statuses: [],
    })
    expect(notifications).toEqual([])
    expect(JSON.parse(await readFile(join(dir, 'weekly.json'), 'utf8')).schemaVersion).toBe(1)
  })
})
