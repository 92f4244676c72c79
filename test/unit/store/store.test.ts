import { ManualClock } from '../../helpers/manual-clock';
import type { Store } from '../../../src/ports/store';
import { OpenedStore, storeBackends } from '../../helpers/store';

type Approval = { requester: string; approver?: string; note?: string; count?: number };

describe.each(storeBackends)('$name store: entities', (backend) => {
  const clock = new ManualClock(1_800_000_000_000);
  let h: OpenedStore;
  let store: Store;
  let seq = 0;
  const nextId = () => `e-${++seq}`;

  beforeAll(async () => {
    h = await backend.open({ clock });
    store = h.store;
  });
  afterAll(() => h?.cleanup());

  test('create then get round-trips JSON data, version 1 and timestamps', async () => {
    const id = nextId();
    const data = { requester: 'U1', nested: { list: [1, 'two', null], ok: true }, text: 'ünï <&> "q"' };
    expect(await store.create({ kind: 'approval', id, state: 'pending', data, dueAt: 1_800_000_060_000 })).toBe(true);
    const e = await store.get('approval', id);
    expect(e).toEqual({ kind: 'approval', id, state: 'pending', version: 1, data, dueAt: 1_800_000_060_000, createdAt: clock.now(), updatedAt: clock.now() });
    expect(typeof e?.dueAt).toBe('number');
    expect(await store.get('approval', 'missing')).toBeNull();
    expect(await store.get('report', id)).toBeNull();
  });

  test('a duplicate create returns false and changes nothing', async () => {
    const id = nextId();
    expect(await store.create({ kind: 'approval', id, state: 'pending', data: { requester: 'U1' } })).toBe(true);
    expect(await store.create({ kind: 'approval', id, state: 'approved', data: { requester: 'U2' } })).toBe(false);
    expect(await store.get('approval', id)).toMatchObject({ state: 'pending', data: { requester: 'U1' }, dueAt: null });
    expect(await store.create({ kind: 'experiment', id, state: 'pending', data: {} })).toBe(true);
  });

  test('transition moves state, bumps version, merges the patch and sets due_at', async () => {
    const id = nextId();
    await store.create<Approval>({ kind: 'approval', id, state: 'pending', data: { requester: 'U1', note: 'keep' }, dueAt: 5 });
    await clock.advance(1000);
    const t = await store.transition<Approval>('approval', id, { from: ['pending'], to: 'approved', patch: { approver: 'U2' } });
    expect(t).toMatchObject({ state: 'approved', version: 2, data: { requester: 'U1', note: 'keep', approver: 'U2' }, dueAt: 5, updatedAt: clock.now() });
    expect(t!.createdAt).toBe(clock.now() - 1000);
    expect(await store.get('approval', id)).toEqual(t);

    const cleared = await store.transition('approval', id, { from: ['approved'], to: 'done', dueAt: null });
    expect(cleared).toMatchObject({ state: 'done', version: 3, dueAt: null, data: { approver: 'U2' } });
    const set = await store.transition('approval', id, { from: ['done'], to: 'done', dueAt: 42 });
    expect(set).toMatchObject({ version: 4, dueAt: 42 });
  });

  test('transition from a wrong state, on a missing entity or at the wrong version returns null', async () => {
    const id = nextId();
    await store.create({ kind: 'approval', id, state: 'pending', data: {} });
    expect(await store.transition('approval', id, { from: ['approved', 'denied'], to: 'done' })).toBeNull();
    expect(await store.transition('approval', 'nope', { from: ['pending'], to: 'done' })).toBeNull();
    expect(await store.transition('approval', id, { from: ['pending'], expectVersion: 2, to: 'done' })).toBeNull();
    expect(await store.get('approval', id)).toMatchObject({ state: 'pending', version: 1 });
    expect(await store.transition('approval', id, { from: ['pending'], expectVersion: 1, to: 'done' })).toMatchObject({ state: 'done', version: 2 });
  });

  test('updateData replaces data at the expected version only', async () => {
    const id = nextId();
    await store.create({ kind: 'report', id, state: 'active', data: { a: 1, b: 2 } });
    const u = await store.updateData('report', id, 1, { a: 9 });
    expect(u).toMatchObject({ state: 'active', version: 2, data: { a: 9 } });
    expect(u!.data).not.toHaveProperty('b');
    expect(await store.updateData('report', id, 1, { a: 10 })).toBeNull();
    expect(await store.updateData('report', 'nope', 1, {})).toBeNull();
    expect(await store.get('report', id)).toMatchObject({ version: 2, data: { a: 9 } });
  });

  test('50 concurrent transitions on one Store: exactly one winner', async () => {
    const id = nextId();
    await store.create({ kind: 'approval', id, state: 'pending', data: { requester: 'U1' } });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.transition<Approval>('approval', id, { from: ['pending'], to: 'approved', patch: { approver: `U${i}` } })),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(await store.get('approval', id)).toEqual(winners[0]);
    expect(winners[0]).toMatchObject({ version: 2, state: 'approved' });
  });

  test('two Store instances racing 50 + 50 transitions: exactly one winner', async () => {
    const other = await h.reopen();
    const id = nextId();
    await store.create({ kind: 'report-run', id, state: 'due', data: {} });
    const race = (s: Store, who: string) =>
      Array.from({ length: 50 }, (_, i) => s.transition('report-run', id, { from: ['due'], expectVersion: 1, to: 'running', patch: { by: `${who}-${i}` } }));
    const results = await Promise.all([...race(store, 'a'), ...race(other, 'b')]);
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(await other.get('report-run', id)).toEqual(winners[0]);
  });

  test('concurrent same-state transitions each apply once (no lost patch)', async () => {
    const id = nextId();
    await store.create({ kind: 'counter', id, state: 'open', data: {} });
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.transition('counter', id, { from: ['open'], to: 'open', patch: { [`k${i}`]: i } })));
    const e = await store.get<Record<string, number>>('counter', id);
    expect(e!.version).toBe(11);
    expect(Object.keys(e!.data).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `k${i}`).sort());
  });

  test('list filters by states and dueBefore, orders by due_at then created_at, honours limit', async () => {
    const kind = `sched-${nextId()}`;
    const mk = async (id: string, state: string, dueAt: number | null) => {
      await store.create({ kind, id, state, data: { id }, dueAt });
      await clock.advance(1);
    };
    await mk('late', 'active', 300);
    await mk('none', 'active', null);
    await mk('early', 'active', 100);
    await mk('paused', 'paused', 50);
    await mk('tie-b', 'active', 200);
    await mk('tie-a', 'active', 200);
    const ids = (es: { id: string }[]) => es.map((e) => e.id);
    expect(ids(await store.list(kind))).toEqual(['paused', 'early', 'tie-b', 'tie-a', 'late', 'none']);
    expect(ids(await store.list(kind, { states: ['active'] }))).toEqual(['early', 'tie-b', 'tie-a', 'late', 'none']);
    expect(ids(await store.list(kind, { states: ['active'], dueBefore: 200 }))).toEqual(['early', 'tie-b', 'tie-a']);
    expect(ids(await store.list(kind, { dueBefore: 99 }))).toEqual(['paused']);
    expect(ids(await store.list(kind, { states: ['active', 'paused'], limit: 2 }))).toEqual(['paused', 'early']);
    expect(await store.list(kind, { states: [] })).toEqual([]);
    expect(await store.list('no-such-kind')).toEqual([]);
  });

  test('delete returns whether a row went', async () => {
    const id = nextId();
    await store.create({ kind: 'approval', id, state: 'pending', data: {} });
    expect(await store.delete('approval', id)).toBe(true);
    expect(await store.delete('approval', id)).toBe(false);
    expect(await store.get('approval', id)).toBeNull();
    expect(await store.create({ kind: 'approval', id, state: 'pending', data: {} })).toBe(true);
  });
});
