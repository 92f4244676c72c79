import type { Kysely } from 'kysely';
import type { Database } from './schema';

/**
 * True for the first delivery of an event id, false for a repeat within `ttlMs`; once the TTL has passed the
 * id can be claimed again. One upsert statement (insert, or on conflict take over the row only when it has
 * expired), so it is atomic across replicas: of concurrent claims exactly one inserts or updates a row.
 */
export async function claimEventId(db: Kysely<Database>, eventId: string, ttlMs: number, now: number): Promise<boolean> {
  const result = await db
    .insertInto('seen_events')
    .values({ event_id: eventId, seen_at: now })
    .onConflict((oc) =>
      oc
        .column('event_id')
        .doUpdateSet({ seen_at: now })
        .where('seen_events.seen_at', '<=', now - ttlMs),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Deletes ids whose TTL has passed; they would be claimable anyway, so this only bounds the table. */
export async function pruneSeenEvents(db: Kysely<Database>, ttlMs: number, now: number): Promise<number> {
  const result = await db.deleteFrom('seen_events').where('seen_at', '<=', now - ttlMs).executeTakeFirst();
  return Number(result.numDeletedRows);
}
