/**
 * `/reach watch` is a report: one record, kind `report`, with `watch: true`, the path id and a lookup key (one watch
 * per path and channel). The report service creates it (service.ts `watch`); the reach service reads and removes
 * watches through these functions for `/reach list`, `unwatch`, `forget` and the 30-day sweep.
 */
import type { Store } from '../ports/store';
import { REPORT_KIND, type ReportData } from './model';

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

/** The parts of a `reach-watch` record (before watches were reports) that adopting it needs. */
interface LegacyWatch {
  pathId: string;
  channelId: string;
  question: { source: { id?: string; input: string }; destination: { id?: string; ip?: string; input: string }; port?: number; protocol: string; region: string; accountName: string };
}

/** The command the handler gave a watch's report before watches were reports (with or without `--account`). */
function legacyCommands(q: LegacyWatch['question']): string[] {
  const base = `/reach ${q.source.id ?? q.source.input} -> ${q.destination.id ?? q.destination.ip ?? q.destination.input}${q.port ? `:${q.port}` : ''}/${q.protocol} --region ${q.region}`;
  return [base, `${base} --account ${q.accountName}`];
}

/**
 * Before watches were reports, `/reach watch` wrote a `reach-watch` record plus a report linked to it only by its
 * command text. Run at every start (idempotent): each such report gets its path id and lookup key, and is from then
 * on the one record. Additive: the `reach-watch` records stay for the previous release during a rolling deploy
 * (nothing here reads them again once adopted). A watch whose report is gone (removed with `/report remove`, or
 * never created: `--every 45m`) is not carried over: nothing was re-checking it. Returns the ids adopted.
 */
export async function adoptLegacyWatches(store: Store): Promise<string[]> {
  const legacy = await store.list<LegacyWatch>('reach-watch');
  if (legacy.length === 0) return [];
  const unlinked = (await store.list<ReportData>(REPORT_KIND)).filter((r) => r.data.watch && !r.data.pathId);
  const adopted: string[] = [];
  for (const { data: w } of legacy) {
    const commands = legacyCommands(w.question);
    const i = unlinked.findIndex((r) => r.data.channel === w.channelId && commands.includes(r.data.command));
    if (i < 0) continue;
    const [report] = unlinked.splice(i, 1);
    const key = watchKey(w.channelId, w.pathId);
    const done = await store.update<ReportData>(REPORT_KIND, report.id, (e) => (e.data.pathId ? undefined : { data: { ...e.data, pathId: w.pathId, key } }));
    if (done?.changed) adopted.push(report.id);
  }
  return adopted;
}
