import { startBench, textOf, type Bench } from '../helpers/app';
import { eventually, fastClock } from '../helpers/fast-clock';
import { DEFAULT_CHAOS_OPTIONS } from '../../src/chaos/context';
import { type Experiments } from '../../src/ports/experiments';
import { LOOKOUT_TAGS } from '../../src/chaos/model';
import type { Clock } from '../../src/ports/clock';
import { createSandboxFis, type SandboxFis } from '../../src/sandbox/fis';
import { chaosYaml, hasButton, valueOf } from '../helpers/chaos-card';

const CHANNEL = 'C0CRASH01';
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';
const yaml = chaosYaml(BOB);

/**
 * Finding 3 of issue 10: the process dies after FIS started the experiment and before Lookout recorded it. The
 * "kill" is made at that exact point: StartExperiment reaches the sandbox FIS, then its answer never comes back,
 * and the app is stopped without draining (the work in flight is abandoned). The sandbox FIS outlives the app,
 * as AWS does. The clock runs 5× real time: a start lease (2 min) lasts 24 s of the test, far longer than it
 * waits, so the recovery must not come from the lease lapsing.
 */
describe('e2e: a crash between StartExperiment and the record of the experiment', () => {
  let bench: Bench;
  let skewMs = 0;
  const base = fastClock(5);
  const clock: Clock = { now: () => base.now() + skewMs, sleep: base.sleep };
  const sandbox = createSandboxFis({ clock });
  let runAllStarts = 0;
  let dying = true;
  const fis: Experiments = {
    ...sandbox.experiments,
    async start(input) {
      const started = await sandbox.experiments.start(input);
      if (input.actionsMode === 'skip-all') return started; // the card's target preview
      runAllStarts++;
      return dying ? new Promise(() => undefined) : started;
    },
  };
  const crashing: SandboxFis = { ...sandbox, experiments: fis, forTarget: () => fis };

  beforeAll(async () => {
    // The restart keeps the replica's name, as a container restarted in its pod keeps its hostname.
    bench = await startBench({ yaml, start: { sandbox: true, clock, sandboxFis: crashing, chaos: { replicaId: 'lookout-0' } } });
  });
  afterAll(() => bench.stop());

  it('restarted 5 s later, the experiment is watched and the card has its Stop button; one experiment started', async () => {
    await bench.driver.command('/chaos', 'run cpu-stress-web --reason "crash test"', { user: ALICE, channel: CHANNEL });
    const card = await eventually(() => bench.slack.find((m) => m.channel === CHANNEL && !m.threadTs && hasButton(m, 'chaos_approve')));
    await bench.driver.action(card, 'chaos_approve', { user: BOB, value: valueOf(card, 'chaos_approve') });

    // FIS started it; the record still says `starting`, with no experiment id.
    const requestId = valueOf(card, 'chaos_approve')!;
    const started = await eventually(async () => (await sandbox.experiments.list()).find((e) => e.tags[LOOKOUT_TAGS.request] === requestId));
    const before = await bench.app.store.get<{ experimentId?: string; startingAt: number }>('chaos-request', requestId);
    expect(before).toMatchObject({ state: 'starting' });
    expect(before!.data.experimentId).toBeUndefined();

    dying = false;
    await bench.restart({ abrupt: true });
    skewMs += 5_000; // it comes back 5 s later

    const watched = await eventually(async () => {
      const r = await bench.app.store.get<{ experimentId?: string }>('chaos-request', requestId);
      return r?.state === 'running' ? r : undefined;
    });
    expect(watched.data.experimentId).toBe(started.id);
    expect(clock.now() - before!.data.startingAt).toBeLessThan(DEFAULT_CHAOS_OPTIONS.startLeaseMs);
    const withStop = await eventually(() => {
      const c = bench.slack.find((m) => m.ts === card.ts);
      return c && hasButton(c, 'chaos_stop') ? c : undefined;
    });
    expect(textOf(withStop as never)).toContain(started.id);
    await eventually(() => bench.slack.thread(CHANNEL, card.ts).some((m) => /has started/.test(textOf(m as never))));
    expect((await bench.app.store.get('chaos-experiment', started.id))?.state).toBe('running');
    expect(runAllStarts).toBe(1);
    expect((await sandbox.experiments.list()).filter((e) => e.tags[LOOKOUT_TAGS.request] === requestId)).toHaveLength(1);
  });
});
