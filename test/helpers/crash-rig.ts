import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BOT_TOKEN, SIGNING_SECRET } from './app';
import { registerForScan, scanRegistry, type ScanTally } from './canaries';
import { CHILD_LOG } from './child-log';
import { scanChildOutput } from './child-scan';
import { postgresUrlForTest } from './postgres';
import { startFisStandIn, startPromStandIn, type FisStandIn, type PromStandIn } from './crash-stand-ins';
import { sleepFor } from '../../src/clock';
import { openStore } from '../../src/store';
import type { Store } from '../../src/ports/store';
import { createSandboxFis, sandboxTemplates } from '../../src/sandbox/fis';
import { startSlackStandIn, type SlackStandIn } from '../../src/playground/slack-stand-in';
import { createSlackDriver, type SlackDriver } from '../../src/playground/driver';
import type { Clock } from '../../src/ports/clock';

export const SPEED = 20; // one minute of schedule is 3 s here; the report lease (10 min) 30 s
export const CHAOS_CHANNEL = 'C0CRASHCH';
export const REPORT_CHANNEL = 'C0CRASHRP';
export const ALICE = 'U0ALICE01';
export const BOB = 'U0BOB0001';
export const BRAKE = 'crash_brake';

/** A Lookout in a child process, killed with SIGKILL and started again on the same database and stand-ins. */
export interface CrashRig {
  store: Store;
  slack: SlackStandIn;
  driver: SlackDriver;
  fis: FisStandIn;
  prom: PromStandIn;
  clock: Clock;
  /** `kill -9` now (synchronous: usable inside a stand-in's event, before it answers). */
  killNow(): void;
  /** `kill -9` and wait until the process is gone. */
  kill(): Promise<void>;
  /** Starts the child again (after a kill); resolves once it serves. */
  start(): Promise<void>;
  restarts: number;
  /**
   * The secret scan (issue 13 item 8) of every incarnation: its debug log and stdout/stderr, every Slack call and
   * message the stand-in saw, the audit rows and the running child's /metrics. Counted in the file's tally.
   */
  scan(): Promise<ScanTally>;
  close(): Promise<void>;
}

/**
 * The environment of a rig's Lookout child (crash-child.ts, replica-child.ts; the replica rig's too): the test
 * process's own (its canary credentials included), the Slack stand-in, the database, and what the child reads to
 * reach the FIS stand-in and run its clock `speed` times real time from `t0` (as the rig's).
 */
export function childEnv(o: { slack: SlackStandIn; fis: FisStandIn; databaseUrl: string; t0: number; speed: number }): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: o.slack.apiUrl,
    PORT: '0',
    DATABASE_URL: o.databaseUrl,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    AWS_REGION: 'us-east-1',
    CRASH_T0: String(o.t0),
    CRASH_SPEED: String(o.speed),
    CRASH_FIS_URL: o.fis.url,
  };
}

export async function startCrashRig(tree: string, backend: 'sqlite' | 'postgres'): Promise<CrashRig> {
  const t0 = Date.now();
  const clock: Clock = { now: () => t0 + (Date.now() - t0) * SPEED, sleep: (ms, signal) => sleepFor(Math.max(0, ms / SPEED), signal) };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-crash-'));
  const pg = backend === 'postgres' ? await postgresUrlForTest() : undefined;
  const databaseUrl = pg?.url ?? `sqlite:${path.join(dir, 'lookout.db')}`;
  // Runs of hours, so an experiment outlasts every kill and restart of a round; it ends when stopped.
  const templates = sandboxTemplates().map((t) => ({
    ...t,
    template: { ...t.template, actions: t.template.actions.map((a) => ({ ...a, parameters: { ...a.parameters, duration: 'PT2H' } })) },
  }));
  const sandbox = createSandboxFis({ clock, templates, seedHistory: false });
  const [slack, fis, prom] = await Promise.all([startSlackStandIn({ botToken: BOT_TOKEN }), startFisStandIn(sandbox), startPromStandIn()]);
  fs.writeFileSync(
    path.join(dir, 'lookout.yml'),
    `
chaos:
  approvalTtl: 30m
  maxRunning: 5
  # Each guard query is bounded by half the interval: 30 s here is 1.5 s of real time (15 s would be 0.4 s, too
  # tight on a loaded machine: a slow answer refused a recovered start once, correctly, as "no working brake").
  guardInterval: 60s
  guards:
    - { name: crash-brake, expr: '${BRAKE} > 0', templates: [cpu-stress-web] }
channels:
  default: { allow: ["*"], approvers: [${BOB}], minApprovals: 1 }
metrics: { prometheus: { url: "${prom.url}" } }
reports:
  - { id: crash-report, channel: ${REPORT_CHANNEL}, cron: "* * * * *", command: "/metrics up" }
`,
  );
  const env = {
    ...childEnv({ slack, fis, databaseUrl, t0, speed: SPEED }),
    LOOKOUT_CONFIG: path.join(dir, 'lookout.yml'),
    // Debug level into a file the secret scan reads; with CRASH_DEBUG the log stays on stdout (scanned there too).
    ...(process.env.CRASH_DEBUG ? {} : { [CHILD_LOG]: path.join(dir, 'child.log') }),
  };
  let output = { stdout: '', stderr: '' };
  let url = '';
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    const c = spawn(process.execPath, [path.join(tree, 'test', 'helpers', 'crash-child.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    exited = new Promise((r) => c.once('exit', () => r()));
    let out = '';
    let err = '';
    c.stderr!.on('data', (d) => ((err += d), (output.stderr += d)));
    c.stdout!.on('data', (d) => void (output.stdout += d));
    // CRASH_DEBUG=<file> (with LOG_LEVEL=info): every incarnation's log is appended there; the test prints its steps.
    if (process.env.CRASH_DEBUG) c.stdout!.pipe(fs.createWriteStream(process.env.CRASH_DEBUG, { flags: 'a' }));
    url = await new Promise<string>((resolve, reject) => {
      c.stdout!.on('data', (d) => {
        out += d;
        const m = /\{"url":"([^"]+)"\}/.exec(out);
        if (m) resolve(m[1]!);
      });
      c.once('exit', (code, signal) => reject(new Error(`the Lookout child exited (${code ?? signal}) before it served:\n${err}`)));
    });
    rig.driver = createSlackDriver({ appUrl: `${url}/slack/events`, signingSecret: SIGNING_SECRET, standIn: slack });
    rig.restarts++;
  };
  const killNow = () => void child?.kill('SIGKILL');
  const rig: CrashRig = {
    store: undefined as unknown as Store,
    slack,
    driver: undefined as unknown as SlackDriver,
    fis,
    prom,
    clock,
    killNow,
    async kill() {
      killNow();
      await exited;
    },
    start,
    restarts: -1, // the first start is not a restart
    async scan() {
      const before = { ...scanRegistry().tally, hits: scanRegistry().tally.hits.length };
      await inProcess(); // the stand-in's calls and messages, the audit rows, /metrics: into the file's tally
      const { tally } = scanRegistry();
      const stands = { logLines: 0, messages: tally.messages - before.messages, auditRows: tally.auditRows - before.auditRows, metricsBodies: tally.metricsBodies - before.metricsBodies, hits: tally.hits.slice(before.hits) };
      const child = scanChildOutput({ log: env[CHILD_LOG], text: output });
      output = { stdout: '', stderr: '' };
      return { logLines: child.logLines, messages: stands.messages, auditRows: stands.auditRows, metricsBodies: stands.metricsBodies, hits: [...stands.hits, ...child.hits] };
    },
    async close() {
      await inProcess();
      await rig.kill();
      await rig.store?.close();
      await Promise.all([slack.close(), fis.close(), prom.close()]);
      await pg?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  const inProcess = registerForScan({
    url: () => url,
    listAudit: () => rig.store.listAudit({ limit: 100_000 }),
    slackCalls: () => slack.calls as unknown as Array<Record<string, unknown>>,
    slackMessages: () => slack.allMessages(),
  });
  // The schema is the child's to create (as on a first deploy): the test's view of the database opens after it.
  await start();
  rig.store = await openStore(databaseUrl);
  return rig;
}
