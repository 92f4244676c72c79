import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, Migrator, sql, type Migration } from 'kysely';
import { openStore } from '../../../src/store';
import { connectPostgres, connectSqlite, type Connection } from '../../../src/store/connect';
import { createMigrationProvider } from '../../../src/store/migrations';
import { parseDatabaseUrl } from '../../../src/store/url';
import type { Dialect } from '../../../src/store/schema';
import { postgresUrlForTest } from '../../helpers/postgres';

type Migrations = Record<string, Migration>;
interface Column {
  type: string;
  nullable: boolean;
  hasDefault: boolean;
}
type Schema = Map<string, Map<string, Column>>;

interface Snapshot {
  tables: Schema;
  uniques: Set<string>;
  constraints: Set<string>;
}

// Straight from the catalogs: Kysely's introspection reports no columns for our Postgres dialect (postgres-dialect.ts).
const SQLITE_COLUMNS = sql<{ t: string; c: string; type: string; nullable: number; hasDefault: number }>`
  select m.name as t, p.name as c, p.type as type, (p."notnull" = 0 and p.pk = 0) as nullable, (p.dflt_value is not null or p.pk > 0) as "hasDefault"
  from sqlite_master m join pragma_table_info(m.name) p
  where m.type = 'table' and m.name not like 'sqlite_%' and m.name not like 'kysely_%'`;
const POSTGRES_COLUMNS = sql<{ t: string; c: string; type: string; nullable: boolean; hasDefault: boolean }>`
  select table_name as t, column_name as c, data_type as type, is_nullable = 'YES' as nullable,
         (column_default is not null or is_identity = 'YES') as "hasDefault"
  from information_schema.columns where table_schema = current_schema() and table_name not like 'kysely_%'`;
const SQLITE_UNIQUES = sql<{ t: string; n: string }>`select tbl_name as t, name as n from sqlite_master where type = 'index' and sql like 'CREATE UNIQUE%'`;
const POSTGRES_UNIQUES = sql<{ t: string; n: string }>`
  select i.tablename as t, i.indexname as n from pg_indexes i
  where i.schemaname = current_schema() and i.indexdef like 'CREATE UNIQUE%'
    and not exists (select 1 from information_schema.table_constraints k where k.table_schema = i.schemaname and k.constraint_name = i.indexname and k.constraint_type = 'PRIMARY KEY')`;
const POSTGRES_CONSTRAINTS = sql<{ t: string; n: string }>`
  select table_name as t, constraint_type || ' ' || constraint_name as n from information_schema.table_constraints
  where table_schema = current_schema() and constraint_type in ('CHECK', 'FOREIGN KEY', 'UNIQUE') and constraint_name not like '%_not_null'`;

async function snapshot(db: Kysely<any>, dialect: Dialect): Promise<Snapshot> {
  const columns = (await (dialect === 'sqlite' ? SQLITE_COLUMNS : POSTGRES_COLUMNS).execute(db)).rows;
  const tables: Schema = new Map();
  for (const c of columns) {
    if (!tables.has(c.t)) tables.set(c.t, new Map());
    tables.get(c.t)!.set(c.c, { type: c.type.toLowerCase(), nullable: Boolean(c.nullable), hasDefault: Boolean(c.hasDefault) });
  }
  const uniques = (await (dialect === 'sqlite' ? SQLITE_UNIQUES : POSTGRES_UNIQUES).execute(db)).rows;
  const constraints = dialect === 'sqlite' ? [] : (await POSTGRES_CONSTRAINTS.execute(db)).rows;
  return { tables, uniques: new Set(uniques.map((u) => `${u.t}.${u.n}`)), constraints: new Set(constraints.map((c) => `${c.t}: ${c.n}`)) };
}

/**
 * What keeps the previous release working against a schema migrated by the next one: no table or column goes away or
 * changes type (a rename is both), no column turns NOT NULL, a new column on an existing table is nullable or has a
 * default (old INSERTs leave it out), and no existing table gains a unique index or constraint old writes may break.
 */
function breakingChanges(before: Snapshot, after: Snapshot): string[] {
  const problems: string[] = [];
  for (const [table, columns] of before.tables) {
    const now = after.tables.get(table);
    if (!now) {
      problems.push(`table ${table} dropped or renamed`);
      continue;
    }
    for (const [name, col] of columns) {
      const c = now.get(name);
      if (!c) problems.push(`column ${table}.${name} dropped or renamed`);
      else if (c.type !== col.type) problems.push(`column ${table}.${name} changed type ${col.type} → ${c.type}`);
      else if (col.nullable && !c.nullable) problems.push(`column ${table}.${name} became NOT NULL`);
    }
    for (const [name, c] of now) if (!columns.has(name) && !c.nullable && !c.hasDefault) problems.push(`column ${table}.${name} added NOT NULL without a default`);
  }
  const existing = (entry: string) => before.tables.has(entry.split(/[.:]/)[0]);
  for (const u of after.uniques) if (!before.uniques.has(u) && existing(u)) problems.push(`unique index ${u} added to an existing table`);
  for (const c of after.constraints) if (!before.constraints.has(c) && existing(c)) problems.push(`constraint added to ${c}`);
  return problems;
}

/** Applies the migrations one at a time, comparing the schema before and after each. */
async function checkMigrations(conn: Connection, dialect: Dialect, migrations: Migrations): Promise<string[]> {
  const names = Object.keys(migrations).sort();
  const problems: string[] = [];
  let before = await snapshot(conn.db, dialect);
  for (let i = 0; i < names.length; i++) {
    const upTo = Object.fromEntries(names.slice(0, i + 1).map((n) => [n, migrations[n]]));
    const migrator = new Migrator({ db: conn.db, provider: { getMigrations: async () => upTo }, migrationTableSchema: conn.schema });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
    const after = await snapshot(conn.db, dialect);
    problems.push(...breakingChanges(before, after).map((p) => `${names[i]}: ${p}`));
    before = after;
  }
  return problems;
}

/** A stand-in for the next release's migration: additive, as every migration must be. */
const NEXT_RELEASE: Migration = {
  async up(db) {
    await db.schema.alterTable('entities').addColumn('owner', 'text').execute();
    await db.schema.alterTable('audit_log').addColumn('source', 'text', (c) => c.notNull().defaultTo('slack')).execute();
    await db.schema.createTable('next_release_notes').addColumn('id', 'text', (c) => c.primaryKey()).addColumn('body', 'text', (c) => c.notNull()).execute();
    await db.schema.createIndex('entities_owner').on('entities').column('owner').execute();
  },
};

/** Changes a migration must never make: each must be reported by the check above. */
const BREAKING: Record<string, Migration['up']> = {
  'drops a column': (db) => db.schema.alterTable('audit_log').dropColumn('detail').execute(),
  'renames a column': (db) => db.schema.alterTable('audit_log').renameColumn('detail', 'details').execute(),
  'renames a table': (db) => db.schema.alterTable('seen_events').renameTo('events_seen').execute(),
  'adds a NOT NULL column without a default': (db) => db.schema.alterTable('entities').addColumn('owner', 'text', (c) => c.notNull()).execute(),
  'adds a unique index to an existing table': (db) => db.schema.createIndex('audit_request_once').unique().on('audit_log').column('request_id').execute(),
};

const backends: { name: Dialect; open(): Promise<{ url: string; conn: Connection; done(): Promise<void> }> }[] = [
  {
    name: 'sqlite',
    async open() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-upgrade-'));
      const file = path.join(dir, 'store.db');
      const conn = connectSqlite(file);
      return { url: `sqlite:${file}`, conn, done: async () => (await conn.db.destroy(), fs.rmSync(dir, { recursive: true, force: true })) };
    },
  },
  {
    name: 'postgres',
    async open() {
      const pgdb = await postgresUrlForTest();
      const target = parseDatabaseUrl(pgdb.url);
      if (target.dialect !== 'postgres') throw new Error('expected a postgres URL');
      const conn = await connectPostgres(target, {});
      return { url: pgdb.url, conn, done: async () => (await conn.db.destroy(), await pgdb.drop()) };
    },
  },
];

describe.each(backends)('rolling deploys on $name: migrations only add', ({ name, open }) => {
  it('no migration drops, renames or retypes anything, or adds a NOT NULL column without a default', async () => {
    const { conn, done } = await open();
    try {
      expect(await checkMigrations(conn, name, await createMigrationProvider(name).getMigrations())).toEqual([]);
    } finally {
      await done();
    }
  });

  it('the check reports each breaking change (so the test above can fail)', async () => {
    const { conn, done } = await open();
    try {
      const current = await createMigrationProvider(name).getMigrations();
      await checkMigrations(conn, name, current);
      const found: string[] = [];
      for (const [what, up] of Object.entries(BREAKING)) {
        // Each breaking change in a transaction of its own, rolled back, so the next starts from the same schema.
        const before = await snapshot(conn.db, name);
        await conn.db.transaction().execute(async (trx) => {
          await up(trx);
          const problems = breakingChanges(before, await snapshot(trx, name));
          found.push(`${what}: ${problems.length > 0 ? 'caught' : 'missed'}`);
          throw Object.assign(new Error('roll back'), { rollback: true });
        }).catch((err: { rollback?: boolean }) => {
          if (!err.rollback) throw err;
        });
      }
      expect(found).toEqual(Object.keys(BREAKING).map((what) => `${what}: caught`));
    } finally {
      await done();
    }
  });

  it('this release opens, reads and writes a store the next release has migrated (a rollback, or replicas mid-deploy)', async () => {
    const { url, conn, done } = await open();
    try {
      const next = { ...(await createMigrationProvider(name).getMigrations()), '9999_next_release': NEXT_RELEASE };
      expect(await checkMigrations(conn, name, next)).toEqual([]);
      // The next release wrote a row with its new column set.
      await conn.db.insertInto('entities').values({ kind: 'approval', id: 'from-next', state: 'pending', version: 1, data: '{"n":1}', due_at: null, created_at: 1, updated_at: 1, owner: 'U1' } as never).execute();

      const store = await openStore(url);
      try {
        expect(await store.get('approval', 'from-next')).toMatchObject({ state: 'pending', data: { n: 1 } });
        expect(await store.create({ kind: 'approval', id: 'from-this', state: 'pending', data: { n: 2 }, dueAt: 5 })).toBe(true);
        expect(await store.transition('approval', 'from-next', { from: ['pending'], to: 'approved', patch: { by: 'U2' } })).toMatchObject({ state: 'approved', version: 2 });
        expect((await store.list('approval', { states: ['pending'] })).map((e) => e.id)).toEqual(['from-this']);
        expect(await store.claimEvent('Ev1', 60_000, 1_000)).toBe(true);
        await store.appendAudit({ at: 1, requestId: 'r1', teamId: 'T1', channelId: 'C1', userId: 'U1', kind: 'command', command: '/reach a -> b', outcome: 'ok', durationMs: 3 });
        expect(await store.listAudit({ channelId: 'C1', limit: 5 })).toMatchObject([{ requestId: 'r1', outcome: 'ok' }]);
      } finally {
        await store.close();
      }
      // What this release wrote is whole for the next one: its new columns took their defaults.
      const row = await conn.db.selectFrom('audit_log').select(sql<string>`source`.as('source')).executeTakeFirstOrThrow();
      expect(row.source).toBe('slack');
    } finally {
      await done();
    }
  }, 30_000);
});
