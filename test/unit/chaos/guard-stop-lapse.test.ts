import { createGuardRound, GUARD_STOP_LAPSE_MS, type GuardEvent } from '../../../src/chaos/guard-watch';
import { createGuardEvaluator } from '../../../src/chaos/guards/evaluate';
import { DEFAULT_CHAOS_OPTIONS, type ChaosContext } from '../../../src/chaos/context';
import { EXPERIMENT_KIND, type WatchedExperimentData } from '../../../src/chaos/records';
import { createSandboxFis } from '../../../src/sandbox/fis';
import { openStore } from '../../../src/store';
import type { Experiments } from '../../../src/ports/experiments';
import type { PromQuery } from '../../../src/ports/prom-query';
import type { Store } from '../../../src/ports/store';
import { ManualClock } from '../../helpers/manual-clock';
import { CHANNEL, TEAM, chaosConfig, target } from './fixtures';

/**
 * A guard's stop claimed by a replica that died before StopExperiment and never comes back under its name: another
 * replica (the one that takes the watch lease over) retakes it once the claim lapses, never before, and only one of
 * several does. Without the lapse the experiment ran on with its guard firing (docs/reliability.md §6).
 */
const firing: PromQuery = {
  describe: () => 'firing',
  instant: async () => ({ result: { type: 'vector', samples: [{ labels: {}, value: 1 }] }, meta: { warnings: [] } }),
  range: async () => Promise.reject(new Error('unused')),
  series: async () => [],
  labels: async () => [],
  labelValues: async () => [],
} as unknown as PromQuery;

let store: Store;
beforeEach(async () => {
  store = await openStore('sqlite::memory:');
});
afterEach(() => store.close());

async function setUp() {
  const clock = new ManualClock();
  const sandbox = createSandboxFis({ clock, seedHistory: false });
  const stops: string[] = [];
  const experiments: Experiments = { ...sandbox.experiments, stop: (id) => (stops.push(id), sandbox.experiments.stop(id)) };
  const exp = await sandbox.experiments.start({ templateId: 'EXTsbxcpuweb0001', clientToken: 'lapse-1', tags: {} });
  // The dead replica claimed the stop (stoppedBy + guardStop) and died before StopExperiment.
  const data: WatchedExperimentData = {
    experimentId: exp.id,
    teamId: TEAM,
    channelId: CHANNEL,
    account: { name: target.accountName, id: target.accountId, region: target.region },
    actor: { teamId: TEAM, userId: 'U0ALICE' },
    templateId: 'EXTsbxcpuweb0001',
    watchedSince: clock.now(),
    stoppedBy: 'guard:brake',
    guardStop: { owner: 'replica-gone', life: 'its-only-life', at: clock.now() },
    guards: [{ name: 'brake', expr: 'brake > 0', forMs: 0 }],
  };
  await store.create<WatchedExperimentData>({ kind: EXPERIMENT_KIND, id: exp.id, state: 'running', data });
  const events: GuardEvent[] = [];
  const round = (replicaId: string) => {
    const ctx: ChaosContext = {
      store,
      clock,
      config: chaosConfig(),
      experiments: () => experiments,
      resolveTarget: async () => target,
      newId: () => 'unused',
      log: { warn: () => undefined },
      options: { ...DEFAULT_CHAOS_OPTIONS, replicaId },
      guardQuery: async () => firing,
    };
    const evaluator = createGuardEvaluator({ store, clock, intervalMs: 15_000, maxFailures: 3 });
    return createGuardRound(ctx, evaluator, async (e) => void events.push(e));
  };
  return { clock, stops, exp, events, round };
}

const fired = (events: GuardEvent[]) => events.filter((e) => e.type === 'guard-fired');

it('a dead replica’s guard stop is retaken by another replica once it lapses, not before', async () => {
  const { clock, stops, exp, events, round } = await setUp();
  const b = round('replica-b');
  await clock.advance(GUARD_STOP_LAPSE_MS - 15_000);
  await b(exp.id);
  expect(stops).toEqual([]); // a claim younger than the lapse may be a live replica's slow stop
  await clock.advance(15_000);
  await b(exp.id);
  expect(stops).toEqual([exp.id]);
  expect(fired(events)).toHaveLength(1);
  const after = await store.get<WatchedExperimentData>(EXPERIMENT_KIND, exp.id);
  expect(after?.data.guardStop).toBeUndefined();
  expect(after?.data.stoppedBy).toBe('guard:brake');
  await clock.advance(15_000);
  await b(exp.id);
  expect(stops).toEqual([exp.id]);
});

it('two replicas retaking the lapsed claim at once: one StopExperiment, one "guard stopped"', async () => {
  const { clock, stops, exp, events, round } = await setUp();
  await clock.advance(GUARD_STOP_LAPSE_MS);
  await Promise.all([round('replica-b')(exp.id), round('replica-c')(exp.id)]);
  expect(stops).toEqual([exp.id]);
  expect(fired(events)).toHaveLength(1);
});
