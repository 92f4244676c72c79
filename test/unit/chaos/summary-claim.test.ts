import { ManualClock } from '../../helpers/manual-clock';
import { openStore } from '../../../src/store';
import type { Store } from '../../../src/ports/store';
import { EXPERIMENT_KIND, type WatchedExperimentData } from '../../../src/chaos/records';
import { POSTING_LAPSE_MS, createSummaryLedger } from '../../../src/chaos/summary-claim';

/** The ledger that keeps an experiment's end to one post across kills and replicas (src/chaos/summary-claim.ts). */
let clock: ManualClock;
let store: Store;
beforeEach(async () => {
  clock = new ManualClock();
  store = await openStore('sqlite::memory:', { clock });
});
afterEach(() => store.close());

const watched = (summary: WatchedExperimentData['summary']): WatchedExperimentData => ({
  experimentId: 'EXP1',
  teamId: 'T1',
  channelId: 'C1',
  account: { name: 'prod', region: 'us-east-1' },
  actor: { teamId: 'T1', userId: 'U1' },
  templateId: 'EXT1',
  watchedSince: clock.now(),
  ...(summary ? { summary } : {}),
});
const seed = (id: string, summary: WatchedExperimentData['summary']) =>
  store.create<WatchedExperimentData>({ kind: EXPERIMENT_KIND, id, state: 'done', data: watched(summary), dueAt: summary && summary.state !== 'posted' ? clock.now() : null });
const ledgerOf = (replicaId: string) => createSummaryLedger({ store, now: () => clock.now(), replicaId });
const stateOf = async (id: string) => (await store.get<WatchedExperimentData>(EXPERIMENT_KIND, id))?.data.summary?.state;

test('an owed end is listed with its change lines; one claim wins; once posted it is settled', async () => {
  const changes = [{ kind: 'status' as const, to: 'stopped' as const, at: clock.now() }];
  await seed('EXP1', { state: 'owed', changes });
  const [a, b] = [ledgerOf('replica-a'), ledgerOf('replica-b')];
  expect(await a.owed()).toEqual([{ id: 'EXP1', changes }]);
  const wins = await Promise.all([a.claim('EXP1'), b.claim('EXP1'), a.claim('EXP1')]);
  expect(wins.filter(Boolean)).toHaveLength(1);
  expect(await a.owed()).toEqual([]);
  await a.posted('EXP1');
  expect(await stateOf('EXP1')).toBe('posted');
  expect(await b.claim('EXP1')).toBe(false);
  expect(await store.list(EXPERIMENT_KIND, { dueBefore: clock.now() + 1 })).toEqual([]);
});

test('a claim left by an earlier life of this replica may have posted: settled as unknown, never claimed again', async () => {
  await seed('EXP1', { state: 'posting', owner: 'replica-a', life: 'an-earlier-life', at: clock.now() });
  const a = ledgerOf('replica-a');
  expect(await a.owed()).toEqual([]);
  expect(await stateOf('EXP1')).toBe('unknown');
  expect(await a.claim('EXP1')).toBe(false);
});

test("another replica's claim is left alone until it lapses, then settled as unknown", async () => {
  await seed('EXP1', { state: 'posting', owner: 'replica-b', life: 'its-life', at: clock.now() });
  const a = ledgerOf('replica-a');
  await a.owed();
  expect(await stateOf('EXP1')).toBe('posting');
  await clock.advance(POSTING_LAPSE_MS);
  await a.owed();
  expect(await stateOf('EXP1')).toBe('unknown');
});

test('an end recorded before the ledger existed can still be claimed once', async () => {
  await seed('EXP1', undefined);
  const a = ledgerOf('replica-a');
  expect(await a.claim('EXP1')).toBe(true);
  expect(await a.claim('EXP1')).toBe(false);
});
