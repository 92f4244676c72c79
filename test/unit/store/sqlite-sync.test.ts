import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { connectSqlite } from '../../../src/store/connect';

// Every command writes an audit row, and better-sqlite3 writes synchronously: with WAL + synchronous=FULL each
// commit fsyncs and holds the event loop (~1 ms on a disk) while other commands wait for their ack.
test('a SQLite file store runs in WAL mode with synchronous=NORMAL (no fsync per commit)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-sync-'));
  const conn = connectSqlite(path.join(dir, 'l.db'));
  try {
    const mode = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(conn.db);
    const sync = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(conn.db);
    expect(mode.rows[0].journal_mode).toBe('wal');
    expect(sync.rows[0].synchronous).toBe(1); // 0 OFF, 1 NORMAL, 2 FULL
  } finally {
    await conn.db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
