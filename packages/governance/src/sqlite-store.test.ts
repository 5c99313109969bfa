import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import {
  type AuditRecord,
  createGovernance,
  GovernanceError,
  parseAuditRecord,
  verifyAuditLog,
} from '@slokit/governance'
import {
  openSqliteGovernanceStore,
  type SqliteDatabaseConstructor,
  SqliteGovernanceStore,
} from '@slokit/governance/sqlite'
import { describeGovernanceStoreContract } from '@slokit/governance/testing'
import { FakeClock } from '@slokit/testing'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sampleLog } from './test/chain.js'
import { ACTORS, SECTION, SLOS, T0 } from './test/fixtures.js'

// Compile-time proof that better-sqlite3's class fits the structural type the store takes.
const driver: SqliteDatabaseConstructor = Database

const run = promisify(execFile)
const CHILD = join(import.meta.dirname, 'test', 'sqlite-child.ts')
const child = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', '--conditions=@slokit/source', CHILD, ...args], {
    cwd: join(import.meta.dirname, '..'),
    timeout: 60_000,
  })

let dir: string
let counter = 0
const freshPath = () => join(dir, `store-${counter++}`, 'governance.db')
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'slokit-governance-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describeGovernanceStoreContract(
  'SqliteGovernanceStore',
  () => {
    const path = freshPath()
    return {
      store: openSqliteGovernanceStore({ Database: driver, path }),
      reopen: () => openSqliteGovernanceStore({ Database: driver, path }),
    }
  },
  { describe, it, durable: true },
)

/** A SQLite store holding the 12-entry sample log, closed; returns its path and records. */
async function sampleStore(): Promise<{ path: string; records: readonly AuditRecord[] }> {
  const records = await sampleLog()
  const path = freshPath()
  const store = openSqliteGovernanceStore({ Database: driver, path })
  expect(await store.append(records)).toBe(true)
  store.close()
  return { path, records }
}

async function verifyFile(path: string) {
  const store = openSqliteGovernanceStore({ Database: driver, path, readOnly: true })
  try {
    return verifyAuditLog(await store.read())
  } finally {
    store.close()
  }
}

describe('a SQLite governance file', () => {
  it('verifies untouched, and names the entry whatever byte of its stored JSON is changed', async () => {
    const { path, records } = await sampleStore()
    expect(await verifyFile(path)).toMatchObject({ ok: true, entries: 12 })
    const pristine = readFileSync(path)
    for (const record of records) {
      const json = Buffer.from(record.json, 'utf8')
      const at = pristine.indexOf(json)
      expect(at, `entry ${record.sequence} is stored verbatim`).toBeGreaterThan(0)
      expect(pristine.lastIndexOf(json)).toBe(at)
      for (const offset of [0, 1, Math.floor(json.length / 2), json.length - 2, json.length - 1]) {
        const bytes = Buffer.from(pristine)
        bytes[at + offset] = (bytes[at + offset] as number) ^ 0x01
        const tampered = join(dir, `tampered-${record.sequence}-${offset}.db`)
        writeFileSync(tampered, bytes)
        const result = await verifyFile(tampered)
        expect(result, `byte ${offset} of entry ${record.sequence}`).toMatchObject({
          ok: false,
          firstBad: { sequence: record.sequence },
        })
        rmSync(tampered)
      }
    }
  })

  it('names a deleted row as removed, and two swapped rows as re-ordered', async () => {
    const { path } = await sampleStore()
    const deleted = join(dir, 'deleted.db')
    const swapped = join(dir, 'swapped.db')
    copyFileSync(path, deleted)
    copyFileSync(path, swapped)

    let db = new Database(deleted)
    expect(() => db.prepare('DELETE FROM slokit_governance_audit WHERE sequence = 6').run()).toThrow(
      /append-only/,
    )
    db.exec('DROP TRIGGER slokit_governance_audit_no_delete')
    db.prepare('DELETE FROM slokit_governance_audit WHERE sequence = 6').run()
    db.close()
    expect(await verifyFile(deleted)).toMatchObject({
      ok: false,
      firstBad: { sequence: 6, reason: 'removed' },
    })

    db = new Database(swapped)
    db.exec('DROP TRIGGER slokit_governance_audit_no_update')
    const entry = (n: number) =>
      (db.prepare('SELECT entry FROM slokit_governance_audit WHERE sequence = ?').get(n) as { entry: string })
        .entry
    const [three, five] = [entry(3), entry(5)]
    db.prepare('UPDATE slokit_governance_audit SET entry = ? WHERE sequence = 3').run(five)
    db.prepare('UPDATE slokit_governance_audit SET entry = ? WHERE sequence = 5').run(three)
    db.close()
    expect(await verifyFile(swapped)).toMatchObject({
      ok: false,
      firstBad: { sequence: 3, reason: 'reordered' },
    })
  })

  it('refuses a file that is not a governance store, or not a database, with STORE_FAILED', async () => {
    const other = join(dir, 'other.db')
    new Database(other).exec('CREATE TABLE t (x)').close()
    expect(() => openSqliteGovernanceStore({ Database: driver, path: other, readOnly: true })).toThrow(
      'The database has no `slokit_governance_audit` table: it is not a slokit governance store.',
    )
    const garbage = join(dir, 'garbage.db')
    writeFileSync(garbage, 'this is not a database'.repeat(100))
    const error = (() => {
      try {
        openSqliteGovernanceStore({ Database: driver, path: garbage, readOnly: true })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(GovernanceError)
    expect(error).toMatchObject({ reason: 'STORE_FAILED' })
    expect(() =>
      openSqliteGovernanceStore({ Database: driver, path: join(dir, 'missing.db'), readOnly: true }),
    ).toThrow(/Could not open .*missing\.db as the SQLite governance store/)
    expect(existsSync(join(dir, 'missing.db'))).toBe(false)
  })

  it('refuses a store written in a newer format', async () => {
    const { path } = await sampleStore()
    new Database(path).exec(`UPDATE slokit_governance_meta SET value = '2' WHERE key = 'format'`).close()
    expect(() => openSqliteGovernanceStore({ Database: driver, path })).toThrow(/written in format 2/)
  })

  it('refuses writes through a read-only store and use after close', async () => {
    const { path } = await sampleStore()
    const store = openSqliteGovernanceStore({ Database: driver, path, readOnly: true })
    await expect(store.append([{ sequence: 13, json: '{}' }])).rejects.toThrow(/read-only/)
    store.close()
    await expect(store.read()).rejects.toThrow(/closed/)
  })

  it('lives beside the host’s own tables in a connection the host opened, and leaves it open', async () => {
    const db = new Database(':memory:')
    db.exec('CREATE TABLE host_things (x)')
    const store = new SqliteGovernanceStore({ database: db })
    expect(await store.append([{ sequence: 1, json: '{}' }])).toBe(true)
    store.close()
    expect(db.prepare('SELECT COUNT(*) AS n FROM slokit_governance_audit').get()).toEqual({ n: 1 })
    db.close()
  })

  it('serialises two connections: the second writer of a sequence gets false, then appends after', async () => {
    const path = freshPath()
    const a = openSqliteGovernanceStore({ Database: driver, path })
    const b = openSqliteGovernanceStore({ Database: driver, path })
    expect(await a.append([{ sequence: 1, json: '"a"' }])).toBe(true)
    expect(await b.append([{ sequence: 1, json: '"b"' }])).toBe(false)
    expect(await b.append([{ sequence: 2, json: '"b"' }])).toBe(true)
    expect((await a.read()).map((r) => r.json)).toEqual(['"a"', '"b"'])
    a.close()
    b.close()
  })
})

describe('across processes', () => {
  it('proposals, reviews and the audit chain survive a restart', async () => {
    const path = freshPath()
    await child('write', path)
    const { stdout } = await child('continue', path)
    expect(JSON.parse(stdout)).toEqual({
      before: { status: 'open', approvals: ['bob'] },
      reviews: [['R-1', 'scheduled', ['carol']]],
      after: { status: 'approved', version: 2 },
    })
    const store = openSqliteGovernanceStore({ Database: driver, path, readOnly: true })
    const governance = createGovernance({ store, config: SECTION, slos: SLOS, clock: new FakeClock(T0) })
    expect((await governance.auditLog()).map((e) => `${e.sequence} ${e.action} ${e.actor.id}`)).toEqual([
      '1 proposal.opened alice',
      '2 proposal.approval bob',
      '3 review.scheduled alice',
      '4 proposal.approval carol',
      '5 proposal.approved carol',
      '6 slo.versioned carol',
      '7 review.completed carol',
    ])
    expect((await governance.reviews())[0]).toMatchObject({
      status: 'completed',
      completed: { notes: 'after restart' },
    })
    expect(await governance.verify()).toMatchObject({ ok: true, entries: 7 })
    store.close()
  }, 60_000)

  it('a process killed in the middle of a write leaves no half-entry', async () => {
    const path = freshPath()
    const result = await child('crash', path).then(
      () => 'exited',
      (error: { signal?: string }) => error.signal,
    )
    expect(result).toBe('SIGKILL')
    const store = openSqliteGovernanceStore({ Database: driver, path })
    const records = await store.read()
    // The proposal and the first approval; nothing of the interrupted three-entry approval.
    expect(records.map((r) => (parseAuditRecord(r) as { entry: { action: string } }).entry.action)).toEqual([
      'proposal.opened',
      'proposal.approval',
    ])
    expect(verifyAuditLog(records)).toMatchObject({ ok: true, entries: 2 })
    const governance = createGovernance({ store, config: SECTION, slos: SLOS })
    expect((await governance.approve(ACTORS.carol, 'P-1')).status).toBe('approved')
    store.close()
  }, 60_000)

  it('two processes writing at once both land every action, in one valid chain', async () => {
    const path = freshPath()
    openSqliteGovernanceStore({ Database: driver, path }).close()
    await Promise.all([child('race', path, '15'), child('race', path, '15')])
    const store = openSqliteGovernanceStore({ Database: driver, path, readOnly: true })
    const governance = createGovernance({ store, config: SECTION, slos: SLOS })
    const proposals = await governance.proposals()
    expect(proposals.map((p) => p.id)).toEqual(Array.from({ length: 30 }, (_, i) => `P-${i + 1}`))
    expect(await governance.verify()).toMatchObject({ ok: true, entries: 30 })
    store.close()
  }, 60_000)
})
