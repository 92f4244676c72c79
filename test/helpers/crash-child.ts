import { runAsChild } from './child-main';
import { childLogging } from './child-log';
import { remoteFis } from './crash-stand-ins';
import { sleepFor } from '../../src/clock';
import { startLookout } from '../../src/main';
import type { Clock } from '../../src/ports/clock';

/**
 * Run in a child process by test/reliability/crash.test.ts: the real Lookout on its database, the Slack stand-in and
 * the AWS stand-ins of the test process (CRASH_FIS_URL; Prometheus from lookout.yml). Prints `{"url": …}` once ready,
 * then runs until it is killed. Its clock runs CRASH_SPEED times real time from CRASH_T0, the same formula as the
 * test's, so every incarnation of the child and the test agree on the time.
 */
async function main(): Promise<void> {
  const t0 = Number(process.env.CRASH_T0);
  const speed = Number(process.env.CRASH_SPEED);
  const clock: Clock = { now: () => t0 + (Date.now() - t0) * speed, sleep: (ms, signal) => sleepFor(Math.max(0, ms / speed), signal) };
  const app = await startLookout({
    env: process.env,
    clock,
    sandbox: true,
    sandboxFis: remoteFis(process.env.CRASH_FIS_URL!),
    // The restart keeps the replica's name, as a container restarted in its pod keeps its hostname.
    chaos: { replicaId: 'lookout-crash-0', dryRunPreview: false },
    // Debug level into the file the test scans for canaries (LOOKOUT_CHILD_LOG), kept across kills.
    ...childLogging(),
  });
  await app.ready;
  process.stdout.write(`${JSON.stringify({ url: app.url })}\n`);
  await new Promise(() => undefined);
}

runAsChild(main);
