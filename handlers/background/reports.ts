import type { WebClient } from '@slack/web-api';
import { adoptLegacyWatches, createPacer, createReportService, createScheduler, type ReportService } from '../../src/reports';
import { renderReportPaused } from '../../src/views/report';
import { createReplier } from '../reply';
import { createReportRunner } from './report-runner';
import type { CommandDef, HandlerDeps } from '../types';

/** How often managed reachability paths are checked for 30 days without use. */
const PATH_SWEEP_EVERY_MS = 6 * 3600_000;

export interface ReportsRuntime {
  service: ReportService;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Scheduled reports (product.md §7): the scheduler claims due runs in the store (exactly once across replicas and
 * restarts), runs them through the command pipeline, and posts through a per-channel pacer on a WebClient of its
 * own that surfaces 429s instead of pausing the client that answers commands.
 */
export function createReportsRuntime(o: { deps: HandlerDeps; web: WebClient; reportsWeb: WebClient; commands: () => CommandDef<any>[]; teamId: () => string }): ReportsRuntime {
  const { deps } = o;
  const logger = deps.logger.child({ component: 'reports' });
  const pacer = createPacer({ clock: deps.clock, logger });
  const runReport = createReportRunner({ deps, web: o.reportsWeb, pacer, commands: o.commands, teamId: o.teamId });
  const scheduler = createScheduler({
    store: deps.store,
    clock: deps.clock,
    runReport,
    logger,
    replicaId: deps.replicaId,
    onPaused: async (report, reason) => {
      const reply = createReplier(o.reportsWeb, { channelId: report.channel, userId: report.createdBy ?? '' });
      await pacer.send(report.channel, () => reply.post(renderReportPaused(report, reason))).catch((err) => logger.warn({ err, report: report.id }, 'could not post the pause notice'));
    },
  });
  const service = createReportService({ store: deps.store, clock: deps.clock, scheduler, rules: { minWatchIntervalMs: deps.config.lookout.reach.minWatchIntervalMs }, logger });
  const stopping = new AbortController();
  let sweeps: Promise<void> | undefined;
  return {
    service,
    async start() {
      const adopted = await adoptLegacyWatches(deps.store);
      if (adopted.length) logger.info({ reports: adopted }, 'reach watches adopted by their reports');
      const synced = await service.syncConfigured(deps.config.lookout.reports, { teamId: o.teamId() });
      for (const bad of synced.invalid) logger.warn({ report: bad.id, problem: bad.problem }, 'report in lookout.yml not applied');
      scheduler.start();
      sweeps = (async () => {
        while (!stopping.signal.aborted) {
          await deps.backends.reach.sweepUnusedPaths(deps.clock.now()).catch((err) => logger.warn({ err }, 'reachability path sweep failed'));
          await deps.clock.sleep(PATH_SWEEP_EVERY_MS, stopping.signal).catch(() => undefined);
        }
      })();
    },
    async stop() {
      stopping.abort();
      await scheduler.stop();
      await sweeps;
    },
  };
}
