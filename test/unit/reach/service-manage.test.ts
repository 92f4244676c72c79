import { ManualClock } from '../../helpers/manual-clock';
import type { Store } from '../../../src/ports/store';
import type { Reachability } from '../../../src/ports/reachability';
import { changeAws } from '../../../src/aws-request-ids';
import { SWEEP_USER } from '../../../src/reach/manage';
import { createReachService } from '../../../src/reach';
import { createSandboxReachabilityFactory } from '../../../src/sandbox/reach';
import { SANDBOX_IDS as S } from '../../../src/sandbox/world';
import { createReportService, type ReportActor } from '../../../src/reports';
import { openStore } from '../../../src/store';
import { drive } from './fixtures/drive';
import { spyPort } from './fixtures/spy-port';

const prod = { accountName: 'prod', region: 'us-east-1' };
const staging = { accountName: 'staging', region: 'eu-west-1' };
const db = { source: 'web-1', destination: 'db-1', protocol: 'tcp' as const, port: 5432 };
const cache = { source: 'web-1', destination: 'cache-1', protocol: 'tcp' as const, port: 6379 };
const DAY = 86_400_000;

let clock: ManualClock;
let store: Store;
beforeEach(async () => {
  clock = new ManualClock();
  store = await openStore('sqlite::memory:', { clock });
});
afterEach(() => store.close());

function setup(opts: { targets?: boolean; minWatchIntervalMs?: number; tz?: string; deletePath?: Reachability['deletePath'] } = {}) {
  // One sandbox account per target, as in the playground; calls are counted across all of them.
  const factory = createSandboxReachabilityFactory({ clock, analysisMs: 8_000 });
  const calls: Record<string, unknown[][]> = {};
  const targets = opts.targets === false ? undefined : async (ref: { accountName: string; region: string }) => ({ ...ref });
  const service = createReachService({ reachability: (t) => spyPort(factory(t), opts.deletePath ? { deletePath: opts.deletePath } : {}, calls).port, store, clock, targets, minWatchIntervalMs: opts.minWatchIntervalMs });
  const check = (q: typeof db, target = prod, channelId = 'C1') => drive(service.check(q, target, { channelId, userId: 'U1' }), clock);
  // A watch is a report (as handlers/commands/reach.ts makes it): the reach service names the path, reports keep it.
  const reports = createReportService({ store, clock, scheduler: { runNow: async () => 'not_found' }, rules: { minWatchIntervalMs: opts.minWatchIntervalMs ?? 15 * 60_000 }, defaultTz: opts.tz });
  const watch = async (pathId: string, target: typeof prod, at: ReportActor, cron = '*/15 * * * *') => {
    const path = await service.findPath(pathId, target, at);
    return { path, reports, ...(await reports.watch({ pathId: path.pathId, cron, command: `/reach ${path.question.source.id} -> ${path.question.destination.id}:5432/tcp --region ${target.region}` }, at)) };
  };
  const watches = async () => (await store.list<any>('report')).filter((r) => r.data.watch);
  return { service, check, calls, sandbox: factory(prod), watch, watches };
}

describe('list', () => {
  test('paths of this account and region, most recent first, with the last result and watch flags', async () => {
    const { service, check, watch } = setup();
    const a = await check(db);
    await clock.advance(60_000);
    const b = await check(cache);
    await check(db, staging, 'C9');
    await watch(a.pathId, prod, { channelId: 'C2', userId: 'U2' });
    const list = await service.list(prod, { channelId: 'C1' });
    expect(list.map((p) => p.pathId)).toEqual([b.pathId, a.pathId]);
    expect(list[0]).toMatchObject({ last: { result: 'reachable', codes: [] }, watchedHere: false, watchCount: 0 });
    expect(list[1]).toMatchObject({ last: { result: 'not_reachable', codes: ['ENI_SG_RULES_MISMATCH'] }, watchedHere: false, watchCount: 1 });
    expect((await service.list(prod, { channelId: 'C2' }))[1].watchedHere).toBe(true);
    expect(await service.list({ accountName: 'prod', region: 'ap-south-1' }, { channelId: 'C1' })).toEqual([]);
  });
});

describe('watch / unwatch', () => {
  test('`last` is the path most recently checked in this channel; the watch is one report carrying the path id', async () => {
    const { check, watch, watches } = setup();
    await check(db);
    await clock.advance(1_000);
    const c = await check(cache);
    await check(db, prod, 'C-other');
    const w = await watch('last', prod, { channelId: 'C1', userId: 'U1' });
    expect(w).toMatchObject({ path: { pathId: c.pathId }, created: true, expectedRunsPerMonth: 2_880, report: { watch: true, onChange: true, pathId: c.pathId, channel: 'C1', createdBy: 'U1' } });
    expect(await watches()).toHaveLength(1);
    expect(await store.list('reach-watch')).toEqual([]);
  });

  test('the first check is the report’s next run in its own time zone', async () => {
    const { check, watch } = setup({ tz: 'Asia/Kolkata' });
    const a = await check(db);
    const w = await watch(a.pathId, prod, { channelId: 'C1', userId: 'U1' }, '0 9 * * *');
    // 09:00 in Kolkata (UTC+5:30) is 03:30 UTC; the clock starts on 2026-11-29 09:00 UTC.
    expect(w.nextRuns[0]).toBe(Date.UTC(2026, 10, 30, 3, 30));
  });

  test('watching again updates the one report; faster than the minimum is refused and writes nothing', async () => {
    const { check, watch, watches } = setup({ minWatchIntervalMs: 30 * 60_000 });
    const a = await check(db);
    const hourly = await watch(a.pathId, prod, { channelId: 'C1', userId: 'U1' }, '0 * * * *');
    expect(hourly).toMatchObject({ expectedRunsPerMonth: 720, created: true });
    const weekdays = await watch(a.pathId, prod, { channelId: 'C1', userId: 'U1' }, '0 9 * * 1-5');
    expect(weekdays).toMatchObject({ created: false, report: { id: hourly.report.id, cron: '0 9 * * 1-5' } });
    await expect(watch(a.pathId, prod, { channelId: 'C1', userId: 'U1' }, '*/15 * * * *')).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/every 30 min/) });
    await expect(watch(a.pathId, prod, { channelId: 'C2', userId: 'U1' }, '*/5 * * * *')).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await watches()).map((r) => [r.data.channel, r.data.cron])).toEqual([['C1', '0 9 * * 1-5']]);
  });

  test('watching a paused watch again starts it again', async () => {
    const { check, watch } = setup();
    const a = await check(db);
    const first = await watch(a.pathId, prod, { channelId: 'C1', userId: 'U1' });
    await first.reports.pause(first.report.id, { channelId: 'C1', userId: 'U1' });
    const again = await watch(a.pathId, prod, { channelId: 'C1', userId: 'U1' });
    expect(again).toMatchObject({ created: false, report: { id: first.report.id, state: 'active' } });
    expect(again.nextRuns).toHaveLength(3);
  });

  test('watching needs a path of this account; `last` needs a check in this channel', async () => {
    const { service, check } = setup();
    const a = await check(db);
    await expect(service.findPath(a.pathId, staging, { channelId: 'C1' })).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('eu-west-1 (account staging)') });
    await expect(service.findPath('last', prod, { channelId: 'C-new' })).rejects.toMatchObject({ code: 'not_found' });
  });

  test('unwatch removes this channel’s watch report only', async () => {
    const { service, check, watch, watches } = setup();
    const a = await check(db);
    await watch(a.pathId, prod, { channelId: 'C1', userId: 'U1' });
    await watch(a.pathId, prod, { channelId: 'C2', userId: 'U1' });
    expect(await service.unwatch(a.pathId, prod, { channelId: 'C1' })).toMatchObject({ pathId: a.pathId, question: { destination: { name: 'db-1' } } });
    await expect(service.unwatch(a.pathId, prod, { channelId: 'C1' })).rejects.toMatchObject({ code: 'not_found' });
    expect((await watches()).map((w) => w.data.channel)).toEqual(['C2']);
  });
});

describe('forget', () => {
  test('deletes the path and its analyses at AWS, its watches and the record', async () => {
    const { service, check, sandbox, watch, watches } = setup();
    const a = await check(db);
    const b = await check(cache);
    await drive(service.rerun(a.pathId, prod), clock);
    await watch(a.pathId, prod, { channelId: 'C1', userId: 'U1' });
    await watch(a.pathId, prod, { channelId: 'C2', userId: 'U1' });
    await watch(b.pathId, prod, { channelId: 'C1', userId: 'U1' });
    const f = await service.forget(a.pathId, prod);
    expect(f).toMatchObject({ pathId: a.pathId, analysesDeleted: 1, watchesRemoved: 2 });
    expect(await sandbox.findManagedPaths({ source: S.web1, destination: S.db1, protocol: 'tcp' })).toEqual([]);
    expect(await store.get('reach-path', a.pathId)).toBeNull();
    // The watch reports stop with the path; another path's watch stays.
    expect((await watches()).map((w) => w.data.pathId)).toEqual([b.pathId]);
    await expect(service.forget(a.pathId, prod)).rejects.toMatchObject({ code: 'not_found' });
  });

  test('only from the path’s own account and region; a path already gone at AWS still forgets cleanly', async () => {
    const { service, check, sandbox } = setup();
    const a = await check(db);
    await expect(service.forget(a.pathId, staging)).rejects.toMatchObject({ code: 'not_found' });
    await sandbox.deletePath(a.pathId);
    expect(await service.forget(a.pathId, prod)).toMatchObject({ analysesDeleted: 0 });
  });

  test('the same question after forget makes a new path', async () => {
    const { service, check } = setup();
    const a = await check(db);
    await service.forget(a.pathId, prod);
    const b = await check(db);
    expect(b.kind).toBe('fresh');
    expect(b.pathId).not.toBe(a.pathId);
  });
});

describe('sweepUnusedPaths', () => {
  test('deletes paths unused for 30 days with their analyses; keeps recent and watched ones', async () => {
    const { service, check, sandbox, calls, watch } = setup();
    const old = await check(db);
    const watched = await check(db, staging);
    await watch(watched.pathId, staging, { channelId: 'C1', userId: 'U1' });
    await clock.advance(29 * DAY);
    const recent = await check(cache);
    await clock.advance(2 * DAY);
    const report = await service.sweepUnusedPaths(clock.now());
    expect(report).toEqual({ deleted: [old.pathId], keptWatched: [watched.pathId], failed: [] });
    expect(calls.deletePath).toEqual([[old.pathId]]);
    expect(await store.get('reach-path', old.pathId)).toBeNull();
    expect(await store.get('reach-path', recent.pathId)).not.toBeNull();
    expect(await sandbox.findManagedPaths({ source: S.web1, destination: S.cache1, protocol: 'tcp' })).toHaveLength(1);
  });

  test('a path whose account cannot be reached is reported, not thrown', async () => {
    const { service, check } = setup({ targets: false });
    const old = await check(db);
    await clock.advance(31 * DAY);
    const report = await service.sweepUnusedPaths(clock.now());
    expect(report.deleted).toEqual([]);
    expect(report.failed).toEqual([{ pathId: old.pathId, error: expect.stringMatching(/no target resolver/) }]);
    expect(await store.get('reach-path', old.pathId)).not.toBeNull();
  });

  test('each delete leaves its audit trace: a pending row before AWS is called, completed with the request id', async () => {
    const seen: unknown[] = [];
    // As the EC2 adapter does (src/aws/reachability.ts): the delete goes through changeAws.
    const deletePath: Reachability['deletePath'] = async () => {
      await changeAws(async () => {
        seen.push(...(await store.listAudit({ limit: 10 })));
        return { $metadata: { requestId: 'aws-del-1' } };
      });
      return { analysesDeleted: 0 };
    };
    const { service, check } = setup({ deletePath });
    const old = await check(db);
    await clock.advance(31 * DAY);
    expect((await service.sweepUnusedPaths(clock.now())).deleted).toEqual([old.pathId]);
    const command = `reach sweep deleted ${old.pathId}`;
    expect(seen).toEqual([expect.objectContaining({ outcome: 'pending', userId: SWEEP_USER, kind: 'system', command })]);
    expect(await store.listAudit({ limit: 10 })).toEqual([expect.objectContaining({ outcome: 'ok', command, awsRequestIds: ['aws-del-1'] })]);
  });
});
