/**
 * The one compare-and-set loop. Every read-modify-write of an entity (`update`, and `transition` on top of it)
 * goes through `updateEntity`, so there is one retry policy:
 * - read the row, ask the updater for the change, write it with `UPDATE … WHERE version = <version read>`;
 * - a write that hit 0 rows lost to another writer (who made progress): wait a jittered, growing pause
 *   ("full jitter": uniform in [0, min(cap, base·2^n)]) so the losers of one round do not collide again, then
 *   read again and ask the updater again;
 * - after UPDATE_ATTEMPTS lost rounds, LookoutError('conflict'): the caller tells the person to try again;
 * - except a transition at an expected version: its first lost round is its answer (null), see transitionEntity.
 * A single UPDATE is atomic on both databases, and no transaction spans the read and the write, so no lock is held
 * across an await (which matters for SQLite, whose busy wait is synchronous).
 */
import type { Kysely } from 'kysely';
import { LookoutError } from '../errors';
import type { Entity, EntityChange, EntityUpdater, Transition, Updated } from '../ports/store';
import { getEntity, toEntity } from './entities';
import type { Database } from './schema';

/** Lost rounds before giving up. With the back-off below, 50 writers on one row all land well within it. */
export const UPDATE_ATTEMPTS = 30;
const BACKOFF_BASE_MS = 2;
const BACKOFF_CAP_MS = 100;

/** Real time on purpose: the store's clock may be a test's manual clock, and a lost round must not wait for it. */
const pause = (lostRounds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** lostRounds)));

/** `claim`: write even a change equal to what is stored (a transition is a claim: its version bump is the win). */
export async function updateEntity<D>(
  db: Kysely<Database>,
  kind: string,
  id: string,
  fn: EntityUpdater<D>,
  now: () => number,
  claim = false,
): Promise<Updated<D> | null> {
  for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
    if (attempt > 0) await pause(attempt);
    const round = await updateOnce(db, kind, id, fn, now, claim);
    if (round !== LOST) return round;
  }
  throw new LookoutError('conflict', 'That changed too often while Lookout was updating it. Try again.');
}

/** A round whose write matched no row: another writer moved the entity between the read and the write. */
const LOST = Symbol('lost');

/** One round: read, ask `fn`, write at the version read. */
async function updateOnce<D>(db: Kysely<Database>, kind: string, id: string, fn: EntityUpdater<D>, now: () => number, claim: boolean): Promise<Updated<D> | null | typeof LOST> {
  const current = await getEntity<D>(db, kind, id);
  if (!current) return null;
  const change = fn(current);
  const next = change && nextRow(current, change, claim);
  if (!next) return { entity: current, changed: false };
  const row = await db
    .updateTable('entities')
    .set({ ...next, version: current.version + 1, updated_at: now() })
    .where('kind', '=', kind)
    .where('id', '=', id)
    .where('version', '=', current.version)
    .returningAll()
    .executeTakeFirst();
  return row ? { entity: toEntity<D>(row), changed: true } : LOST;
}

/** The columns to write, or null when the change would store exactly what is there. */
function nextRow<D>(current: Entity<D>, change: EntityChange<D>, claim: boolean): { state: string; data: string; due_at: number | null } | null {
  const state = change.state ?? current.state;
  const data = JSON.stringify(change.data === undefined ? current.data : change.data);
  const dueAt = change.dueAt === undefined ? current.dueAt : change.dueAt;
  if (!claim && state === current.state && dueAt === current.dueAt && data === JSON.stringify(current.data)) return null;
  return { state, data, due_at: dueAt };
}

/**
 * A state move as an update: applies while the entity is in one of `from` (and at `expectVersion` when given),
 * with `patch` merged shallowly into data. The entity to the one caller that moved it, null to everyone else.
 */
export async function transitionEntity<D>(db: Kysely<Database>, kind: string, id: string, t: Transition<D>, now: () => number): Promise<Entity<D> | null> {
  if (t.from.length === 0) return null;
  const move: EntityUpdater<D> = (e) => {
    if (!t.from.includes(e.state) || (t.expectVersion !== undefined && e.version !== t.expectVersion)) return undefined;
    return { state: t.to, data: t.patch ? { ...e.data, ...t.patch } : e.data, dueAt: t.dueAt };
  };
  // At an expected version one round decides: a write that matched no row means the version moved past it, and
  // versions only grow, so every later round would read a version the move refuses. The loser answers at once
  // instead of backing off and reading again only to learn the same (half the cost of a raced approval).
  const updated = t.expectVersion === undefined ? await updateEntity<D>(db, kind, id, move, now, true) : await updateOnce<D>(db, kind, id, move, now, true);
  return updated && updated !== LOST && updated.changed ? updated.entity : null;
}
