import { ManualClock } from '../../helpers/manual-clock';
import { createScheduler } from '../../../src/reports/scheduler';
import { storeBackends, type OpenedStore } from '../../helpers/store';
import { recordingRunner, seedReport, waitFor } from './fixtures';

const from = Date.UTC(2026, 10, 29, 9, 0, 0);

// Many reports due at once (10,000 in a minute is the budget in docs/performance.md): the loop claims batch
// after batch while runs free capacity, and never waits for the clock while something is due.
describe.each(storeBackends)('a backlog of due reports ($name)', (backend) => {
  let db: OpenedStore;
  beforeEach(async () => {
    db = await backend.open();
  });
  afterEach(() => db.cleanup());

  it('runs every due report without the clock moving', async () => {
    const clock = new ManualClock(from);
    for (let i = 0; i < 40; i++) await seedReport(db.store, `r-${i}`, { cron: '*/5 * * * *' }, from - 1);
    const rec = recordingRunner(clock);
    const scheduler = createScheduler({ store: db.store, clock, runReport: rec.runReport, concurrency: 4 });
    scheduler.start();
    try {
      await waitFor(() => rec.runs.length === 40);
    } finally {
      await scheduler.stop();
    }
    expect(new Set(rec.runs.map((r) => r.id)).size).toBe(40);
    expect(clock.now()).toBe(from);
  }, 60_000);
});
