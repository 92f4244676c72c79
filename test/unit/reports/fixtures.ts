import { Cron } from 'croner';
import type { ManualClock } from '../../helpers/manual-clock';
import type { Store } from '../../../src/ports/store';
import { nextRunAfter } from '../../../src/common/cron';
import type { ReportRun, RunResult } from '../../../src/reports/scheduler';
import { REPORT_KIND, newReportData, type ReportData, type ReportDefinition } from '../../../src/reports/model';

export const CHANNEL = 'C0REPORTS';

/** Stores a Slack-made report directly (the service's checks are tested on their own). */
export async function seedReport(store: Store, id: string, def: Partial<ReportDefinition> & { cron: string }, now: number, over: Partial<ReportData> = {}): Promise<void> {
  const full: ReportDefinition = { channel: CHANNEL, tz: 'UTC', onChange: false, command: '/metrics up', ...def };
  const nextRunAt = nextRunAfter(full.cron, full.tz, now);
  const data = { ...newReportData(full, { source: 'slack', createdBy: 'U0ALICE', team: 'T0TEAM', nextRunAt, now }), ...over };
  if (!(await store.create<ReportData>({ kind: REPORT_KIND, id, state: 'active', data, dueAt: data.nextRunAt }))) throw new Error(`duplicate ${id}`);
}

/** Occurrences croner says fall in (from, to]. */
export function expectedOccurrences(cron: string, tz: string, from: number, to: number): number[] {
  const c = new Cron(cron, { paused: true, timezone: tz });
  const out: number[] = [];
  for (let t = c.nextRun(new Date(from)); t && t.getTime() <= to; t = c.nextRun(t)) out.push(t.getTime());
  return out;
}

export interface RecordedRun {
  id: string;
  occurrence: number;
  trigger: ReportRun['trigger'];
  at: number;
  missed: ReportRun['missed'];
  posted: boolean;
}

/**
 * A runReport that "posts" `answer(run)` when the scheduler says so, the way the real runner does: fingerprint,
 * shouldPost, beginPost, then post. Records every run and every post.
 */
export function recordingRunner(clock: Pick<ManualClock, 'now'>, answer: (run: ReportRun) => string = () => 'up = 1') {
  const runs: RecordedRun[] = [];
  const posts: { id: string; occurrence: number; text: string }[] = [];
  const runReport = async (run: ReportRun): Promise<RunResult> => {
    const text = answer(run);
    const fingerprint = text;
    const rec: RecordedRun = { id: run.report.id, occurrence: run.occurrence, trigger: run.trigger, at: clock.now(), missed: run.missed, posted: false };
    runs.push(rec);
    await new Promise((r) => setImmediate(r));
    if (!run.shouldPost(fingerprint) || !(await run.beginPost(fingerprint))) return { fingerprint, posted: false };
    posts.push({ id: run.report.id, occurrence: run.occurrence, text });
    rec.posted = true;
    return { fingerprint, posted: true, summary: text };
  };
  return { runs, posts, runReport };
}

export function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Moves the clock to `t` and ticks there (a scheduler's loop, step by step). */
export async function tickAt(clock: ManualClock, scheduler: { tick(now?: number): Promise<unknown> }, t: number): Promise<void> {
  if (t > clock.now()) await clock.advance(t - clock.now());
  await scheduler.tick(t);
}

/**
 * Yields to the event loop until `cond` holds: store round trips are real I/O, even under a ManualClock. Bounded by
 * a generous wall time, not a number of turns (20,000 turns were too few for Postgres on a busy machine).
 */
export async function waitFor(cond: () => boolean, timeoutMs = 30_000): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > giveUpAt) throw new Error(`condition not reached in ${timeoutMs} ms`);
    await new Promise((r) => setImmediate(r));
  }
}
