/** The scheduler's contract with its caller: what a run receives, what it returns, and the scheduler's API. */
import type { Clock } from '../ports/clock';
import type { Store } from '../ports/store';
import type { MissedNote, Report, ReportLogger } from './model';

/** One run handed to the caller. The caller runs `report.command` as `report.createdBy` in `report.channel`. */
export interface ReportRun {
  report: Report;
  occurrence: number; // the scheduled time this run is for (now, for a manual run)
  trigger: 'schedule' | 'retry' | 'manual';
  /** How late the run starts (Lookout was down, or a retry after a crash): worth a note when large. */
  lateByMs: number;
  /** Skipped occurrences to mention in this post; cleared once something is posted. */
  missed: MissedNote | null;
  previousSummary: string | null;
  /** On-change reports: false when the answer's fingerprint is the same as last time. Manual runs always post. */
  shouldPost(fingerprint: string | undefined): boolean;
  /** Call right before posting; false means the claim was lost (lease expired, report removed): do not post. */
  beginPost(fingerprint: string | undefined): Promise<boolean>;
}

/** `error` (user-safe mrkdwn) marks a failed run even when the caller caught the failure itself. */
export interface RunResult {
  /** What the answer shows, hashed (src/common/fingerprint.ts); absent when the command gave none or failed. */
  fingerprint?: string;
  posted: boolean;
  summary?: string;
  error?: string;
}

export type RunReport = (run: ReportRun) => Promise<RunResult>;

export interface SchedulerDeps {
  store: Store;
  clock: Clock;
  runReport: RunReport;
  /** Called once when a report is paused after `maxFailures` failed runs in a row (post a notice in its channel). */
  onPaused?: (report: Report, reason: string) => void | Promise<void>;
  logger?: ReportLogger;
  tickMs?: number; // longest sleep between looks at the store; default 15 s
  leaseMs?: number; // a claimed run not finished after this is considered dead; default 10 min
  maxFailures?: number; // default 5
  /** This replica's name, kept across restarts: its runs claimed before a restart are taken over at once. */
  replicaId?: string;
  concurrency?: number; // runs at once per instance (claims run ahead: up to 4× this claimed); default 4
  runDeadlineMs?: number; // a run still going after this fails and frees its slot; default leaseMs
}

export interface RunOutcome {
  status: 'posted' | 'unchanged' | 'failed' | 'lost';
  error?: string;
  report: Report | null;
}

export interface TickSummary {
  runs: number;
  posted: number;
  failed: number;
}

export interface Scheduler {
  /** Claims and runs everything due at `now` (default clock.now()); resolves when those runs have finished. */
  tick(now?: number): Promise<TickSummary>;
  /** The first tick after start: runs (once) what was missed while down, skips older occurrences with a note. */
  catchUp(now?: number): Promise<TickSummary>;
  /** Runs a report once now, outside its schedule (and whether paused or not); 'busy' while a run is under way. */
  runNow(id: string): Promise<RunOutcome | 'busy' | 'not_found'>;
  /** Starts the loop: the first pass catches up; then it looks whenever a report is due (at least every tickMs). */
  start(): void;
  /** Stops claiming; waits for runs in flight unless `waitForRuns` is false. */
  stop(opts?: { waitForRuns?: boolean }): Promise<void>;
  /** Runs executing now (at most `concurrency`); claimed runs waiting for a slot are not counted. */
  readonly inFlight: number;
}
