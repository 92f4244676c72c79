import { LookoutError } from '../../../src/errors';
import { ManualClock } from '../../helpers/manual-clock';
import type { Store } from '../../../src/ports/store';
import { fingerprintOf } from '../../../src/common/fingerprint';
import { describeChange } from '../../../src/reports/on-change';
import { createScheduler, type ReportRun, type RunResult } from '../../../src/reports/scheduler';
import { REPORT_KIND, type Report, type ReportData } from '../../../src/reports/model';
import { openStore } from '../../../src/store';
import { recordingRunner, seedReport, tickAt, waitFor } from './fixtures';

const nine = Date.UTC(2026, 10, 29, 9, 0, 0);
const H = 3_600_000;
let store: Store;
let clock: ManualClock;
beforeEach(async () => {
  clock = new ManualClock(nine - H / 2);
  store = await openStore('sqlite::memory:', { clock });
});
afterEach(() => store.close());

const get = async (id: string) => (await store.get<ReportData>(REPORT_KIND, id))!;

describe('runs missed while Lookout was down', () => {
  it('less than one period late: runs once on start, with no note', async () => {
    await seedReport(store, 'r-1', { cron: '0 * * * *' }, clock.now());
    const rec = recordingRunner(clock);
    const s = createScheduler({ store, clock, runReport: rec.runReport });
    await clock.advance(H / 2 + 40 * 60_000); // 09:40: the 09:00 run is 40 min late
    await s.catchUp();
    await s.tick();
    expect(rec.runs.map((r) => [r.occurrence, r.missed, r.trigger])).toEqual([[nine, null, 'schedule']]);
    expect((await get('r-1')).dueAt).toBe(nine + H);
  });

  it('more than one period late: skipped, and the next post says so; the note is then cleared', async () => {
    await seedReport(store, 'r-1', { cron: '0 * * * *' }, clock.now());
    const rec = recordingRunner(clock);
    const s = createScheduler({ store, clock, runReport: rec.runReport });
    await clock.advance(H / 2 + 2 * H + 20 * 60_000); // 11:20: 09:00 and 10:00 are more than a period late
    await s.catchUp();
    expect(rec.runs.map((r) => [r.occurrence, r.missed])).toEqual([[nine + 2 * H, { skipped: 2, firstAt: nine, lastAt: nine + H }]]);
    expect((await get('r-1')).data).toMatchObject({ missedNote: null, nextRunAt: nine + 3 * H });
    await tickAt(clock, s, nine + 3 * H);
    expect(rec.runs[1]).toMatchObject({ occurrence: nine + 3 * H, missed: null });
  });

  it('a daily report down for a day: yesterday’s run is skipped, today’s (1 h late) runs', async () => {
    await seedReport(store, 'r-d', { cron: '0 9 * * *' }, clock.now());
    const rec = recordingRunner(clock);
    const s = createScheduler({ store, clock, runReport: rec.runReport });
    await clock.advance(nine + 86_400_000 + H - clock.now());
    await s.catchUp();
    expect(rec.runs.map((r) => [r.occurrence, r.missed?.skipped])).toEqual([[nine + 86_400_000, 1]]);
  });

  it('an on-change report that finds nothing new keeps the note for the post that eventually happens', async () => {
    await seedReport(store, 'r-oc', { cron: '0 * * * *', onChange: true }, clock.now(), { lastFingerprint: 'same' });
    let answer = 'same';
    const rec = recordingRunner(clock, () => answer);
    const s = createScheduler({ store, clock, runReport: rec.runReport });
    await clock.advance(H / 2 + 2 * H + 60_000);
    await s.catchUp();
    expect(rec.posts).toHaveLength(0);
    expect((await get('r-oc')).data.missedNote).toEqual({ skipped: 2, firstAt: nine, lastAt: nine + H });
    answer = 'different';
    await tickAt(clock, s, nine + 3 * H);
    expect(rec.posts).toHaveLength(1);
    expect(rec.runs[1].missed?.skipped).toBe(2);
    expect((await get('r-oc')).data.missedNote).toBeNull();
  });
});

describe('--on-change', () => {
  it('posts the first answer, then only when its fingerprint changes, with a change line', async () => {
    await seedReport(store, 'r-w', { cron: '*/15 * * * *', onChange: true, command: '/reach web-1 -> db-1:5432' }, clock.now());
    // The text varies on every run (age, time taken, reference); the fingerprint only with the verdict.
    const answers = [
      { reachable: false, text: 'db-1 is not reachable from web-1 (checked just now, took 12 s, lk-a1)' },
      { reachable: false, text: 'db-1 is not reachable from web-1 (checked 2 min ago, took 9.5 s, lk-b2)' },
      { reachable: true, text: 'db-1 is reachable from web-1 (took 11 s, lk-c3)' },
      { reachable: true, text: 'db-1 is reachable from web-1 (took 10 s, lk-d4)' },
    ];
    const changes: (string | null)[] = [];
    const posted: string[] = [];
    const runReport = async (run: ReportRun): Promise<RunResult> => {
      const { reachable, text } = answers.shift()!;
      const summary = text.replace(/ \(.*\)$/, '');
      const fingerprint = fingerprintOf({ reachable });
      if (!run.shouldPost(fingerprint) || !(await run.beginPost(fingerprint))) return { fingerprint, posted: false, summary };
      changes.push(describeChange(run.previousSummary, summary));
      posted.push(text);
      return { fingerprint, posted: true, summary };
    };
    const s = createScheduler({ store, clock, runReport });
    for (let t = nine - 15 * 60_000; t <= nine + 30 * 60_000; t += 15 * 60_000) await tickAt(clock, s, t);
    expect(posted).toHaveLength(2);
    expect(changes).toEqual([null, 'db-1 is now reachable from web-1']);
    expect((await get('r-w')).data).toMatchObject({ lastResult: 'unchanged', lastSummary: 'db-1 is reachable from web-1', lastFingerprint: fingerprintOf({ reachable: true }) });
  });
});

describe('failures', () => {
  it('pauses a report after 5 failed runs in a row, once, with a notice', async () => {
    await seedReport(store, 'r-f', { cron: '0 * * * *' }, clock.now());
    const paused: [Report, string][] = [];
    let calls = 0;
    const runReport = async (): Promise<RunResult> => {
      calls++;
      if (calls === 2) return { fingerprint: 'x', posted: true }; // a success resets the count
      throw calls % 2 ? new LookoutError('upstream', 'Prometheus answered 503.') : new Error('boom: secret detail');
    };
    const s = createScheduler({ store, clock, runReport, onPaused: (r, why) => void paused.push([r, why]) });
    for (let h = 0; h < 10; h++) await tickAt(clock, s, nine + h * H);
    expect(calls).toBe(7);
    const r = await get('r-f');
    expect(r.state).toBe('paused');
    expect(r.dueAt).toBeNull();
    expect(r.data).toMatchObject({ failures: 5, lastResult: 'failed', pausedReason: 'it failed 5 times in a row' });
    // Only a LookoutError's message reaches the user; anything else stays in the log.
    expect(r.data.lastError).toBe('Prometheus answered 503.');
    expect(paused).toHaveLength(1);
    expect(paused[0][0]).toMatchObject({ id: 'r-f', state: 'paused' });
    expect(paused[0][1]).toBe('it failed 5 times in a row');
  });

  it('counts a run whose result carries an error as failed', async () => {
    await seedReport(store, 'r-e', { cron: '0 * * * *' }, clock.now());
    const s = createScheduler({ store, clock, runReport: async () => ({ posted: true, error: 'No metrics backend is configured.' }), maxFailures: 2 });
    await tickAt(clock, s, nine);
    expect((await get('r-e')).data).toMatchObject({ failures: 1, lastError: 'No metrics backend is configured.' });
    await tickAt(clock, s, nine + H);
    expect((await get('r-e')).state).toBe('paused');
  });
});

describe('runNow', () => {
  it('runs once outside the schedule, always posts, and leaves the schedule as it was', async () => {
    await seedReport(store, 'r-n', { cron: '0 9 * * *', onChange: true }, clock.now(), { lastFingerprint: 'up = 1' });
    const rec = recordingRunner(clock);
    const s = createScheduler({ store, clock, runReport: rec.runReport });
    const out = await s.runNow('r-n');
    expect(out).toMatchObject({ status: 'posted' });
    expect(rec.runs[0]).toMatchObject({ trigger: 'manual', occurrence: clock.now() });
    expect((await get('r-n')).dueAt).toBe(nine);
    expect(await s.runNow('r-none')).toBe('not_found');
    await tickAt(clock, s, nine);
    expect(rec.runs.map((r) => r.trigger)).toEqual(['manual', 'schedule']);
  });

  it('is refused while a run is under way', async () => {
    await seedReport(store, 'r-b', { cron: '0 9 * * *' }, clock.now());
    let release!: () => void;
    const s = createScheduler({
      store,
      clock,
      runReport: () => new Promise<RunResult>((resolve) => (release = () => resolve({ fingerprint: 'x', posted: true }))),
    });
    const first = s.runNow('r-b');
    await waitFor(() => release !== undefined);
    expect(await s.runNow('r-b')).toBe('busy');
    release();
    expect(await first).toMatchObject({ status: 'posted' });
  });
});

describe('the loop', () => {
  it('sleeps on the injected clock until the next due report, and stop() ends it', async () => {
    await seedReport(store, 'r-l', { cron: '0 9 * * *' }, clock.now());
    const rec = recordingRunner(clock);
    const s = createScheduler({ store, clock, runReport: rec.runReport, tickMs: 15_000 });
    s.start();
    s.start(); // idempotent
    for (let t = clock.now(); t < nine + 30_000; t += 5_000) {
      await clock.advance(5_000);
      for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    }
    expect(rec.runs.map((r) => r.occurrence)).toEqual([nine]);
    expect(rec.runs[0].at - nine).toBeLessThan(5_000);
    await s.stop();
    await clock.advance(86_400_000);
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    expect(rec.runs).toHaveLength(1);
  });
});
