import SqliteDatabase from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { Store } from '../../src/ports/store';
import { OpenStoreOptions, openStore } from '../../src/store';
import { postgresBaseUrl, postgresUrlForTest } from './postgres';

export interface OpenedStore {
  store: Store;
  url: string;
  /** A second Store on the same database: another replica, or the app after a restart. */
  reopen(opts?: OpenStoreOptions): Promise<Store>;
  /** Closes every Store opened through this handle and removes the database. */
  cleanup(): Promise<void>;
  /** Rows in one of the store's tables, read behind the Store's back (to check housekeeping such as pruning). */
  countRows(table: 'entities' | 'seen_events' | 'audit_log' | 'kysely_migration'): Promise<number>;
  /** Runs SQL on the database behind the Store's back (Postgres: in the store's schema), e.g. to plant old rows. */
  execute(statement: string): Promise<void>;
  /** Runs statements in one session behind the Store's back; the rows of the last one. */
  query(...statements: string[]): Promise<Record<string, unknown>[]>;
}

interface Database {
  url: string;
  remove(): Promise<void>;
  countRows(table: string): Promise<number>;
  execute(statement: string): Promise<void>;
  query(...statements: string[]): Promise<Record<string, unknown>[]>;
}

export interface StoreBackend {
  name: 'sqlite' | 'postgres';
  open(opts?: OpenStoreOptions): Promise<OpenedStore>;
}

async function openTracked({ url, remove: removeDatabase, countRows, execute, query }: Database, opts: OpenStoreOptions | undefined): Promise<OpenedStore> {
  const opened: Store[] = [];
  const track = async (o?: OpenStoreOptions) => {
    const s = await openStore(url, o);
    opened.push(s);
    return s;
  };
  let store: Store;
  try {
    store = await track(opts);
  } catch (err) {
    await removeDatabase();
    throw err;
  }
  return {
    store,
    url,
    countRows,
    execute,
    query,
    reopen: (o) => track({ ...opts, ...o }),
    async cleanup() {
      await Promise.all(opened.map((s) => s.close()));
      await removeDatabase();
    },
  };
}

/** Both databases, for `describe.each(storeBackends)('$name', …)`. SQLite is a file so reopen() sees the same data. */
export const storeBackends: StoreBackend[] = [
  {
    name: 'sqlite',
    async open(opts) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-store-'));
      const file = path.join(dir, 'lookout.db');
      const countRows = async (table: string) => {
        const db = new SqliteDatabase(file, { readonly: true });
        try {
          return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
        } finally {
          db.close();
        }
      };
      const execute = async (statement: string) => {
        const db = new SqliteDatabase(file);
        try {
          db.exec(statement);
        } finally {
          db.close();
        }
      };
      const query = async (...statements: string[]) => {
        const db = new SqliteDatabase(file);
        try {
          let rows: Record<string, unknown>[] = [];
          for (const st of statements) rows = db.prepare(st).all() as Record<string, unknown>[];
          return rows;
        } finally {
          db.close();
        }
      };
      const remove = async () => fs.rmSync(dir, { recursive: true, force: true });
      return openTracked({ url: `sqlite:${file}`, remove, countRows, execute, query }, opts);
    },
  },
  {
    name: 'postgres',
    async open(opts) {
      const pg = await postgresUrlForTest();
      const withClient = async <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
        const client = new Client({ connectionString: postgresBaseUrl() });
        await client.connect();
        try {
          return await fn(client);
        } finally {
          await client.end();
        }
      };
      const countRows = (table: string) =>
        withClient(async (c) => Number((await c.query<{ n: string }>(`select count(*) as n from "${pg.schema}".${table}`)).rows[0].n));
      const query = (...statements: string[]) =>
        withClient(async (c) => {
          await c.query(`set search_path to "${pg.schema}"`);
          let rows: Record<string, unknown>[] = [];
          for (const st of statements) rows = (await c.query(st)).rows;
          return rows;
        });
      const execute = async (statement: string) => void (await query(statement));
      // Postgres here is shared by every test run (max_connections 100): a small pool still races for real.
      return openTracked({ url: pg.url, remove: pg.drop, countRows, execute, query }, { maxConnections: 4, ...opts });
    },
  },
];
