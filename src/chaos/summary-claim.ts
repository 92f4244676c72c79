import { randomUUID } from 'node:crypto';
import type { Store } from '../ports/store';
import type { ExperimentChange } from './model';
import { EXPERIMENT_KIND, type WatchedExperimentData } from './records';

/**
 * The end of a watched experiment is posted once, even across a `kill -9` (issue 13 item 5). Slack gives no way to
 * post a message idempotently (`chat.postMessage` has no key; reading the thread back needs a history scope
 * Lookout does not ask for), so the posting is a small ledger on the experiment's record:
 *
 * - `owed`: written in the same compare-and-set that records the end (`done`, watcher.ts), with the change lines
 *   still to post, and `dueAt` set until the ledger is settled, so a restarted or any other replica finds what is
 *   owed with one indexed list;
 * - `posting`: claimed (compare-and-set) by the one replica that posts the end's thread lines, summary, notice
 *   and charts; only the claimant posts;
 * - `posted`: recorded after the summary went out.
 *
 * A kill before the claim leaves it `owed`: posted after the restart (or by another replica's sweep). A kill after
 * the claim and before `posted` is the one ambiguous window (the post may or may not have reached Slack): it is
 * never posted again (`unknown`), the same at-most-once rule as a report post whose answer was lost
 * (src/reports/pacer.ts). That window is one Slack round trip, where the window it replaces was the whole end.
 */
export type SummaryLedger =
  | { state: 'owed'; changes: ExperimentChange[] }
  | { state: 'posting'; owner: string; life: string; at: number }
  | { state: 'posted' | 'unknown'; at: number };

/** This life of the process: a claim made by an earlier life of the same replica is orphaned (see guard-watch.ts). */
const LIFE = randomUUID();
/** A claim older than this whose replica never came back is settled as `unknown`. */
export const POSTING_LAPSE_MS = 10 * 60_000;

export function createSummaryLedger(deps: { store: Store; now: () => number; replicaId: string }) {
  const { store } = deps;
  return {
    /** True for the one caller that may post this experiment's end (owed, or from before the ledger existed). */
    async claim(experimentId: string): Promise<boolean> {
      const claimed = await store.update<WatchedExperimentData>(EXPERIMENT_KIND, experimentId, (e) =>
        e.state === 'done' && (!e.data.summary || e.data.summary.state === 'owed')
          ? { data: { ...e.data, summary: { state: 'posting', owner: deps.replicaId, life: LIFE, at: deps.now() } } }
          : undefined,
      );
      return !!claimed?.changed;
    },
    async posted(experimentId: string): Promise<void> {
      await store.update<WatchedExperimentData>(EXPERIMENT_KIND, experimentId, (e) =>
        e.data.summary?.state === 'posting' ? { data: { ...e.data, summary: { state: 'posted', at: deps.now() } }, dueAt: null } : undefined,
      );
    },
    /**
     * Experiments whose end is owed, with the change lines still to post (`dueAt` stays set until the ledger is
     * settled, so this lists only unsettled ones). A `posting` claim left by an earlier life of this replica, or
     * older than POSTING_LAPSE_MS (its replica never came back), is settled as `unknown`: it may have posted.
     */
    async owed(): Promise<{ id: string; changes: ExperimentChange[] }[]> {
      const now = deps.now();
      const due = await store.list<WatchedExperimentData>(EXPERIMENT_KIND, { states: ['done'], dueBefore: now + 1 });
      const owed: { id: string; changes: ExperimentChange[] }[] = [];
      for (const e of due) {
        const s = e.data.summary;
        if (s?.state === 'owed') owed.push({ id: e.id, changes: s.changes });
        if (s?.state !== 'posting' || (s.life === LIFE && s.owner === deps.replicaId)) continue;
        if (s.owner !== deps.replicaId && now - s.at < POSTING_LAPSE_MS) continue;
        await store.update<WatchedExperimentData>(EXPERIMENT_KIND, e.id, (x) =>
          x.data.summary?.state === 'posting' && x.data.summary.life === s.life ? { data: { ...x.data, summary: { state: 'unknown', at: now } }, dueAt: null } : undefined,
        );
      }
      return owed;
    },
  };
}

export type SummaryLedgerPort = ReturnType<typeof createSummaryLedger>;
