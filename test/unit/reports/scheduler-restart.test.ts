import { ManualClock } from '../../helpers/manual-clock';
import type { ReportRun, RunResult } from '../../../src/reports/scheduler';
import { createScheduler } from '../../../src/reports/scheduler';
import { REPORT_KIND, type ReportData } from '../../../src/reports/model';
import { storeBackends, type OpenedStore } from '../../helpers/store';
import { deferred, recordingRunner, seedReport, tickAt, waitFor } from './fixtures';

const from = Date.UTC(2026, 10, 29, 8, 30, 0);
const nine = Date.UTC(2026, 10, 29, 9, 0, 0);
const LEASE = 10 * 60_000;
// A process that died: its own run deadline never fires either.
const DEAD = Infinity;

/** A runner that hangs in the chosen phase: the process "dies" there (its promise never settles until released). */
function hangingRunner(phase: 'before-post' | 'after-begin-post') {
  const release = deferred();
  const started = deferred<ReportRun>();
  const attempts: { beginPost?: boolean; posted: boolean }[] = [];
  const runReport = async (run: ReportRun): Promise<RunResult> => {
    const attempt: { beginPost?: boolean; posted: boolean } = { posted: false };
    attempts.push(attempt);
    started.resolve(run);
    if (phase === 'after-begin-post') attempt.beginPost = await run.beginPost('d1');
    await release.promise;
    if (phase === 'before-post') attempt.beginPost = await run.beginPost('d1');
    if (!attempt.beginPost) return { fingerprint: 'd1', posted: false };
    attempt.posted = true;
    return { fingerprint: 'd1', posted: true };
  };
  return { runReport, release, started, attempts };
}

describe.each(storeBackends)('restarts ($name)', (backend) => {
  let db: OpenedStore;
  beforeEach(async () => {
    db = await backend.open();
  });
  afterEach(async () => {
    await db.cleanup();
  });

  it('a process that dies after the claim but before posting: the occurrence is re-run once after the lease, posted once', async () => {
    const clock = new ManualClock(from);
    await seedReport(db.store, 'r-crash', { cron: '0 9 * * *' }, from);
    const dying = hangingRunner('before-post');
    const a = createScheduler({ store: db.store, clock, runReport: dying.runReport, leaseMs: LEASE, runDeadlineMs: DEAD });
    await clock.advance(nine + 5_000 - clock.now());
    const aTick = a.tick(nine + 5_000); // never finishes while the run hangs
    const claimed = await dying.started.promise;
    expect(claimed.occurrence).toBe(nine);

    // The replacement process starts on the same database before the lease ran out: it must not run it again.
    const rec = recordingRunner(clock);
    const b = createScheduler({ store: await db.reopen(), clock, runReport: rec.runReport, leaseMs: LEASE });
    await tickAt(clock, b, nine + 60_000);
    expect(rec.runs).toHaveLength(0);

    // Lease over: re-run once, same occurrence, and posted.
    await tickAt(clock, b, nine + 5_000 + LEASE);
    await tickAt(clock, b, nine + 5_000 + LEASE + 15_000);
    expect(rec.runs.map((r) => [r.occurrence, r.trigger])).toEqual([[nine, 'retry']]);
    expect(rec.posts).toHaveLength(1);

    // The "dead" process wakes up after all: its claim is gone, so it neither posts nor records anything.
    dying.release.resolve();
    expect((await aTick).runs).toBe(1);
    expect(dying.attempts).toEqual([{ beginPost: false, posted: false }]);
    const stored = await db.store.get<ReportData>(REPORT_KIND, 'r-crash');
    expect(stored?.data).toMatchObject({ running: null, lastResult: 'posted', nextRunAt: nine + 86_400_000, failures: 0 });
    expect(stored?.dueAt).toBe(nine + 86_400_000);
  });

  it('the same replica restarted takes its claim over at once (not after the lease); another replica waits for the lease', async () => {
    const clock = new ManualClock(from);
    await seedReport(db.store, 'r-own', { cron: '0 9 * * *' }, from);
    const dying = hangingRunner('before-post');
    const a = createScheduler({ store: db.store, clock, runReport: dying.runReport, leaseMs: LEASE, runDeadlineMs: DEAD, replicaId: 'lookout-0' });
    await clock.advance(nine + 5_000 - clock.now());
    void a.tick(nine + 5_000); // the process is killed while this run hangs
    await dying.started.promise;

    // Another replica starting meanwhile leaves the claim alone: its holder may be alive.
    const other = recordingRunner(clock);
    const b = createScheduler({ store: await db.reopen(), clock, runReport: other.runReport, leaseMs: LEASE, replicaId: 'lookout-1' });
    b.start();
    await tickAt(clock, b, nine + 10_000);
    expect(other.runs).toHaveLength(0);
    await b.stop();

    // The killed process comes back under its name, a minute later: the run is its own, so it is re-run now, once.
    const rec = recordingRunner(clock);
    await clock.advance(60_000);
    const c = createScheduler({ store: await db.reopen(), clock, runReport: rec.runReport, leaseMs: LEASE, replicaId: 'lookout-0' });
    c.start();
    await waitFor(() => rec.posts.length === 1);
    await c.stop();
    expect(rec.runs.map((r) => [r.occurrence, r.trigger])).toEqual([[nine, 'retry']]);
    expect(other.runs).toHaveLength(0);
  });

  it('a process that dies after beginPost: the answer may be out, so it is not run again (at most once)', async () => {
    const clock = new ManualClock(from);
    await seedReport(db.store, 'r-posting', { cron: '0 9 * * *' }, from);
    const dying = hangingRunner('after-begin-post');
    const a = createScheduler({ store: db.store, clock, runReport: dying.runReport, leaseMs: LEASE, runDeadlineMs: DEAD });
    await clock.advance(nine - clock.now());
    const aTick = a.tick(nine);
    await dying.started.promise;
    await waitFor(() => dying.attempts[0]?.beginPost !== undefined);
    expect(dying.attempts[0].beginPost).toBe(true);

    const rec = recordingRunner(clock);
    const b = createScheduler({ store: await db.reopen(), clock, runReport: rec.runReport, leaseMs: LEASE });
    await tickAt(clock, b, nine + LEASE + 15_000);
    expect(rec.runs).toHaveLength(0);
    const stored = await db.store.get<ReportData>(REPORT_KIND, 'r-posting');
    expect(stored?.data).toMatchObject({ running: null, lastResult: 'posted', lastFingerprint: 'd1', missedNote: null });
    // The next day runs normally.
    await tickAt(clock, b, nine + 86_400_000);
    expect(rec.runs.map((r) => r.occurrence)).toEqual([nine + 86_400_000]);
    // The old process's late result is dropped: it does not overwrite the newer run.
    dying.release.resolve();
    await aTick;
    expect((await db.store.get<ReportData>(REPORT_KIND, 'r-posting'))?.data.lastRunAt).toBe(nine + 86_400_000);
  });

  it('a crash of a frequent report whose next occurrence came during the lease: skipped with a note, the next runs', async () => {
    const clock = new ManualClock(from);
    await seedReport(db.store, 'r-often', { cron: '*/5 * * * *' }, from - 1);
    const dying = hangingRunner('before-post');
    const a = createScheduler({ store: db.store, clock, runReport: dying.runReport, leaseMs: LEASE, runDeadlineMs: DEAD });
    await clock.advance(15_000);
    const aTick = a.tick(from + 15_000);
    expect((await dying.started.promise).occurrence).toBe(from);

    const rec = recordingRunner(clock);
    const b = createScheduler({ store: await db.reopen(), clock, runReport: rec.runReport, leaseMs: LEASE });
    await tickAt(clock, b, from + 15_000 + LEASE);
    // 08:30 was claimed by the dead process; 08:35 and 08:40 passed: only 08:40 runs, the others are noted.
    expect(rec.runs.map((r) => r.occurrence)).toEqual([from + 10 * 60_000]);
    expect(rec.runs[0].missed).toEqual({ skipped: 2, firstAt: from, lastAt: from + 5 * 60_000 });
    const stored = await db.store.get<ReportData>(REPORT_KIND, 'r-often');
    expect(stored?.data.missedNote).toBeNull();
    dying.release.resolve();
    await aTick;
  });

  it('a restart right after a run finished does not run it again; a restart before it was due runs it once', async () => {
    const clock = new ManualClock(from);
    await seedReport(db.store, 'r-ok', { cron: '0 9 * * *' }, from);
    const first = recordingRunner(clock);
    const a = createScheduler({ store: db.store, clock, runReport: first.runReport });
    await tickAt(clock, a, nine);
    await a.stop();
    const second = recordingRunner(clock);
    const b = createScheduler({ store: await db.reopen(), clock, runReport: second.runReport });
    await clock.advance(10_000);
    await b.catchUp();
    expect(first.runs).toHaveLength(1);
    expect(second.runs).toHaveLength(0);

    // Down from 08:59 to 09:00:40 the next day: on start the 09:00 run happens once, with no note.
    await clock.advance(nine + 86_400_000 + 40_000 - clock.now());
    await b.catchUp();
    await b.tick();
    expect(second.runs.map((r) => [r.occurrence, r.missed])).toEqual([[nine + 86_400_000, null]]);
  });
});
