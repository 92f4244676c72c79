/**
 * Every Store call through one fault boundary (faults.ts): driver errors of a database that is down, busy or out
 * of disk become clear LookoutErrors, and a write that failed for lack of disk or I/O marks the store not ready
 * until a write succeeds again. `ping` (/readyz) then tries a write of its own, so readiness recovers once space
 * is freed, without a restart; a store that only reads fine would otherwise look ready while every change fails.
 * A call that finds SQLite's write lock held waits for it here, asynchronously, up to BUSY_WAIT_MS.
 */
import { sql, type Kysely } from 'kysely';
import type { Store } from '../ports/store';
import { classifyStoreFault, storeFaultError } from './faults';
import type { Database } from './schema';

const WRITES = new Set<keyof Store>(['create', 'transition', 'update', 'updateData', 'delete', 'reserveDue', 'claimEvent', 'appendAudit']);
const PASS_THROUGH = new Set<keyof Store>(['now', 'close', 'ping']);
const PROBE_ID = 'lookout:readyz-write-probe';
/**
 * How long a call waits for another SQLite connection's write lock before it answers "busy". SQLite's own busy
 * wait (connect.ts) is synchronous and so kept short; the rest of the wait is here, asynchronous, between tries.
 */
export const BUSY_WAIT_MS = 5_000;

export function guardFaults(store: Store, db: Kysely<Database>): Store {
  let writesFailing = false;
  const guarded: Record<string, unknown> = { ...store };
  for (const [name, fn] of Object.entries(store) as [keyof Store, unknown][]) {
    if (typeof fn !== 'function' || PASS_THROUGH.has(name)) continue;
    const write = WRITES.has(name);
    // claimEvent runs before the ack, which Slack wants within 3 s: it gives up sooner (the caller goes on).
    const busyWaitMs = name === 'claimEvent' ? 1_000 : BUSY_WAIT_MS;
    guarded[name] = async (...args: unknown[]) => {
      const giveUpAt = Date.now() + busyWaitMs;
      for (let attempt = 0; ; attempt++) {
        try {
          const result = await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
          if (write) writesFailing = false;
          return result;
        } catch (err) {
          const fault = classifyStoreFault(err);
          // SQLITE_BUSY means the statement did not run: waiting here (not in SQLite) keeps the event loop free.
          if (fault === 'busy' && Date.now() < giveUpAt) {
            await new Promise((r) => setTimeout(r, Math.min(250, 5 * 2 ** attempt)));
            continue;
          }
          if (write && (fault === 'full' || fault === 'io')) writesFailing = true;
          throw storeFaultError(err);
        }
      }
    };
  }
  guarded.ping = async () => {
    await store.ping();
    if (!writesFailing) return;
    // One row in seen_events, rewritten in place: pruning removes it like any other seen event.
    await sql`insert into seen_events (event_id, seen_at) values (${PROBE_ID}, ${Date.now()}) on conflict (event_id) do update set seen_at = excluded.seen_at`.execute(db);
    writesFailing = false;
  };
  return guarded as unknown as Store;
}
