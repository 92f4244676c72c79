import type { Experiments } from '../../../src/ports/experiments';
import { changeAws } from '../../../src/aws-request-ids';
import { EXPERIMENT_KIND, type WatchedExperimentData } from '../../../src/chaos/records';
import { BRAKE, firingGuardRounds, seedWatched, watchedStoreEachTest } from '../../helpers/watched-experiment';

/**
 * "Guard stopped" is announced once per stop (issue 13 item 5): when a guard's stop claim is taken over while its
 * StopExperiment is under way (its holder was slow, or was restarted under the same name), only one of the two
 * rounds announces it.
 */
const fx = watchedStoreEachTest();

test('a stop claim taken over during StopExperiment is announced by the taker only', async () => {
  await seedWatched(fx, { data: { guards: [BRAKE] } });
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
  const { round, fired } = firingGuardRounds(fx, experiments);
  const first = round('replica-a');
  const taker = round('replica-b');
  // The taker finds the claim as a restarted replica or a lapse would hand it over: no longer replica-a's.
  takeOver = async () => {
    takeOver = async () => undefined;
    await fx.store.update<WatchedExperimentData>(EXPERIMENT_KIND, 'EXP1', (x) => ({ data: { ...x.data, stoppedBy: undefined, guardStop: undefined } }));
    await taker('EXP1');
  };
  await first('EXP1');
  expect(fired()).toHaveLength(1);
  expect(fired()[0]).toMatchObject({ stopCalled: false }); // the taker found FIS already stopping it
  expect(stops).toBe(1);
  // The first round's StopExperiment still has its completed audit row (none left `pending`).
  expect(await fx.store.listAudit({ limit: 10 })).toEqual([expect.objectContaining({ outcome: 'ok', userId: 'lookout-guard', awsRequestIds: ['aws-stop-1'] })]);
});
