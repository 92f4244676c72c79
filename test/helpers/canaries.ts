import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/log/logger';
import { childDump, childLogging } from './child-log';

/**
 * Recognisable secret values (issue 13 item 8). Every Lookout a test starts through the shared helpers (app.ts,
 * replicas.ts) runs with them, its log lines are captured into memory, and at the end of each test file every log
 * line, every Slack call and message the stand-in saw, every audit row and a /metrics body are scanned for them
 * (and for their last 10 characters): any hit fails the file (test/helpers/secret-scan-setup.ts).
 */
export const CANARY = {
  SLACK_BOT_TOKEN: 'xoxb-canary-7f3a9e1-bottoken',
  SLACK_SIGNING_SECRET: 'canary-signing-5e1d2c77a0',
  SLACK_APP_TOKEN: 'xapp-1-canary-3c9d1e0b7f',
  AWS_ACCESS_KEY_ID: 'AKIACANARY7Q2W3E4R5T',
  AWS_SECRET_ACCESS_KEY: 'canary/aws/secret+6h8j0k2l4m6n8p0q',
  AWS_SESSION_TOKEN: 'canary-session-IQoJb3JpZ2luX2VjE9x',
  DB_PASSWORD: 'canary-dbpass-51f0e2',
  PROM_TOKEN: 'canary-prom-4b8e1f93c2',
  GRAFANA_TOKEN: 'canary-grafana-9c2d7a51e8',
} as const;

export const NEEDLES: Array<[string, string]> = Object.entries(CANARY).flatMap(([name, v]) => [
  [name, v],
  [`${name} (tail)`, v.slice(-10)],
]);

/** The hits of one scanned text: `<canary> in <where>: <excerpt>`. */
export function findCanaries(where: string, text: string): string[] {
  const hits: string[] = [];
  for (const [name, needle] of NEEDLES) {
    const at = text.indexOf(needle);
    if (at >= 0) hits.push(`${name} in ${where}: …${text.slice(Math.max(0, at - 120), at + 80)}…`);
  }
  return hits;
}

/** What the scans of one test file found, and how much they looked at. */
export interface ScanTally {
  logLines: number;
  messages: number; // Slack calls recorded by the stand-in (arguments and replies) plus stored messages
  auditRows: number;
  metricsBodies: number;
  hits: string[];
}

const key = Symbol.for('lookout.secretScan');
type Registry = { tally: ScanTally; pending: Set<() => Promise<void>> };

/** One registry per test file (jest gives each file its own module registry and global object). */
export function scanRegistry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry>;
  g[key] ??= { tally: { logLines: 0, messages: 0, auditRows: 0, metricsBodies: 0, hits: [] }, pending: new Set() };
  return g[key];
}

/** A logger at debug level whose lines are scanned as they are written and then dropped (nothing is printed). */
export function scannedLogger(): Logger {
  const { tally } = scanRegistry();
  const destination = new Writable({
    write(chunk, _enc, done) {
      const text = String(chunk);
      tally.logLines += text.split('\n').filter(Boolean).length;
      tally.hits.push(...findCanaries('a log line', text));
      done();
    },
  });
  return createLogger({ level: 'debug', destination });
}

/**
 * `{ logger }` for startLookout inside jest; in a child process (the load, flood and footprint children use the
 * same helpers) a debug-level log into the file its parent scans (test/helpers/child-log.ts), when it gives one.
 */
export function scannedLogging(): { logger?: Logger } {
  return inJest() ? { logger: scannedLogger() } : childLogging();
}

const inJest = () => typeof (globalThis as { expect?: unknown }).expect === 'function';

export interface Scannable {
  url: () => string; // the app's base URL, for /metrics
  listAudit: () => Promise<unknown[]>;
  slackCalls: () => Array<Record<string, unknown>>;
  slackMessages: () => unknown[];
}

/**
 * Registers a running Lookout for the end-of-file scan. Returns `scan`, to call just before the app stops (the
 * helpers do); one still running at the end of the file is scanned by the setup file's afterAll.
 */
export function registerForScan(target: Scannable): () => Promise<void> {
  if (!inJest()) return childDump(target); // a child process: written to a file its parent scans (child-scan.ts)
  const registry = scanRegistry();
  let done = false;
  const scan = async () => {
    if (done) return;
    done = true;
    registry.pending.delete(scan);
    const { tally } = registry;
    // The stand-in records the token each call was authorised with (transport, not content): left out.
    for (const { token: _token, ...call } of target.slackCalls()) tally.hits.push(...findCanaries('a Slack call', JSON.stringify(call)));
    const messages = target.slackMessages();
    for (const m of messages) tally.hits.push(...findCanaries('a Slack message', JSON.stringify(m)));
    tally.messages += target.slackCalls().length + messages.length;
    const audit = await target.listAudit().catch(() => []);
    for (const row of audit) tally.hits.push(...findCanaries('an audit row', JSON.stringify(row)));
    tally.auditRows += audit.length;
    const metrics = await fetch(`${target.url()}/metrics`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.text(), () => undefined);
    if (metrics !== undefined) {
      tally.metricsBodies++;
      tally.hits.push(...findCanaries('/metrics', metrics));
    }
  };
  registry.pending.add(scan);
  return scan;
}
