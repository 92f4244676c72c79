/**
 * The report scheduler (product.md §7): finds due reports in the Store, claims each occurrence with a
 * compare-and-set (claims.ts) so it runs exactly once across replicas and restarts, runs it through the
 * caller's `runReport`, and records the result. Time comes from the injected Clock.
 */
import { randomUUID } from 'node:crypto';
import { LookoutError, isLookoutError } from '../errors';
import type { Clock } from '../ports/clock';
import { beginPost, claimDue, claimManual, finishRun, leftByEarlierLife, type ClaimDeps, type Claimed, type RunResultRecord } from './claims';
import { shouldPost } from './on-change';
import type { ReportRun, RunOutcome, Scheduler, SchedulerDeps, TickSummary } from './scheduler-types';
import { REPORT_KIND, silentLogger, type Report, type ReportData } from './model';

export type { ReportRun, RunOutcome, RunReport, RunResult, Scheduler, SchedulerDeps, TickSummary } from './scheduler-types';

/** One per process; any number of processes may share the Store. Start it after syncConfiguredReports. */
export function createScheduler(deps: SchedulerDeps): Scheduler {
  const log = deps.logger ?? silentLogger;
  const tickMs = deps.tickMs ?? 15_000;
  const concurrency = Math.max(1, deps.concurrency ?? 4);
  const owner = deps.replicaId ? { replica: deps.replicaId, incarnation: randomUUID() } : undefined;
  const claims: ClaimDeps = { store: deps.store, leaseMs: deps.leaseMs ?? 600_000, maxFailures: deps.maxFailures ?? 5, newToken: randomUUID, owner };
  // A run never outlives its claim: past the lease another replica may take the occurrence over anyway.
  const runDeadlineMs = deps.runDeadlineMs ?? claims.leaseMs;
  // A reservation only has to outlive the claim that follows it at once; if this replica dies in between, another
  // one sees the report due again after this long (a late reservation holder then loses its compare-and-set).
  const reserveMs = Math.min(claims.leaseMs, 60_000);
  // Claims run ahead of the runs: up to this many claimed at once (running, waiting for a slot, or recording), so
  // the store round trips of claiming and recording do not hold the `concurrency` slots the runs themselves need.
  const maxClaimed = concurrency * 4;
  const inFlight = new Set<Promise<RunOutcome>>();
  const slots = semaphore(concurrency);
  let loop: { active: boolean; stop(): void; stopped: Promise<void>; done: Promise<void> } | null = null;
  let wake: (() => void) | null = null;

  async function execute(c: Claimed): Promise<RunOutcome> {
    const { report, claim } = c;
    const run: ReportRun = {
      report,
      occurrence: claim.occurrence,
      trigger: c.trigger,
      lateByMs: Math.max(0, claim.since - claim.occurrence),
      missed: c.missed,
      previousSummary: report.lastSummary,
      shouldPost: (fingerprint) => c.trigger === 'manual' || shouldPost(report, fingerprint),
      beginPost: (fingerprint) => beginPost(deps.store, report.id, claim.token, fingerprint),
    };
    let record: RunResultRecord;
    await slots.acquire();
    try {
      // A claim that waited for its slot has less of its lease left: the run still ends before the lease does.
      const deadline = Number.isFinite(runDeadlineMs) ? Math.min(runDeadlineMs, claim.leaseUntil - deps.clock.now()) : runDeadlineMs;
      const r = await withDeadline(deps.runReport(run), deadline, deps.clock);
      record = r.error ? { ok: false, error: r.error } : { ok: true, posted: r.posted, fingerprint: r.fingerprint, summary: r.summary };
    } catch (err) {
      log.warn({ err, reportId: report.id }, 'report run failed');
      record = { ok: false, error: isLookoutError(err) ? err.message : 'An unexpected error stopped the run (details in Lookout’s log).' };
    } finally {
      slots.release();
    }
    const done = await finishRun(claims, report.id, claim.token, record, deps.clock.now());
    if (!done.recorded) log.warn({ reportId: report.id, occurrence: claim.occurrence }, 'report run finished after its claim was lost; result dropped');
    if (done.paused && done.report) await notifyPaused(done.report, done.paused);
    const status: RunOutcome['status'] = !done.recorded ? 'lost' : record.ok ? (record.posted ? 'posted' : 'unchanged') : 'failed';
    return { status, ...(record.ok ? {} : { error: record.error }), report: done.report };
  }

  async function notifyPaused(report: Report, reason: string): Promise<void> {
    log.warn({ reportId: report.id, reason }, 'report paused');
    try {
      await deps.onPaused?.(report, reason);
    } catch (err) {
      log.error({ err, reportId: report.id }, 'paused-report notice failed');
    }
  }

  function launch(c: Claimed): Promise<RunOutcome> {
    const p: Promise<RunOutcome> = execute(c)
      .catch((err): RunOutcome => {
        log.error({ err, reportId: c.report.id }, 'recording a report run failed');
        return { status: 'failed', error: 'internal', report: null };
      })
      .finally(() => {
        inFlight.delete(p);
        wake?.();
      });
    inFlight.add(p);
    return p;
  }

  /**
   * One look at the store: reserves due reports up to the free capacity in one statement (replicas get disjoint
   * batches, so none loses races for rows another took), then claims each. `seen`: how many were reserved.
   */
  async function dispatch(now: number): Promise<{ started: Promise<RunOutcome>[]; seen: number }> {
    const room = maxClaimed - inFlight.size;
    if (room <= 0) return { started: [], seen: 0 };
    const due = await deps.store.reserveDue<ReportData>(REPORT_KIND, { states: ['active'], dueBefore: now, limit: room, holdUntil: now + reserveMs });
    const claimed = await Promise.all(
      due.map((e) =>
        claimDue(claims, e, now).catch((err) => {
          log.error({ err, reportId: e.id }, 'claiming a report run failed');
          return null;
        }),
      ),
    );
    const started = claimed.filter((c): c is Claimed => c !== null).map(launch);
    return { started, seen: due.length };
  }

  async function tick(now = deps.clock.now()): Promise<TickSummary> {
    const mine: Promise<RunOutcome>[] = [];
    // Passes that saw due reports but claimed none (lost races, realigned dueAt) end the tick after a few.
    for (let idle = 0; idle < 3; ) {
      if (inFlight.size >= maxClaimed) {
        await Promise.race(inFlight);
        continue;
      }
      const { started, seen } = await dispatch(now);
      mine.push(...started);
      if (!seen) break;
      idle = started.length ? 0 : idle + 1;
    }
    const outcomes = await Promise.all(mine);
    return {
      runs: outcomes.length,
      posted: outcomes.filter((o) => o.status === 'posted').length,
      failed: outcomes.filter((o) => o.status === 'failed').length,
    };
  }

  /** Sleeps until the earliest due report (at most tickMs), a finished run frees capacity, or stop(). */
  async function sleepUntilDue(stopped: Promise<void>): Promise<void> {
    // Listen for finished runs before the look at the store: one that ends meanwhile must still wake the loop.
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const [first] = await deps.store.list<ReportData>(REPORT_KIND, { states: ['active'], limit: 1 }).catch(() => []);
    const now = deps.clock.now();
    const dueIn = first?.dueAt != null ? first.dueAt - now : tickMs;
    const ms = Math.min(tickMs, dueIn <= 0 || inFlight.size >= maxClaimed ? 1000 : Math.max(dueIn, 50));
    const ac = new AbortController();
    await Promise.race([deps.clock.sleep(ms, ac.signal).catch(() => undefined), woken, stopped]);
    ac.abort();
    wake = null;
  }

  /** At start: runs this replica claimed before it restarted are not due until their lease ends; take them over now. */
  async function adoptEarlierClaims(): Promise<void> {
    const mine = (await deps.store.list<ReportData>(REPORT_KIND, { states: ['active'] })).filter((e) => e.data.running && leftByEarlierLife(claims, e.data.running));
    for (const e of mine) {
      const c = await claimDue(claims, e, deps.clock.now());
      if (c) launch(c);
    }
  }

  async function runLoop(state: NonNullable<typeof loop>): Promise<void> {
    if (owner) await adoptEarlierClaims().catch((err) => log.error({ err }, 'taking over runs claimed before a restart failed'));
    while (state.active) {
      let started = 0;
      try {
        started = (await dispatch(deps.clock.now())).started.length;
      } catch (err) {
        log.error({ err }, 'report scheduler pass failed');
      }
      // A pass that started runs may have left more due (a backlog): look again at once. A pass that started
      // nothing sleeps, so a due report that cannot be claimed never makes a tight loop.
      if (state.active && started === 0) await sleepUntilDue(state.stopped);
    }
  }

  return {
    tick,
    catchUp: tick,
    async runNow(id) {
      const e = await deps.store.get<ReportData>(REPORT_KIND, id);
      if (!e) return 'not_found';
      const c = await claimManual(claims, e, deps.clock.now());
      if (c === 'busy') return 'busy';
      if (!c) return (await deps.store.get<ReportData>(REPORT_KIND, id)) ? 'busy' : 'not_found';
      return launch(c);
    },
    start() {
      if (loop) return;
      let stop = () => undefined as void;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      const state = { active: true, stop, stopped, done: Promise.resolve() };
      loop = state;
      state.done = runLoop(state);
    },
    async stop(opts = {}) {
      const state = loop;
      loop = null;
      if (state) {
        state.active = false;
        state.stop();
        await state.done;
      }
      if (opts.waitForRuns !== false) await Promise.allSettled([...inFlight]);
    },
    get inFlight() {
      return slots.busy;
    },
  };
}

/**
 * A run that has not finished by its deadline fails, so a hung backend cannot hold a scheduler slot (or the claim)
 * forever. The run itself is abandoned, not cancelled; its claim is settled here, so it can no longer post.
 */
async function withDeadline<T>(work: Promise<T>, ms: number, clock: Clock): Promise<T> {
  if (!Number.isFinite(ms)) return work;
  const stop = new AbortController();
  const late = clock.sleep(ms, stop.signal).then(
    () => 'late' as const,
    () => 'cancelled' as const,
  );
  work.catch(() => undefined); // an abandoned run's later failure is not an unhandled rejection
  try {
    const first = await Promise.race([work.then((value) => ({ value })), late]);
    if (first === 'late' || first === 'cancelled') {
      throw new LookoutError('timeout', `The report did not finish within ${Math.round(ms / 60_000)} min, so this run was stopped.`, {
        hint: 'A backend it needs is slow or not answering; the next run tries again.',
      });
    }
    return first.value;
  } finally {
    stop.abort();
  }
}

/** At most `n` holders at once; a release hands the slot to the longest waiter. */
function semaphore(n: number) {
  let busy = 0;
  const waiting: (() => void)[] = [];
  return {
    get busy() {
      return busy;
    },
    acquire: () => (busy < n ? (busy++, Promise.resolve()) : new Promise<void>((resolve) => waiting.push(resolve))),
    release: () => {
      const next = waiting.shift();
      if (next) next();
      else busy--;
    },
  };
}
