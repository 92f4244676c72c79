import { CompiledQuery, sql, type Kysely } from 'kysely';
import type SqliteDatabase from 'better-sqlite3';
import type { Database } from './schema';

/**
 * True for the first delivery of an event id, false for a repeat within `ttlMs`; once the TTL has passed the
 * id can be claimed again. One upsert statement (insert, or on conflict take over the row only when it has
 * expired), so it is atomic across replicas: of concurrent claims exactly one inserts or updates a row.
 */
export async function claimEventId(db: Kysely<Database>, eventId: string, ttlMs: number, now: number): Promise<boolean> {
  // The statement is built once per connection and run with this delivery's values (building and compiling it each
  // time cost about a tenth of the ack path).
  const query = claimQueries.get(db) ?? compileClaim(db);
  const result = await db.executeQuery(CompiledQuery.raw(query.sql, query.values(eventId, now, now - ttlMs)));
  return Number(result.numAffectedRows ?? 0) === 1;
}

interface ClaimQuery {
  sql: string;
  values(eventId: string, now: number, expiredBefore: number): unknown[];
}
const claimQueries = new WeakMap<Kysely<Database>, ClaimQuery>();

/** The upsert compiled once with marker values; the order of its parameters is read from where the markers land. */
function compileClaim(db: Kysely<Database>): ClaimQuery {
  const [ID, NOW, EXPIRED] = ['\u0000event-id', -1, -2] as const;
  const compiled = db
    .insertInto('seen_events')
    .values({ event_id: ID, seen_at: NOW })
    .onConflict((oc) => oc.column('event_id').doUpdateSet({ seen_at: NOW }).where('seen_events.seen_at', '<=', EXPIRED))
    .compile();
  const slots: number[] = compiled.parameters.map((p) => (p === ID ? 0 : p === NOW ? 1 : p === EXPIRED ? 2 : -1));
  if (slots.includes(-1)) throw new Error('claimEventId: unexpected parameter in the compiled upsert');
  const query: ClaimQuery = { sql: compiled.sql, values: (...v: unknown[]) => slots.map((i) => v[i]) };
  claimQueries.set(db, query);
  return query;
}

interface PendingClaim {
  eventId: string;
  now: number;
  resolve(claimed: boolean): void;
  reject(err: unknown): void;
}

/**
 * Every command and click claims its delivery id before the ack, so claims are batched like the audit rows: the
 * claims made in one turn of the event loop are written together on the next (setImmediate), one commit for all.
 * On SQLite they run as one prepared better-sqlite3 statement inside one transaction (a commit per claim, through
 * Kysely, cost more CPU than the rest of the claim), on Postgres as one multi-row upsert (one round trip). A
 * batch keeps each claim's own answer: the same id twice in one batch is claimed by the first only, and across
 * replicas the database's conflict handling still lets exactly one claim win. A failed batch fails each of its
 * claims with the database's error (the store's fault boundary then retries a busy one on its own).
 */
export function createClaimWriter(db: Kysely<Database>, sqlite?: SqliteDatabase.Database) {
  const queues = new Map<number, PendingClaim[]>(); // by TTL (one in practice)
  let scheduled: Promise<void> | undefined;
  const inFlight = new Set<Promise<void>>();
  const flush = () => {
    scheduled = undefined;
    const batches = [...queues];
    queues.clear();
    for (const [ttlMs, batch] of batches) {
      const done = writeBatch(ttlMs, batch);
      inFlight.add(done);
      void done.finally(() => inFlight.delete(done));
    }
  };
  const writeBatch = async (ttlMs: number, batch: PendingClaim[]) => {
    try {
      const won = sqlite && !sqlite.inTransaction ? claimOnSqlite(db, sqlite, batch, ttlMs) : await claimTogether(db, batch, ttlMs);
      batch.forEach((p, i) => p.resolve(won[i]));
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  };
  return {
    claim: (eventId: string, ttlMs: number, now: number): Promise<boolean> =>
      new Promise<boolean>((resolve, reject) => {
        const queue = queues.get(ttlMs) ?? [];
        if (queue.length === 0) queues.set(ttlMs, queue);
        queue.push({ eventId, now, resolve, reject });
        scheduled ??= new Promise<void>((r) => setImmediate(r)).then(flush);
      }),
    /** Waits for claims already made to be written (close() calls it before the connection goes). */
    async drain(): Promise<void> {
      while (scheduled || inFlight.size > 0) await (scheduled ?? Promise.all(inFlight));
    },
  };
}

const sqliteClaims = new WeakMap<SqliteDatabase.Database, (batch: PendingClaim[], ttlMs: number) => boolean[]>();

/** One IMMEDIATE transaction running the prepared upsert once per claim; a repeat within the batch finds its row. */
function claimOnSqlite(db: Kysely<Database>, sqlite: SqliteDatabase.Database, batch: PendingClaim[], ttlMs: number): boolean[] {
  let run = sqliteClaims.get(sqlite);
  if (!run) {
    const query = claimQueries.get(db) ?? compileClaim(db);
    const stmt = sqlite.prepare(query.sql);
    run = sqlite.transaction((b: PendingClaim[], ttl: number) => b.map((p) => stmt.run(query.values(p.eventId, p.now, p.now - ttl)).changes === 1)).immediate;
    sqliteClaims.set(sqlite, run);
  }
  return run(batch, ttlMs);
}

/**
 * One multi-row upsert returning the ids it inserted or took over. Postgres refuses a statement that touches one
 * row twice, so an id repeated within the batch goes in once and its later claims lose, as they would in sequence.
 */
async function claimTogether(db: Kysely<Database>, batch: PendingClaim[], ttlMs: number): Promise<boolean[]> {
  if (batch.length === 1) return [await claimEventId(db, batch[0].eventId, ttlMs, batch[0].now)];
  const first = new Map<string, number>();
  batch.forEach((p, i) => first.has(p.eventId) || first.set(p.eventId, i));
  // In id order: replicas inserting overlapping batches then take the rows' locks in one order, never a deadlock.
  const ids = [...first.keys()].sort();
  const rows = ids.map((id) => sql`(${id}, ${batch[first.get(id)!].now})`);
  const { rows: won } = await sql<{ event_id: string }>`
    insert into seen_events (event_id, seen_at) values ${sql.join(rows)}
    on conflict (event_id) do update set seen_at = excluded.seen_at where seen_events.seen_at <= excluded.seen_at - ${ttlMs}
    returning event_id`.execute(db);
  const claimed = new Set(won.map((r) => r.event_id));
  return batch.map((p, i) => first.get(p.eventId) === i && claimed.has(p.eventId));
}

/** Deletes ids whose TTL has passed; they would be claimable anyway, so this only bounds the table. */
export async function pruneSeenEvents(db: Kysely<Database>, ttlMs: number, now: number): Promise<number> {
  const result = await db.deleteFrom('seen_events').where('seen_at', '<=', now - ttlMs).executeTakeFirst();
  return Number(result.numDeletedRows);
}
