import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Entity, NewEntity } from '../ports/store';
import { dataKey } from './migrations';
import type { Database, Dialect, EntityRow } from './schema';

type Db = Kysely<Database>;

export function toEntity<D>(row: Selectable<EntityRow>): Entity<D> {
  return {
    kind: row.kind,
    id: row.id,
    state: row.state,
    version: Number(row.version),
    data: JSON.parse(row.data) as D,
    dueAt: row.due_at === null ? null : Number(row.due_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** Insert-or-nothing: ON CONFLICT DO NOTHING means the same on both dialects, so the row count says who created it. */
export async function createEntity<D>(db: Db, e: NewEntity<D>, now: number): Promise<boolean> {
  const result = await db
    .insertInto('entities')
    .values({
      kind: e.kind,
      id: e.id,
      state: e.state,
      version: 1,
      data: JSON.stringify(e.data ?? {}),
      due_at: e.dueAt ?? null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['kind', 'id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function getEntity<D>(db: Db, kind: string, id: string): Promise<Entity<D> | null> {
  const row = await db.selectFrom('entities').selectAll().where('kind', '=', kind).where('id', '=', id).executeTakeFirst();
  return row ? toEntity<D>(row) : null;
}

/** The oldest entity of this kind whose `data.key` equals `key`, through the index on that expression. */
export async function findEntityByKey<D>(db: Db, dialect: Dialect, kind: string, key: string): Promise<Entity<D> | null> {
  const row = await byKeyQuery(db, dialect, kind, key).executeTakeFirst();
  return row ? toEntity<D>(row) : null;
}

/** The query findEntityByKey sends (exported so a test can check that the database plans it on the index). */
export function byKeyQuery(db: Db, dialect: Dialect, kind: string, key: string) {
  return db
    .selectFrom('entities')
    .selectAll()
    .where('kind', '=', kind)
    .where(dataKey(dialect), '=', key)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1);
}

/** Replaces data at an exact version; null when the version moved (or the entity is gone). */
export async function updateEntityData<D>(db: Db, kind: string, id: string, expectVersion: number, data: D, now: number): Promise<Entity<D> | null> {
  const row = await db
    .updateTable('entities')
    .set({ version: expectVersion + 1, data: JSON.stringify(data), updated_at: now })
    .where('kind', '=', kind)
    .where('id', '=', id)
    .where('version', '=', expectVersion)
    .returningAll()
    .executeTakeFirst();
  return row ? toEntity<D>(row) : null;
}

/** Ordered by due time (entities without one last, the same on both dialects), then creation, then id. */
export async function listEntities<D>(db: Db, kind: string, opts: { states?: string[]; dueBefore?: number; limit?: number } = {}): Promise<Entity<D>[]> {
  if (opts.states && opts.states.length === 0) return [];
  let q = db.selectFrom('entities').selectAll().where('kind', '=', kind);
  if (opts.states) q = q.where('state', 'in', opts.states);
  if (opts.dueBefore !== undefined) q = q.where('due_at', 'is not', null).where('due_at', '<=', opts.dueBefore);
  // Dialect difference: Postgres sorts NULLs last, SQLite first; sorting on `due_at is null` first makes both agree.
  q = q.orderBy(sql`case when due_at is null then 1 else 0 end`).orderBy('due_at').orderBy('created_at').orderBy('id');
  if (opts.limit !== undefined) q = q.limit(opts.limit);
  const rows = await q.execute();
  return rows.map((r) => toEntity<D>(r));
}

export async function deleteEntity(db: Db, kind: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('entities').where('kind', '=', kind).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface ReserveDue {
  states: string[];
  dueBefore: number;
  limit: number;
  /** The reserved rows' new due_at: no other caller sees them as due until then. */
  holdUntil: number;
}

/**
 * One statement that moves up to `limit` due rows' due_at to `holdUntil` (bumping their version) and returns them:
 * a batch of claims for one caller, so replicas stop listing the same rows and losing compare-and-set races for
 * them. Postgres: SKIP LOCKED lets a second replica's batch take the next rows instead of waiting for these.
 * SQLite: one writer at a time, the statement is atomic as it stands.
 */
export async function reserveDueEntities<D>(db: Db, dialect: Dialect, kind: string, o: ReserveDue, now: number): Promise<Entity<D>[]> {
  if (o.states.length === 0 || o.limit <= 0) return [];
  const due = db
    .selectFrom('entities')
    .select('id')
    .where('kind', '=', kind)
    .where('state', 'in', o.states)
    .where('due_at', 'is not', null)
    .where('due_at', '<=', o.dueBefore)
    .orderBy('due_at')
    .orderBy('id')
    .limit(o.limit);
  // SQLite: look before writing. Most looks find nothing due, and a read never waits for the write lock (WAL).
  // One writer at a time: the UPDATE with the same selection as a subquery is atomic as it stands.
  if (dialect === 'sqlite') {
    if ((await due.execute()).length === 0) return [];
    const rows = await db
      .updateTable('entities')
      .set((eb) => ({ due_at: o.holdUntil, version: eb('version', '+', 1), updated_at: now }))
      .where('kind', '=', kind)
      .where('id', 'in', due)
      .returningAll()
      .execute();
    return byDue(rows.map((r) => toEntity<D>(r)));
  }
  // Postgres: the locking selection in a CTE, which runs exactly once. As an `IN (subquery)` the planner may run
  // it again per row, and with SKIP LOCKED each run can pick other rows: a batch then exceeds its limit.
  const rows = await db
    .with('picked', () => due.forUpdate().skipLocked())
    .updateTable('entities')
    .from('picked')
    .set((eb) => ({ due_at: o.holdUntil, version: eb('entities.version', '+', 1), updated_at: now }))
    .where('entities.kind', '=', kind)
    .whereRef('entities.id', '=', 'picked.id')
    .returningAll('entities')
    .execute();
  return byDue(rows.map((r) => toEntity<D>(r)));
}

// RETURNING has no order: the most overdue first, as `list` would give them.
const byDue = <D>(es: Entity<D>[]) => es.sort((a, b) => a.dueAt! - b.dueAt! || (a.id < b.id ? -1 : 1));
