// A separate process working on a SQLite governance store, for the restart, crash and
// concurrency tests: `node --import tsx --conditions=@slokit/source sqlite-child.ts <command> <db>`.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { createGovernance } from '@slokit/governance'
import {
  openSqliteGovernanceStore,
  type SqliteDatabase,
  SqliteGovernanceStore,
} from '@slokit/governance/sqlite'
import Database from 'better-sqlite3'
import { ACTORS, SECTION, SLOS, T0 } from './fixtures.js'

const [command, path, extra] = process.argv.slice(2) as [string, string, string | undefined]
const { alice, bob, carol } = ACTORS
let now = T0
const clock = { now: () => (now += 1000) }

async function main(): Promise<void> {
  switch (command) {
    case 'write': {
      const store = openSqliteGovernanceStore({ Database, path })
      const governance = createGovernance({ store, config: SECTION, slos: SLOS, clock })
      await governance.propose(alice, {
        sloId: 'checkout-availability',
        set: { objective: '99.95%' },
        reason: 'restart test',
      })
      await governance.approve(bob, 'P-1', { comment: 'first of two' })
      await governance.scheduleReview(alice, {
        sloId: 'search-availability',
        dueMs: T0 + 86_400_000,
        reviewers: ['carol'],
      })
      store.close()
      break
    }
    case 'continue': {
      const store = openSqliteGovernanceStore({ Database, path })
      const governance = createGovernance({
        store,
        config: SECTION,
        slos: SLOS,
        clock: { now: () => T0 + 3_600_000 },
      })
      const before = await governance.proposal('P-1')
      const reviews = await governance.reviews()
      const approved = await governance.approve(carol, 'P-1')
      await governance.completeReview(carol, 'R-1', { outcome: 'confirmed', notes: 'after restart' })
      process.stdout.write(
        JSON.stringify({
          before: { status: before.status, approvals: before.approvals.map((a) => a.actor.id) },
          reviews: reviews.map((r) => [r.id, r.status, r.reviewers]),
          after: { status: approved.status, version: approved.version?.version },
        }),
      )
      store.close()
      break
    }
    case 'crash': {
      // Dies (SIGKILL) inside the transaction of the final approval, after its first INSERT.
      mkdirSync(dirname(path), { recursive: true })
      const db = new Database(path)
      let inserts = 0
      const database: SqliteDatabase = {
        exec: (sql) => db.exec(sql),
        close: () => db.close(),
        prepare: (sql) => {
          const statement = db.prepare(sql)
          if (!sql.startsWith('INSERT INTO slokit_governance_audit')) return statement
          return {
            all: (...params: unknown[]) => statement.all(...params),
            run: (...params: unknown[]) => {
              inserts += 1
              if (inserts === 4) process.kill(process.pid, 'SIGKILL')
              return statement.run(...params)
            },
          }
        },
      }
      const store = new SqliteGovernanceStore({ database, closeDatabase: true })
      const governance = createGovernance({ store, config: SECTION, slos: SLOS, clock })
      await governance.propose(alice, {
        sloId: 'checkout-availability',
        set: { objective: '99.95%' },
        reason: 'crash test',
      })
      await governance.approve(bob, 'P-1')
      await governance.approve(carol, 'P-1') // three records in one transaction: killed after the first
      process.stdout.write('not killed')
      break
    }
    case 'race': {
      // Proposes `extra` times on one SLO, racing another process doing the same.
      const store = openSqliteGovernanceStore({ Database, path, busyTimeoutMs: 10_000 })
      const governance = createGovernance({ store, config: SECTION, slos: SLOS, maxWriteAttempts: 1000 })
      for (let i = 0; i < Number(extra); i++) {
        await governance.propose(i % 2 === 0 ? alice : bob, {
          sloId: 'reports-freshness',
          set: { owner: `team-${process.pid}-${i}` },
          reason: `race ${i}`,
        })
      }
      store.close()
      break
    }
    default:
      throw new Error(`unknown command ${command}`)
  }
}

await main()
