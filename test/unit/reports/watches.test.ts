import { REPORT_KIND, newReportData, type ReportData } from '../../../src/reports/model';
import { adoptLegacyWatches, listPathWatches, watchKey } from '../../../src/reports/watches';
import { OpenedStore, storeBackends } from '../../helpers/store';

const now = Date.UTC(2026, 10, 29, 9, 0, 0);
const question = (dst: string, port: number) => ({
  source: { input: 'web-1', id: 'i-0web' },
  destination: { input: dst, id: `i-0${dst}` },
  protocol: 'tcp',
  port,
  accountName: 'prod',
  region: 'us-east-1',
});

// Records as the release before "a watch is a report" wrote them: a reach-watch plus a report with the same question.
async function plantLegacy(h: OpenedStore) {
  const watch = (channelId: string, pathId: string, q: ReturnType<typeof question>) =>
    h.store.create({ kind: 'reach-watch', id: `${channelId}:${pathId}`, state: 'active', data: { pathId, channelId, schedule: { intervalMs: 900_000 }, expectedPerMonth: 2880, question: q, createdAt: now } });
  const report = (id: string, channel: string, command: string, watch: boolean) =>
    h.store.create<ReportData>({
      kind: REPORT_KIND,
      id,
      state: 'active',
      data: newReportData({ channel, cron: '*/15 * * * *', tz: 'UTC', onChange: true, command }, { source: 'slack', createdBy: 'U1', team: 'T1', watch, nextRunAt: now, now }),
      dueAt: now,
    });
  await watch('C1', 'nip-a', question('db', 5432));
  await report('r-aaaaaa', 'C1', '/reach i-0web -> i-0db:5432/tcp --region us-east-1', true);
  await watch('C2', 'nip-b', question('cache', 6379));
  await report('r-bbbbbb', 'C2', '/reach i-0web -> i-0cache:6379/tcp --region us-east-1 --account prod', true);
  await watch('C1', 'nip-orphan', question('queue', 5672)); // its report was never created (`--every 45m`)
  await report('r-cccccc', 'C1', '/reach i-0web -> i-0db:5432/tcp --region us-east-1', false); // same question, not a watch
  await report('r-dddddd', 'C3', '/reach i-0web -> i-0db:5432/tcp --region us-east-1', true); // a watch report of another channel
}

describe.each(storeBackends)('$name: watches made before watches were reports', (backend) => {
  let h: OpenedStore;
  beforeEach(async () => {
    h = await backend.open();
  });
  afterEach(() => h.cleanup());

  test('each watch + report pair becomes the report carrying the path id; orphans and other reports are left out', async () => {
    await plantLegacy(h);
    expect((await adoptLegacyWatches(h.store)).sort()).toEqual(['r-aaaaaa', 'r-bbbbbb']);
    expect(await h.store.findByKey(REPORT_KIND, watchKey('C1', 'nip-a'))).toMatchObject({ id: 'r-aaaaaa', data: { pathId: 'nip-a', watch: true, onChange: true } });
    expect(await h.store.findByKey(REPORT_KIND, watchKey('C2', 'nip-b'))).toMatchObject({ id: 'r-bbbbbb', data: { pathId: 'nip-b' } });
    expect(await h.store.findByKey(REPORT_KIND, watchKey('C1', 'nip-orphan'))).toBeNull();
    expect((await listPathWatches(h.store)).sort((a, b) => a.reportId.localeCompare(b.reportId))).toEqual([
      { reportId: 'r-aaaaaa', pathId: 'nip-a', channelId: 'C1' },
      { reportId: 'r-bbbbbb', pathId: 'nip-b', channelId: 'C2' },
    ]);
    expect(await h.store.get(REPORT_KIND, 'r-cccccc')).toMatchObject({ version: 1 });
    expect(await h.store.get(REPORT_KIND, 'r-dddddd')).toMatchObject({ version: 1 });
  });

  test('running it again, from another instance (a restart, a second replica), changes nothing; it only adds', async () => {
    await plantLegacy(h);
    await adoptLegacyWatches(h.store);
    const before = await h.store.list(REPORT_KIND);
    const again = await h.reopen();
    expect(await adoptLegacyWatches(again)).toEqual([]);
    expect(await again.list(REPORT_KIND)).toEqual(before);
    // The previous release, still running during a rolling deploy, keeps its records.
    expect(await again.list('reach-watch')).toHaveLength(3);
  });

  test('two replicas starting together adopt each pair once', async () => {
    await plantLegacy(h);
    const other = await h.reopen();
    const [a, b] = await Promise.all([adoptLegacyWatches(h.store), adoptLegacyWatches(other)]);
    expect([...a, ...b].sort()).toEqual(['r-aaaaaa', 'r-bbbbbb']);
    expect(await h.store.get(REPORT_KIND, 'r-aaaaaa')).toMatchObject({ version: 2 });
  });
});
