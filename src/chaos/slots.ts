import type { Store } from '../ports/store';
import { LOOKOUT_TAGS, type ExperimentSummary } from './model';
import { REQUEST_KIND, type ChaosRequestData } from './records';

/**
 * `chaos.maxRunning` as per-account slots (store kind `chaos-slots`, id = account name): the request ids that hold
 * one. A request claims its slot after it moved to `starting` (the claim is the single compare-and-set on this
 * entity, so two approvals on two replicas cannot both take the last slot), and before StartExperiment. The slot is
 * released when the start is refused or fails and when the experiment ends; a slot held by a request that reached
 * any other state (a replica died in between) is reclaimed by the sweep (`reclaimSlots`). Because the request is
 * already `starting` when it claims, a request in `starting`/`running` never loses its slot to the sweep.
 */
export const SLOTS_KIND = 'chaos-slots';

export interface SlotsData {
  holders: string[];
}

const HOLDING = new Set(['starting', 'running']);

/**
 * Claims a slot for `requestId` in `account`, counting as taken the holders plus the unfinished experiments FIS
 * shows that are not one of theirs (started by hand, or by Lookout before slots). True when it holds one now.
 * `force`: claim even over the limit (recovery of an experiment that FIS already runs: it must be counted).
 */
export async function claimSlot(store: Store, account: string, requestId: string, o: { max: number; active: ExperimentSummary[]; force?: boolean }): Promise<boolean> {
  await store.create<SlotsData>({ kind: SLOTS_KIND, id: account, state: 'open', data: { holders: [] } });
  const updated = await store.update<SlotsData>(SLOTS_KIND, account, (e) => {
    const holders = e.data.holders;
    if (holders.includes(requestId)) return undefined;
    const foreign = o.active.filter((x) => !holders.includes(x.tags[LOOKOUT_TAGS.request] ?? '')).length;
    if (!o.force && holders.length + foreign >= o.max) return undefined;
    return { data: { holders: [...holders, requestId] } };
  });
  return updated?.entity.data.holders.includes(requestId) ?? false;
}

export async function releaseSlot(store: Store, account: string, requestId: string): Promise<void> {
  await store.update<SlotsData>(SLOTS_KIND, account, (e) =>
    e.data.holders.includes(requestId) ? { data: { holders: e.data.holders.filter((h) => h !== requestId) } } : undefined,
  );
}

/** The holders (request ids) of one account's slots, for messages. */
export async function slotHolders(store: Store, account: string): Promise<string[]> {
  return (await store.get<SlotsData>(SLOTS_KIND, account))?.data.holders ?? [];
}

/** Releases every slot whose request is gone or no longer starting/running. Returns how many were reclaimed. */
export async function reclaimSlots(store: Store): Promise<number> {
  let reclaimed = 0;
  for (const slots of await store.list<SlotsData>(SLOTS_KIND)) {
    for (const id of slots.data.holders) {
      const request = await store.get<ChaosRequestData>(REQUEST_KIND, id);
      if (request && HOLDING.has(request.state)) continue;
      await releaseSlot(store, slots.id, id);
      reclaimed++;
    }
  }
  return reclaimed;
}
