/**
 * Lookout's own records of reachability paths in the Store. AWS holds the paths; these hold what AWS cannot tell
 * us cheaply: the question in the person's words, the last answer, when it was last used. (A watch is a report:
 * src/reports/watches.ts.)
 */
import type { AnalysisOutcome, ReachQuestion } from './model';
import type { Entity, Store } from '../ports/store';

export const PATH_KIND = 'reach-path';
export const ACTIVE = 'active';
/** Managed paths unused this long are deleted (product.md §3). */
export const PATH_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface LastAnalysis {
  analysisId?: string;
  checkedAt: number;
  durationMs: number;
  status: 'succeeded' | 'failed';
  reason?: 'analysis_failed' | 'timeout';
  outcome?: AnalysisOutcome;
  message?: string;
}

export interface PathRecord {
  key: string;
  question: ReachQuestion;
  createdAt: number;
  lastUsedAt: number;
  lastUsedIn?: { channelId: string; userId?: string };
  last?: LastAnalysis;
  /** An analysis in flight, so a second asker joins it instead of paying for another. */
  running?: { analysisId: string; startedAt: number };
}

/** The record of the path that answers this question (`key` is questionKey), found through the store's index. */
export function findPathByKey(store: Store, key: string): Promise<Entity<PathRecord> | null> {
  return store.findByKey<PathRecord>(PATH_KIND, key);
}

/** Creates the record, or applies `change` to the one a concurrent asker created first. */
export async function savePath(store: Store, pathId: string, fresh: PathRecord, change: (d: PathRecord) => PathRecord): Promise<void> {
  const created = await store.create<PathRecord>({ kind: PATH_KIND, id: pathId, state: ACTIVE, data: fresh, dueAt: fresh.lastUsedAt + PATH_TTL_MS });
  if (!created) await updatePath(store, pathId, change);
}

/** Applies `change` to the stored record (store.update); keeps dueAt at lastUsedAt + 30 days for the sweep. */
export async function updatePath(store: Store, pathId: string, change: (d: PathRecord) => PathRecord): Promise<PathRecord | null> {
  const updated = await store.update<PathRecord>(PATH_KIND, pathId, (e) => {
    const data = change(e.data);
    return { data, dueAt: data.lastUsedAt + PATH_TTL_MS };
  });
  return updated?.entity.data ?? null;
}
