import { isLookoutError } from '../../../src/errors';
import { ManualClock } from '../../helpers/manual-clock';
import type { Store } from '../../../src/ports/store';
import { cronForWatch } from '../../../src/reports/rules';
import { createScheduler } from '../../../src/reports/scheduler';
import { createReportService, type ReportActor } from '../../../src/reports/service';
import { REPORT_KIND, type ReportData } from '../../../src/reports/model';
import { openStore } from '../../../src/store';
import { recordingRunner } from './fixtures';

const now0 = Date.UTC(2026, 10, 29, 9, 0, 0); // a Sunday
const alice: ReportActor = { channelId: 'C0OPS', userId: 'U0ALICE', teamId: 'T0TEAM' };
const elsewhere: ReportActor = { channelId: 'C0OTHER', userId: 'U0ALICE', teamId: 'T0TEAM' };

let store: Store;
let clock: ManualClock;
let ids: string[];
function setup() {
  const rec = recordingRunner(clock);
  const scheduler = createScheduler({ store, clock, runReport: rec.runReport });
  let n = 0;
  const service = createReportService({ store, clock, scheduler, rules: { minWatchIntervalMs: 15 * 60_000 }, newId: () => ids[n++] ?? `r-x${n}` });
  return { rec, scheduler, service };
}
beforeEach(async () => {
  clock = new ManualClock(now0);
  store = await openStore('sqlite::memory:', { clock });
  ids = ['r-aaaaaa', 'r-bbbbbb', 'r-cccccc'];
});
afterEach(() => store.close());

async function rejection(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isLookoutError(e)) return { code: e.code, message: e.message, hint: e.hint };
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('add', () => {
  it('stores the report for this channel and creator and returns the next three runs', async () => {
    const { service } = setup();
    const added = await service.add({ cron: '0 9 * * 1-5', tz: 'europe/berlin', onChange: false, command: '/chaos history --limit 5' }, alice);
    expect(added.report).toMatchObject({ id: 'r-aaaaaa', state: 'active', channel: 'C0OPS', createdBy: 'U0ALICE', team: 'T0TEAM', tz: 'Europe/Berlin', source: 'slack' });
    expect(added.nextRuns.map((t) => new Date(t).toISOString())).toEqual(['2026-11-30T08:00:00.000Z', '2026-12-01T08:00:00.000Z', '2026-12-02T08:00:00.000Z']);
    expect(added.billed).toBe(false);
    const stored = await store.get<ReportData>(REPORT_KIND, 'r-aaaaaa');
    expect(stored?.dueAt).toBe(Date.parse('2026-11-30T08:00:00Z'));
  });

  it('shows the occurrence it stored as the first run, even when a minute passes while it is stored', async () => {
    clock = new ManualClock(now0 + 59_000); // 09:00:59: the next minute is 09:01
    const { scheduler } = setup();
    // The store answers the read-back 30 s later (a busy machine): "now" is then past the stored occurrence.
    const slowStore: Store = { ...store, get: async (kind, id) => (await clock.advance(30_000), store.get(kind, id)) };
    const slow = createReportService({ store: slowStore, clock, scheduler, rules: { minWatchIntervalMs: 60_000 }, newId: () => 'r-slow01' });
    const added = await slow.add({ cron: '* * * * *', onChange: false, command: '/metrics up' }, alice);
    const stored = await store.get<ReportData>(REPORT_KIND, 'r-slow01');
    expect(stored?.dueAt).toBe(now0 + 60_000);
    expect(added.nextRuns).toEqual([now0 + 60_000, now0 + 120_000, now0 + 180_000]);
  });

  it('picks another id when one is taken', async () => {
    ids = ['r-aaaaaa', 'r-aaaaaa', 'r-bbbbbb'];
    const { service } = setup();
    await service.add({ cron: '0 9 * * *', onChange: false, command: '/metrics up' }, alice);
    expect((await service.add({ cron: '0 9 * * *', onChange: false, command: '/metrics up' }, alice)).report.id).toBe('r-bbbbbb');
  });

  it('treats /reach as billed: no more often than reach.minWatchInterval, with the monthly count', async () => {
    const { service } = setup();
    const err = await rejection(service.add({ cron: '*/5 * * * *', onChange: true, command: '/reach web-1 -> db-1:5432' }, alice));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(/more often than every 15 min.*billed/);
    const watch = await service.add({ cron: '*/15 * * * *', onChange: false, command: '/reach web-1 -> db-1:5432', watch: true }, alice);
    expect(watch).toMatchObject({ billed: true, expectedRunsPerMonth: 2880 });
    expect(watch.report).toMatchObject({ watch: true, onChange: true });
  });

  it('refuses what cannot be scheduled, with the user text escaped', async () => {
    const { service } = setup();
    expect((await rejection(service.add({ cron: '0 9 * * *', onChange: false, command: '/chaos run <!channel>' }, alice))).message).toMatch(/only `\/chaos status`/);
    expect((await rejection(service.add({ cron: '0 9 * * *', tz: 'Mars/<b>', onChange: false, command: '/metrics up' }, alice))).message).toContain('Mars/&lt;b&gt;');
    expect((await rejection(service.add({ cron: '0 0 30 2 *', onChange: false, command: '/metrics up' }, alice))).message).toMatch(/never runs/);
  });
});

describe('channel ownership and lookout.yml reports', () => {
  it('lists only this channel’s reports and treats another channel’s as unknown', async () => {
    const { service } = setup();
    await service.add({ cron: '0 9 * * *', onChange: false, command: '/metrics up' }, alice);
    await service.add({ cron: '0 10 * * *', onChange: false, command: '/metrics up' }, elsewhere);
    expect((await service.list('C0OPS')).map((r) => r.id)).toEqual(['r-aaaaaa']);
    for (const op of [service.pause('r-bbbbbb', alice), service.remove('r-bbbbbb', alice), service.runNow('r-bbbbbb', alice), service.edit('r-bbbbbb', { cron: '0 8 * * *' }, alice)]) {
      const err = await rejection(op);
      expect(err).toMatchObject({ code: 'not_found', message: 'No report `r-bbbbbb` in this channel.' });
    }
    expect(await store.get(REPORT_KIND, 'r-bbbbbb')).not.toBeNull();
  });

  it('refuses to remove or edit a report from lookout.yml, but pauses it', async () => {
    const { service } = setup();
    await service.syncConfigured([{ id: 'weekday-chaos', channel: 'C0OPS', cron: '0 9 * * 1-5', tz: 'Europe/Berlin', command: '/chaos history --limit 5' }]);
    for (const op of [service.remove('weekday-chaos', alice), service.edit('weekday-chaos', { cron: '0 8 * * *' }, alice)]) {
      const err = await rejection(op);
      expect(err.code).toBe('forbidden');
      expect(err.message).toContain('declared in lookout.yml');
      expect(err.hint).toContain('Change it in lookout.yml');
    }
    expect((await service.pause('weekday-chaos', alice)).state).toBe('paused');
  });
});

describe('pause, resume, edit, remove, run', () => {
  it('pause stops the schedule; resume restarts it from now without counting paused occurrences as missed', async () => {
    const { service, scheduler, rec } = setup();
    await service.add({ cron: '0 * * * *', onChange: false, command: '/metrics up' }, alice);
    const paused = await service.pause('r-aaaaaa', alice);
    expect(paused).toMatchObject({ state: 'paused', pausedReason: 'paused by <@U0ALICE>' });
    expect((await rejection(service.pause('r-aaaaaa', alice))).code).toBe('conflict');
    await clock.advance(3 * 3_600_000 + 60_000);
    await scheduler.tick();
    expect(rec.runs).toHaveLength(0);
    const resumed = await service.resume('r-aaaaaa', alice);
    expect(resumed.report).toMatchObject({ state: 'active', failures: 0, pausedReason: null, missedNote: null });
    expect(resumed.nextRuns[0]).toBe(now0 + 4 * 3_600_000);
    await clock.advance(now0 + 4 * 3_600_000 - clock.now());
    await scheduler.tick();
    expect(rec.runs.map((r) => [r.occurrence, r.missed])).toEqual([[now0 + 4 * 3_600_000, null]]);
  });

  it('edit changes the schedule and the zone and moves the next run', async () => {
    const { service } = setup();
    await service.add({ cron: '0 9 * * *', onChange: false, command: '/metrics up' }, alice);
    const edited = await service.edit('r-aaaaaa', { cron: '30 7 * * *', tz: 'America/New_York' }, { ...alice, userId: 'U0BOB' });
    expect(edited.report).toMatchObject({ cron: '30 7 * * *', tz: 'America/New_York', updatedBy: 'U0BOB', createdBy: 'U0ALICE' });
    expect(new Date(edited.nextRuns[0]).toISOString()).toBe('2026-11-29T12:30:00.000Z');
    expect((await store.get(REPORT_KIND, 'r-aaaaaa'))?.dueAt).toBe(edited.nextRuns[0]);
    expect((await rejection(service.edit('r-aaaaaa', { tz: 'Nowhere/Land' }, alice))).code).toBe('invalid_input');
  });

  it('runNow runs it once through the scheduler; remove deletes it', async () => {
    const { service, rec } = setup();
    await service.add({ cron: '0 9 * * *', onChange: true, command: '/metrics up' }, alice);
    expect(await service.runNow('r-aaaaaa', alice)).toMatchObject({ status: 'posted' });
    expect(rec.runs).toHaveLength(1);
    expect((await service.remove('r-aaaaaa', alice)).id).toBe('r-aaaaaa');
    expect(await service.list('C0OPS')).toEqual([]);
    expect((await rejection(service.remove('r-aaaaaa', alice))).code).toBe('not_found');
  });
});

describe('cronForWatch', () => {
  const rules = { minWatchIntervalMs: 15 * 60_000 };
  it('defaults to the minimum interval, converts plain intervals, keeps a cron', () => {
    expect(cronForWatch(undefined, rules)).toBe('*/15 * * * *');
    expect(cronForWatch({ intervalMs: 30 * 60_000 }, rules)).toBe('*/30 * * * *');
    expect(cronForWatch({ intervalMs: 2 * 3_600_000 }, rules)).toBe('0 */2 * * *');
    expect(cronForWatch({ cron: '0 9 * * 1-5' }, rules)).toBe('0 9 * * 1-5');
    expect(cronForWatch(undefined, { minWatchIntervalMs: 45 * 60_000 })).toBe('0 * * * *');
    expect(cronForWatch(undefined, { minWatchIntervalMs: 5 * 3_600_000 })).toBe('0 */6 * * *');
    expect(() => cronForWatch({ intervalMs: 7 * 60_000 }, rules)).toThrow(/every 7 min/);
  });
});
