import fs from 'node:fs';
import path from 'node:path';
import { BOT_TOKEN, SIGNING_SECRET, type Bench } from './app';
import { registerForScan, scannedLogging } from './canaries';
import { startLookout, type LookoutHandle, type StartOptions } from '../../src/main';
import { createSandboxFis, sandboxTemplates, type SandboxFis } from '../../src/sandbox/fis';
import type { Experiments } from '../../src/ports/experiments';
import type { Clock } from '../../src/ports/clock';

/** The sandbox's templates with every action lasting `duration`: runs that end only when a click or a guard stops them. */
export function longRunTemplates(duration = 'PT2H') {
  return sandboxTemplates().map((t) => ({
    ...t,
    template: { ...t.template, actions: t.template.actions.map((a) => ({ ...a, parameters: { ...a.parameters, duration } })) },
  }));
}

/** The sandbox FIS with a record of every StopExperiment Lookout calls (one list across all replicas sharing it). */
export function stopRecordingFis(clock: Clock, maxActive?: number, templates = sandboxTemplates()): { sandbox: SandboxFis; fis: SandboxFis; stops: string[] } {
  const sandbox = createSandboxFis({ clock, seedHistory: false, maxActive, templates });
  const stops: string[] = [];
  const experiments: Experiments = { ...sandbox.experiments, stop: (id) => (stops.push(id), sandbox.experiments.stop(id)) };
  return { sandbox, fis: { ...sandbox, experiments, forTarget: () => experiments }, stops };
}

/** A second Lookout on the bench's lookout.yml, Slack stand-in and database (`databaseUrl`): another replica. */
export async function startReplica(bench: Bench, databaseUrl: string, start: Partial<StartOptions>): Promise<LookoutHandle> {
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: bench.slack.apiUrl,
    PORT: '0',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    AWS_REGION: 'us-east-1',
    LOOKOUT_CONFIG: path.join(bench.dir, 'lookout.yml'),
  };
  const app = await startLookout({ env, readFile: (p, enc) => fs.readFileSync(p, enc), ...scannedLogging(), ...start });
  await app.ready;
  // The bench's scan covers the shared Slack stand-in; this replica adds its log lines, audit view and /metrics.
  const scan = registerForScan({ url: () => app.url, listAudit: () => app.store.listAudit({ limit: 100_000 }), slackCalls: () => [], slackMessages: () => [] });
  const stop = app.stop.bind(app);
  app.stop = async (timeoutMs?: number) => {
    await scan();
    return stop(timeoutMs);
  };
  return app;
}

/**
 * At most `limit` bursts of clicks in flight at once (each burst all at once, as a race needs): a few hundred
 * requests at once outran the Slack driver's 15 s timeout on a loaded 2-core machine. Waits between bursts overlap.
 */
export function burstTurns(limit: number): <T>(burst: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  return async (burst) => {
    while (running >= limit) await new Promise<void>((r) => queue.push(r));
    running++;
    try {
      return await burst();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
}
