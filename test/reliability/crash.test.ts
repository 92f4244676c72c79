import fs from 'node:fs';
import { hasButton, valueOf } from '../helpers/buttons';
import { eventually } from '../helpers/fast-clock';
import { size, timeoutFor } from '../helpers/soak';
import { transpileTree } from '../helpers/transpile-tree';
import { ALICE, BOB, BRAKE, CHAOS_CHANNEL, REPORT_CHANNEL, startCrashRig, type CrashRig } from '../helpers/crash-rig';
import { FIS_CHANGES } from '../helpers/crash-stand-ins';
import { LOOKOUT_TAGS } from '../../src/chaos/model';
import type { StoredMessage } from '../../src/playground/slack-stand-in';

/**
 * Issue 13, item 5: `kill -9` at every step of request → approve → start → watch → stop, of a guard evaluation and
 * of the report scheduler, then restart on the same database. The child is the real Lookout (a transpiled tree in
 * its own process); Slack, FIS and Prometheus are stand-ins in this process, so what they saw survives each kill.
 * Each kill happens at an effect, never at a time: a call held by a stand-in, a write seen in the database.
 */
const ROUNDS = size(1, 20);
const STEPS = ['request', 'approve', 'start', 'watch', 'stop', 'summary', 'guard-query', 'guard-stop', 'report-before-claim', 'report-after-claim', 'report-after-post'];
const WAIT = 30_000;

/** `eventually`, with what was awaited in the failure. */
const until = <T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> =>
  eventually(fn, WAIT).catch(() => {
    throw new Error(`${what}: not seen within ${WAIT} ms`);
  });

/** A held call that must arrive: bounded, and named when it does not. */
async function arrival<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_r, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not arrive within ${WAIT} ms`)), WAIT)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

let tree: string;
beforeAll(() => {
  tree = transpileTree();
});
afterAll(() => fs.rmSync(tree, { recursive: true, force: true }));

describe.each(['sqlite', 'postgres'] as const)('kill -9 at every step, then restart (%s)', (backend) => {
  let rig: CrashRig;
  const occurrences: number[] = []; // the occurrence each report post was for, read from the claim while it posts
  let reportPosts = 0;
  const requests: string[] = [];

  beforeAll(async () => {
    rig = await startCrashRig(tree, backend);
    // Runs before the stand-in stores the post (the child waits for the answer): the claim is the one posting.
    rig.slack.script(
      'chat.postMessage',
      async (args) => {
        if (args.channel !== REPORT_CHANNEL) return undefined;
        const [report] = await rig.store.list<{ running: { occurrence: number } | null }>('report');
        occurrences.push(report?.data.running?.occurrence ?? -1);
        return undefined;
      },
      { times: Infinity },
    );
  }, 60_000);
  afterAll(() => rig?.close());

  const restart = async () => {
    await rig.kill();
    await rig.start();
  };
  const request = (id: string) => rig.store.get<{ experimentId?: string }>('chaos-request', id);
  const cardOf = (ts: string) => rig.slack.find((m) => m.ts === ts && m.channel === CHAOS_CHANNEL);
  const startsFor = (id: string) => rig.fis.calls.filter((c) => c.method === 'start' && (c.args[0] as { tags: Record<string, string> }).tags[LOOKOUT_TAGS.request] === id);
  const pendingAudit = async (user: string, command: RegExp) =>
    (await rig.store.listAudit({ limit: 10_000 })).find((r) => r.outcome === 'pending' && r.userId === user && command.test(r.command));
  const reportPostsSince = (n: number) => eventually(() => reportPosts > n, WAIT);
  const summaries = (experimentId: string) =>
    rig.slack.calls.filter((c) => c.method === 'chat.postMessage' && String(c.args.text).startsWith(`Experiment ${experimentId} `)).length;

  /** /chaos run → the card; kill once it is in the channel. */
  async function requestStep(round: number): Promise<StoredMessage> {
    const seen = new Set(rig.slack.messages(CHAOS_CHANNEL).map((m) => m.ts));
    await rig.driver.command('/chaos', `run cpu-stress-web --reason "crash round ${round}"`, { user: ALICE, channel: CHAOS_CHANNEL });
    const card = await eventually(() => rig.slack.messages(CHAOS_CHANNEL).find((m) => !seen.has(m.ts) && hasButton(m, 'chaos_approve')), WAIT);
    await restart();
    expect((await request(valueOf(card, 'chaos_approve')!))?.state).toBe('pending');
    return card;
  }

  /** Approve → kill when StartExperiment reaches FIS (held before FIS sees it); the click's pending audit row remains. */
  async function approveStep(card: StoredMessage, id: string): Promise<void> {
    const held = rig.fis.hold('before', (m, a) => m === 'start' && a[0].tags[LOOKOUT_TAGS.request] === id);
    await rig.driver.action(card, 'chaos_approve', { user: BOB, value: id });
    await arrival(held.arrived, 'StartExperiment after the approval');
    await rig.kill();
    expect((await request(id))?.state).toBe('starting');
    expect(await pendingAudit(BOB, /approve/)).toBeDefined();
  }

  /** The restarted child repeats the start (same client token); FIS starts it and its answer is withheld: kill. */
  async function startStep(id: string): Promise<string> {
    const held = rig.fis.hold('after', (m, a) => m === 'start' && a[0].tags[LOOKOUT_TAGS.request] === id);
    await rig.start();
    await arrival(held.arrived, 'the repeated StartExperiment').catch(async (err: Error) => {
      throw new Error(`${err.message}; the request: ${JSON.stringify(await request(id))}`);
    });
    await restart();
    const running = await eventually(async () => {
      const r = await request(id);
      return r?.state === 'running' && r.data.experimentId ? r : undefined;
    }, WAIT);
    return running.data.experimentId!;
  }

  /** Kill while the watcher polls (GetExperiment held); the restarted child watches it again. */
  async function watchStep(experimentId: string): Promise<void> {
    const held = rig.fis.hold('before', (m, a) => m === 'get' && a[0] === experimentId);
    await arrival(held.arrived, 'GetExperiment of the watcher');
    await restart();
    const polled = rig.fis.calls.length;
    await eventually(() => rig.fis.calls.slice(polled).some((c) => c.method === 'get' && c.args[0] === experimentId), WAIT);
  }

  /** Stop clicked; FIS stops it and the answer is withheld: kill. After restart it ends, summarised once. */
  async function stopStep(card: StoredMessage, experimentId: string): Promise<void> {
    const withStop = await until('the Stop button on the card', () => {
      const c = cardOf(card.ts);
      return c && hasButton(c, 'chaos_stop') ? c : undefined;
    }).catch(async (err: Error) => {
      const updates = rig.slack.calls.filter((c) => c.method === 'chat.update' && c.args.ts === card.ts).map((c) => [c.at, JSON.stringify(c.reply).slice(0, 200), String(c.args.text).slice(0, 200)]);
      throw new Error(`${err.message}; request ${JSON.stringify((await rig.store.get('chaos-request', valueOf(card, 'chaos_approve')!))?.state)} experiment ${JSON.stringify(await rig.store.get('chaos-experiment', experimentId))}; updates ${JSON.stringify(updates)}`);
    });
    const held = rig.fis.hold('after', (m, a) => m === 'stop' && a[0] === experimentId);
    await rig.driver.action(withStop, 'chaos_stop', { user: ALICE, value: valueOf(withStop, 'chaos_stop') });
    await arrival(held.arrived, 'StopExperiment');
    // The restarted child records the end, then asks FIS for the resolved targets of the summary: kill there.
    const targets = rig.fis.hold('before', (m, a) => m === 'resolvedTargets' && a[0] === experimentId);
    await restart();
    await arrival(targets.arrived, 'ResolvedTargets of the ended experiment');
    await summaryStep(experimentId);
  }

  /** Killed after the end is recorded (`done`) and before its summary is posted: posted once after the restart. */
  async function summaryStep(experimentId: string): Promise<void> {
    await rig.kill();
    const ended = await rig.store.get<{ summary?: { state: string } }>('chaos-experiment', experimentId);
    expect({ state: ended?.state, summary: ended?.data.summary?.state, posted: summaries(experimentId) }).toEqual({ state: 'done', summary: 'owed', posted: 0 });
    await rig.start();
    await until('the summary owed from before the kill', () => summaries(experimentId) >= 1);
    await until('the summary recorded as posted', async () => (await rig.store.get<{ summary?: { state: string } }>('chaos-experiment', experimentId))?.data.summary?.state === 'posted');
    expect(summaries(experimentId)).toBe(1);
  }

  /** A running experiment; kill while its guard's query is held; after restart the guard still stops it. */
  async function guardStep(round: number): Promise<{ id: string; experimentId: string }> {
    const seen = new Set(rig.slack.messages(CHAOS_CHANNEL).map((m) => m.ts));
    await rig.driver.command('/chaos', `run cpu-stress-web --reason "guard round ${round}"`, { user: ALICE, channel: CHAOS_CHANNEL });
    const card = await eventually(() => rig.slack.messages(CHAOS_CHANNEL).find((m) => !seen.has(m.ts) && hasButton(m, 'chaos_approve')), WAIT);
    const id = valueOf(card, 'chaos_approve')!;
    await rig.driver.action(card, 'chaos_approve', { user: BOB, value: id });
    const running = await eventually(async () => {
      const r = await request(id);
      return r?.state === 'running' && r.data.experimentId ? r : undefined;
    }, WAIT);
    const experimentId = running.data.experimentId!;
    const held = rig.prom.hold((q) => q.includes(BRAKE));
    await arrival(held.arrived, 'the guard query');
    await restart();
    // The guard fires; kill when its StopExperiment is sent (held before FIS sees it): its claim must not strand it.
    const stop = rig.fis.hold('before', (m, a) => m === 'stop' && a[0] === experimentId);
    rig.prom.breach.add(BRAKE);
    try {
      await arrival(stop.arrived, "the guard's StopExperiment");
      await restart();
      expect(await pendingAudit('lookout-guard', new RegExp(`stopped ${experimentId}`))).toBeDefined();
      await until('the guarded experiment stopped and recorded as done', async () => (await rig.store.get('chaos-experiment', experimentId))?.state === 'done');
      await until('the summary of the guarded experiment', () => summaries(experimentId) >= 1);
    } finally {
      rig.prom.breach.delete(BRAKE);
    }
    const stops = rig.fis.calls.filter((c) => c.method === 'stop' && c.args[0] === experimentId && c.requestId);
    expect(stops).toHaveLength(1); // FIS saw one StopExperiment
    return { id, experimentId };
  }

  /** The report is due while Lookout is down, unclaimed: the restarted child runs that occurrence once. */
  async function reportBeforeClaim(): Promise<void> {
    const idle = await eventually(async () => {
      const [r] = await rig.store.list<{ running: unknown; nextRunAt: number }>('report');
      return r && !r.data.running ? r : undefined;
    }, WAIT);
    await rig.kill();
    const due = idle.data.nextRunAt;
    await eventually(() => rig.clock.now() > due + 1000, WAIT);
    const [still] = await rig.store.list<{ running: unknown; nextRunAt: number }>('report');
    expect(still!.data.running).toBeNull(); // due, and nobody claimed it
    const before = occurrences.length;
    await rig.start();
    await eventually(() => occurrences.length > before, WAIT);
    expect(occurrences[before]).toBeGreaterThanOrEqual(due);
  }

  /** Kill while the claimed run's query is held; the restarted child runs the report again. */
  async function reportAfterClaim(): Promise<void> {
    const held = rig.prom.hold((q) => q === 'up');
    await arrival(held.arrived, "the report's query");
    const before = reportPosts;
    await restart();
    await reportPostsSince(before);
  }

  /** Kill the moment Slack has the post (before Lookout hears back or records it); that occurrence is not posted again. */
  async function reportAfterPost(): Promise<void> {
    let fire!: () => void;
    const killed = new Promise<void>((r) => (fire = r));
    const onCall = (c: { method: string; args: Record<string, any> }) => {
      if (c.method !== 'chat.postMessage' || c.args.channel !== REPORT_CHANNEL) return;
      rig.slack.off('call', onCall);
      rig.killNow();
      fire();
    };
    rig.slack.on('call', onCall);
    await arrival(killed, 'the report post');
    const before = reportPosts;
    await rig.kill();
    await rig.start();
    await reportPostsSince(before);
  }

  it(
    `${STEPS.length} steps × ${ROUNDS} rounds: nothing lost, nothing started or posted twice`,
    async () => {
      rig.slack.on('call', (c) => void (c.method === 'chat.postMessage' && c.args.channel === REPORT_CHANNEL && reportPosts++));
      const experiments: string[] = [];
      const t = Date.now();
      const log = (what: string) => process.env.CRASH_DEBUG && process.stderr.write(`${backend} ${Date.now() - t} ms: ${what}\n`);
      for (let round = 1; round <= ROUNDS; round++) {
        log(`round ${round}: request`);
        const card = await requestStep(round);
        const id = valueOf(card, 'chaos_approve')!;
        requests.push(id);
        log('approve');
        await approveStep(card, id);
        log('start');
        const experimentId = await startStep(id);
        experiments.push(experimentId);
        log('watch');
        await watchStep(experimentId);
        log('stop');
        await stopStep(card, experimentId);
        log('guard');
        const guarded = await guardStep(round);
        requests.push(guarded.id);
        experiments.push(guarded.experimentId);
        log('report before claim');
        await reportBeforeClaim();
        log('report after claim');
        await reportAfterClaim();
        log('report after post');
        await reportAfterPost();
      }

      // Nothing lost: every request ended with its experiment stopped and summarised.
      const lostWhat: string[] = [];
      for (const id of requests) if ((await request(id))?.state !== 'done') lostWhat.push(`request ${id} is ${(await request(id))?.state}`);
      for (const e of experiments) if (summaries(e) === 0) lostWhat.push(`no summary of ${e}`);
      const lost = lostWhat.length;
      // Nothing twice: one experiment per request in FIS, one summary per experiment, one post per report occurrence.
      const sandboxExperiments = await Promise.all(requests.map(async (id) => startsFor(id).filter((c) => c.requestId).length));
      let duplicated = 0;
      for (const id of requests) {
        const tokens = new Set(startsFor(id).map((c) => (c.args[0] as { clientToken: string }).clientToken));
        if (tokens.size > 1) duplicated++;
      }
      for (const e of experiments) duplicated += Math.max(0, summaries(e) - 1);
      duplicated += occurrences.length - new Set(occurrences).size;
      expect(occurrences).not.toContain(-1);
      expect(sandboxExperiments.every((n) => n >= 1)).toBe(true);

      // Every AWS call that changed something is in the audit trail: its request id on a completed row.
      const audit = await rig.store.listAudit({ limit: 100_000 });
      const audited = new Set(audit.flatMap((r) => r.awsRequestIds ?? []));
      const unaudited = rig.fis.calls.filter((c) => FIS_CHANGES.has(c.method) && c.answered && c.requestId && !audited.has(c.requestId));

      // Item 8: every incarnation's debug log and output, every post and audit row, /metrics: no canary.
      const scan = await rig.scan();

      process.stdout.write(
        `crash (${backend}): kill -9 at ${STEPS.length} steps × ${ROUNDS} rounds (${rig.restarts} restarts): ${lost} lost, ${duplicated} duplicated, ${reportPosts} report posts, ${unaudited.length} changes without audit; secret scan: ${scan.logLines} log lines, ${scan.messages} Slack calls and messages, ${scan.auditRows} audit rows, ${scan.hits.length} hits\n`,
      );
      expect(scan.hits).toEqual([]);
      expect(scan.logLines).toBeGreaterThan(0);
      expect(scan.auditRows).toBeGreaterThan(0);
      expect(lostWhat).toEqual([]);
      expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
      expect(unaudited.map((c) => `${c.method} ${c.requestId}`)).toEqual([]);
    },
    timeoutFor(240_000, 3_600_000),
  );
});
