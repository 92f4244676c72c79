import fs from 'node:fs';
import pino from 'pino';
import { createLogger, type Logger } from '../../src/log/logger';
import type { Scannable } from './canaries';

/** The child side of test/helpers/child-scan.ts: where a Lookout in a child process logs and dumps what it posted. */
export const CHILD_LOG = 'LOOKOUT_CHILD_LOG';
export const CHILD_SCAN = 'LOOKOUT_CHILD_SCAN';

/** Child side: `{ logger }` at debug into LOOKOUT_CHILD_LOG, or nothing (LOG_LEVEL decides) when it is not set. */
export function childLogging(): { logger?: Logger } {
  const file = process.env[CHILD_LOG];
  return file ? { logger: createLogger({ level: 'debug', destination: pino.destination({ dest: file, append: true, sync: true, mkdir: true }) }) } : {};
}

/** Child side: appends one JSON line of what the app posted and stored to LOOKOUT_CHILD_SCAN (none when not set). */
export function childDump(target: Scannable): () => Promise<void> {
  let done = false;
  return async () => {
    if (!process.env[CHILD_SCAN] || done) return;
    done = true;
    const audit = await target.listAudit().catch(() => []);
    const metrics = await fetch(`${target.url()}/metrics`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.text(), () => undefined);
    appendChildScan({ calls: target.slackCalls(), messages: target.slackMessages(), audit, ...(metrics === undefined ? {} : { metrics }) });
  };
}

/** Child side: appends what it has now (e.g. before a child drops the stand-in's calls to measure memory). */
export function appendChildScan(part: { calls?: Array<Record<string, unknown>>; messages?: unknown[]; audit?: unknown[]; metrics?: string }): void {
  const file = process.env[CHILD_SCAN];
  if (!file) return;
  // The stand-in records the token each call was authorised with (transport, not content): left out.
  const calls = (part.calls ?? []).map(({ token: _token, ...call }) => call);
  fs.appendFileSync(file, `${JSON.stringify({ messages: [], audit: [], ...part, calls })}\n`);
}
