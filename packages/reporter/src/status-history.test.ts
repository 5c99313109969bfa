import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DAY_MS, HOUR_MS, type Logger, MINUTE_MS, SlokitError } from '@slokit/core'
import { describe, expect, it } from 'vitest'
import { FileStatusHistory, HISTORY_FILE_HEADER } from './file-status-history.js'
import { MemoryStatusHistory } from './memory-status-history.js'
import type { StatusSnapshot } from './snapshot.js'
import { statusHistoryContract } from './status-history-contract.js'

const T0 = Date.UTC(2026, 0, 1)
const snap = (sloId: string, atMs: number, budgetRemaining = 0.5): StatusSnapshot => ({
  sloId,
  atMs,
  sli: 0.999,
  objective: 0.99,
  budgetRemaining,
  state: 'ok',
})

async function tempPath(name = 'history.jsonl'): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'slokit-history-')), 'nested', name)
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = []
  const noop = () => {}
  return { warnings, debug: noop, info: noop, error: noop, warn: (message) => void warnings.push(message) }
}

describe('MemoryStatusHistory (StatusHistory contract)', () => {
  for (const c of statusHistoryContract((options) => new MemoryStatusHistory(options))) it(c.name, c.run)
})
describe('FileStatusHistory (StatusHistory contract)', () => {
  for (const c of statusHistoryContract(async (options) => new FileStatusHistory(await tempPath(), options)))
    it(c.name, c.run)
})

describe('MemoryStatusHistory', () => {
  it('refuses nonsense options, naming them', () => {
    expect(() => new MemoryStatusHistory({ retentionMs: 0 })).toThrow(/`retentionMs` must be a positive/)
    expect(() => new MemoryStatusHistory({ minIntervalMs: -1 })).toThrow(/`minIntervalMs`/)
  })

  it('keeps a month of minute snapshots of many SLOs and trims expired ones in batches', async () => {
    const history = new MemoryStatusHistory({ retentionMs: DAY_MS })
    for (let minute = 0; minute < 3 * 24 * 60; minute++) {
      await history.append([snap('a', T0 + minute * MINUTE_MS), snap('b', T0 + minute * MINUTE_MS)])
    }
    const kept = await history.read({ startMs: 0, endMs: T0 + 10 * DAY_MS, sloIds: ['a'] })
    expect(kept).toHaveLength(24 * 60 + 1)
    expect(kept[0]?.atMs).toBe(T0 + 2 * DAY_MS - MINUTE_MS)
    expect(history.liveCount()).toBe(2 * (24 * 60 + 1))
  })
})

describe('FileStatusHistory', () => {
  it('survives a restart: a new instance on the same file reads what the last one wrote', async () => {
    const path = await tempPath()
    const first = new FileStatusHistory(path)
    await first.append([snap('a', T0), snap('b', T0)])
    await first.append([snap('a', T0 + HOUR_MS, -0.1)])
    const second = new FileStatusHistory(path)
    expect(await second.read({ startMs: 0, endMs: T0 + DAY_MS })).toEqual([
      snap('a', T0),
      snap('a', T0 + HOUR_MS, -0.1),
      snap('b', T0),
    ])
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n')
    expect(lines[0]).toBe(HISTORY_FILE_HEADER)
    expect(lines).toHaveLength(4)
  })

  it('skips a line cut short by a crash, and damaged lines, with a warning', async () => {
    const path = await tempPath()
    await new FileStatusHistory(path).append([snap('a', T0), snap('a', T0 + HOUR_MS)])
    await appendFile(path, '{"sloId":"a","atMs":17\nnot json\n{"sloId":"a","atMs":1,"sli":"high"}\n')
    const logger = recordingLogger()
    const history = new FileStatusHistory(path, { logger })
    expect(await history.read({ startMs: 0, endMs: T0 + DAY_MS })).toEqual([
      snap('a', T0),
      snap('a', T0 + HOUR_MS),
    ])
    expect(logger.warnings).toEqual([`[slokit/reporter] ${path}: skipped 3 damaged history line(s)`])
  })

  it('refuses, and leaves alone, a file that is not a history', async () => {
    const path = await tempPath('notes.txt')
    await new FileStatusHistory(path).append([snap('a', T0)]) // creates the folder
    await writeFile(path, 'my precious notes\n')
    const history = new FileStatusHistory(path)
    await expect(history.append([snap('a', T0)])).rejects.toSatisfy(
      (error) =>
        error instanceof SlokitError &&
        error.code === 'INVALID_CONFIG' &&
        /not a slokit status history/.test(error.message),
    )
    expect(await readFile(path, 'utf8')).toBe('my precious notes\n')
  })

  it('rewrites the file without expired lines once they make up a quarter of it', async () => {
    const path = await tempPath()
    const history = new FileStatusHistory(path, { retentionMs: DAY_MS })
    for (let hour = 0; hour < 24 * 60; hour++) await history.append([snap('a', T0 + hour * HOUR_MS)])
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n').length - 1
    // 25 live hours; the file never holds more than the live lines plus the 1,000-line slack.
    expect(lines).toBeLessThanOrEqual(25 + 1000)
    expect(lines).toBeGreaterThanOrEqual(25)
    const reread = await new FileStatusHistory(path, { retentionMs: DAY_MS }).read({
      startMs: 0,
      endMs: Number.MAX_SAFE_INTEGER,
    })
    expect(reread).toHaveLength(25)
  })

  it('refuses an empty path', () => {
    expect(() => new FileStatusHistory('')).toThrow(/`path` is empty/)
  })
})
