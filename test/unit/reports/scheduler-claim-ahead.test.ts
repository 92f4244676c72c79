import { ManualClock } from '../../helpers/manual-clock';
import { createScheduler, type ReportRun, type RunResult } from '../../../src/reports/scheduler';
import { REPORT_KIND, type ReportData } from '../../../src/reports/model';
import { storeBackends, type OpenedStore } from '../../helpers/store';
import { deferred, seedReport, waitFor } from './fixtures';

const from = Date.UTC(2026, 10, 29, 8, 59, 0);
const nine = Date.UTC(2026, 10, 29, 9, 0, 0);

// Claims run ahead of runs (issue 15: 10,000 due in a minute on Postgres): the store round trips of claiming do not
// hold run slots, but `concurrency` still bounds the runs, and the claimed-ahead ones are capped.
describe.each(storeBackends)('claiming ahead of the runs ($name)', (backend) => {
  let db: OpenedStore;
  beforeEach(async () => {
    db = await backend.open();
  });
  afterEach(() => db.cleanup());

  it('runs at most `concurrency` at once, claims at most 4× that ahead, and runs every due report once', async () => {
    const clock = new ManualClock(from);
    for (let i = 0; i < 20; i++) await seedReport(db.store, `r-${i}`, { cron: '0 9 * * *' }, from);
    const gate = deferred();
    let running = 0;
    let most = 0;
    const ran: string[] = [];
    const runReport = async (run: ReportRun): Promise<RunResult> => {
      ran.push(run.report.id);
      most = Math.max(most, ++running);
      await gate.promise;
      running--;
      return { fingerprint: 'd', posted: false };
    };
    const s = createScheduler({ store: db.store, clock, runReport, concurrency: 2 });
    await clock.advance(nine - clock.now());
    const tick = s.tick();
    await waitFor(() => ran.length === 2);
    // Held runs: 2 running, and up to 8 claimed in all.
    const claimed = async () => (await db.store.list<ReportData>(REPORT_KIND)).filter((e) => e.data.running).length;
    await waitFor(() => s.inFlight === 2);
    expect(await claimed()).toBeLessThanOrEqual(8);
    expect(await claimed()).toBeGreaterThan(2);
    gate.resolve();
    await tick;
    await s.tick();
    expect(most).toBe(2);
    expect([...ran].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `r-${i}`).sort());
    expect(await claimed()).toBe(0);
  });
});
