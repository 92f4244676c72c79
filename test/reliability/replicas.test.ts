import { SIGNING_SECRET, startBench, textOf, type Bench } from '../helpers/app';
import { eventually } from '../helpers/fast-clock';
import { ManualClock } from '../helpers/manual-clock';
import { postgresUrlForTest } from '../helpers/postgres';
import { burstTurns, startReplica, stopRecordingFis } from '../helpers/replicas';
import { size, timeoutFor } from '../helpers/soak';
import { storeBackends, type OpenedStore } from '../helpers/store';
import { chaosYaml, hasButton, valueOf } from '../helpers/chaos-card';
import { deferred, recordingRunner, seedReport } from '../unit/reports/fixtures';
import { storeClock, systemClock } from '../../src/clock';
import type { LookoutHandle } from '../../src/main';
import type { Clock } from '../../src/ports/clock';
import type { Store } from '../../src/ports/store';
import type { Experiments } from '../../src/ports/experiments';
import { LOOKOUT_TAGS } from '../../src/chaos/model';
import { createSlackDriver, type SlackDriver } from '../../src/playground/driver';
import { createScheduler, type ReportRun, type RunResult } from '../../src/reports/scheduler';
import { REPORT_KIND, newReportData, type ReportData } from '../../src/reports/model';
import type { StoredMessage } from '../../src/playground/slack-stand-in';

/**
 * Issue 13 item 6: three replicas on one Postgres. Part 1 runs the real app three times over under concurrent
 * clicks and due reports; part 2 drives three schedulers on a ManualClock to show that leases and due times follow
 * the database's clock, so a replica whose clock is 90 s off neither runs early nor steals a lease.
 */
const postgres = storeBackends.find((b) => b.name === 'postgres')!;
const SKEW = 90_000;
const LEASE = 10 * 60_000;

/** A replica whose host clock is `skewMs` off: both the clock it runs on and the wall clock its store measures with. */
async function skewedReplica(db: OpenedStore, clock: ManualClock, skewMs: number): Promise<{ store: Store; clock: Clock }> {
  const own: Clock = { now: () => clock.now() + skewMs, sleep: (ms) => clock.sleep(ms) };
  const store = await db.reopen({ clock: own, wallClock: () => Date.now() + skewMs });
  return { store, clock: storeClock(store, own) };
}

describe('replicas: leases and due times on the database clock (Postgres, three schedulers)', () => {
  let db: OpenedStore;
  beforeEach(async () => {
    db = await postgres.open();
  });
  afterEach(() => db.cleanup());

  const from = Date.UTC(2026, 10, 29, 8, 59, 0);
  const nine = Date.UTC(2026, 10, 29, 9, 0, 0);

  it.each([SKEW, -SKEW])('a replica %i ms off agrees with the others on the store time: no early run, one run when due', async (skew) => {
    const clock = new ManualClock(from);
    const a = await db.reopen({ clock });
    const s = await skewedReplica(db, clock, skew);
    // Its own clock is off by the skew; the store's time it keeps leases by is not (to within one round trip).
    expect(Math.abs(s.clock.now() - clock.now())).toBeLessThan(100);
    for (let i = 0; i < 5; i++) await seedReport(a, `r-${i}`, { cron: '0 9 * * *' }, from);
    const rec = recordingRunner(clock);
    const schedulers = [createScheduler({ store: a, clock, runReport: rec.runReport }), createScheduler({ store: s.store, clock: s.clock, runReport: rec.runReport })];
    // 30 s before nine: to a replica 90 s fast it would be 9:01 already.
    await clock.advance(nine - 30_000 - clock.now());
    await Promise.all(schedulers.map((x) => x.tick()));
    expect(rec.runs).toHaveLength(0);
    await clock.advance(30_000);
    await Promise.all(schedulers.map((x) => x.tick()));
    await Promise.all(schedulers.map((x) => x.tick()));
    expect(rec.runs.map((r) => r.id).sort()).toEqual(['r-0', 'r-1', 'r-2', 'r-3', 'r-4']);
    expect(rec.runs.every((r) => r.occurrence === nine && r.trigger === 'schedule')).toBe(true);
    expect(rec.posts).toHaveLength(5);
  });

  it('a claim whose holder died is taken over once after its lease, never early by a replica 90 s fast', async () => {
    const clock = new ManualClock(from);
    const dead = await db.reopen({ clock });
    await seedReport(dead, 'r-held', { cron: '0 9 * * *' }, from);
    // The holder claims the 9:00 run, then "dies" inside it (its run never settles, its deadline never fires).
    const started = deferred<ReportRun>();
    const holder = createScheduler({ store: dead, clock, runDeadlineMs: Infinity, runReport: (run) => (started.resolve(run), new Promise<RunResult>(() => undefined)) });
    await clock.advance(nine - clock.now());
    void holder.tick();
    expect((await started.promise).occurrence).toBe(nine);

    const rec = recordingRunner(clock);
    const fast = await skewedReplica(db, clock, SKEW);
    const slow = await skewedReplica(db, clock, -SKEW);
    const others = [
      createScheduler({ store: await db.reopen({ clock }), clock, runReport: rec.runReport }),
      createScheduler({ store: fast.store, clock: fast.clock, runReport: rec.runReport }),
      createScheduler({ store: slow.store, clock: slow.clock, runReport: rec.runReport }),
    ];
    // 60 s before the lease ends: the fast replica's own clock says it ended 30 s ago.
    await clock.advance(LEASE - 60_000);
    await Promise.all(others.map((x) => x.tick()));
    expect(rec.runs).toHaveLength(0);
    await clock.advance(60_000);
    await Promise.all(others.map((x) => x.tick()));
    await Promise.all(others.map((x) => x.tick()));
    expect(rec.runs.map((r) => [r.id, r.occurrence, r.trigger])).toEqual([['r-held', nine, 'retry']]);
    expect(rec.posts).toHaveLength(1);
    const stored = await dead.get<ReportData>(REPORT_KIND, 'r-held');
    expect(stored?.data).toMatchObject({ running: null, lastResult: 'posted' });
    await holder.stop({ waitForRuns: false });
  });
});

const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';

/** The sandbox FIS with a record of every StartExperiment (by the request it was tagged with) and StopExperiment. */
function recordingFis() {
  // FIS's quota of active experiments raised: many requests run at once here, each stopping while others start.
  const base = stopRecordingFis(systemClock, 1000);
  const starts: string[] = [];
  const experiments: Experiments = {
    ...base.fis.experiments,
    start: (input) => {
      // Target previews (tagged as such) start nothing that runs; they are not the approved start.
      if (input.tags[LOOKOUT_TAGS.preview] !== 'true') starts.push(input.tags[LOOKOUT_TAGS.request] ?? '?');
      return base.fis.experiments.start(input);
    },
  };
  return { fis: { ...base.fis, experiments, forTarget: () => experiments }, starts, stops: base.stops };
}

describe('replicas: three Lookout instances on one Postgres under concurrent load', () => {
  const ROUNDS = size(3, 100);
  const CLICKS = size(12, 60);
  const REPORTS = size(30, 300);
  // Requests run in this many channels at once (each channel one request at a time): a round's waits overlap the
  // others' instead of adding up (sequential rounds did not finish 100 in 17 min).
  const LANES = size(3, 10);
  let db: { url: string; drop(): Promise<void> };
  let bench: Bench;
  let replicas: LookoutHandle[];
  const recorded = recordingFis();

  beforeAll(async () => {
    db = await postgresUrlForTest();
    const yaml = chaosYaml(BOB).replace('maxRunning: 3', 'maxRunning: 1000') + 'limits: { perUserPerMinute: 100000, perChannelPerMinute: 100000 }\n';
    // Watcher polls every 250 ms (the card shows Stop sooner); no target previews (they start nothing that counts).
    const start = (replicaId: string) => ({ sandbox: true, sandboxFis: recorded.fis, chaos: { replicaId, pollMs: 250, dryRunPreview: false } });
    bench = await startBench({ yaml, env: { DATABASE_URL: db.url }, start: start('replica-a') });
    replicas = [bench.app, await startReplica(bench, db.url, start('replica-b')), await startReplica(bench, db.url, start('replica-c'))];
  }, 120_000);
  afterAll(async () => {
    await Promise.all(replicas.slice(1).map((r) => r.stop()));
    await bench?.stop();
    await db?.drop();
  });

  const driverFor = (app: LookoutHandle): SlackDriver => createSlackDriver({ appUrl: `${app.url}/slack/events`, signingSecret: SIGNING_SECRET, standIn: bench.slack });
  const card = (channel: string, reason: string) =>
    eventually(() => bench.slack.find((m) => m.channel === channel && !m.ephemeralTo && textOf(m as never).includes(reason) && hasButton(m, 'chaos_approve')), 60_000);
  const current = (m: StoredMessage) => bench.slack.find((x) => x.ts === m.ts);

  const inTurn = burstTurns(2);

  /** `n` clicks of one button, spread round-robin over `apps`, all in flight at once. */
  async function race(apps: LookoutHandle[], n: number, card: StoredMessage | (() => Promise<StoredMessage>), actionId: string, user: string): Promise<void> {
    const acks = await inTurn(async () => {
      // Read when the burst's turn comes: a late Approve click may draw the card from `starting` for a moment.
      const m = typeof card === 'function' ? await card() : card;
      const value = valueOf(m, actionId);
      return Promise.all(Array.from({ length: n }, (_, i) => driverFor(apps[i % apps.length]!).action(m, actionId, { user, value })));
    });
    expect(acks.every((r) => r.status === 200)).toBe(true);
  }

  /** One request in `channel`: asked on one replica, approve clicks raced over all three, then Stop clicks likewise. */
  async function round(round: number, channel: string): Promise<void> {
    const reason = `replica race ${round}`;
    await driverFor(replicas[round % 3]!).command('/chaos', `run cpu-stress-web --reason "${reason}"`, { user: ALICE, channel });
    const asked = await card(channel, reason);
    const requestId = valueOf(asked, 'chaos_approve')!;
    await race(replicas, CLICKS, asked, 'chaos_approve', BOB);
    const withStop = () =>
      eventually(() => {
        const c = current(asked);
        return c && hasButton(c, 'chaos_stop') ? c : undefined;
      }, 60_000);
    await withStop().catch(async () => {
      const r = await bench.app.store.get('chaos-request', requestId);
      throw new Error(`round ${round}: no Stop button within 60 s; request ${JSON.stringify(r?.state)} ${JSON.stringify(r?.data).slice(0, 600)}; card: ${textOf(current(asked) as never).slice(0, 300)}`);
    });
    await race(replicas, CLICKS, withStop, 'chaos_stop', ALICE);
    const stored = await eventually(async () => {
      const r = await bench.app.store.get<{ experimentId?: string }>('chaos-request', requestId);
      return r?.data.experimentId && recorded.stops.includes(r.data.experimentId) ? r : undefined;
    }, 60_000).catch(async () => {
      throw new Error(`round ${round}: no StopExperiment within 60 s; request ${JSON.stringify(await bench.app.store.get('chaos-request', requestId))}`.slice(0, 1500));
    });
    expect(recorded.starts.filter((id) => id === requestId)).toHaveLength(1);
    expect(recorded.stops.filter((id) => id === stored.data.experimentId)).toHaveLength(1);
  }

  it(
    `approve and stop clicks raced across the replicas, ${LANES} channels at once: one start and one stop per request`,
    async () => {
      const t = Date.now();
      const lane = async (l: number) => {
        for (let r = l; r < ROUNDS; r += LANES) await round(r, `C0REPL${String(l).padStart(4, '0')}`);
      };
      await Promise.all(Array.from({ length: LANES }, (_, l) => lane(l)));
      expect(recorded.starts).toHaveLength(ROUNDS);
      expect(new Set(recorded.starts).size).toBe(ROUNDS);
      expect(recorded.stops).toHaveLength(ROUNDS);
      expect(new Set(recorded.stops).size).toBe(ROUNDS);
      process.stdout.write(
        `replicas: 3 replicas, ${CLICKS} approve clicks × ${ROUNDS} rounds (${LANES} channels at once): ${new Set(recorded.starts).size} experiments, ${recorded.stops.length} StopExperiment for ${ROUNDS * CLICKS} Stop clicks, ${((Date.now() - t) / 1000).toFixed(0)} s\n`,
      );
    },
    timeoutFor(120_000, 900_000),
  );

  it(
    'reports due together run once each across the replicas, with one replica stopped abruptly mid-load',
    async () => {
      // Due at a whole second a little ahead, each in a channel of its own so its posts can be counted.
      const at = Math.ceil((Date.now() + 3_000) / 1000) * 1000;
      const d = new Date(at);
      const cron = `${d.getUTCSeconds()} ${d.getUTCMinutes()} ${d.getUTCHours()} * * *`;
      const channel = (i: number) => `C0RPT${String(i).padStart(5, '0')}`;
      // Posts counted as they arrive: scanning the stand-in's call list (tens of thousands after the clicks) for 300
      // channels on every poll starved the replicas, which share this process's event loop.
      const postCounts = new Map<string, number>();
      bench.slack.on('call', (c) => void (c.method === 'chat.postMessage' && postCounts.set(String(c.args.channel), (postCounts.get(String(c.args.channel)) ?? 0) + 1)));
      for (let i = 0; i < REPORTS; i++) {
        const data = newReportData({ channel: channel(i), tz: 'UTC', onChange: false, command: '/metrics up', cron }, { source: 'slack', createdBy: ALICE, team: 'T0LOOKOUT', nextRunAt: at, now: Date.now() });
        await bench.app.store.create<ReportData>({ kind: REPORT_KIND, id: `r-load-${i}`, state: 'active', data, dueAt: at });
      }
      const postsTo = (ch: string) => postCounts.get(ch) ?? 0;
      // Replica C goes away once the first posts are out: whatever it had not claimed, the others run.
      await eventually(() => Array.from({ length: REPORTS }, (_, i) => postsTo(channel(i))).some((n) => n > 0), 30_000).catch(() => {
        throw new Error(`no report posted within 30 s of ${REPORTS} being due`);
      });
      await replicas[2]!.stop(0);
      // Every channel posted to (counted as posts arrive), then every run recorded as posted (read rarely: listing 300
      // reports every 50 ms competes with the replicas for this process's event loop).
      await eventually(() => Array.from({ length: REPORTS }, (_, i) => postsTo(channel(i))).every((n) => n > 0), timeoutFor(60_000, 300_000));
      await eventually(async () => {
        const done = await bench.app.store.list<ReportData>(REPORT_KIND, { states: ['active'] });
        return done.filter((r) => r.id.startsWith('r-load-') && r.data.lastResult === 'posted').length === REPORTS;
      }, 30_000);
      const counts = Array.from({ length: REPORTS }, (_, i) => postsTo(channel(i)));
      expect(counts.filter((n) => n !== 1)).toEqual([]);
      process.stdout.write(`replicas: ${REPORTS} reports due at one second on 3 replicas, one stopped mid-load: ${counts.filter((n) => n === 1).length} posted once, ${((Date.now() - at) / 1000).toFixed(0)} s after due\n`);
    },
    timeoutFor(120_000, 600_000),
  );
});
