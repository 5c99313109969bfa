/**
 * `@slokit/governance/sqlite`: the SQLite governance store. The host passes the driver in
 * (`import Database from 'better-sqlite3'`, 12.x, an optional peer dependency), so a host that
 * keeps its log elsewhere never installs or loads native code.
 *
 * @example
 * ```ts
 * import Database from 'better-sqlite3'
 * import { openSqliteGovernanceStore } from '@slokit/governance/sqlite'
 *
 * const store = openSqliteGovernanceStore({ Database, path: '.slokit/governance.db' })
 * ```
 * @module
 */
export type {
  OpenSqliteGovernanceStoreOptions,
  SqliteDatabase,
  SqliteDatabaseConstructor,
  SqliteDatabaseOptions,
  SqliteGovernanceStoreOptions,
  SqliteStatement,
} from './sqlite-store.js'
export { openSqliteGovernanceStore, SQLITE_AUDIT_TABLE, SqliteGovernanceStore } from './sqlite-store.js'
