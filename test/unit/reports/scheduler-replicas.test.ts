import { ManualClock } from '../../helpers/manual-clock';
import { REPORT_KIND, type ReportData } from '../../../src/reports/model';
import { createScheduler } from '../../../src/reports/scheduler';
import { storeBackends, type OpenedStore } from '../../helpers/store';
import { expectedOccurrences, recordingRunner, seedReport } from './fixtures';

const from = Date.UTC(2026, 10, 29, 9, 0, 0);

describe.each(storeBackends)('two schedulers on one database ($name)', (backend) => {
  let db: OpenedStore;
  beforeEach(async () => {
    db = await backend.open();
  });
  afterEach(async () => {
    await db.cleanup();
  });

  it('ticking concurrently, they never run the same occurrence twice and together miss none', async () => {
    const clock = new ManualClock(from);
    const storeB = await db.reopen();
    const ids = Array.from({ length: 40 }, (_, i) => `r-${String(i).padStart(3, '0')}`);
    for (const [i, id] of ids.entries()) await seedReport(db.store, id, { cron: i % 2 ? '*/5 * * * *' : '*/10 * * * *' }, from);
    // One runner shared by both replicas: it sees every run whichever replica made it.
    const rec = recordingRunner(clock);
    const a = createScheduler({ store: db.store, clock, runReport: rec.runReport, concurrency: 4 });
    const b = createScheduler({ store: storeB, clock, runReport: rec.runReport, concurrency: 4 });
    const to = from + 60 * 60_000;
    for (let t = from + 15_000; t <= to; t += 15_000) {
      await clock.advance(t - clock.now());
      await Promise.all([a.tick(t), b.tick(t), a.tick(t)]);
    }
    const seen = new Set<string>();
    for (const r of rec.runs) {
      const key = `${r.id}@${r.occurrence}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
    const expected = ids.flatMap((id, i) => expectedOccurrences(i % 2 ? '*/5 * * * *' : '*/10 * * * *', 'UTC', from, to).map((t) => `${id}@${t}`));
    expect([...seen].sort()).toEqual(expected.sort());
    expect(rec.posts).toHaveLength(expected.length);
    const left = await db.store.list<ReportData>(REPORT_KIND);
    expect(left.every((e) => e.data.running === null)).toBe(true);
  }, 120_000);

  it('with both loops running (start/stop), each occurrence runs once', async () => {
    const clock = new ManualClock(from);
    await seedReport(db.store, 'r-loop', { cron: '*/5 * * * *' }, from);
    const rec = recordingRunner(clock);
    const a = createScheduler({ store: db.store, clock, runReport: rec.runReport });
    const b = createScheduler({ store: await db.reopen(), clock, runReport: rec.runReport });
    a.start();
    b.start();
    const due = () => expectedOccurrences('*/5 * * * *', 'UTC', from, clock.now()).length;
    const end = from + 20 * 60_000;
    // Past the end by up to two minutes: a loop that went to sleep while the clock moved wakes a little late.
    for (let step = 0; clock.now() < end || (rec.posts.length < 4 && step < 88); step++) {
      await clock.advance(15_000);
      // The loops wake on the clock; their store round trips are real I/O, so yield until the due run is posted.
      for (let i = 0; i < 5000 && rec.posts.length < due(); i++) await new Promise((r) => setImmediate(r));
    }
    await Promise.all([a.stop(), b.stop()]);
    const occurrences = rec.runs.map((r) => r.occurrence);
    expect(occurrences).toEqual(expectedOccurrences('*/5 * * * *', 'UTC', from, end));
    expect(rec.posts).toHaveLength(4);
  }, 60_000);
});
