import { randomBytes } from 'node:crypto';
import type { Logger } from '../log/logger';

// Every command takes an id: random bytes are drawn 4 KiB at a time (one call to the CSPRNG per 819 ids).
const ID_BYTES = 5;
let pool = Buffer.alloc(0);
let used = 0;

/** A short id shown to people and written to the log line and the audit row, so the three can be matched. */
export function newReferenceId(): string {
  if (used + ID_BYTES > pool.length) {
    pool = randomBytes(4096);
    used = 0;
  }
  used += ID_BYTES;
  return `lk-${pool.toString('hex', used - ID_BYTES, used)}`;
}

interface ProcessLike {
  on(event: 'unhandledRejection', fn: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', fn: (err: Error) => void): unknown;
}

/**
 * The process-level policy (docs/design-notes.md, "Process policy"):
 * - an unhandled rejection is a bug in some background path, not a broken process: it is logged at `error` with a
 *   reference id and Lookout keeps serving (every request already has its own boundary in the HTTP server and
 *   handlers/reply.ts, so no request can get here);
 * - an uncaught exception leaves memory in an unknown state: it is logged at `fatal`, Lookout drains the work in
 *   flight and exits 1 for the orchestrator to restart it. The store is the source of truth, so nothing is lost.
 * Configuration and token problems at start exit before this is installed (scripts/start.js, main()).
 */
export function installProcessGuards(o: { logger: Logger; stop(): Promise<void>; exit?: (code: number) => void; proc?: ProcessLike }): void {
  const proc = o.proc ?? process;
  const exit = o.exit ?? ((code: number) => process.exit(code));
  proc.on('unhandledRejection', (reason) => {
    o.logger.error({ err: reason, ref: newReferenceId() }, 'unhandled promise rejection; still serving');
  });
  let exiting = false;
  proc.on('uncaughtException', (err) => {
    o.logger.fatal({ err, ref: newReferenceId() }, 'uncaught exception; draining and exiting');
    if (exiting) return;
    exiting = true;
    o.stop().then(
      () => exit(1),
      () => exit(1),
    );
  });
}
