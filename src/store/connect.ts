import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type SqliteDatabase as KyselySqliteDatabase } from 'kysely';
import type pg from 'pg';
import { ScopedPostgresDialect } from './postgres-dialect';
import type { Database } from './schema';
import type { DatabaseTarget } from './url';

export interface StoreLogger {
  warn(obj: object, msg: string): void;
}

/** A Kysely instance plus what the migrator needs to know about where tables live. */
export interface Connection {
  db: Kysely<Database>;
  /** The Postgres schema our tables are in (undefined on SQLite). */
  schema?: string;
  /** The better-sqlite3 handle under `db` (SQLite only), for the few hot statements run outside Kysely. */
  sqlite?: SqliteDatabase.Database;
  /** Runs the migrator under a database-wide lock; Postgres needs none of its own (Kysely takes one). */
  withMigrationLock<T>(fn: () => Promise<T>): Promise<T>;
}

const SHORT_BUSY_TIMEOUT_MS = 50;

/** Opens SQLite (WAL, busy timeout, foreign keys), creating the parent directory of a file database. */
export function connectSqlite(file: string): Connection {
  const inMemory = file === ':memory:';
  if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new SqliteDatabase(file);
  // WAL lets readers run beside the writer; the busy timeout covers a second process (CLI, a restart overlap).
  // An in-memory database stays in 'memory' journal mode, which is fine. synchronous=NORMAL: in WAL mode commits
  // skip the fsync (checkpoints still sync), so a write no longer blocks the event loop ~1 ms (every command writes
  // an audit row). The file stays consistent; only an OS crash or power loss can drop the last commits, never an
  // app crash (https://www.sqlite.org/pragma.html#pragma_synchronous).
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('busy_timeout = 5000');
    database.pragma('foreign_keys = ON');
  } catch (err) {
    database.close();
    throw err;
  }
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) }),
    sqlite: database,
    // Kysely neither locks nor wraps SQLite migrations in a transaction. SQLite's DDL is transactional, and
    // every migrator statement runs on this one connection, so BEGIN IMMEDIATE makes the run all-or-nothing
    // and makes another process opening the same file wait (busy_timeout) instead of migrating twice.
    async withMigrationLock(fn) {
      database.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn();
        database.exec('COMMIT');
        // From here on SQLite's busy wait, which blocks the event loop, stays short: the store waits for a held
        // write lock asynchronously instead (guard.ts). Opening keeps the long one, so a second process waits out
        // a migration in progress.
        database.pragma(`busy_timeout = ${SHORT_BUSY_TIMEOUT_MS}`);
        return result;
      } catch (err) {
        if (database.inTransaction) database.exec('ROLLBACK');
        throw err;
      }
    },
  };
}

/** Statements kept per SQLite connection: every query text the app runs (a few dozen), with room to spare. */
const STATEMENT_CACHE_SIZE = 200;

/**
 * Kysely's SQLite driver prepares every statement again on each query (~40 µs each; a command runs two). The
 * same SQL text gets the same prepared statement here. Safe because better-sqlite3 is synchronous: a statement
 * runs to the end before the next query starts; one still being iterated (a stream) is `busy` and is not shared.
 * Least recently used goes first.
 */
export function withStatementCache(database: SqliteDatabase.Database): KyselySqliteDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(source) {
      const cached = cache.get(source);
      if (cached?.busy) return database.prepare(source);
      const stmt = cached ?? database.prepare(source);
      cache.delete(source);
      cache.set(source, stmt);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      return stmt;
    },
  };
}

/**
 * Opens a pg pool. `schema` is created when missing and put first on every pooled connection's search_path;
 * int8 comes back as a JS number through a per-pool type parser (epoch ms fit well inside 2^53).
 */
export async function connectPostgres(
  target: Extract<DatabaseTarget, { dialect: 'postgres' }>,
  { logger, maxConnections }: { logger?: StoreLogger; maxConnections?: number },
): Promise<Connection> {
  // pg loads only when a Postgres URL is used: SQLite deployments do not carry it in memory.
  const { TypeOverrides, Pool } = require('pg') as typeof pg;
  const types = new TypeOverrides();
  types.setTypeParser(20 /* int8 */, (v: string) => Number(v));
  const options = [target.options, target.schema ? `-c search_path=${target.schema}` : undefined].filter(Boolean).join(' ');
  // A connection that cannot be had in 5 s fails the query (and /readyz) instead of queueing behind the pool forever.
  const pool = new Pool({ connectionString: target.connectionString, types, max: maxConnections, connectionTimeoutMillis: 5_000, ...(options ? { options } : {}) });
  // An idle client losing its connection emits 'error' on the pool; unhandled, that would crash the process.
  pool.on('error', (err) => logger?.warn({ err }, 'postgres: idle connection failed; the pool will reconnect'));
  // A connection lost while checked out but between queries (the server restarting, a proxy cutting it) emits
  // 'error' on the client, where the pool listens only while it is idle: unheard, it would end the process. The
  // query in flight, if any, fails on its own, and the pool drops the broken client when it is released.
  pool.on('connect', (client) => client.on('error', (err) => logger?.warn({ err }, 'postgres: a connection in use was lost')));
  const db = new Kysely<Database>({ dialect: new ScopedPostgresDialect({ pool }) });
  try {
    if (target.schema) await ensureSchema(db, target.schema);
    const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
    const schema = rows[0]?.schema ?? undefined;
    if (!schema) throw new Error('no schema on the search_path exists; add ?schema=name to DATABASE_URL');
    return { db, schema, withMigrationLock: (fn) => fn() };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

// CREATE SCHEMA IF NOT EXISTS can still fail with a unique violation when two openers race; the schema
// existing afterwards is all that matters.
async function ensureSchema(db: Kysely<Database>, schema: string): Promise<void> {
  try {
    await db.schema.createSchema(schema).ifNotExists().execute();
  } catch (err) {
    const { rows } = await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(db);
    if (rows.length === 0) throw err;
  }
}
