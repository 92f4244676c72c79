import SqliteDatabase from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { LookoutError } from '../../../src/errors';
import { sql } from 'kysely';
import { openStore, parseDatabaseUrl, redactDatabaseUrl } from '../../../src/store';
import { connectPostgres } from '../../../src/store/connect';
import { MIGRATION_NAMES } from '../../../src/store/migrations';
import { postgresBaseUrl, postgresUrlForTest } from '../../helpers/postgres';
import { storeBackends } from '../../helpers/store';

async function errorOf(p: Promise<unknown>): Promise<LookoutError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(LookoutError);
  return err as LookoutError;
}

describe('DATABASE_URL', () => {
  test.each(['mysql://localhost/db', './data/lookout.db', '', 'sqlite:'])('%j is a config error naming the accepted forms', async (url) => {
    const err = await errorOf(openStore(url));
    expect(err.code).toBe('config');
    expect(err.message).toContain('sqlite:<path>');
    expect(err.message).toContain('postgres://');
  });

  test('the unsupported scheme is named', async () => {
    expect((await errorOf(openStore('mysql://localhost/db'))).message).toContain('`mysql:`');
  });

  test('parses sqlite paths and postgres schema/options', () => {
    expect(parseDatabaseUrl('sqlite:./data/lookout.db')).toEqual({ dialect: 'sqlite', path: './data/lookout.db' });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ dialect: 'sqlite', path: ':memory:' });
    expect(parseDatabaseUrl('sqlite:///var/lib/lookout.db')).toEqual({ dialect: 'sqlite', path: '/var/lib/lookout.db' });
    expect(parseDatabaseUrl('postgresql://u@h:5432/db')).toEqual({ dialect: 'postgres', connectionString: 'postgresql://u@h:5432/db' });
    expect(parseDatabaseUrl('postgres://u:p@h/db?sslmode=require&schema=lookout_x&options=-c%20statement_timeout%3D5000')).toEqual({
      dialect: 'postgres',
      connectionString: 'postgres://u:p@h/db?sslmode=require',
      schema: 'lookout_x',
      options: '-c statement_timeout=5000',
    });
  });

  test.each(['Lookout', 'a-b', 'x;drop', '1abc'])('schema %j is rejected', (schema) => {
    expect(() => parseDatabaseUrl(`postgres://h/db?schema=${encodeURIComponent(schema)}`)).toThrow(expect.objectContaining({ code: 'config' }));
  });

  test.each([
    ['postgres://lookout:s3cr%40t@db:5432/app', 'postgres://lookout:***@db:5432/app'],
    ['postgres://lookout:p@ss@db:5432/app', 'postgres://lookout:***@db:5432/app'],
    ['postgresql://lookout:a@b:c@d@db/app?sslmode=require', 'postgresql://lookout:***@db/app?sslmode=require'],
    ['postgres://lookout:@db/app', 'postgres://lookout:***@db/app'],
    ['postgres://db/app?password=hunter2', 'postgres://db/app?password=***'],
    ['postgres://u@db/app?sslmode=require&PASSWORD=hun%40ter2&application_name=x', 'postgres://u@db/app?sslmode=require&PASSWORD=***&application_name=x'],
    ['postgres://u:pw@db/app?sslpassword=keypass#frag', 'postgres://u:***@db/app?sslpassword=***#frag'],
    ['postgres://lookout@db/app', 'postgres://lookout@db/app'],
    ['postgres://db/app?application_name=a:b@c', 'postgres://db/app?application_name=a:b@c'],
    ['postgres://db/app', 'postgres://db/app'],
    ['sqlite:./data/lookout.db', 'sqlite:./data/lookout.db'],
  ])('redacts %s', (url, shown) => {
    expect(redactDatabaseUrl(url)).toBe(shown);
  });
});

describe('openStore', () => {
  test('sqlite: creates missing parent directories and uses WAL', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-open-'));
    try {
      const file = path.join(dir, 'a', 'b', 'lookout.db');
      const store = await openStore(`sqlite:${file}`);
      await store.ping();
      await store.close();
      const raw = new SqliteDatabase(file, { readonly: true });
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      raw.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('sqlite: a path that cannot be created is an upstream error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-open-'));
    try {
      fs.writeFileSync(path.join(dir, 'file'), 'not a directory');
      const err = await errorOf(openStore(`sqlite:${path.join(dir, 'file', 'lookout.db')}`));
      expect(err.code).toBe('upstream');
      expect(err.message).toContain('lookout.db');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('sqlite::memory: works', async () => {
    const store = await openStore('sqlite::memory:');
    expect(await store.create({ kind: 'k', id: '1', state: 's', data: { a: 1 } })).toBe(true);
    expect(await store.get('k', '1')).toMatchObject({ data: { a: 1 } });
    await store.close();
  });

  test('an unreachable postgres is an upstream error that says why, without the password', async () => {
    const err = await errorOf(openStore('postgres://lookout:hun@ter2@127.0.0.1:1/test'));
    expect(err.code).toBe('upstream');
    expect(err.message).toMatch(/^Could not open the database at `postgres:\/\/lookout:\*\*\*@127\.0\.0\.1:1\/test`: .*ECONNREFUSED/);
    expect(err.message).not.toMatch(/hun|ter2/);
    expect(err.cause).toBeDefined();
  });

  test("the database's own refusal is in the message (issue 10: a startup failure shows its cause)", async () => {
    const saved = pg.defaults.user;
    pg.defaults.user = undefined as never; // no USER to fall back on, as in a minimal container
    try {
      const err = await errorOf(openStore(`${postgresBaseUrl().replace(/\/\/[^@/]*@/, '//')}?password=hunter2`));
      expect(err.message).toContain('no PostgreSQL user name specified');
      expect(err.message).toContain('password=***');
      expect(err.message).not.toContain('hunter2');
    } finally {
      pg.defaults.user = saved;
    }
  });

  test('postgres: two concurrent opens of a fresh schema both succeed and migrate once', async () => {
    const db = await postgresUrlForTest({ create: false });
    try {
      const stores = await Promise.all([openStore(db.url), openStore(db.url), openStore(db.url)]);
      expect(await stores[0].create({ kind: 'k', id: '1', state: 's', data: {} })).toBe(true);
      expect(await stores[1].get('k', '1')).toMatchObject({ state: 's' });
      await Promise.all(stores.map((s) => s.close()));
      const client = new pg.Client({ connectionString: postgresBaseUrl() });
      await client.connect();
      const { rows } = await client.query(`select name from "${db.schema}".kysely_migration`);
      await client.end();
      expect(rows.map((r) => r.name)).toEqual(MIGRATION_NAMES);
    } finally {
      await db.drop();
    }
  });

  test("postgres: another schema's migration table does not count as ours", async () => {
    const decoy = await postgresUrlForTest();
    const db = await postgresUrlForTest({ create: false });
    try {
      const first = await openStore(decoy.url);
      await first.close();
      const store = await openStore(db.url);
      expect(await store.create({ kind: 'k', id: '1', state: 's', data: {} })).toBe(true);
      await store.close();
    } finally {
      await Promise.all([decoy.drop(), db.drop()]);
    }
  });

  test('postgres: the schema and URL options reach every pooled connection', async () => {
    const db = await postgresUrlForTest();
    const target = parseDatabaseUrl(db.url);
    if (target.dialect !== 'postgres') throw new Error('expected postgres');
    const conn = await connectPostgres(target, { maxConnections: 3 });
    try {
      const settings = await Promise.all(
        Array.from({ length: 6 }, () =>
          sql<{ s: string; c: string; n: number }>`select current_schema() as s, current_setting('synchronous_commit') as c, 5::int8 as n from pg_sleep(0.02)`.execute(conn.db),
        ),
      );
      expect(settings.map((r) => r.rows[0])).toEqual(Array(6).fill({ s: db.schema, c: 'off', n: 5 }));
    } finally {
      await conn.db.destroy();
      await db.drop();
    }
  });

  test('postgres: int8 parsing is per pool, not global', async () => {
    const db = await postgresUrlForTest();
    const store = await openStore(db.url);
    await store.close();
    await db.drop();
    expect(pg.types.getTypeParser(20, 'text')('5')).toBe('5');
  });
});

describe.each(storeBackends)('$name store: migrations and restarts', (backend) => {
  test('opening again is idempotent and the data survives a restart', async () => {
    const h = await backend.open();
    try {
      await h.store.create({ kind: 'report', id: 'r1', state: 'active', data: { cron: '0 9 * * 1' }, dueAt: 123 });
      await h.store.appendAudit({ at: 1, requestId: 'q', teamId: 'T', channelId: 'C', userId: 'U', kind: 'system', command: 'start', outcome: 'ok', durationMs: 0 });
      await h.store.close();
      const again = await h.reopen();
      const third = await h.reopen();
      expect(await again.get('report', 'r1')).toMatchObject({ state: 'active', data: { cron: '0 9 * * 1' }, dueAt: 123 });
      expect(await third.listAudit({ limit: 5 })).toHaveLength(1);
      expect(await h.countRows('kysely_migration')).toBe(MIGRATION_NAMES.length);
    } finally {
      await h.cleanup();
    }
  });
});
