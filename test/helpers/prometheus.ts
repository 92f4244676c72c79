import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real Prometheus for tests (Debian package `prometheus`): a free loopback port, a temp config that scrapes
 * itself every second, a temp TSDB. start() returns once it is ready and has scraped `minScrapes` times.
 */
export interface RunningPrometheus {
  url: string;
  stop(): Promise<void>;
}

const BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function poll<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, log: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`Prometheus: timed out waiting for ${what}.\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startPrometheus(options: { minScrapes?: number } = {}): Promise<RunningPrometheus> {
  if (!existsSync(BIN)) throw new Error(`${BIN} not found: install it with \`apt-get install -y prometheus\` (or set PROMETHEUS_BIN).`);
  const dir = mkdtempSync(join(tmpdir(), 'lookout-prom-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global: { scrape_interval: 1s, evaluation_interval: 1s }\n` +
      `scrape_configs:\n  - job_name: prometheus\n    static_configs: [ { targets: ['127.0.0.1:${port}'] } ]\n`,
  );
  let output = '';
  const child: ChildProcess = spawn(
    BIN,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killed);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const log = () => output.slice(-2000);
    await poll('readiness', 20_000, async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), log);
    const minScrapes = options.minScrapes ?? 2;
    await poll(`${minScrapes} scrapes`, 20_000, async () => {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent('count_over_time(up[1m])')}`);
      const body = (await res.json()) as { data?: { result?: { value: [number, string] }[] } };
      const n = Number(body.data?.result?.[0]?.value[1] ?? 0);
      return n >= minScrapes ? true : undefined;
    }, log);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
}
