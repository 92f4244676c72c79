import { EXPERIMENT_KIND, type WatchedExperimentData } from '../../../src/chaos/records';
import { POSTING_LAPSE_MS, createSummaryLedger } from '../../../src/chaos/summary-claim';
import { seedWatched, watchedStoreEachTest } from '../../helpers/watched-experiment';

/** The ledger that keeps an experiment's end to one post across kills and replicas (src/chaos/summary-claim.ts). */
const fx = watchedStoreEachTest();

/** An ended experiment with the given ledger (none: an end recorded before the ledger existed), due while one is owed. */
const seed = (summary: WatchedExperimentData['summary']) =>
  seedWatched(fx, { state: 'done', data: summary ? { summary } : {}, dueAt: summary && summary.state !== 'posted' ? fx.clock.now() : null });
const ledgerOf = (replicaId: string) => createSummaryLedger({ store: fx.store, now: () => fx.clock.now(), replicaId });
const stateOf = async (id: string) => (await fx.store.get<WatchedExperimentData>(EXPERIMENT_KIND, id))?.data.summary?.state;

test('an owed end is listed with its change lines; one claim wins; once posted it is settled', async () => {
  const changes = [{ kind: 'status' as const, to: 'stopped' as const, at: fx.clock.now() }];
  await seed({ state: 'owed', changes });
  const [a, b] = [ledgerOf('replica-a'), ledgerOf('replica-b')];
  expect(await a.owed()).toEqual([{ id: 'EXP1', changes }]);
  const wins = await Promise.all([a.claim('EXP1'), b.claim('EXP1'), a.claim('EXP1')]);
  expect(wins.filter(Boolean)).toHaveLength(1);
  expect(await a.owed()).toEqual([]);
  await a.posted('EXP1');
  expect(await stateOf('EXP1')).toBe('posted');
  expect(await b.claim('EXP1')).toBe(false);
  expect(await fx.store.list(EXPERIMENT_KIND, { dueBefore: fx.clock.now() + 1 })).toEqual([]);
});

test('a claim left by an earlier life of this replica may have posted: settled as unknown, never claimed again', async () => {
  await seed({ state: 'posting', owner: 'replica-a', life: 'an-earlier-life', at: fx.clock.now() });
  const a = ledgerOf('replica-a');
  expect(await a.owed()).toEqual([]);
  expect(await stateOf('EXP1')).toBe('unknown');
  expect(await a.claim('EXP1')).toBe(false);
});

test("another replica's claim is left alone until it lapses, then settled as unknown", async () => {
  await seed({ state: 'posting', owner: 'replica-b', life: 'its-life', at: fx.clock.now() });
  const a = ledgerOf('replica-a');
  await a.owed();
  expect(await stateOf('EXP1')).toBe('posting');
  await fx.clock.advance(POSTING_LAPSE_MS);
  await a.owed();
  expect(await stateOf('EXP1')).toBe('unknown');
});

test('an end recorded before the ledger existed can still be claimed once', async () => {
  await seed(undefined);
  const a = ledgerOf('replica-a');
  expect(await a.claim('EXP1')).toBe(true);
  expect(await a.claim('EXP1')).toBe(false);
});
