import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Client } from 'pg';
import { openStore } from '../../../src/store';
import { storeBackends } from '../../helpers/store';
import { parseDatabaseUrl } from '../../../src/store/url';
import { eventually } from '../../helpers/fast-clock';

// Every command and click claims its delivery id before the ack. Claims made in the same turn of the event loop are
// written together, one commit (docs/performance.md, "What was changed"); each keeps its own answer.
const TTL = 60_000;
const T0 = 1_800_000_000_000;

describe.each(storeBackends)('$name store: delivery-id claims made together', (backend) => {
  test('each id is won once, by its first claim, when ids repeat within one batch and across replicas', async () => {
    const h = await backend.open();
    try {
      const other = await h.reopen();
      // 40 claims in one turn: ids 0..9 twice on each replica, one replica in ascending order, the other descending
      // (overlapping batches in opposite orders: on Postgres they must not deadlock).
      const id = (i: number) => (i < 10 || (i >= 20 && i < 30) ? i % 10 : 9 - (i % 10));
      const on = (i: number) => (Math.floor(i / 10) % 2 ? other : h.store);
      const won = await Promise.all(Array.from({ length: 40 }, (_, i) => on(i).claimEvent(`Ev${id(i)}`, TTL, T0 + i)));
      for (let n = 0; n < 10; n++) expect(won.filter((w, i) => w && id(i) === n)).toHaveLength(1);
      // Within one replica's batch a repeat never wins: the second ten and the last ten are repeats.
      expect(won.slice(20).some(Boolean)).toBe(false);
      expect(await h.countRows('seen_events')).toBe(10);
      // Still within the TTL: every id is a replay now, in a batch or alone.
      expect(await Promise.all(Array.from({ length: 10 }, (_, i) => h.store.claimEvent(`Ev${i}`, TTL, T0 + 1000)))).toEqual(Array(10).fill(false));
      expect(await other.claimEvent('Ev3', TTL, T0 + 2000)).toBe(false);
      // Once expired, an id is claimable again: once, even when claimed twice in one batch.
      const again = await Promise.all([h.store.claimEvent('Ev1', TTL, T0 + TTL + 100), h.store.claimEvent('Ev1', TTL, T0 + TTL + 100), h.store.claimEvent('New', TTL, T0 + TTL + 100)]);
      expect(again).toEqual([true, false, true]);
    } finally {
      await h.cleanup();
    }
  });

  test('close() writes claims made but not yet written', async () => {
    const h = await backend.open();
    try {
      const store = await h.reopen();
      const claimed = store.claimEvent('EvClose', TTL, T0);
      await store.close();
      expect(await claimed).toBe(true);
      expect(await h.store.claimEvent('EvClose', TTL, T0 + 1)).toBe(false);
    } finally {
      await h.cleanup();
    }
  });
});

test('postgres: claims made together are one statement, one transaction', async () => {
  const h = await storeBackends.find((b) => b.name === 'postgres')!.open();
  try {
    expect((await Promise.all(Array.from({ length: 30 }, (_, i) => h.store.claimEvent(`Ev${i}`, TTL, T0)))).every(Boolean)).toBe(true);
    const rows = await h.query('select count(distinct xmin::text)::int as n from seen_events');
    expect(rows[0].n).toBe(1);
  } finally {
    await h.cleanup();
  }
});

test('postgres: two replicas whose batches overlap in opposite orders do not deadlock', async () => {
  const h = await storeBackends.find((b) => b.name === 'postgres')!.open();
  const target = parseDatabaseUrl(h.url) as { connectionString: string; schema: string };
  const holder = new Client({ connectionString: target.connectionString });
  await holder.connect();
  try {
    const other = await h.reopen();
    // A third session holds Ev5, so both batches stop there holding what they inserted before it: one Ev0–Ev4,
    // the other (had it gone in its own order) Ev9–Ev6. Released, they would each wait for the other's rows.
    await holder.query(`set search_path to "${target.schema}"`);
    await holder.query('begin');
    await holder.query(`insert into seen_events (event_id, seen_at) values ('Ev5', ${T0})`);
    const up = Array.from({ length: 10 }, (_, i) => h.store.claimEvent(`Ev${i}`, TTL, T0));
    const down = Array.from({ length: 10 }, (_, i) => other.claimEvent(`Ev${9 - i}`, TTL, T0));
    const settled = Promise.allSettled([...up, ...down]);
    // The holder is inside a transaction, where Postgres serves pg_stat_activity from one snapshot taken at its
    // first read: cleared before each look, or a first look before both batches block is all it ever sees (the
    // fresh-clone CI run on a loaded machine failed that way).
    await eventually(async () => {
      await holder.query('select pg_stat_clear_snapshot()');
      return Number((await holder.query("select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%seen_events%returning event_id%'")).rows[0].n) >= 2;
    }, 30_000);
    await holder.query('commit');
    const results = await settled;
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const won = results.map((r) => (r as PromiseFulfilledResult<boolean>).value);
    // Ev5 was the holder's; every other id is won by exactly one of the two replicas.
    for (let n = 0; n < 10; n++) expect([n, won.filter((w, i) => w && (i < 10 ? i : 19 - i) === n).length]).toEqual([n, n === 5 ? 0 : 1]);
  } finally {
    await holder.end();
    await h.cleanup();
  }
});

describe('sqlite claims', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-claims-'));
    file = path.join(dir, 'l.db');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('thirty claims made together are one commit, not thirty (the WAL grows by a few pages)', async () => {
    const store = await openStore(`sqlite:${file}`);
    try {
      await store.claimEvent('warm-up', TTL, T0);
      const before = fs.statSync(`${file}-wal`).size;
      const won = await Promise.all(Array.from({ length: 30 }, (_, i) => store.claimEvent(`trigger:${i}`, TTL, T0)));
      expect(won.every(Boolean)).toBe(true);
      // One commit per claim writes at least one page each (30+); one commit for all writes the table and index pages.
      expect((fs.statSync(`${file}-wal`).size - before) / 4096).toBeLessThan(8);
    } finally {
      await store.close();
    }
  });

  test('a batch that cannot get the write lock fails every claim in it (the store says busy), and none is lost after', async () => {
    const store = await openStore(`sqlite:${file}`);
    const holder = new SqliteDatabase(file);
    try {
      holder.exec('BEGIN IMMEDIATE');
      // The fault boundary retries a busy claim for up to a second, then the caller goes on without it.
      const held = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => store.claimEvent(`locked:${i % 3}`, TTL, T0)));
      expect(held.map((r) => r.status)).toEqual(Array(5).fill('rejected'));
      expect(String((held[0] as PromiseRejectedResult).reason)).toMatch(/busy/i);
      holder.exec('COMMIT');
      expect(await Promise.all(Array.from({ length: 5 }, (_, i) => store.claimEvent(`locked:${i % 3}`, TTL, T0)))).toEqual([true, true, true, false, false]);
    } finally {
      holder.close();
      await store.close();
    }
  });
});
