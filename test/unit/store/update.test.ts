import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool } from 'pg';
import type { Store } from '../../../src/ports/store';
import { byKeyQuery } from '../../../src/store/entities';
import type { Database } from '../../../src/store/schema';
import { UPDATE_ATTEMPTS } from '../../../src/store/update';
import { ManualClock } from '../../helpers/manual-clock';
import { OpenedStore, storeBackends } from '../../helpers/store';

type Counter = { n: number; note?: string };

// Makes every UPDATE of one row match nothing, as if another writer always won the round first.
const alwaysOutrun = {
  sqlite: `create trigger outrun before update on entities when old.id = 'stuck' begin select raise(ignore); end`,
  postgres: `create function outrun() returns trigger language plpgsql as $$ begin return null; end $$;
             create trigger outrun before update on entities for each row when (old.id = 'stuck') execute function outrun()`,
};

describe.each(storeBackends)('$name store: update (the one compare-and-set loop)', (backend) => {
  const clock = new ManualClock(1_800_000_000_000);
  let h: OpenedStore;
  let store: Store;

  beforeAll(async () => {
    h = await backend.open({ clock });
    store = h.store;
  });
  afterAll(() => h?.cleanup());

  const increment = (s: Store, id: string) => s.update<Counter>('counter', id, (e) => ({ data: { ...e.data, n: e.data.n + 1 } }));

  test('concurrent increments from two Store instances on one database lose nothing', async () => {
    const other = await h.reopen();
    await store.create<Counter>({ kind: 'counter', id: 'race', state: 'open', data: { n: 0 } });
    const per = 25;
    const results = await Promise.all([...Array.from({ length: per }, () => increment(store, 'race')), ...Array.from({ length: per }, () => increment(other, 'race'))]);
    expect(results.every((r) => r?.changed)).toBe(true);
    const e = await other.get<Counter>('counter', 'race');
    expect(e).toMatchObject({ data: { n: 2 * per }, version: 2 * per + 1 });
  });

  test('state, data and due time change together; data is replaced, not merged', async () => {
    await store.create<Counter>({ kind: 'counter', id: 'move', state: 'open', data: { n: 1, note: 'old' }, dueAt: 5 });
    await clock.advance(1000);
    const u = await store.update<Counter>('counter', 'move', () => ({ state: 'closed', data: { n: 2 }, dueAt: null }));
    expect(u).toEqual({ changed: true, entity: expect.objectContaining({ state: 'closed', data: { n: 2 }, dueAt: null, version: 2, updatedAt: clock.now() }) });
    expect(await store.get('counter', 'move')).toEqual(u!.entity);
  });

  test('an updater that returns undefined, or what is already stored, writes nothing', async () => {
    await store.create<Counter>({ kind: 'counter', id: 'same', state: 'open', data: { n: 7 }, dueAt: 9 });
    const before = await store.get<Counter>('counter', 'same');
    await clock.advance(1000);
    expect(await store.update<Counter>('counter', 'same', () => undefined)).toEqual({ changed: false, entity: before });
    expect(await store.update<Counter>('counter', 'same', (e) => ({ state: e.state, data: { n: 7 }, dueAt: 9 }))).toEqual({ changed: false, entity: before });
    expect(await store.get('counter', 'same')).toEqual(before);
  });

  test('a missing entity gives null without calling the updater', async () => {
    const fn = jest.fn(() => undefined);
    expect(await store.update('counter', 'nope', fn)).toBeNull();
    expect(fn).not.toHaveBeenCalled();
  });

  test('contention that outlasts every attempt is a conflict, and nothing is written', async () => {
    await store.create<Counter>({ kind: 'counter', id: 'stuck', state: 'open', data: { n: 0 } });
    await h.execute(alwaysOutrun[backend.name]);
    const fn = jest.fn((e: { data: Counter }) => ({ data: { n: e.data.n + 1 } }));
    await expect(store.update<Counter>('counter', 'stuck', fn)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/try again/i) });
    expect(fn).toHaveBeenCalledTimes(UPDATE_ATTEMPTS);
    expect(await store.get('counter', 'stuck')).toMatchObject({ version: 1, data: { n: 0 } });
  });

  test('a transition at an expected version that loses its write answers null at once; without one it keeps trying', async () => {
    // Runs after the test above: every write to 'stuck' matches nothing, as if another caller always won first.
    // At an expected version the first lost write is final (the version moved past it), so no further rounds.
    // (Going round again would end in LookoutError('conflict') after UPDATE_ATTEMPTS rounds, as the next call does.)
    expect(await store.transition('counter', 'stuck', { from: ['open'], expectVersion: 1, to: 'closed' })).toBeNull();
    await expect(store.transition('counter', 'stuck', { from: ['open'], to: 'closed' })).rejects.toMatchObject({ code: 'conflict' });
    expect(await store.get('counter', 'stuck')).toMatchObject({ version: 1, state: 'open' });
  });
});

describe.each(storeBackends)('$name store: findByKey', (backend) => {
  let h: OpenedStore;
  beforeAll(async () => {
    h = await backend.open();
  });
  afterAll(() => h?.cleanup());

  test('finds the oldest entity of a kind by data.key; other kinds and keys do not match', async () => {
    const { store } = h;
    await store.create({ kind: 'reach-path', id: 'nip-1', state: 'active', data: { key: 'web-1>db-1:5432/tcp', n: 1 } });
    await store.create({ kind: 'reach-path', id: 'nip-2', state: 'active', data: { key: 'web-1>cache-1:6379/tcp' } });
    await store.create({ kind: 'other', id: 'x', state: 'active', data: { key: 'web-1>db-1:5432/tcp' } });
    expect(await store.findByKey('reach-path', 'web-1>db-1:5432/tcp')).toMatchObject({ id: 'nip-1', data: { n: 1 } });
    expect(await store.findByKey('reach-path', 'nope')).toBeNull();
    expect(await store.findByKey('missing-kind', 'web-1>db-1:5432/tcp')).toBeNull();
  });

  test('the lookup is served by the index, not a scan of the kind', async () => {
    // The statement the store sends, with its parameters inlined, explained by the database itself.
    const compiler = new Kysely<Database>({ dialect: backend.name === 'sqlite' ? new SqliteDialect({ database: new SqliteDatabase(':memory:') }) : new PostgresDialect({ pool: new Pool() }) });
    const { sql: text, parameters } = byKeyQuery(compiler, backend.name, 'reach-path', 'k').compile();
    await compiler.destroy();
    const literal = (p: unknown) => (typeof p === 'number' ? String(p) : `'${String(p)}'`);
    let next = 0; // SQLite numbers its placeholders by position, Postgres by $n
    const inlined = text.replace(/\?|\$(\d+)/g, (_m, n?: string) => literal(parameters[n ? Number(n) - 1 : next++]));
    const plan = backend.name === 'sqlite' ? await h.query(`explain query plan ${inlined}`) : await h.query('set enable_seqscan = off', `explain ${inlined}`);
    // Both columns of the index narrow the search (kind alone would also "use" it, scanning the whole kind).
    const used = backend.name === 'sqlite' ? /USING INDEX entities_kind_data_key \(kind=\? AND <expr>=\?\)/ : /Index Cond: \(\(kind = 'reach-path'::text\) AND \(\(\(data\)::jsonb ->> 'key'::text\) = 'k'::text\)\)/;
    expect(JSON.stringify(plan)).toMatch(used);
  });
});
