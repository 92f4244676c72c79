import { startBench, textOf, type Bench } from '../helpers/app';
import { eventually, fastClock } from '../helpers/fast-clock';
import { postgresUrlForTest } from '../helpers/postgres';
import { startReplica, stopRecordingFis } from '../helpers/replicas';
import type { LookoutHandle } from '../../src/main';
import { hasButton, valueOf } from '../helpers/chaos-card';

const CHANNEL = 'C0BOTHUP01';
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';
const ERRORS = 'sum(rate(http_requests_total{service="web",code="500"}[1m]))';
// Each replica's sweep offers every running experiment to its watcher this often: the one without the lease keeps
// trying to take it for the whole run, thirty times per `for:`.
const SWEEP_MS = 1_000;
// A guard query gets half an interval of the 5× clock: at 1s that was 100 ms of real time, which a loaded machine
// overran. At 10s it is 1 s real (and the watch lease, 3 × max(poll, interval), 6 s real instead of 0.9 s); `for:`
// is 30s, so the guard still stays pending over three intervals before it fires.
const yaml = `
chaos:
  approvalTtl: 30m
  guardInterval: 10s
  guards:
    - { name: web-5xx, expr: '${ERRORS} > 5', for: 30s, value: '${ERRORS}', templates: [cpu-stress-web] }
channels:
  default: { allow: ["*"], approvers: [${BOB}], minApprovals: 1 }
`;

/**
 * Issue 12: "exactly one StopExperiment across two replicas sharing Postgres" while both stay alive. Both replicas
 * watch the experiment (each sweep offers it to both); the lease holder guards it, and the compare-and-set on
 * `stoppedBy` keeps the stop single. The sandbox's web error rate rises while cpu-stress-web runs, so the guard fires.
 */
describe('e2e: a guard fires with two live replicas on one Postgres', () => {
  let db: { url: string; drop(): Promise<void> };
  let bench: Bench; // replica-a, with the Slack stand-in
  let b: LookoutHandle; // replica-b
  const clock = fastClock(5);
  const { fis, stops } = stopRecordingFis(clock);

  beforeAll(async () => {
    db = await postgresUrlForTest();
    bench = await startBench({ yaml, env: { DATABASE_URL: db.url }, start: { sandbox: true, clock, sandboxFis: fis, chaos: { replicaId: 'replica-a', sweepMs: SWEEP_MS } } });
    b = await startReplica(bench, db.url, { sandbox: true, clock, sandboxFis: fis, chaos: { replicaId: 'replica-b', sweepMs: SWEEP_MS } });
  }, 120_000);
  afterAll(async () => {
    await b?.stop();
    await bench?.stop();
    await db?.drop();
  });

  /** This replica's count of web-5xx evaluations with `outcome`, from its own /metrics. */
  async function evaluations(app: LookoutHandle, outcome: string): Promise<number> {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`lookout_guard_evaluations_total{guard="web-5xx",outcome="${outcome}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  }

  it('one StopExperiment, one "fired" post and one audit row; the firing evaluation is the lease holder’s', async () => {
    await bench.driver.command('/chaos', 'run cpu-stress-web --reason "both alive"', { user: ALICE, channel: CHANNEL });
    const card = await eventually(() => bench.slack.find((m) => m.channel === CHANNEL && !m.threadTs && textOf(m as never).includes('both alive') && hasButton(m, 'chaos_approve')));
    const requestId = valueOf(card, 'chaos_approve')!;
    await bench.driver.action(card, 'chaos_approve', { user: BOB, value: requestId });
    const running = await eventually(async () => {
      const r = await b.store.get<{ experimentId?: string }>('chaos-request', requestId);
      return r?.data.experimentId ? r : undefined;
    });
    const experimentId = running.data.experimentId!;
    // Both replicas watch it: the other one's sweep offers the experiment to it too (it must find the lease held).
    const holder = await eventually(async () => (await b.store.get<{ lease?: { owner: string } }>('chaos-experiment', experimentId))?.data.lease?.owner);
    const [holderApp, otherApp] = holder === 'replica-a' ? [bench.app, b] : [b, bench.app];

    await eventually(() => {
      const c = bench.slack.find((m) => m.ts === card.ts);
      return c && /stopped by guard \*web-5xx\*/.test(textOf(c as never));
    }, 60_000);
    const fired = await eventually(() => {
      const posts = bench.slack.thread(CHANNEL, card.ts).filter((m) => /Guard \*web-5xx\* fired/.test(textOf(m as never)));
      return posts.length > 0 && posts;
    });
    // The summary follows the stop: once it is in the thread, every replica has acted on this experiment's end.
    await eventually(() => bench.slack.thread(CHANNEL, card.ts).filter((m) => m.files?.length).length >= 2, 30_000);
    expect(stops).toEqual([experimentId]);
    expect(fired).toHaveLength(1);
    const audits = (await b.store.listAudit({ channelId: CHANNEL, limit: 50 })).filter((a) => a.command.startsWith('chaos guard web-5xx stopped'));
    expect(audits).toHaveLength(1);
    expect(await evaluations(holderApp, 'firing')).toBe(1);
    expect(await evaluations(otherApp, 'firing')).toBe(0);
  }, 120_000);
});
