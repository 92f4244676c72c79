import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import { LookoutError } from '../errors';
import type { Entity, NewEntity, Transition } from '../ports/store';
import type { Database, EntityRow } from './schema';

type Db = Kysely<Database>;

/** Lost compare-and-set rounds in a row before giving up; each lost round means another writer made progress. */
const MAX_CAS_ATTEMPTS = 100;

function toEntity<D>(row: Selectable<EntityRow>): Entity<D> {
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

/**
 * Compare-and-set. The patch merges into data, which SQL cannot do portably on a JSON text column, so:
 * read the row, check `from`/`expectVersion`, compute the merged data, then UPDATE … WHERE version = <read
 * version> AND state IN (from). A single UPDATE is atomic on both databases, so of any callers that read the
 * same version exactly one updates a row. A caller whose UPDATE hit 0 rows re-reads and tries again only while
 * the entity still qualifies; otherwise it returns null. No transaction spans the read and the write, so no
 * lock is ever held across an await (which matters for SQLite, whose busy wait is synchronous).
 */
export async function transitionEntity<D>(db: Db, kind: string, id: string, t: Transition<D>, now: () => number): Promise<Entity<D> | null> {
  if (t.from.length === 0) return null;
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const current = await getEntity<Record<string, unknown>>(db, kind, id);
    if (!current || !t.from.includes(current.state)) return null;
    if (t.expectVersion !== undefined && current.version !== t.expectVersion) return null;
    const data = t.patch ? { ...current.data, ...(t.patch as Record<string, unknown>) } : current.data;
    const row = await db
      .updateTable('entities')
      .set({
        state: t.to,
        version: current.version + 1,
        data: JSON.stringify(data),
        due_at: t.dueAt === undefined ? current.dueAt : t.dueAt,
        updated_at: now(),
      })
      .where('kind', '=', kind)
      .where('id', '=', id)
      .where('version', '=', current.version)
      .where('state', 'in', t.from)
      .returningAll()
      .executeTakeFirst();
    if (row) return toEntity<D>(row);
  }
  throw new LookoutError('conflict', 'That changed too often while Lookout was updating it. Try again.');
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
