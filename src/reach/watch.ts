/**
 * `/reach watch` (and the Watch button) is one record: a report of the same question with `--on-change`, no more
 * often than reach.minWatchInterval, that carries the path id. Everything is checked before it is written.
 */
import type { AwsTarget } from '../ports/aws';
import { cronForWatch, type ReportService } from '../reports';
import type { ReachQuestion, WatchSchedule, WatchSummary } from './model';
import type { ReachService } from './service';

export interface WatchDeps {
  reach: ReachService;
  reports: ReportService;
  minWatchIntervalMs: number;
  /** lookout.yml names accounts: the watched command names its account too. */
  namedAccounts: boolean;
}

export async function watchPath(
  deps: WatchDeps,
  req: { pathId: string; every?: WatchSchedule },
  target: AwsTarget,
  by: { channelId: string; userId: string; teamId: string },
): Promise<WatchSummary> {
  const path = await deps.reach.findPath(req.pathId, target, by);
  const cron = cronForWatch(req.every, { minWatchIntervalMs: deps.minWatchIntervalMs });
  const watch = await deps.reports.watch({ pathId: path.pathId, cron, command: watchCommand(path.question, deps.namedAccounts) }, by);
  // The first check and the monthly count come from the report's own schedule, in its time zone.
  return {
    ...path,
    channelId: by.channelId,
    schedule: req.every ?? { intervalMs: deps.minWatchIntervalMs },
    expectedPerMonth: watch.expectedRunsPerMonth,
    nextRunAt: watch.nextRuns[0],
    created: watch.created,
    reportId: watch.report.id,
  };
}

/** The command a watch re-runs: resolved ids, so a renamed instance does not change what is watched. */
export function watchCommand(q: ReachQuestion, namedAccounts: boolean): string {
  const src = q.source.id ?? q.source.input;
  const dst = q.destination.id ?? q.destination.ip ?? q.destination.input;
  const account = namedAccounts ? ` --account ${q.accountName}` : '';
  return `/reach ${src} -> ${dst}${q.port ? `:${q.port}` : ''}/${q.protocol} --region ${q.region}${account}`;
}
