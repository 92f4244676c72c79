import { ManualClock } from '../../helpers/manual-clock';
import { openStore } from '../../../src/store';
import type { Store } from '../../../src/ports/store';
import type { Experiments } from '../../../src/ports/experiments';
import type { ChaosContext } from '../../../src/chaos/context';
import { createGuardRound, type GuardEvent } from '../../../src/chaos/guard-watch';
import type { GuardEvaluator } from '../../../src/chaos/guards/evaluate';
import { changeAws } from '../../../src/aws-request-ids';
import { EXPERIMENT_KIND, type WatchedExperimentData } from '../../../src/chaos/records';

/**
 * "Guard stopped" is announced once per stop (issue 13 item 5): when a guard's stop claim is taken over while its
 * StopExperiment is under way (its holder was slow, or was restarted under the same name), only one of the two
 * rounds announces it.
 */
let clock: ManualClock;
let store: Store;
beforeEach(async () => {
  clock = new ManualClock();
  store = await openStore('sqlite::memory:', { clock });
});
afterEach(() => store.close());

const guard = { name: 'brake', expr: 'brake > 0', forMs: 0 };
const firingEvaluator = { evaluate: async () => ({ at: 0, states: {}, transitions: [], recorded: true, firing: { name: 'brake', reason: 'returned 1 series', series: 1 } }) } as unknown as GuardEvaluator;

function contextWith(experiments: Experiments, replicaId: string): ChaosContext {
  return { store, clock, options: { replicaId }, log: { warn: () => undefined }, resolveTarget: async () => ({}), experiments: () => experiments } as unknown as ChaosContext;
}

test('a stop claim taken over during StopExperiment is announced by the taker only', async () => {
  await store.create<WatchedExperimentData>({
    kind: EXPERIMENT_KIND,
    id: 'EXP1',
    state: 'running',
    data: { experimentId: 'EXP1', teamId: 'T1', channelId: 'C1', account: { name: 'prod', region: 'us-east-1' }, actor: { teamId: 'T1', userId: 'U1' }, templateId: 'EXT1', watchedSince: 0, guards: [guard] },
  });
  let status = 'running';
  let stops = 0;
  let takeOver: () => Promise<void> = async () => undefined;
  const experiments = {
    get: async (id: string) => ({ id, status, actions: {} }),
    stop: async () => {
      stops++;
      status = 'stopping';
      await takeOver(); // while the first round's StopExperiment is under way
      await changeAws(async () => ({ $metadata: { requestId: 'aws-stop-1' } })); // as the FIS adapter does
    },
    tag: async () => undefined,
  } as unknown as Experiments;
  const events: GuardEvent[] = [];
  const emit = async (e: GuardEvent) => void events.push(e);
  const first = createGuardRound(contextWith(experiments, 'replica-a'), firingEvaluator, emit);
  const taker = createGuardRound(contextWith(experiments, 'replica-b'), firingEvaluator, emit);
  // The taker finds the claim as a restarted replica or a lapse would hand it over: no longer replica-a's.
  takeOver = async () => {
    takeOver = async () => undefined;
    await store.update<WatchedExperimentData>(EXPERIMENT_KIND, 'EXP1', (x) => ({ data: { ...x.data, stoppedBy: undefined, guardStop: undefined } }));
    await taker('EXP1');
  };
  await first('EXP1');
  const fired = events.filter((e) => e.type === 'guard-fired');
  expect(fired).toHaveLength(1);
  expect(fired[0]).toMatchObject({ stopCalled: false }); // the taker found FIS already stopping it
  expect(stops).toBe(1);
  // The first round's StopExperiment still has its completed audit row (none left `pending`).
  expect(await store.listAudit({ limit: 10 })).toEqual([expect.objectContaining({ outcome: 'ok', userId: 'lookout-guard', awsRequestIds: ['aws-stop-1'] })]);
});
