import { sql } from 'kysely';
import { LookoutError, isLookoutError } from '../errors';
import type { Clock } from '../ports/clock';
import type { Store } from '../ports/store';
import { completeAudit, createAuditWriter, selectAudit } from './audit';
import { Connection, StoreLogger, connectPostgres, connectSqlite } from './connect';
import { createEntity, deleteEntity, findEntityByKey, getEntity, listEntities, reserveDueEntities, updateEntityData } from './entities';
import { startDbTime, type DbTime } from './db-time';
import { transitionEntity, updateEntity } from './update';
import { createClaimWriter, pruneSeenEvents } from './events';
import { migrateToLatest } from './migrations';
import type { Dialect } from './schema';
import { describeOpenFailure, parseDatabaseUrl, redactDatabaseUrl } from './url';
import { escapeText } from '../text';
import { guardFaults } from './guard';

export type { StoreLogger } from './connect';
export { parseDatabaseUrl, redactDatabaseUrl } from './url';

export interface OpenStoreOptions {
  logger?: StoreLogger;
  /** Source of created_at/updated_at; defaults to the system clock. */
  clock?: Pick<Clock, 'now'>;
  /** Postgres pool size per Store (pg's default is 10); every replica holds up to this many connections. */
  maxConnections?: number;
  /** The host clock the database's clock is compared with (db-time.ts); tests skew it to play a skewed replica. */
  wallClock?: () => number;
}

/**
 * Opens the store named by DATABASE_URL (`sqlite:<path>`, `sqlite::memory:`, `postgres://…[?schema=name]`)
 * and applies pending migrations. Throws LookoutError('config') for an unsupported URL and
 * LookoutError('upstream') when the database cannot be reached or prepared.
 */
export async function openStore(databaseUrl: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const target = parseDatabaseUrl(databaseUrl);
  let conn: Connection | undefined;
  try {
    conn = target.dialect === 'sqlite' ? connectSqlite(target.path) : await connectPostgres(target, opts);
    const { db, schema } = conn;
    await conn.withMigrationLock(() => migrateToLatest(db, target.dialect, schema));
  } catch (cause) {
    await conn?.db.destroy().catch(() => undefined);
    if (isLookoutError(cause) && cause.code === 'config') throw cause;
    const why = escapeText(describeOpenFailure(cause, databaseUrl));
    throw new LookoutError('upstream', `Could not open the database at \`${describeDatabase(databaseUrl)}\`: ${why}`, { cause });
  }
  // Postgres: replicas on several hosts share it, so its clock is the one they agree on. SQLite: one host owns the file.
  const db = conn.db;
  const readDbClock =
    target.dialect === 'postgres'
      ? async () => Number((await sql<{ ms: number }>`select (extract(epoch from clock_timestamp()) * 1000)::float8 as ms`.execute(db)).rows[0]?.ms)
      : undefined;
  const time = await startDbTime({ clock: opts.clock ?? Date, wallClock: opts.wallClock, readDbClock, logger: opts.logger });
  return buildStore(conn, target.dialect, opts, time);
}

// The message is mrkdwn: no password, and the three control characters escaped.
function describeDatabase(databaseUrl: string): string {
  return escapeText(redactDatabaseUrl(databaseUrl));
}

function buildStore({ db, sqlite }: Connection, dialect: Dialect, opts: OpenStoreOptions, time: DbTime): Store {
  const now = time.now;
  let closing: Promise<void> | undefined;
  let lastPruneAt = -Infinity;
  const audit = createAuditWriter(db, sqlite);
  const claims = createClaimWriter(db, sqlite);

  // At most one prune per TTL per instance, right after a claim; a failure only delays the cleanup.
  const maybePrune = async (ttlMs: number, at: number) => {
    if (at - lastPruneAt < ttlMs) return;
    lastPruneAt = at;
    await pruneSeenEvents(db, ttlMs, at).catch((err) => opts.logger?.warn({ err }, 'store: pruning seen events failed'));
  };

  const store: Store = {
    create: (e) => createEntity(db, e, now()),
    get: (kind, id) => getEntity(db, kind, id),
    findByKey: (kind, key) => findEntityByKey(db, dialect, kind, key),
    transition: (kind, id, t) => transitionEntity(db, kind, id, t, now),
    update: (kind, id, fn) => updateEntity(db, kind, id, fn, now),
    updateData: (kind, id, expectVersion, data) => updateEntityData(db, kind, id, expectVersion, data, now()),
    list: (kind, listOpts) => listEntities(db, kind, listOpts),
    delete: (kind, id) => deleteEntity(db, kind, id),
    reserveDue: (kind, o) => reserveDueEntities(db, dialect, kind, o, now()),
    now,
    async claimEvent(eventId, ttlMs, at) {
      const claimed = await claims.claim(eventId, ttlMs, at);
      await maybePrune(ttlMs, at);
      return claimed;
    },
    appendAudit: (entry) => audit.append(entry),
    completeAudit: (entry) => completeAudit(db, entry),
    listAudit: (listOpts) => selectAudit(db, listOpts),
    async ping() {
      await sql`select 1`.execute(db);
    },
    close() {
      time.stop();
      // Rows already appended are written before the connection goes.
      closing ??= Promise.all([audit.drain(), claims.drain()]).then(() => db.destroy());
      return closing;
    },
  };
  return guardFaults(store, db);
}
