import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BOT_TOKEN, SIGNING_SECRET } from './app';
import { childEnv } from './crash-rig';
import { registerForScan, scanRegistry, type ScanTally } from './canaries';
import { CHILD_LOG } from './child-log';
import { scanChildOutput } from './child-scan';
import { postgresUrlForTest } from './postgres';
import { startFisStandIn, startPromStandIn, type FisStandIn, type PromStandIn } from './crash-stand-ins';
import { sleepFor } from '../../src/clock';
import { openStore } from '../../src/store';
import type { Store } from '../../src/ports/store';
import { createSandboxFis } from '../../src/sandbox/fis';
import { longRunTemplates } from './replicas';
import { startSlackStandIn, type SlackStandIn } from '../../src/playground/slack-stand-in';
import { createSlackDriver, type SlackDriver } from '../../src/playground/driver';
import type { Clock } from '../../src/ports/clock';

export const SPEED = 20; // as the crash suite: the start lease (2 min) is 6 s here, a report's claim (10 min) 30 s
export const BOB = 'U0BOB0001';

export interface Replica {
  name: string;
  driver: SlackDriver;
  /** `kill -9`, and wait until the process is gone. */
  kill(): Promise<void>;
  alive: boolean;
}

/** Replicas of the real Lookout, each a child process, on one Postgres schema and one set of stand-ins. */
export interface ReplicaRig {
  store: Store;
  slack: SlackStandIn;
  fis: FisStandIn;
  prom: PromStandIn;
  /** The replicas' shared time (the database's, sped up): what leases and due times are compared with. */
  clock: Clock;
  /** Starts a replica under `name`, its clock `skewMs` off; resolves once it serves. */
  start(name: string, o?: { skewMs?: number; prom?: PromStandIn }): Promise<Replica>;
  /** Opens `store` (after the first replica created the schema, as on a first deploy). */
  openView(): Promise<Store>;
  /** Replicas that exited without being killed, with the end of their stderr: a test fails at once on one. */
  unexpectedExits: string[];
  /** Log lines of "unhandled promise rejection" (installProcessGuards), any replica: a test fails on one. */
  unhandled: string[];
  /**
   * The secret scan (issue 13 item 8) of every replica so far: its debug log and stdout/stderr, every Slack call and
   * message, the audit rows. Hits also fail the test file (test/helpers/secret-scan-setup.ts); close() scans too.
   */
  scan(): Promise<ScanTally>;
  close(): Promise<void>;
}

export async function startReplicaRig(tree: string): Promise<ReplicaRig> {
  const t0 = Date.now();
  const clock: Clock = { now: () => t0 + (Date.now() - t0) * SPEED, sleep: (ms, signal) => sleepFor(Math.max(0, ms / SPEED), signal) };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-replicas-'));
  const pg = await postgresUrlForTest();
  // Runs of hours: each experiment ends when a click or its guard stops it.
  const sandbox = createSandboxFis({ clock, templates: longRunTemplates(), seedHistory: false, maxActive: 1000 });
  const [slack, fis, prom] = await Promise.all([startSlackStandIn({ botToken: BOT_TOKEN }), startFisStandIn(sandbox), startPromStandIn()]);
  // One lookout.yml per Prometheus: a replica may be given a stand-in of its own (to hold its queries alone).
  const configFor = (promUrl: string): string => {
    const file = path.join(dir, `lookout-${Buffer.from(promUrl).toString('hex').slice(-12)}.yml`);
    fs.writeFileSync(
      file,
      `
chaos:
  approvalTtl: 30m
  maxRunning: 1000
  # Each guard query is bounded by half the interval: 3 s of real time here. At 60 s (1.5 s real) a preflight
  # query on a machine at load average 13 took longer and the start was refused, correctly: no working brake.
  guardInterval: 120s
channels:
  default: { allow: ["*"], approvers: [${BOB}], minApprovals: 1 }
metrics: { prometheus: { url: "${promUrl}" } }
reach: { minWatchInterval: 1m }
limits: { perUserPerMinute: 100000, perChannelPerMinute: 100000 }
`,
    );
    return file;
  };
  const env = childEnv({ slack, fis, databaseUrl: pg.url, t0, speed: SPEED });
  const children: ChildProcess[] = [];
  /** Each replica's debug log file (none with CRASH_DEBUG: the log is then on stdout) and its output, for the scan. */
  const outputs: { log?: string; text: { stdout: string; stderr: string } }[] = [];
  let metricsUrl = '';

  const start = async (name: string, o: { skewMs?: number; prom?: PromStandIn } = {}): Promise<Replica> => {
    const config = configFor((o.prom ?? prom).url);
    // Debug level into a file the secret scan reads; with CRASH_DEBUG the log stays on stdout (scanned there too).
    const log = process.env.CRASH_DEBUG ? undefined : path.join(dir, `${name}-${children.length}.log`);
    const c = spawn(process.execPath, [path.join(tree, 'test', 'helpers', 'replica-child.js')], {
      env: { ...env, REPLICA_ID: name, REPLICA_SKEW_MS: String(o.skewMs ?? 0), LOOKOUT_CONFIG: config, ...(log ? { [CHILD_LOG]: log } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(c);
    const output = { log, text: { stdout: '', stderr: '' } };
    outputs.push(output);
    c.stdout!.on('data', (d) => void (output.text.stdout += d));
    c.stderr!.on('data', (d) => void (output.text.stderr += d));
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    let out = '';
    let err = '';
    c.stderr!.on('data', (d) => (err += d));
    if (process.env.CRASH_DEBUG) c.stdout!.pipe(fs.createWriteStream(`${process.env.CRASH_DEBUG}.${name}`, { flags: 'a' }));
    const url = await new Promise<string>((resolve, reject) => {
      let served = false;
      c.stdout!.on('data', (d) => {
        out += d;
        if (!served) {
          const m = /\{"url":"([^"]+)"\}/.exec(out);
          if (!m) return;
          served = true;
          resolve(m[1]!);
          metricsUrl ||= m[1]!;
        }
        const lines = out.split('\n');
        out = lines.pop()!; // an unfinished line waits for its end
        for (const line of lines) if (line.includes('unhandled promise rejection')) rig.unhandled.push(`${name}: ${line.slice(0, 2000)}`);
      });
      c.once('exit', (code, signal) => reject(new Error(`replica ${name} exited (${code ?? signal}) before it served:\n${err}`)));
    });
    c.once('exit', (code, signal) => replica.alive && rig.unexpectedExits.push(`${name} exited (${code ?? signal}): ${err.slice(-3000)}`));
    const replica: Replica = {
      name,
      driver: createSlackDriver({ appUrl: `${url}/slack/events`, signingSecret: SIGNING_SECRET, standIn: slack }),
      alive: true,
      async kill() {
        replica.alive = false;
        c.kill('SIGKILL');
        await exited;
      },
    };
    return replica;
  };

  const rig: ReplicaRig = {
    store: undefined as unknown as Store,
    slack,
    fis,
    prom,
    clock,
    start,
    unexpectedExits: [],
    unhandled: [],
    openView: async () => (rig.store = await openStore(pg.url)),
    async scan() {
      const before = { ...scanRegistry().tally, hits: scanRegistry().tally.hits.length };
      await inProcess(); // the stand-in's calls and messages, the audit rows: into the file's tally
      const { tally } = scanRegistry();
      const scans = outputs.splice(0).map((o) => scanChildOutput(o));
      return {
        logLines: scans.reduce((n, x) => n + x.logLines, 0),
        messages: tally.messages - before.messages,
        auditRows: tally.auditRows - before.auditRows,
        metricsBodies: tally.metricsBodies - before.metricsBodies,
        hits: [...tally.hits.slice(before.hits), ...scans.flatMap((x) => x.hits)],
      };
    },
    async close() {
      for (const c of children) c.kill('SIGKILL');
      await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
      await rig.scan();
      await rig.store?.close();
      await Promise.all([slack.close(), fis.close(), prom.close()]);
      await pg.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  const inProcess = registerForScan({
    url: () => metricsUrl, // the first replica's /metrics (the kill test kills the last one)
    listAudit: async () => (rig.store ? rig.store.listAudit({ limit: 100_000 }) : []),
    slackCalls: () => slack.calls as unknown as Array<Record<string, unknown>>,
    slackMessages: () => slack.allMessages(),
  });
  return rig;
}
