import { ManualClock } from '../../helpers/manual-clock';
import type { Store } from '../../../src/ports/store';
import { createScheduler } from '../../../src/reports/scheduler';
import { openStore } from '../../../src/store';
import { expectedOccurrences, recordingRunner, seedReport, tickAt } from './fixtures';

const TICK = 15_000;
const CRONS = ['0 * * * *', '30 2 * * *', '0 */2 * * *', '15 9 * * 1-5', '0 0 * * *', '45 */6 * * *', '0 9,17 * * *'];
const ZONES = ['Europe/Berlin', 'UTC', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney'];

async function simulate(store: Store, clock: ManualClock, from: number, to: number, reports: { id: string; cron: string; tz: string }[]) {
  for (const r of reports) await seedReport(store, r.id, { cron: r.cron, tz: r.tz }, from);
  const rec = recordingRunner(clock);
  const scheduler = createScheduler({ store, clock, runReport: rec.runReport, concurrency: 64 });
  for (let t = from + TICK; t <= to; t += TICK) await tickAt(clock, scheduler, t);
  return rec;
}

describe('1,000 reports over a simulated day (SQLite, ManualClock)', () => {
  // The Berlin calendar day of the 2026 fall-back (25 h long), with margin on both sides.
  const from = Date.parse('2026-10-24T21:00:00Z');
  const to = Date.parse('2026-10-25T23:30:00Z');
  let store: Store;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(from);
    store = await openStore('sqlite::memory:', { clock });
  });
  afterAll(() => store.close());

  it('runs every report exactly at the occurrences croner gives, in its time zone, across the DST change', async () => {
    const reports = Array.from({ length: 1000 }, (_, i) => ({ id: `r-${String(i).padStart(4, '0')}`, cron: CRONS[i % CRONS.length], tz: ZONES[Math.floor(i / CRONS.length) % ZONES.length] }));
    const rec = await simulate(store, clock, from, to, reports);

    const byId = new Map<string, number[]>();
    for (const run of rec.runs) byId.set(run.id, [...(byId.get(run.id) ?? []), run.occurrence]);
    let total = 0;
    for (const r of reports) {
      const want = expectedOccurrences(r.cron, r.tz, from, to);
      expect({ id: r.id, runs: byId.get(r.id) ?? [] }).toEqual({ id: r.id, runs: want });
      total += want.length;
    }
    expect(rec.runs).toHaveLength(total);
    expect(rec.posts).toHaveLength(total);
    // Each run started within one tick of its occurrence, never before it.
    for (const run of rec.runs) {
      expect(run.at - run.occurrence).toBeGreaterThanOrEqual(0);
      expect(run.at - run.occurrence).toBeLessThan(TICK);
      expect(run.trigger).toBe('schedule');
      expect(run.missed).toBeNull();
    }

    const berlin = (cron: string) => reports.find((r) => r.cron === cron && r.tz === 'Europe/Berlin')!.id;
    const localDay = (ms: number) => new Date(ms).toLocaleDateString('en-CA', { timeZone: 'Europe/Berlin' });
    const runsOn25th = (id: string) => (byId.get(id) ?? []).filter((t) => localDay(t) === '2026-10-25');
    // 02:30 happens twice in Berlin that night: the fixed-time report runs once (at the first, CEST).
    expect(runsOn25th(berlin('30 2 * * *')).map((t) => new Date(t).toISOString())).toEqual(['2026-10-25T00:30:00.000Z']);
    // The hourly report runs in both 02:00 hours: 25 runs on a 25-hour day.
    expect(runsOn25th(berlin('0 * * * *'))).toHaveLength(25);
    expect(runsOn25th(berlin('0 * * * *'))).toEqual(expect.arrayContaining([Date.parse('2026-10-25T00:00:00Z'), Date.parse('2026-10-25T01:00:00Z')]));
  }, 180_000);
});

describe('America/New_York on 2026-11-01 (fall back, 01:00–02:00 twice)', () => {
  it('a "30 2 * * *" report runs once at 02:30 EST; "30 1 * * *" once; "0 * * * *" 25 times that day', async () => {
    const from = Date.parse('2026-11-01T03:00:00Z'); // 23:00 EDT on Oct 31
    const to = Date.parse('2026-11-02T05:30:00Z'); // 00:30 EST on Nov 2
    const clock = new ManualClock(from);
    const store = await openStore('sqlite::memory:', { clock });
    try {
      const reports = [
        { id: 'ny-0230', cron: '30 2 * * *', tz: 'America/New_York' },
        { id: 'ny-0130', cron: '30 1 * * *', tz: 'America/New_York' },
        { id: 'ny-hourly', cron: '0 * * * *', tz: 'America/New_York' },
      ];
      const rec = await simulate(store, clock, from, to, reports);
      const local = (ms: number) => new Date(ms).toLocaleString('en-US', { timeZone: 'America/New_York', hour12: false, timeZoneName: 'short' });
      const runsOf = (id: string) => rec.runs.filter((r) => r.id === id).map((r) => r.occurrence);
      expect(runsOf('ny-0230').map(local)).toEqual(['11/1/2026, 02:30:00 EST']);
      expect(runsOf('ny-0130').map(local)).toEqual(['11/1/2026, 01:30:00 EDT']);
      const onFirst = runsOf('ny-hourly').filter((t) => local(t).startsWith('11/1/2026'));
      expect(onFirst).toHaveLength(25);
      expect(runsOf('ny-hourly')).toEqual(expectedOccurrences('0 * * * *', 'America/New_York', from, to));
    } finally {
      await store.close();
    }
  });
});
