import { ManualClock } from '../../helpers/manual-clock';
import { createScheduler } from '../../../src/reports/scheduler';
import { REPORT_KIND, type ReportData } from '../../../src/reports/model';
import { storeBackends, type OpenedStore } from '../../helpers/store';
import { CHANNEL, recordingRunner, tickAt } from './fixtures';

const nine = Date.UTC(2026, 10, 29, 9, 0, 0);
const H = 3_600_000;

/** A report row exactly as Lookout stored it before answers had fingerprints: a text hash in `lastDigest`. */
function oldRow(id: string, over: Record<string, unknown>): string {
  const data = {
    channel: CHANNEL,
    team: 'T0TEAM',
    createdBy: 'U0ALICE',
    cron: '0 * * * *',
    tz: 'UTC',
    onChange: true,
    command: '/chaos status',
    source: 'slack',
    watch: false,
    nextRunAt: nine,
    running: null,
    failures: 0,
    lastRunAt: nine - H,
    lastResult: 'unchanged',
    lastDigest: '5d41402abc4b2a76b9719d911017c592',
    lastSummary: 'No experiments are running',
    lastPostedAt: nine - 5 * H,
    lastError: null,
    missedNote: null,
    pausedReason: null,
    createdAt: nine - 24 * H,
    updatedBy: 'U0ALICE',
    ...over,
  };
  const json = JSON.stringify(data).replace(/'/g, "''");
  return `insert into entities (kind, id, state, version, data, due_at, created_at, updated_at) values ('${REPORT_KIND}', '${id}', 'active', 3, '${json}', ${nine}, ${nine - 24 * H}, ${nine - H})`;
}

describe.each(storeBackends)('reports stored before fingerprints ($name)', (backend) => {
  let db: OpenedStore;
  beforeEach(async () => {
    db = await backend.open();
  });
  afterEach(() => db.cleanup());

  const stored = async (id: string) => (await db.store.get<ReportData>(REPORT_KIND, id))!.data;

  it('an on-change report records its first fingerprint silently, then posts only on a change', async () => {
    await db.execute(oldRow('r-old', {}));
    const clock = new ManualClock(nine - 60_000);
    let answer = 'no experiments';
    const rec = recordingRunner(clock, () => answer);
    const s = createScheduler({ store: db.store, clock, runReport: rec.runReport });
    await tickAt(clock, s, nine);
    expect(rec.runs).toHaveLength(1);
    expect(rec.posts).toEqual([]);
    expect(await stored('r-old')).toMatchObject({ lastResult: 'unchanged', lastFingerprint: 'no experiments', lastSummary: 'No experiments are running' });
    await tickAt(clock, s, nine + H);
    expect(rec.posts).toEqual([]);
    answer = 'EXP1 running';
    await tickAt(clock, s, nine + 2 * H);
    expect(rec.posts.map((p) => p.text)).toEqual(['EXP1 running']);
    expect(await stored('r-old')).toMatchObject({ lastResult: 'posted', lastFingerprint: 'EXP1 running' });
  });

  it('a claim the previous release was posting (postingDigest) is not run again when its lease lapses', async () => {
    const running = { token: 'old-token', occurrence: nine - H, since: nine - H, leaseUntil: nine - H + 600_000, attempt: 1, manual: false, postingDigest: 'abc' };
    await db.execute(oldRow('r-posting', { running, nextRunAt: nine + H }).replace(`${nine}, ${nine - 24 * H}`, `${nine - H + 600_000}, ${nine - 24 * H}`));
    const clock = new ManualClock(nine - 60_000);
    const rec = recordingRunner(clock);
    const s = createScheduler({ store: db.store, clock, runReport: rec.runReport });
    await tickAt(clock, s, nine);
    expect(rec.runs).toEqual([]);
    expect(await stored('r-posting')).toMatchObject({ running: null, lastResult: 'posted', lastPostedAt: nine - H });
  });

  it('an on-change report that never answered posts its first answer, as before', async () => {
    await db.execute(oldRow('r-new', { lastRunAt: null, lastResult: null, lastDigest: null, lastSummary: null, lastPostedAt: null }));
    const clock = new ManualClock(nine - 60_000);
    const rec = recordingRunner(clock);
    const s = createScheduler({ store: db.store, clock, runReport: rec.runReport });
    await tickAt(clock, s, nine);
    expect(rec.posts).toHaveLength(1);
    expect(await stored('r-new')).toMatchObject({ lastResult: 'posted', lastFingerprint: 'up = 1' });
  });

  it('a report without --on-change posts on every run, as before', async () => {
    await db.execute(oldRow('r-every', { onChange: false }));
    const clock = new ManualClock(nine - 60_000);
    const rec = recordingRunner(clock);
    const s = createScheduler({ store: db.store, clock, runReport: rec.runReport });
    await tickAt(clock, s, nine);
    await tickAt(clock, s, nine + H);
    expect(rec.posts).toHaveLength(2);
  });

  it('/report run posts even the first time after the switch', async () => {
    await db.execute(oldRow('r-manual', {}));
    const clock = new ManualClock(nine - 60_000);
    const rec = recordingRunner(clock);
    const s = createScheduler({ store: db.store, clock, runReport: rec.runReport });
    expect(await s.runNow('r-manual')).toMatchObject({ status: 'posted' });
    expect(await stored('r-manual')).toMatchObject({ lastFingerprint: 'up = 1' });
  });
});
