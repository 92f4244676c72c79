import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { startBench, type Bench } from '../helpers/app';
import { RAW, answer, burst, readyz, yaml } from '../helpers/store-fault-bench';
import { eventually } from '../helpers/fast-clock';
import { postgresUrlForTest } from '../helpers/postgres';
import { size } from '../helpers/soak';

/**
 * Issue 13 item 7: the store goes away and comes back. Postgres cut behind a TCP proxy the test controls (the
 * network drops every connection while the server stays up and says nothing: no shutdown message, unlike a real
 * restart, which test/reliability/postgres-restart.test.ts plays on a private cluster); SQLite is held busy by another connection's write lock; and its file
 * sits on a tmpfs that fills up. Each time: a clear message (never the driver's text), /readyz 503 while the store
 * cannot do its work, and the same process working again once the fault is gone.
 */
const LOAD = size(20, 200);

/** A TCP proxy to `target` that can be cut: down drops every connection and drops new ones at once. */
async function startProxy(target: { host: string; port: number }) {
  const open = new Set<net.Socket>();
  let up = true;
  const server = net.createServer((client) => {
    if (!up) return void client.destroy();
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    down() {
      up = false;
      for (const s of open) s.destroy();
    },
    up() {
      up = true;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  };
}

describe('store faults: Postgres down behind a proxy', () => {
  let bench: Bench;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  let db: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    db = await postgresUrlForTest();
    const real = new URL(db.url);
    proxy = await startProxy({ host: real.hostname, port: Number(real.port || 5432) });
    const viaProxy = new URL(db.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    bench = await startBench({ yaml, env: { DATABASE_URL: viaProxy.toString() }, start: { sandbox: true } });
  }, 60_000);
  afterAll(async () => {
    await bench?.stop();
    await proxy?.close();
    await db?.drop();
  });

  it('commands answer clearly and /readyz says 503 while it is down; both recover without a restart', async () => {
    expect(await readyz(bench)).toBe(200);
    expect(await answer(bench, '/report', 'list')).not.toMatch(/cannot reach its database/);

    // Cut while a burst of commands is under way: each one answers, either done or with the clear message.
    // Paced (one command every 10 ms, as a busy channel would send them), not all in the same millisecond: the
    // delivery-id claim before the ack shares the pool, and a pile-up of hundreds would miss Slack's 3 s ack.
    const inFlight = burst(bench, LOAD);
    await eventually(() => bench.slack.calls.some((c) => c.method === 'response_url' || c.method === 'chat.postMessage') || undefined);
    proxy.down();
    for (const reply of await inFlight) {
      expect(reply).toMatch(/`r-[a-z0-9]+` added|Lookout cannot reach its database right now/);
      expect(reply).not.toMatch(RAW);
    }
    await eventually(async () => (await readyz(bench)) === 503, 30_000);
    for (const [cmd, text] of [['/report', 'list'], ['/report', 'add "0 9 * * *" -- /metrics up']] as const) {
      const reply = await answer(bench, cmd, text);
      expect(reply).toMatch(/Lookout cannot reach its database right now/);
      expect(reply).not.toMatch(RAW);
    }

    proxy.up();
    await eventually(async () => (await readyz(bench)) === 200, 30_000);
    // Every pooled connection the cut broke is dropped: the next commands run on fresh ones.
    for (let i = 0; i < 3; i++) {
      const reply = await answer(bench, '/report', 'add "0 9 * * *" -- /metrics up');
      expect(reply).toMatch(/`r-[a-z0-9]+` added/);
    }
  }, 120_000);
});

describe('store faults: SQLite busy', () => {
  let bench: Bench;
  beforeAll(async () => {
    bench = await startBench({ yaml, start: { sandbox: true } });
  });
  afterAll(() => bench?.stop());

  it('a write lock held past the busy timeout gives "busy, try again", and the next command works', async () => {
    const other = new SqliteDatabase(path.join(bench.dir, 'lookout.db'));
    try {
      other.exec('BEGIN IMMEDIATE');
      const reply = await answer(bench, '/report', 'add "0 9 * * *" -- /metrics up');
      expect(reply).toMatch(/database is busy/);
      expect(reply).toMatch(/Try again in a moment/);
      expect(reply).not.toMatch(RAW);
      other.exec('COMMIT');
    } finally {
      other.close();
    }
    expect(await readyz(bench)).toBe(200);
    expect(await answer(bench, '/report', 'add "0 9 * * *" -- /metrics up')).toMatch(/`r-[a-z0-9]+` added/);
  }, 60_000);

  it('a write lock held briefly is waited out without holding the event loop: the command succeeds', async () => {
    const other = new SqliteDatabase(path.join(bench.dir, 'lookout.db'));
    try {
      other.exec('BEGIN IMMEDIATE');
      // Released by a timer of this process: it fires only if the store's wait leaves the event loop free.
      const release = setTimeout(() => other.exec('COMMIT'), 1_000);
      const reply = await answer(bench, '/report', 'add "1 9 * * *" -- /metrics up');
      clearTimeout(release);
      expect(reply).toMatch(/`r-[a-z0-9]+` added/);
    } finally {
      if (other.inTransaction) other.exec('COMMIT');
      other.close();
    }
  }, 60_000);
});

describe('store faults: the SQLite file’s disk fills up (a 2 MiB tmpfs)', () => {
  let bench: Bench;
  let mount: string;
  const filler = () => path.join(mount, 'filler');
  beforeAll(async () => {
    mount = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mount]);
    bench = await startBench({ yaml, env: { DATABASE_URL: `sqlite:${path.join(mount, 'lookout.db')}` }, start: { sandbox: true } });
  });
  afterAll(async () => {
    await bench?.stop();
    if (mount) {
      execFileSync('umount', [mount]);
      fs.rmSync(mount, { recursive: true, force: true });
    }
  });

  /** Fills what is left of the filesystem. */
  function fill(): void {
    const fd = fs.openSync(filler(), 'a');
    try {
      const chunk = Buffer.alloc(64 * 1024, 1);
      for (;;) fs.writeSync(fd, chunk);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    } finally {
      fs.closeSync(fd);
    }
  }

  it('writes fail with "out of disk space", /readyz says 503, and both recover once space is freed', async () => {
    expect(await readyz(bench)).toBe(200);
    fill();
    // The WAL may still have room for a few commits: write until the disk says no (bounded).
    let reply = '';
    for (let i = 0; i < 50 && !/out of disk space/.test(reply); i++) {
      reply = await answer(bench, '/report', `add "${i} 9 * * *" -- /metrics up`);
    }
    expect(reply).toMatch(/Lookout’s database is out of disk space, so this could not be saved/);
    expect(reply).not.toMatch(RAW);
    expect(await readyz(bench)).toBe(503);

    fs.rmSync(filler());
    await eventually(async () => (await readyz(bench)) === 200, 30_000);
    expect(await answer(bench, '/report', 'add "0 9 * * *" -- /metrics up')).toMatch(/`r-[a-z0-9]+` added/);
  }, 120_000);
});
