import { startBench, textOf, type Bench } from '../helpers/app';
import { eventually } from '../helpers/fast-clock';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres';
import { size } from '../helpers/soak';
import { ADDED, RAW, UNREACHABLE, answer, burst, readyz, yaml } from '../helpers/store-fault-bench';
import { openStore } from '../../src/store';
import type { ReportData } from '../../src/reports/model';

/**
 * Issue 13 item 7, a real Postgres restart: the test's own cluster (test/helpers/private-postgres.ts; the shared
 * server on 5432 serves other files) is restarted with `pg_ctl restart -m fast`, then stopped, left down and
 * started again, each time while a burst of `/report add` is in flight. Asserted: every command answered, either
 * done or with the clear "cannot reach its database" message (never driver text); /readyz 503 while the server is
 * down and 200 once it is back; later commands succeed in the same process (never restarted); and nothing
 * half-written: every report a person was told was added is stored whole, and no report is stored that a person
 * was told was not.
 */
const LOAD = size(20, 200);

describe('store faults: a real Postgres restarted under load (private cluster)', () => {
  let pg: PrivatePostgres;
  let bench: Bench;
  const added = new Set<string>();
  beforeAll(async () => {
    pg = await startPrivatePostgres();
    bench = await startBench({ yaml, env: { DATABASE_URL: pg.url }, start: { sandbox: true } });
  }, 120_000);
  afterAll(async () => {
    await bench?.stop();
    await pg?.close();
  });

  /** Every answer of a burst: done (its id noted) or the clear refusal, never driver text. */
  const settle = (replies: string[]) => {
    for (const reply of replies) {
      expect(reply).toMatch(new RegExp(`${ADDED.source}|${UNREACHABLE.source}`));
      expect(reply).not.toMatch(RAW);
      const id = ADDED.exec(reply)?.[1];
      if (id) added.add(id);
    }
  };
  const firstAnswer = (since: number) =>
    eventually(() => bench.slack.calls.slice(since).some((c) => c.method === 'response_url' || c.method === 'chat.postMessage') || undefined, 30_000);
  const works = async () => {
    for (let i = 0; i < 3; i++) {
      const reply = await answer(bench, '/report', 'add "0 9 * * *" -- /metrics up');
      expect(reply).toMatch(ADDED);
      added.add(ADDED.exec(reply)![1]!);
    }
  };

  it('pg_ctl restart -m fast during a burst: every command answered clearly, then everything works', async () => {
    const app = bench.app;
    expect(await readyz(bench)).toBe(200);
    const since = bench.slack.calls.length;
    const inFlight = burst(bench, LOAD);
    await firstAnswer(since);
    await pg.restart();
    settle(await inFlight);
    await eventually(async () => (await readyz(bench)) === 200, 30_000);
    await works();
    expect(bench.app).toBe(app); // the same process and handle: no restart
  }, 180_000);

  it('pg_ctl stop under load, left down, then start: 503 and the clear message while down, 200 and success after', async () => {
    const app = bench.app;
    const since = bench.slack.calls.length;
    const inFlight = burst(bench, LOAD);
    await firstAnswer(since);
    await pg.stop();
    settle(await inFlight);
    await eventually(async () => (await readyz(bench)) === 503, 30_000);
    for (const [cmd, text] of [['/report', 'list'], ['/report', 'add "0 9 * * *" -- /metrics up']] as const) {
      const reply = await answer(bench, cmd, text);
      expect(reply).toMatch(UNREACHABLE);
      expect(reply).not.toMatch(RAW);
    }
    expect(await readyz(bench)).toBe(503);
    await pg.start();
    await eventually(async () => (await readyz(bench)) === 200, 30_000);
    await works();
    expect(bench.app).toBe(app);
  }, 180_000);

  it('nothing half-written: the stored reports are exactly those announced as added, each whole', async () => {
    const store = await openStore(pg.url);
    try {
      const stored = await store.list<ReportData>('report');
      for (const r of stored) {
        expect(r.state).toBe('active');
        expect(r.data).toEqual(expect.objectContaining({ channel: expect.any(String), cron: expect.stringMatching(/ 9 \* \* \*$/), command: '/metrics up' }));
      }
      // Every answer Slack received (a burst's answers are matched to commands by text only): ids announced as added.
      const announced = new Set(bench.slack.calls.flatMap((c) => [...textOf(c.args).matchAll(new RegExp(ADDED.source, 'g'))].map((m) => m[1]!)));
      for (const id of added) expect(announced).toContain(id);
      expect(new Set(stored.map((r) => r.id))).toEqual(announced);
      expect(announced.size).toBeGreaterThanOrEqual(6);
    } finally {
      await store.close();
    }
  });
});
