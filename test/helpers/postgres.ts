import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * The shared test database; CI and every local run use it, so each run works in a schema of its own.
 * pg takes a missing user name from $USER, which containers often leave unset: fall back to `postgres`.
 */
export function postgresBaseUrl(): string {
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test');
  if (!url.username) url.username = process.env.PGUSER || process.env.USER || 'postgres';
  // A canary password (test/helpers/canaries.ts) where none is given: trust auth ignores it, scans look for it.
  if (!url.password && !process.env.TEST_DATABASE_URL) url.password = 'canary-dbpass-51f0e2';
  return url.toString();
}

const PREFIX = 'lookout_t_';
// A run that crashed cannot drop its schema; anything this much older than its embedded timestamp is litter.
const STALE_MS = 24 * 60 * 60 * 1000;

async function withClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: postgresBaseUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function dropStaleSchemas(client: Client): Promise<void> {
  const { rows } = await client.query<{ nspname: string }>(`select nspname from pg_namespace where nspname like '${PREFIX}%'`);
  for (const { nspname } of rows) {
    const born = parseInt(nspname.slice(PREFIX.length).split('_')[0] ?? '', 36);
    if (Number.isFinite(born) && Date.now() - born > STALE_MS) await client.query(`drop schema if exists "${nspname}" cascade`);
  }
}

/**
 * A fresh, uniquely named schema on the test database and a DATABASE_URL pointing at it. With
 * `create: false` the schema is left for openStore to create (to test concurrent first opens).
 * Fails (never skips) when Postgres is not reachable.
 */
export async function postgresUrlForTest(opts: { create?: boolean } = {}): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const schema = `${PREFIX}${Date.now().toString(36)}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withClient(async (c) => {
    await dropStaleSchemas(c);
    if (opts.create !== false) await c.query(`create schema "${schema}"`);
  });
  const url = new URL(postgresBaseUrl());
  url.searchParams.set('schema', schema);
  // Tests need no crash durability; skipping the WAL flush per commit keeps them fast on a busy machine.
  const options = [url.searchParams.get('options'), '-c synchronous_commit=off'].filter(Boolean).join(' ');
  url.searchParams.set('options', options);
  return {
    url: url.toString(),
    schema,
    drop: () => withClient(async (c) => void (await c.query(`drop schema if exists "${schema}" cascade`))),
  };
}
