import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import {
  type AuditRecord,
  checkAppendRecords,
  GovernanceError,
  type GovernanceStore,
  type GovernanceStoreReadOptions,
} from '@slokit/governance'

/** The part of a prepared statement the store uses (better-sqlite3's `Statement` fits). */
export interface SqliteStatement {
  run(...params: unknown[]): unknown
  all(...params: unknown[]): unknown[]
}

/**
 * The part of a SQLite connection the store uses: better-sqlite3's `Database` fits, and so does
 * any synchronous binding with `prepare`, `exec` and `close`. The store never imports a driver;
 * the host passes one in, so hosts that keep their log elsewhere never load native code.
 */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement
  exec(sql: string): unknown
  close(): unknown
}

/** Options a SQLite driver's constructor takes (better-sqlite3's names). */
export interface SqliteDatabaseOptions {
  readonly?: boolean
  fileMustExist?: boolean
}

/** A driver's `Database` class: `import Database from 'better-sqlite3'`. */
export type SqliteDatabaseConstructor = new (path: string, options?: SqliteDatabaseOptions) => SqliteDatabase

/** Options of {@link SqliteGovernanceStore}. */
export interface SqliteGovernanceStoreOptions {
  /** An open connection. The store creates its two tables in it when they are missing. */
  readonly database: SqliteDatabase
  /** Close the connection when the store is closed; `false` by default (the host opened it). */
  readonly closeDatabase?: boolean | undefined
  /** Do not create tables: for read-only connections. `false` by default. */
  readonly readOnly?: boolean | undefined
}

/** The table holding the log: one row per entry, keyed by sequence number. */
export const SQLITE_AUDIT_TABLE = 'slokit_governance_audit'
const META_TABLE = 'slokit_governance_meta'
const STORE_FORMAT = 1

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${SQLITE_AUDIT_TABLE} (
  sequence INTEGER PRIMARY KEY CHECK (sequence >= 1),
  entry TEXT NOT NULL
) STRICT;
CREATE TRIGGER IF NOT EXISTS ${SQLITE_AUDIT_TABLE}_no_update BEFORE UPDATE ON ${SQLITE_AUDIT_TABLE}
BEGIN SELECT RAISE(ABORT, 'slokit governance audit entries are append-only'); END;
CREATE TRIGGER IF NOT EXISTS ${SQLITE_AUDIT_TABLE}_no_delete BEFORE DELETE ON ${SQLITE_AUDIT_TABLE}
BEGIN SELECT RAISE(ABORT, 'slokit governance audit entries are append-only'); END;
CREATE TABLE IF NOT EXISTS ${META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
INSERT OR IGNORE INTO ${META_TABLE} (key, value) VALUES ('format', '${STORE_FORMAT}');
`

/**
 * A {@link GovernanceStore} in a SQLite database: the default that survives restarts. Each
 * append is one `BEGIN IMMEDIATE` transaction — it checks the last sequence number and inserts
 * every record, or nothing: a process that dies mid-write leaves no half-entry, and two processes
 * appending at once are serialised by SQLite's write lock (the loser sees `false` and governance
 * retries). Triggers refuse `UPDATE` and `DELETE` on the log table: a guard rail against
 * accidents, not against someone who can edit the file — that is what the hash chain is for.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3'
 * import { openSqliteGovernanceStore } from '@slokit/governance/sqlite'
 *
 * const store = openSqliteGovernanceStore({ Database, path: '.slokit/governance.db' })
 * // or, with a connection you opened: new SqliteGovernanceStore({ database: new Database(path) })
 * ```
 */
export class SqliteGovernanceStore implements GovernanceStore {
  readonly #db: SqliteDatabase
  readonly #closeDatabase: boolean
  readonly #last: SqliteStatement
  readonly #insert: SqliteStatement | undefined
  readonly #select: SqliteStatement
  #closed = false

  /** @throws `GovernanceError` `STORE_FAILED` when the tables cannot be created or read. */
  constructor(options: SqliteGovernanceStoreOptions) {
    const db = options.database
    if (typeof db?.prepare !== 'function' || typeof db.exec !== 'function') {
      throw new GovernanceError(
        'INVALID_INPUT',
        'SqliteGovernanceStore needs `database`: an open SQLite connection (e.g. better-sqlite3).',
      )
    }
    this.#db = db
    this.#closeDatabase = options.closeDatabase ?? false
    try {
      if (options.readOnly !== true) {
        // Zero the space freed when rows move between pages, so the file holds each entry once
        // and nothing stale that looks like one.
        db.exec('PRAGMA secure_delete = ON')
        db.exec(SCHEMA)
      }
      const tables = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)`)
        .all(SQLITE_AUDIT_TABLE, META_TABLE) as Array<{ name: string }>
      if (!tables.some((t) => t.name === SQLITE_AUDIT_TABLE)) {
        throw new GovernanceError(
          'STORE_FAILED',
          `The database has no \`${SQLITE_AUDIT_TABLE}\` table: it is not a slokit governance store.`,
        )
      }
      if (tables.some((t) => t.name === META_TABLE)) {
        const rows = db.prepare(`SELECT value FROM ${META_TABLE} WHERE key = 'format'`).all() as Array<{
          value: unknown
        }>
        const format = Number(rows[0]?.value ?? STORE_FORMAT)
        if (format > STORE_FORMAT) {
          throw new GovernanceError(
            'STORE_FAILED',
            `The governance store was written in format ${format}; this version of @slokit/governance reads format ${STORE_FORMAT}.`,
            { hint: 'upgrade @slokit/governance' },
          )
        }
      }
      this.#last = db.prepare(`SELECT MAX(sequence) AS last FROM ${SQLITE_AUDIT_TABLE}`)
      this.#insert =
        options.readOnly === true
          ? undefined
          : db.prepare(`INSERT INTO ${SQLITE_AUDIT_TABLE} (sequence, entry) VALUES (?, ?)`)
      this.#select = db.prepare(
        `SELECT sequence, entry FROM ${SQLITE_AUDIT_TABLE} WHERE sequence > ? ORDER BY sequence`,
      )
    } catch (error) {
      throw failure('open', error)
    }
  }

  async append(records: readonly AuditRecord[]): Promise<boolean> {
    this.#open()
    const insert = this.#insert
    if (insert === undefined)
      throw new GovernanceError('STORE_FAILED', 'The SQLite governance store was opened read-only.')
    const problem = checkAppendRecords(records)
    if (problem !== undefined)
      throw new GovernanceError('INVALID_INPUT', `SqliteGovernanceStore.append(): ${problem}.`)
    try {
      this.#db.exec('BEGIN IMMEDIATE')
    } catch (error) {
      throw failure('append to', error)
    }
    try {
      const last = Number((this.#last.all()[0] as { last: unknown } | undefined)?.last ?? 0)
      if ((records[0] as AuditRecord).sequence !== last + 1) {
        this.#db.exec('ROLLBACK')
        return false
      }
      for (const record of records) insert.run(record.sequence, record.json)
      this.#db.exec('COMMIT')
      return true
    } catch (error) {
      try {
        this.#db.exec('ROLLBACK')
      } catch {
        // The transaction is already gone (SQLite rolls back on some errors by itself).
      }
      throw failure('append to', error)
    }
  }

  async read(options: GovernanceStoreReadOptions = {}): Promise<readonly AuditRecord[]> {
    this.#open()
    let rows: unknown[]
    try {
      rows = this.#select.all(options.afterSequence ?? 0)
    } catch (error) {
      throw failure('read', error)
    }
    return rows.map((row) => {
      const { sequence, entry } = row as { sequence: unknown; entry: unknown }
      return { sequence: Number(sequence), json: asText(entry) }
    })
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    if (this.#closeDatabase) this.#db.close()
  }

  #open(): void {
    if (this.#closed) throw new GovernanceError('STORE_FAILED', 'The SQLite governance store is closed.')
  }
}

/** Options of {@link openSqliteGovernanceStore}. */
export interface OpenSqliteGovernanceStoreOptions {
  /** The driver's `Database` class: `import Database from 'better-sqlite3'`. */
  readonly Database: SqliteDatabaseConstructor
  /** The database file; its directory is created when missing (unless `readOnly`). */
  readonly path: string
  /** Open an existing store read-only (it must exist); for verification and reports. */
  readonly readOnly?: boolean | undefined
  /** How long a write waits for another process's write lock; 5000 ms by default. */
  readonly busyTimeoutMs?: number | undefined
}

/**
 * Opens (creating when needed) a SQLite governance store at `path`; closing the store closes
 * the connection.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3'
 * const store = openSqliteGovernanceStore({ Database, path: '.slokit/governance.db' })
 * try {
 *   const governance = createGovernance({ store, config, slos })
 *   // …
 * } finally {
 *   store.close()
 * }
 * ```
 * @throws `GovernanceError` `STORE_FAILED` when the file cannot be opened or is not a
 * governance store; `INVALID_INPUT` for a missing `Database` or `path`.
 */
export function openSqliteGovernanceStore(options: OpenSqliteGovernanceStoreOptions): SqliteGovernanceStore {
  if (typeof options.Database !== 'function') {
    throw new GovernanceError(
      'INVALID_INPUT',
      'Missing required option `Database`: the SQLite driver class.',
      {
        hint: "import Database from 'better-sqlite3' and pass it as `Database` (install better-sqlite3 12.x)",
      },
    )
  }
  if (typeof options.path !== 'string' || options.path === '') {
    throw new GovernanceError('INVALID_INPUT', 'Missing required option `path`: the database file.')
  }
  const timeout = options.busyTimeoutMs ?? 5000
  if (!Number.isSafeInteger(timeout) || timeout < 0) {
    throw new GovernanceError(
      'INVALID_INPUT',
      `Option \`busyTimeoutMs\` must be a non-negative integer, got ${timeout}.`,
    )
  }
  const readOnly = options.readOnly === true
  let database: SqliteDatabase
  try {
    if (!readOnly && options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true })
    database = new options.Database(options.path, readOnly ? { readonly: true, fileMustExist: true } : {})
  } catch (error) {
    throw failure(`open ${options.path} as`, error)
  }
  try {
    database.exec(`PRAGMA busy_timeout = ${timeout}`)
    return new SqliteGovernanceStore({ database, closeDatabase: true, readOnly })
  } catch (error) {
    database.close()
    throw failure(`open ${options.path} as`, error)
  }
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8')
  return value === null || value === undefined ? '' : String(value)
}

function failure(verb: string, error: unknown): GovernanceError {
  if (error instanceof GovernanceError) return error
  const reason = error instanceof Error ? error.message : String(error)
  return new GovernanceError('STORE_FAILED', `Could not ${verb} the SQLite governance store: ${reason}`, {
    cause: error,
  })
}
