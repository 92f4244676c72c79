import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { openStore } from '../../../src/store';
import { storeBackends } from '../../helpers/store';

// Every command and click claims its delivery id before the ack. Claims made in the same turn of the event loop are
// written together, one commit (docs/performance.md, "What was changed"); each keeps its own answer.
const TTL = 60_000;
const T0 = 1_800_000_000_000;

describe.each(storeBackends)('$name store: delivery-id claims made together', (backend) => {
  test('each id is won once, by its first claim, when ids repeat within one batch and across replicas', async () => {
    const h = await backend.open();
    try {
      const other = await h.reopen();
      // 40 claims in one turn: ids 0..9, each four times, alternating between the two replicas.
      const claims = Array.from({ length: 40 }, (_, i) => (i % 2 ? other : h.store).claimEvent(`Ev${i % 10}`, TTL, T0 + i));
      const won = await Promise.all(claims);
      for (let id = 0; id < 10; id++) expect(won.filter((w, i) => w && i % 10 === id)).toHaveLength(1);
      // Within one replica's batch, the first claim of an id is the one that can win.
      expect(won.slice(0, 10).every((w, i) => w || won[i + 10] || won[i + 20] || won[i + 30])).toBe(true);
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
