import { ManualClock } from '../../helpers/manual-clock';
import { storeBackends, type OpenedStore } from '../../helpers/store';

const from = Date.UTC(2026, 10, 29, 9, 0, 0);

describe.each(storeBackends)('reserveDue and the store clock ($name)', (backend) => {
  let db: OpenedStore;
  beforeEach(async () => {
    db = await backend.open();
  });
  afterEach(() => db.cleanup());

  it('concurrent callers get disjoint batches of due entities, each row once, held until holdUntil', async () => {
    for (let i = 0; i < 40; i++) await db.store.create({ kind: 'report', id: `r-${String(i).padStart(2, '0')}`, state: 'active', data: {}, dueAt: from - 1_000 + i });
    await db.store.create({ kind: 'report', id: 'later', state: 'active', data: {}, dueAt: from + 60_000 });
    await db.store.create({ kind: 'report', id: 'paused', state: 'paused', data: {}, dueAt: from - 5_000 });
    const replicas = [db.store, await db.reopen(), await db.reopen()];
    const batches = await Promise.all(
      Array.from({ length: 12 }, (_, i) => replicas[i % 3]!.reserveDue('report', { states: ['active'], dueBefore: from, limit: 5, holdUntil: from + 30_000 })),
    );
    const ids = batches.flat().map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `r-${String(i).padStart(2, '0')}`));
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(5);
      // Each returned as written: the new due time, the version bumped.
      expect(batch.map((e) => e.dueAt)).toEqual(batch.map(() => from + 30_000));
      expect(batch.every((e) => e.version === 2)).toBe(true);
    }
    expect(await db.store.reserveDue('report', { states: ['active'], dueBefore: from + 29_999, limit: 100, holdUntil: from + 90_000 })).toEqual([]);
    // Past the hold they are due again (the holder died before claiming them).
    expect(await db.store.reserveDue('report', { states: ['active'], dueBefore: from + 30_000, limit: 100, holdUntil: from + 90_000 })).toHaveLength(40);
  });

  it('now() is the injected clock when the host clock agrees with the database, and stays so for a host clock 90 s off', async () => {
    const clock = new ManualClock(from);
    const agreeing = await db.reopen({ clock });
    expect(agreeing.now()).toBe(clock.now());
    await clock.advance(5_000);
    expect(agreeing.now()).toBe(from + 5_000);
    for (const skew of [90_000, -90_000]) {
      const own = { now: () => clock.now() + skew };
      const skewed = await db.reopen({ clock: own, wallClock: () => Date.now() + skew });
      // Postgres measures the offset and takes it off; on SQLite the host's clock is the store's (one host).
      const expected = backend.name === 'postgres' ? clock.now() : own.now();
      expect(Math.abs(skewed.now() - expected)).toBeLessThan(100);
    }
  });
});
