import { ManualClock } from '../../helpers/manual-clock';
import { openStore } from '../../../src/store';
import type { Store } from '../../../src/ports/store';
import type { Experiments } from '../../../src/ports/experiments';
import type { ChaosContext } from '../../../src/chaos/context';
import { createGuardRound, type GuardEvent } from '../../../src/chaos/guard-watch';
import type { GuardEvaluator } from '../../../src/chaos/guards/evaluate';
import { EXPERIMENT_KIND, REQUEST_KIND, type WatchedExperimentData } from '../../../src/chaos/records';

/**
 * Issue 13 item 6: once a guard's stop claim is released, no other round announces the stop, so a store fault on the
 * request's `stoppedBy` write (a pool timeout under the replicas' load) must not lose the "guard stopped" event.
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

test('a failed write of the request after the stop still announces "guard stopped", once', async () => {
  await store.create<WatchedExperimentData>({
    kind: EXPERIMENT_KIND,
    id: 'EXP1',
    state: 'running',
    data: { experimentId: 'EXP1', requestId: 'REQ1', teamId: 'T1', channelId: 'C1', account: { name: 'prod', region: 'us-east-1' }, actor: { teamId: 'T1', userId: 'U1' }, templateId: 'EXT1', watchedSince: 0, guards: [guard] },
  });
  let stops = 0;
  const experiments = { get: async (id: string) => ({ id, status: 'running', actions: {} }), stop: async () => void stops++, tag: async () => undefined } as unknown as Experiments;
  // The request's update meets a pool timeout; every other store call works.
  const faulty = new Proxy(store, {
    get: (target, key) =>
      key === 'update'
        ? (kind: string, ...rest: unknown[]) => (kind === REQUEST_KIND ? Promise.reject(new Error('timeout exceeded when trying to connect')) : (target.update as (...a: unknown[]) => unknown)(kind, ...rest))
        : (target as unknown as Record<string | symbol, unknown>)[key],
  });
  const warnings: string[] = [];
  const ctx = { store: faulty, clock, options: { replicaId: 'replica-a' }, log: { warn: (_: unknown, msg: string) => void warnings.push(msg) }, resolveTarget: async () => ({}), experiments: () => experiments } as unknown as ChaosContext;
  const events: GuardEvent[] = [];
  await createGuardRound(ctx, firingEvaluator, async (e) => void events.push(e))('EXP1');
  expect(stops).toBe(1);
  expect(events.filter((e) => e.type === 'guard-fired')).toEqual([expect.objectContaining({ experimentId: 'EXP1', request: null })]);
  expect(warnings).toContain('chaos: the request of a guard stop could not be updated; announcing it anyway');
});
