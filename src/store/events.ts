import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema';

/**
 * True for the first delivery of an event id, false for a repeat within `ttlMs`; once the TTL has passed the
 * id can be claimed again. One upsert statement (insert, or on conflict take over the row only when it has
 * expired), so it is atomic across replicas: of concurrent claims exactly one inserts or updates a row.
 */
export async function claimEventId(db: Kysely<Database>, eventId: string, ttlMs: number, now: number): Promise<boolean> {
  // Every command and click claims its delivery id before the ack: the statement is built once per connection and
  // run with this delivery's values (building and compiling it each time cost about a tenth of the ack path).
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

/** Deletes ids whose TTL has passed; they would be claimable anyway, so this only bounds the table. */
export async function pruneSeenEvents(db: Kysely<Database>, ttlMs: number, now: number): Promise<number> {
  const result = await db.deleteFrom('seen_events').where('seen_at', '<=', now - ttlMs).executeTakeFirst();
  return Number(result.numDeletedRows);
}
