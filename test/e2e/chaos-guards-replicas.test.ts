import { SIGNING_SECRET, startBench, textOf, type Bench } from '../helpers/app';
import { eventually, fastClock } from '../helpers/fast-clock';
import { postgresUrlForTest } from '../helpers/postgres';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus';
import { longRunTemplates, startReplica, stopRecordingFis } from '../helpers/replicas';
import type { LookoutHandle } from '../../src/main';
import { createSlackDriver, type SlackDriver } from '../../src/playground/driver';
import { createPrometheusPromQuery } from '../../src/aws/prometheus-auth';
import type { PromQuery } from '../../src/ports/prom-query';
import { hasButton, valueOf } from '../helpers/chaos-card';

const CHANNEL = 'C0REPLICA1';
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';
// Prometheus's own count of /api/v1/query requests: the test drives it by querying.
const COUNTER = 'prometheus_http_requests_total{handler="/api/v1/query"}';

interface GuardStates {
  guards: Record<string, { status: string; since?: number; firedAt?: number; evaluations: number; failures: number; reason?: string }>;
}

/**
 * Guards through the real app, two replicas sharing Postgres and one simulated FIS, against a real Prometheus.
 * Each run carries an ad-hoc guard over a series the test drives. Replicas are named, so the lease holder is known.
 */
describe('e2e: guards across two replicas on Postgres with a real Prometheus', () => {
  let prometheus: RunningPrometheus;
  let prom: PromQuery;
  let db: { url: string; drop(): Promise<void> };
  let bench: Bench; // replica-a, with the Slack stand-in
  let b: LookoutHandle; // replica-b
  const clock = fastClock(5);
  // Runs of hours: the sandbox's cpu-stress-web lasts 3 min of clock (36 s real at 5×), about what the takeover
  // (3 intervals) and the 90 s `for:` need, so on a loaded machine it could end before the survivor's guard fired
  // (a stress run saw no firing within 120 s). Here only the guards stop them.
  const { fis, stops } = stopRecordingFis(clock, undefined, longRunTemplates());
  const replicas = () => ({ a: bench.app, b });
  let alive: LookoutHandle; // the replica left after the first test

  beforeAll(async () => {
    prometheus = await startPrometheus();
    prom = createPrometheusPromQuery({ url: prometheus.url }, {});
    db = await postgresUrlForTest();
    // A guard query times out after half the guard interval of the (5× fast) clock: at 1s that was 100 ms of real
    // time, which a Prometheus query on a loaded machine overran — the preflight refused the run (no card) or two
    // timed-out evaluations fired the guard early. At 20s it is 2 s real; the lease (3 intervals) is 12 s real.
    const yaml = `
metrics: { prometheus: { url: "${prometheus.url}" } }
chaos: { approvalTtl: 30m, maxRunning: 3, guardInterval: 20s, guardFailures: 2 }
channels:
  default: { allow: ["*"], approvers: [${BOB}], minApprovals: 1 }
`;
    bench = await startBench({ yaml, env: { DATABASE_URL: db.url }, start: { sandbox: true, clock, sandboxFis: fis, chaos: { replicaId: 'replica-a' } } });
    b = await startReplica(bench, db.url, { sandbox: true, clock, sandboxFis: fis, chaos: { replicaId: 'replica-b' } });
  }, 120_000);
  afterAll(async () => {
    await b?.stop();
    await bench?.stop();
    await db?.drop();
    await prometheus?.stop();
  });

  async function count(): Promise<number> {
    const { result } = await prom.instant(COUNTER);
    return result.type === 'vector' ? (result.samples[0]?.value ?? 0) : 0;
  }
  const driverFor = (app: LookoutHandle): SlackDriver => createSlackDriver({ appUrl: `${app.url}/slack/events`, signingSecret: SIGNING_SECRET, standIn: bench.slack });
  async function guardedRun(via: LookoutHandle, reason: string, threshold: number, forSpec: string) {
    const driver = driverFor(via);
    await driver.command('/chaos', `run cpu-stress-web --reason "${reason}" --guard "${COUNTER} > ${threshold}" --guard-for ${forSpec}`, { user: ALICE, channel: CHANNEL });
    const card = await eventually(() => bench.slack.find((m) => m.channel === CHANNEL && !m.threadTs && textOf(m as never).includes(reason) && hasButton(m, 'chaos_approve')), 60_000).catch((err) => {
      throw new Error(`${err.message}; posted: ${JSON.stringify(bench.slack.messages(CHANNEL).map((m) => textOf(m as never).slice(0, 300)))}`);
    });
    const requestId = valueOf(card, 'chaos_approve')!;
    await driver.action(card, 'chaos_approve', { user: BOB, value: requestId });
    const running = await eventually(async () => {
      const r = await via.store.get<{ experimentId?: string }>('chaos-request', requestId);
      return r?.state === 'running' ? r : undefined;
    }, 60_000);
    return { card, experimentId: running.data.experimentId! };
  }
  const leaseOf = async (store: LookoutHandle['store'], experimentId: string) => (await store.get<{ lease?: { owner: string } }>('chaos-experiment', experimentId))?.data.lease?.owner;
  const guardState = async (store: LookoutHandle['store'], experimentId: string) => (await store.get<GuardStates>('guard-state', experimentId))?.data.guards['ad-hoc'];

  it('the lease holder dies; the other replica takes the experiment over, continues the guard, and stops it once after for:', async () => {
    const threshold = (await count()) + 150;
    const { card, experimentId } = await guardedRun(bench.app, 'two replicas', threshold, '90s');
    const holder = await eventually(() => leaseOf(bench.app.store, experimentId), 60_000);
    const survivorName = holder === 'replica-a' ? 'replica-b' : 'replica-a';
    const survivor = replicas()[survivorName === 'replica-a' ? 'a' : 'b'];
    alive = survivor; // the next test runs on it, also when this one fails after the kill
    await eventually(async () => ((await guardState(survivor.store, experimentId))?.evaluations ?? 0) >= 1 || undefined, 60_000);
    await replicas()[holder === 'replica-a' ? 'a' : 'b'].stop(0); // killed: it never hands its lease back

    // Drive the series past the threshold; the survivor takes the lease within one lease period and sees it.
    const pending = await eventually(async () => {
      await Promise.all(Array.from({ length: 20 }, () => prom.instant('up')));
      const s = await guardState(survivor.store, experimentId);
      return s && s.status !== 'inactive' ? s : undefined;
    }, 120_000);
    expect(pending.since).toBeDefined();
    expect(await leaseOf(survivor.store, experimentId)).toBe(survivorName);

    const fired = await eventually(async () => {
      const s = await guardState(survivor.store, experimentId);
      return s?.status === 'firing' ? s : undefined;
    }, 120_000);
    expect(fired.reason).toMatch(/returned 1 series for/);
    expect(fired.firedAt! - fired.since!).toBeGreaterThanOrEqual(90_000);
    expect(fired.evaluations).toBeGreaterThanOrEqual(3);
    await eventually(() => {
      const c = bench.slack.find((m) => m.ts === card.ts);
      return c && /stopped by guard \*ad-hoc\*/.test(textOf(c as never)) ? c : undefined;
    }, 60_000);
    expect(stops).toEqual([experimentId]);
    await eventually(() => bench.slack.thread(CHANNEL, card.ts).some((m) => /Guard \*ad-hoc\* fired/.test(textOf(m as never))), 60_000);
    await eventually(() => bench.slack.thread(CHANNEL, card.ts).some((m) => m.files?.length), 60_000);
  }, 300_000);

  it('the metrics backend goes down during a run: the guard fires after guardFailures failed evaluations and stops it', async () => {
    const { card, experimentId } = await guardedRun(alive, 'backend down', (await count()) + 1_000_000, '1h');
    await eventually(async () => ((await guardState(alive.store, experimentId))?.evaluations ?? 0) >= 1 || undefined, 60_000);
    await prometheus.stop();
    const fired = await eventually(async () => {
      const s = await guardState(alive.store, experimentId);
      return s?.status === 'firing' ? s : undefined;
    }, 60_000);
    expect(fired.reason).toMatch(/^evaluation failed 2 times in a row/);
    expect(fired.failures).toBe(2);
    await eventually(() => {
      const c = bench.slack.find((m) => m.ts === card.ts);
      return c && /stopped by guard \*ad-hoc\*/.test(textOf(c as never)) ? c : undefined;
    }, 60_000);
    expect(stops.filter((id) => id === experimentId)).toHaveLength(1);
  }, 180_000);
});
