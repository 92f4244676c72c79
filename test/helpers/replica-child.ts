import { runAsChild } from './child-main';
import { childLogging } from './child-log';
import { remoteFis } from './crash-stand-ins';
import { sleepFor } from '../../src/clock';
import { startLookout } from '../../src/main';
import { createLogger } from '../../src/log/logger';
import { installProcessGuards } from '../../src/ops/process-guards';
import type { Clock } from '../../src/ports/clock';

/**
 * One replica of test/reliability/replicas-kill.test.ts in a child process (the real Lookout, as crash-child.ts):
 * named REPLICA_ID on leases and claims, its clock CRASH_SPEED times real time from CRASH_T0 and REPLICA_SKEW_MS
 * off. A skewed replica's host clock (the one its store compares with the database's) is off by as much, as on a
 * host whose clock drifted. Prints `{"url": …}` once ready, then runs until it is killed.
 */
async function main(): Promise<void> {
  const t0 = Number(process.env.CRASH_T0);
  const speed = Number(process.env.CRASH_SPEED);
  const skew = Number(process.env.REPLICA_SKEW_MS ?? 0);
  const clock: Clock = { now: () => t0 + (Date.now() - t0) * speed + skew, sleep: (ms, signal) => sleepFor(Math.max(0, ms / speed), signal) };
  const app = await startLookout({
    env: process.env,
    clock,
    wallClock: () => Date.now() + skew,
    sandbox: true,
    sandboxFis: remoteFis(process.env.CRASH_FIS_URL!),
    chaos: { replicaId: process.env.REPLICA_ID!, dryRunPreview: false },
    ...childLogging(), // debug level into the file the rig's secret scan reads, when it names one
  });
  // As main() does in production: an unhandled rejection is logged and the replica keeps serving (Node's default
  // would end it: a Slack ECONNRESET in some background path did, under the full-size load).
  // At `error` at least, even when the replica's own log is silent: the rig counts these lines (replica-rig.ts).
  const level = !process.env.LOG_LEVEL || process.env.LOG_LEVEL === 'silent' ? 'error' : process.env.LOG_LEVEL;
  installProcessGuards({ logger: createLogger({ level }), stop: () => app.stop() });
  await app.ready;
  process.stdout.write(`${JSON.stringify({ url: app.url })}\n`);
  await new Promise(() => undefined);
}

runAsChild(main);
