/**
 * Every Store call through one fault boundary (faults.ts): driver errors of a database that is down, busy or out
 * of disk become clear LookoutErrors, and a write that failed for lack of disk or I/O marks the store not ready
 * until a write succeeds again. `ping` (/readyz) then tries a write of its own, so readiness recovers once space
 * is freed, without a restart; a store that only reads fine would otherwise look ready while every change fails.
 */
import { sql, type Kysely } from 'kysely';
import type { Store } from '../ports/store';
import { classifyStoreFault, storeFaultError } from './faults';
import type { Database } from './schema';

const WRITES = new Set<keyof Store>(['create', 'transition', 'update', 'updateData', 'delete', 'reserveDue', 'claimEvent', 'appendAudit']);
const PASS_THROUGH = new Set<keyof Store>(['now', 'close', 'ping']);
const PROBE_ID = 'lookout:readyz-write-probe';

export function guardFaults(store: Store, db: Kysely<Database>): Store {
  let writesFailing = false;
  const guarded: Record<string, unknown> = { ...store };
  for (const [name, fn] of Object.entries(store) as [keyof Store, unknown][]) {
    if (typeof fn !== 'function' || PASS_THROUGH.has(name)) continue;
    const write = WRITES.has(name);
    guarded[name] = async (...args: unknown[]) => {
      try {
        const result = await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
        if (write) writesFailing = false;
        return result;
      } catch (err) {
        const fault = classifyStoreFault(err);
        if (write && (fault === 'full' || fault === 'io')) writesFailing = true;
        throw storeFaultError(err);
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
