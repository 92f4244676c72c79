import type { ChaosContext, ChaosLogger } from '../../src/chaos/context';
import { createGuardRound, type GuardEvent } from '../../src/chaos/guard-watch';
import type { GuardEvaluator } from '../../src/chaos/guards/evaluate';
import { EXPERIMENT_KIND, type WatchedExperimentData } from '../../src/chaos/records';
import type { Experiments } from '../../src/ports/experiments';
import type { Store } from '../../src/ports/store';
import { openStore } from '../../src/store';
import { ManualClock } from './manual-clock';

/**
 * The fixture of the unit tests on one watched experiment's record (guard stops, the end-of-run ledger): an in-memory
 * store on a manual clock, new for each test, with the experiment EXP1 seeded on it, and guard rounds of named replicas.
 */
export interface WatchedStore {
  clock: ManualClock;
  store: Store;
}

/** A fresh in-memory store and clock before each test of the calling file, closed after it. */
export function watchedStoreEachTest(): WatchedStore {
  const fx = {} as WatchedStore;
  beforeEach(async () => {
    fx.clock = new ManualClock();
    fx.store = await openStore('sqlite::memory:', { clock: fx.clock });
  });
  afterEach(() => fx.store.close());
  return fx;
}

/** EXP1 as the watcher records it (team T1, channel C1, account prod, started by U1); `data` overrides fields. */
export function seedWatched(fx: WatchedStore, o: { state?: string; dueAt?: number | null; data?: Partial<WatchedExperimentData> } = {}): Promise<boolean> {
  const data: WatchedExperimentData = {
    experimentId: 'EXP1',
    teamId: 'T1',
    channelId: 'C1',
    account: { name: 'prod', region: 'us-east-1' },
    actor: { teamId: 'T1', userId: 'U1' },
    templateId: 'EXT1',
    watchedSince: fx.clock.now(),
    ...o.data,
  };
  return fx.store.create<WatchedExperimentData>({ kind: EXPERIMENT_KIND, id: data.experimentId, state: o.state ?? 'running', data, dueAt: o.dueAt });
}

/** The guard of a watched experiment that `firingGuardRounds` finds firing at once. */
export const BRAKE = { name: 'brake', expr: 'brake > 0', forMs: 0 };

const firingEvaluator = { evaluate: async () => ({ at: 0, states: {}, transitions: [], recorded: true, firing: { name: 'brake', reason: 'returned 1 series', series: 1 } }) } as unknown as GuardEvaluator;

/**
 * Guard rounds on the fixture's store (or `o.store`, e.g. one with faults) in which BRAKE fires: `round(replicaId)` is
 * one replica's, on the given FIS port; every round's events land in `events`.
 */
export function firingGuardRounds(fx: WatchedStore, experiments: Experiments, o: { store?: Store; log?: ChaosLogger } = {}) {
  const events: GuardEvent[] = [];
  const round = (replicaId: string) => {
    const ctx = { store: o.store ?? fx.store, clock: fx.clock, options: { replicaId }, log: o.log ?? { warn: () => undefined }, resolveTarget: async () => ({}), experiments: () => experiments };
    return createGuardRound(ctx as unknown as ChaosContext, firingEvaluator, async (e) => void events.push(e));
  };
  return { events, round, fired: () => events.filter((e) => e.type === 'guard-fired') };
}
