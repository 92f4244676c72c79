/**
 * `/reach watch` is a report: one record, kind `report`, with `watch: true`, the path id and a lookup key (one watch
 * per path and channel). The report service creates it (service.ts `watch`); the reach service reads and removes
 * watches through these functions for `/reach list`, `unwatch`, `forget` and the 30-day sweep.
 */
import type { Store } from '../ports/store';
import { REPORT_KIND, type ReportData } from './types';

export interface PathWatch {
  reportId: string;
  pathId: string;
  channelId: string;
}

/** The lookup key of the watch of `pathId` in `channelId` (store.findByKey). */
export const watchKey = (channelId: string, pathId: string) => `reach-watch:${channelId}:${pathId}`;

/** Every watch report, in any channel. */
export async function listPathWatches(store: Store): Promise<PathWatch[]> {
  const reports = await store.list<ReportData>(REPORT_KIND);
  return reports.flatMap((e) => (e.data.watch && e.data.pathId ? [{ reportId: e.id, pathId: e.data.pathId, channelId: e.data.channel }] : []));
}

/** Removes this channel's watch of the path; false when there was none. A run in flight finds its claim gone. */
export async function removeWatch(store: Store, channelId: string, pathId: string): Promise<boolean> {
  const e = await store.findByKey<ReportData>(REPORT_KIND, watchKey(channelId, pathId));
  return e !== null && (await store.delete(REPORT_KIND, e.id));
}

/** Removes the path's watches in every channel (`/reach forget`); how many went. */
export async function removePathWatches(store: Store, pathId: string): Promise<number> {
  const mine = (await listPathWatches(store)).filter((w) => w.pathId === pathId);
  const removed = await Promise.all(mine.map((w) => store.delete(REPORT_KIND, w.reportId)));
  return removed.filter(Boolean).length;
}
