import type { Store } from '../../../src/ports/store';
import { claimSlot, reclaimSlots, slotHolders } from '../../../src/chaos/slots';
import type { ExperimentSummary } from '../../../src/chaos/model';
import { storeBackends } from '../../helpers/store';

/** maxRunning as per-account slots claimed by compare-and-set (src/chaos/slots.ts). */
let store: Store;
let cleanup: () => Promise<void>;

const request = (id: string, state: string) =>
  store.create({ kind: 'chaos-request', id, state, data: { account: { name: 'prod', region: 'us-east-1' } } });
const foreign = (id: string, tags: Record<string, string> = {}): ExperimentSummary => ({ id, templateId: 'EXT1', status: 'running', tags }) as ExperimentSummary;

describe.each(storeBackends)('chaos slots ($name)', (backend) => {
  beforeEach(async () => {
    ({ store, cleanup } = await backend.open());
  });
  afterEach(() => cleanup());

  it('many claims at once for the last slot: exactly one wins', async () => {
    const wins = await Promise.all(Array.from({ length: 8 }, (_, i) => claimSlot(store, 'prod', `chq-${i}`, { max: 1, active: [] })));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await slotHolders(store, 'prod')).toHaveLength(1);
  });

  it('counts FIS experiments no holder owns; a holder’s own experiment is not counted twice; a repeated claim is idempotent', async () => {
    expect(await claimSlot(store, 'prod', 'chq-a', { max: 2, active: [foreign('EXPbyhand')] })).toBe(true);
    expect(await claimSlot(store, 'prod', 'chq-b', { max: 2, active: [foreign('EXPbyhand'), foreign('EXPa', { 'lookout:request': 'chq-a' })] })).toBe(false);
    expect(await claimSlot(store, 'prod', 'chq-a', { max: 2, active: [foreign('EXPbyhand'), foreign('EXPa', { 'lookout:request': 'chq-a' })] })).toBe(true);
    expect(await slotHolders(store, 'prod')).toEqual(['chq-a']);
  });

  it('the sweep reclaims slots whose request ended, failed, was refused or is gone, and keeps starting/running ones', async () => {
    for (const [id, state] of [['chq-run', 'running'], ['chq-start', 'starting'], ['chq-done', 'done'], ['chq-failed', 'failed'], ['chq-refused', 'refused']]) {
      await request(id, state);
      await claimSlot(store, 'prod', id, { max: 10, active: [] });
    }
    await claimSlot(store, 'prod', 'chq-gone', { max: 10, active: [] });
    expect(await reclaimSlots(store)).toBe(4);
    expect((await slotHolders(store, 'prod')).sort()).toEqual(['chq-run', 'chq-start']);
  });
});
