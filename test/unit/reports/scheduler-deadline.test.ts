import type { Clock } from '../../../src/ports/clock';
import type { Store } from '../../../src/ports/store';
import { createScheduler, type ReportRun, type RunResult } from '../../../src/reports/scheduler';
import { REPORT_KIND, type ReportData } from '../../../src/reports/model';
import { openStore } from '../../../src/store';
import { seedReport, waitFor } from './fixtures';

const nine = Date.UTC(2026, 10, 29, 9, 0, 0);
// A clock whose sleepers wake only when the test says so (kept local: only sleep and now are needed).
function stepClock(start: number) {
  let t = start;
  const sleepers: { at: number; wake: () => void }[] = [];
  return {
    now: () => t,
    sleep: (ms: number) => new Promise<void>((wake) => void sleepers.push({ at: t + ms, wake })),
    get pending() {
      return sleepers.length;
    },
    advance(ms: number) {
      t += ms;
      const due = sleepers.filter((s) => s.at <= t);
      sleepers.splice(0, sleepers.length, ...sleepers.filter((s) => s.at > t));
      for (const s of due) s.wake();
    },
  } satisfies Clock & Record<string, unknown>;
}
let store: Store;
let clock: ReturnType<typeof stepClock>;
beforeEach(async () => {
  clock = stepClock(nine - 60_000);
  store = await openStore('sqlite::memory:', { clock });
});
afterEach(() => store.close());

describe('a report run that hangs (issue 10: a hung backend must not hold a scheduler slot)', () => {
  it('fails at its deadline with a message, and frees the slot for the next report', async () => {
    await seedReport(store, 'r-hung', { cron: '0 9 * * *' }, clock.now());
    await seedReport(store, 'r-next', { cron: '0 9 * * *' }, clock.now());
    const started: string[] = [];
    const runReport = (run: ReportRun): Promise<RunResult> => {
      started.push(run.report.id);
      // The first run waits on a backend that never answers; the second answers at once.
      return started.length === 1 ? new Promise<RunResult>(() => undefined) : Promise.resolve({ fingerprint: 'd', posted: false });
    };
    const s = createScheduler({ store, clock, runReport, concurrency: 1, runDeadlineMs: 5 * 60_000 });
    clock.advance(60_000);
    const tick = s.tick();
    await waitFor(() => started.length === 1 && clock.pending > 0);
    expect(s.inFlight).toBe(1);
    clock.advance(5 * 60_000);
    await tick;
    expect(started).toHaveLength(2);
    const hung = (await store.get<ReportData>(REPORT_KIND, started[0]))!.data;
    expect(hung.lastResult).toBe('failed');
    expect(hung.lastError).toMatch(/did not finish within 5 min/);
    expect((await store.get<ReportData>(REPORT_KIND, started[1]))!.data.lastResult).toBe('unchanged');
    expect(s.inFlight).toBe(0);
  });
});
