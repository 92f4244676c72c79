import type { ReportConfig } from '../../../src/config/types';
import { ManualClock } from '../../helpers/manual-clock';
import { createScheduler } from '../../../src/reports/scheduler';
import { syncConfiguredReports } from '../../../src/reports/sync';
import { REPORT_KIND, type ReportData } from '../../../src/reports/model';
import { storeBackends, type OpenedStore } from '../../helpers/store';
import { recordingRunner, seedReport } from './fixtures';

const t0 = Date.UTC(2026, 10, 29, 9, 0, 0);
const rules = { minWatchIntervalMs: 15 * 60_000 };
const weekday: ReportConfig = { id: 'weekday-chaos', channel: 'C0123ABCDEF', cron: '0 9 * * 1-5', tz: 'Europe/Berlin', command: '/chaos history --limit 5' };
const hourly: ReportConfig = { id: 'hourly-up', channel: 'C0123ABCDEF', cron: '0 * * * *', command: '/metrics up', onChange: true };

describe.each(storeBackends)('reports as code ($name)', (backend) => {
  let db: OpenedStore;
  beforeEach(async () => {
    db = await backend.open();
  });
  afterEach(async () => {
    await db.cleanup();
  });
  const get = (id: string) => db.store.get<ReportData>(REPORT_KIND, id);

  it('creates the declared reports under their own ids, marked as from lookout.yml', async () => {
    const result = await syncConfiguredReports({ store: db.store, rules, teamId: 'T0TEAM' }, [weekday, hourly], t0);
    expect(result).toEqual({ created: ['weekday-chaos', 'hourly-up'], updated: [], unchanged: [], removed: [], invalid: [] });
    expect((await get('weekday-chaos'))?.data).toMatchObject({ source: 'config', createdBy: null, team: 'T0TEAM', tz: 'Europe/Berlin', onChange: false, nextRunAt: Date.parse('2026-11-30T08:00:00Z') });
    expect((await get('hourly-up'))?.data).toMatchObject({ tz: 'UTC', onChange: true, nextRunAt: t0 + 3_600_000 });
  });

  it('a restart with the same file keeps state, next run and history; a second replica at once changes nothing', async () => {
    await syncConfiguredReports({ store: db.store, rules }, [weekday, hourly], t0);
    const clock = new ManualClock(t0 + 3_600_000);
    const rec = recordingRunner(clock);
    await createScheduler({ store: db.store, clock, runReport: rec.runReport }).tick();
    await db.store.transition(REPORT_KIND, 'weekday-chaos', { from: ['active'], to: 'paused', dueAt: null });
    const before = await get('hourly-up');
    const later = t0 + 3_600_000 + 30 * 60_000;
    const other = await db.reopen();
    const [a, b] = await Promise.all([
      syncConfiguredReports({ store: db.store, rules }, [weekday, hourly], later),
      syncConfiguredReports({ store: other, rules }, [weekday, hourly], later),
    ]);
    expect(a.unchanged.sort()).toEqual(['hourly-up', 'weekday-chaos']);
    expect(b.unchanged.sort()).toEqual(['hourly-up', 'weekday-chaos']);
    expect(await get('hourly-up')).toEqual(before);
    expect((await get('hourly-up'))?.data.lastFingerprint).toBe('up = 1');
    expect((await get('weekday-chaos'))?.state).toBe('paused');
  });

  it('applies a changed definition: new schedule from now; a new command forgets the last answer', async () => {
    await syncConfiguredReports({ store: db.store, rules }, [hourly], t0);
    await db.store.transition(REPORT_KIND, 'hourly-up', { from: ['active'], to: 'active', patch: { lastFingerprint: 'abc', lastSummary: 'up is 1' } });
    const later = t0 + 10 * 60_000;
    const r1 = await syncConfiguredReports({ store: db.store, rules }, [{ ...hourly, cron: '*/30 * * * *' }], later);
    expect(r1.updated).toEqual(['hourly-up']);
    expect((await get('hourly-up'))?.data).toMatchObject({ cron: '*/30 * * * *', nextRunAt: t0 + 30 * 60_000, lastFingerprint: 'abc' });
    expect((await get('hourly-up'))?.dueAt).toBe(t0 + 30 * 60_000);
    await syncConfiguredReports({ store: db.store, rules }, [{ ...hourly, cron: '*/30 * * * *', command: '/metrics sum(up)' }], later);
    expect((await get('hourly-up'))?.data).toMatchObject({ command: '/metrics sum(up)', lastFingerprint: null, lastSummary: null, nextRunAt: t0 + 30 * 60_000 });
  });

  it('removes config reports no longer declared, never Slack ones; reports bad entries and taken ids', async () => {
    await syncConfiguredReports({ store: db.store, rules }, [weekday, hourly], t0);
    await seedReport(db.store, 'r-slack1', { cron: '0 9 * * *' }, t0);
    const bad: ReportConfig[] = [
      { id: 'run-chaos', channel: 'C0123ABCDEF', cron: '0 9 * * *', command: '/chaos run cpu-stress' },
      { id: 'too-often', channel: 'C0123ABCDEF', cron: '*/5 * * * *', command: '/reach web-1 -> db-1:5432' },
      { id: 'seconds', channel: 'C0123ABCDEF', cron: '*/10 * * * * *', command: '/metrics up' },
      { id: 'r-slack1', channel: 'C0123ABCDEF', cron: '0 9 * * *', command: '/metrics up' },
    ];
    const result = await syncConfiguredReports({ store: db.store, rules }, [weekday, ...bad], t0);
    expect(result.removed).toEqual(['hourly-up']);
    expect(result.unchanged).toEqual(['weekday-chaos']);
    expect(result.invalid.map((i) => i.id)).toEqual(['run-chaos', 'too-often', 'seconds', 'r-slack1']);
    expect(result.invalid[1].problem).toMatch(/15 min/);
    expect(result.invalid[2].problem).toMatch(/once a minute/);
    expect(result.invalid[3].problem).toMatch(/created in Slack/);
    expect((await get('r-slack1'))?.data.source).toBe('slack');
    expect(await get('run-chaos')).toBeNull();
  });
});
