import type { Experiments } from '../../../src/ports/experiments';
import { REQUEST_KIND } from '../../../src/chaos/records';
import { BRAKE, firingGuardRounds, seedWatched, watchedStoreEachTest } from '../../helpers/watched-experiment';

/**
 * Issue 13 item 6: once a guard's stop claim is released, no other round announces the stop, so a store fault on the
 * request's `stoppedBy` write (a pool timeout under the replicas' load) must not lose the "guard stopped" event.
 */
const fx = watchedStoreEachTest();

test('a failed write of the request after the stop still announces "guard stopped", once', async () => {
  await seedWatched(fx, { data: { requestId: 'REQ1', guards: [BRAKE] } });
  let stops = 0;
  const experiments = { get: async (id: string) => ({ id, status: 'running', actions: {} }), stop: async () => void stops++, tag: async () => undefined } as unknown as Experiments;
  // The request's update meets a pool timeout; every other store call works.
  const faulty = new Proxy(fx.store, {
    get: (target, key) =>
      key === 'update'
        ? (kind: string, ...rest: unknown[]) => (kind === REQUEST_KIND ? Promise.reject(new Error('timeout exceeded when trying to connect')) : (target.update as (...a: unknown[]) => unknown)(kind, ...rest))
        : (target as unknown as Record<string | symbol, unknown>)[key],
  });
  const warnings: string[] = [];
  const { round, fired } = firingGuardRounds(fx, experiments, { store: faulty, log: { warn: (_: unknown, msg: string) => void warnings.push(msg) } });
  await round('replica-a')('EXP1');
  expect(stops).toBe(1);
  expect(fired()).toEqual([expect.objectContaining({ experimentId: 'EXP1', request: null })]);
  expect(warnings).toContain('chaos: the request of a guard stop could not be updated; announcing it anyway');
});
