/** Scheduled reports (product.md §7): what main.ts and the /report and /reach handlers use. */
export { createScheduler } from './scheduler';
export type { ReportRun, RunOutcome, RunReport, RunResult, Scheduler, SchedulerDeps, TickSummary } from './scheduler';
export { createReportService } from './service';
export type { NewReport, ReportActor, ReportService, ReportServiceDeps } from './service';
export { createPacer, retryAfterOf } from './pacer';
export type { Pacer, PacerDeps } from './pacer';
export { syncConfiguredReports } from './sync';
export type { SyncDeps, SyncResult } from './sync';
export { describeChange, shouldPost } from './on-change';
export { cronForInterval, expectedRunsPerMonth, minIntervalOf, nextRunAfter, nextRuns } from '../common/cron';
export { scheduledCommandProblem, splitSlashCommand } from '../commands/schedulable';
export { cronForWatch, definitionProblem } from './rules';
export type { ScheduleRules } from './rules';
export { adoptLegacyWatches } from './watches';
export { REPORT_KIND } from './model';
export type { MissedNote, Report, ReportData, ReportLogger, ReportSource, ReportState, ScheduledReport, WatchReport } from './model';
