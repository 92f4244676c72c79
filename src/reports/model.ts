/**
 * Scheduled reports as Store entities (product.md §7). One entity per report, kind `report`; its `dueAt` is what
 * the scheduler looks at: the next occurrence, or — while a run is claimed — when that claim's lease runs out.
 */
import type { Entity } from '../ports/store';

export const REPORT_KIND = 'report';
export type ReportState = 'active' | 'paused';
export type ReportSource = 'slack' | 'config';

/** Occurrences skipped because Lookout was down (or a run never finished); the next post says so. */
export interface MissedNote {
  skipped: number;
  firstAt: number; // epoch ms of the earliest skipped occurrence
  lastAt: number;
  /** More than the scheduler counted one by one (a long outage of a frequent report). */
  atLeast?: boolean;
}

/**
 * A claimed run. `token` fences the claim: only the holder of the current token may post or record the result.
 * `postingFingerprint` is set (by beginPost) right before the answer is posted — null for an answer without a
 * fingerprint — so a replica that takes over an expired lease knows the post may already be in the channel and
 * does not run it again.
 */
export interface RunningClaim {
  token: string;
  occurrence: number;
  since: number;
  leaseUntil: number;
  attempt: number; // 1, or 2 when a claim whose holder vanished is re-run once
  manual: boolean;
  postingFingerprint?: string | null;
  /** The replica that claimed it and which life of that process (a restart is a new one): see claims.ts. */
  owner?: string;
  incarnation?: string;
}

export interface ReportData {
  channel: string;
  team: string | null;
  /** Slack user the report runs as (policy is checked for them); null for reports from lookout.yml. */
  createdBy: string | null;
  cron: string;
  tz: string;
  onChange: boolean;
  command: string; // '/metrics up', as typed (entity-decoded)
  source: ReportSource;
  /** Created by `/reach watch`: the view states the monthly analysis count. */
  watch: boolean;
  /** A watch's reachability path (reports created before watches were reports may lack it). */
  pathId?: string;
  /** A watch's lookup key for store.findByKey (src/reports/watches.ts `watchKey`): one watch per path and channel. */
  key?: string;
  nextRunAt: number | null; // the next occurrence; dueAt equals it unless a run is claimed or the report is paused
  running: RunningClaim | null;
  failures: number; // consecutive failed scheduled runs
  lastRunAt: number | null;
  lastResult: 'posted' | 'unchanged' | 'failed' | null;
  /**
   * The fingerprint of the last answer (src/reports/on-change.ts). Absent (not null) on reports stored before
   * answers had fingerprints: their first run records one without posting.
   */
  lastFingerprint?: string | null;
  lastSummary: string | null;
  lastPostedAt: number | null;
  lastError: string | null;
  missedNote: MissedNote | null;
  pausedReason: string | null;
  createdAt: number;
  updatedBy: string | null;
}

export interface Report extends ReportData {
  id: string;
  state: ReportState;
  version: number;
}

export function toReport(e: Entity<ReportData>): Report {
  return { ...e.data, id: e.id, state: e.state === 'paused' ? 'paused' : 'active', version: e.version };
}

/** The definition part of a report: what lookout.yml or `/report add` says. */
export interface ReportDefinition {
  channel: string;
  cron: string;
  tz: string;
  onChange: boolean;
  command: string;
}

export function emptyRunData(): Pick<
  ReportData,
  'running' | 'failures' | 'lastRunAt' | 'lastResult' | 'lastFingerprint' | 'lastSummary' | 'lastPostedAt' | 'lastError' | 'missedNote' | 'pausedReason'
> {
  return {
    running: null,
    failures: 0,
    lastRunAt: null,
    lastResult: null,
    lastFingerprint: null,
    lastSummary: null,
    lastPostedAt: null,
    lastError: null,
    missedNote: null,
    pausedReason: null,
  };
}

/** A new report's data: its definition, who made it, and a clean run history. */
export function newReportData(
  def: ReportDefinition,
  from: { source: ReportSource; createdBy: string | null; team: string | null; watch?: boolean; pathId?: string; key?: string; nextRunAt: number | null; now: number },
): ReportData {
  return {
    channel: def.channel,
    cron: def.cron,
    tz: def.tz,
    onChange: def.onChange,
    command: def.command,
    team: from.team,
    createdBy: from.createdBy,
    source: from.source,
    watch: from.watch ?? false,
    ...(from.pathId === undefined ? {} : { pathId: from.pathId }),
    ...(from.key === undefined ? {} : { key: from.key }),
    nextRunAt: from.nextRunAt,
    ...emptyRunData(),
    createdAt: from.now,
    updatedBy: from.createdBy,
  };
}

/** Where the scheduler and service log; pino's logger fits. */
export interface ReportLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLogger: ReportLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Adds `more` skipped occurrences to an existing note. */
export function mergeMissed(a: MissedNote | null, b: MissedNote | null): MissedNote | null {
  if (!a) return b;
  if (!b) return a;
  return {
    skipped: a.skipped + b.skipped,
    firstAt: Math.min(a.firstAt, b.firstAt),
    lastAt: Math.max(a.lastAt, b.lastAt),
    ...(a.atLeast || b.atLeast ? { atLeast: true } : {}),
  };
}

/** A report with what the confirmation shows: the next three runs and how many runs a month to expect. */
export interface ScheduledReport {
  report: Report;
  nextRuns: number[];
  expectedRunsPerMonth: number;
  /** `/reach` runs are billed analyses: the view states the monthly count. */
  billed: boolean;
}

export type WatchReport = ScheduledReport & { created: boolean };

/**
 * What the views need of a report (a Report fits). `lastError` and `pausedReason` are mrkdwn Lookout wrote (a
 * LookoutError's message, "paused by <@U…>"), shown as they are; `command` is user text, always escaped.
 */
export type ReportView = Pick<
  Report,
  'id' | 'state' | 'cron' | 'tz' | 'onChange' | 'command' | 'source' | 'createdBy' | 'nextRunAt' | 'lastRunAt' | 'lastResult' | 'lastError' | 'failures' | 'pausedReason'
> & { watch?: boolean };

/** A report with what its confirmation shows (views take any report that fits ReportView). */
export type ScheduledView = Omit<ScheduledReport, 'report'> & { report: ReportView };
