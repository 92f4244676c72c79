import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CANARY } from './canaries';

const run = promisify(execFile);

/**
 * A Postgres cluster of the test's own (issue 13 item 7), so it can be stopped and restarted under load without
 * touching the shared server on 5432 that other test files use. initdb into a temp dir, one free port on
 * 127.0.0.1, its unix socket in the same dir; fsync off (no crash durability needed). As root (CI, the dev
 * container) everything runs as the `postgres` OS user through runuser; as any other user, as that user.
 * `LOOKOUT_PG_BIN` overrides where the server binaries are (default: Debian's postgresql-15). A missing initdb is
 * an error, never a skip.
 */
export interface PrivatePostgres {
  /** DATABASE_URL for Lookout (with a canary password: trust auth ignores it, the secret scan looks for it). */
  url: string;
  port: number;
  /** `pg_ctl restart -m fast`: every backend is terminated, the server comes back on the same port. */
  restart(): Promise<void>;
  /** `pg_ctl stop -m fast`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster (immediate) if it runs and removes its directory; safe to call twice. */
  close(): Promise<void>;
}

const BIN = process.env.LOOKOUT_PG_BIN ?? '/usr/lib/postgresql/15/bin';

function asPostgres(cmd: string, args: string[]): [string, string[]] {
  const root = process.getuid?.() === 0;
  return root ? ['runuser', ['-u', 'postgres', '--', path.join(BIN, cmd), ...args]] : [path.join(BIN, cmd), args];
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  if (!fs.existsSync(path.join(BIN, 'initdb'))) {
    throw new Error(`initdb not found in ${BIN}: install postgresql-15 (Debian: apt-get install postgresql-15) or set LOOKOUT_PG_BIN`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-pg-'));
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 'sock');
  fs.mkdirSync(socket);
  if (process.getuid?.() === 0) {
    const { uid, gid } = userIds('postgres');
    for (const p of [dir, socket]) fs.chownSync(p, uid, gid);
  }
  const port = await freePort();
  const pgCtl = (...args: string[]) => {
    const [cmd, argv] = asPostgres('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), ...args]);
    return run(cmd, argv, { timeout: 60_000 }).catch((err: Error & { stderr?: string }) => {
      throw new Error(`pg_ctl ${args.join(' ')} failed: ${err.message}\n${err.stderr ?? ''}\n${serverLog(dir)}`);
    });
  };
  let running = false;
  const stopNow = () => {
    if (!running) return;
    running = false;
    const [cmd, argv] = asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    try {
      execFileSync(cmd, argv, { stdio: 'ignore', timeout: 30_000 });
    } catch {
      // already stopped
    }
  };
  // A jest worker that dies without running afterAll still takes its cluster down.
  process.once('exit', stopNow);
  try {
    const [cmd, argv] = asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    await run(cmd, argv, { timeout: 120_000 });
    fs.appendFileSync(
      path.join(data, 'postgresql.conf'),
      `\nport = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${socket}'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 50\n`,
    );
    await pgCtl('-w', '-t', '60', 'start');
    running = true;
  } catch (err) {
    stopNow();
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `postgres://postgres:${CANARY.DB_PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    async restart() {
      await pgCtl('-w', '-t', '60', '-m', 'fast', 'restart');
      running = true;
    },
    async stop() {
      await pgCtl('-w', '-t', '60', '-m', 'fast', 'stop');
      running = false;
    },
    async start() {
      await pgCtl('-w', '-t', '60', 'start');
      running = true;
    },
    async close() {
      stopNow();
      process.off('exit', stopNow);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function userIds(name: string): { uid: number; gid: number } {
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`no '${name}' OS user to run Postgres as (it comes with the postgresql package)`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function serverLog(dir: string): string {
  try {
    return fs.readFileSync(path.join(dir, 'server.log'), 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}
