import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { AuditEntry } from '../../../src/ports/store';
import { openStore } from '../../../src/store';
import { withStatementCache } from '../../../src/store/connect';
import { storeBackends } from '../../helpers/store';

// Every command writes an audit row. Rows of commands finishing together go in one INSERT, one commit: on SQLite a
// commit holds the thread that acks every other command (docs/performance.md, "What was changed").
const entry = (i: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  at: 1_800_000_000_000 + i,
  requestId: `req-${i}`,
  teamId: 'T1',
  channelId: 'C1',
  userId: 'U1',
  kind: 'command',
  command: '/lookout help',
  outcome: 'ok',
  durationMs: 3,
  awsRequestIds: [],
  ...over,
});

describe.each(storeBackends)('$name store: audit rows appended together', (backend) => {
  test('fifty concurrent appends are all written, in order, and a bad row loses only itself', async () => {
    const h = await backend.open();
    try {
      const bad = entry(25, { teamId: undefined as unknown as string }); // NOT NULL: the database refuses it
      const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => h.store.appendAudit(i === 25 ? bad : entry(i))));
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
      expect((results[25] as PromiseSettledResult<void>).status).toBe('rejected');
      const listed = await h.store.listAudit({ limit: 100 });
      expect(listed.map((e) => e.requestId)).toEqual(Array.from({ length: 50 }, (_, i) => `req-${49 - i}`).filter((id) => id !== 'req-25'));
    } finally {
      await h.cleanup();
    }
  });

  test('close() writes rows appended but not yet flushed', async () => {
    const h = await backend.open();
    try {
      const appended = h.store.appendAudit(entry(1));
      const other = await h.reopen();
      await h.store.close();
      await appended;
      expect((await other.listAudit({ limit: 10 })).map((e) => e.requestId)).toEqual(['req-1']);
    } finally {
      await h.cleanup();
    }
  });
});

test('postgres: appends made together share one transaction', async () => {
  const h = await storeBackends.find((b) => b.name === 'postgres')!.open();
  try {
    await Promise.all(Array.from({ length: 30 }, (_, i) => h.store.appendAudit(entry(i))));
    const rows = await h.query('select count(distinct xmin::text)::int as n from audit_log');
    expect(rows[0].n).toBe(1);
  } finally {
    await h.cleanup();
  }
});

test('sqlite: thirty appends made together are one commit, not thirty (the WAL grows by a few pages)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-audit-'));
  const file = path.join(dir, 'l.db');
  const store = await openStore(`sqlite:${file}`);
  try {
    await store.appendAudit(entry(0));
    const before = fs.statSync(`${file}-wal`).size;
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.appendAudit(entry(i + 1))));
    const pages = (fs.statSync(`${file}-wal`).size - before) / 4096;
    // One commit per row writes at least one page each (30+); one commit for all writes the table and index pages.
    expect(pages).toBeLessThan(8);
    expect(await store.listAudit({ limit: 100 })).toHaveLength(31);
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('sqlite statement cache: one prepare per SQL text; a statement still being iterated is not shared', () => {
  const database = new SqliteDatabase(':memory:');
  try {
    const prepare = jest.spyOn(database, 'prepare');
    const cached = withStatementCache(database);
    const a = cached.prepare('select 1 as x union all select 2');
    expect(cached.prepare('select 1 as x union all select 2')).toBe(a);
    expect(prepare).toHaveBeenCalledTimes(1);
    const iterating = (a as unknown as SqliteDatabase.Statement).iterate();
    iterating.next();
    const b = cached.prepare('select 1 as x union all select 2');
    expect(b).not.toBe(a);
    expect(b.all([])).toEqual([{ x: 1 }, { x: 2 }]);
    iterating.return?.();
  } finally {
    database.close();
  }
});
