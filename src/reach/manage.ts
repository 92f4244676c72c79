/** `/reach list`, `watch`, `unwatch`, `forget` and the 30-day sweep: Lookout's bookkeeping of managed paths. */
import { LookoutError, isLookoutError } from '../errors';
import type { AwsTarget } from '../ports/aws';
import type { ForgetSummary, ReachPathSummary, WatchSchedule, WatchSummary } from '../ports/reachability';
import type { Entity } from '../ports/store';
import type { ResolvedDeps } from './deps';
import { escapeText, inlineCode } from '../text';
import { ACTIVE, PATH_KIND, PATH_TTL_MS, PathRecord, WATCH_KIND, WatchRecord, listWatches, watchId } from './records';
import { describeSchedule } from './schedule';

export interface Where {
  channelId: string;
  userId?: string;
}

export interface SweepReport {
  deleted: string[];
  keptWatched: string[];
  failed: { pathId: string; error: string }[];
}

const inTarget = (d: PathRecord, t: AwsTarget) => d.question.accountName === t.accountName && d.question.region === t.region;
const where = (t: AwsTarget) => `in ${escapeText(t.region)} (account ${escapeText(t.accountName)})`;

/** The record of a path Lookout manages in this target's account and region, or a not_found naming both. */
export async function getManagedPath(deps: ResolvedDeps, pathId: string, target: AwsTarget): Promise<Entity<PathRecord>> {
  const record = await deps.store.get<PathRecord>(PATH_KIND, pathId);
  if (!record || !inTarget(record.data, target)) {
    throw new LookoutError('not_found', `${inlineCode(pathId)} is not a path Lookout manages ${where(target)}.`, { hint: 'See `/reach list`.' });
  }
  return record;
}

export async function listPaths(deps: ResolvedDeps, target: AwsTarget, at: Where): Promise<ReachPathSummary[]> {
  const [paths, watches] = await Promise.all([deps.store.list<PathRecord>(PATH_KIND), listWatches(deps.store)]);
  return paths
    .filter((p) => inTarget(p.data, target))
    .sort((a, b) => b.data.lastUsedAt - a.data.lastUsedAt)
    .map((p) => {
      const mine = watches.filter((w) => w.data.pathId === p.id);
      const summary: ReachPathSummary = {
        pathId: p.id,
        question: p.data.question,
        createdAt: p.data.createdAt,
        lastUsedAt: p.data.lastUsedAt,
        watchedHere: mine.some((w) => w.data.channelId === at.channelId),
        watchCount: mine.length,
      };
      const last = p.data.last;
      if (last) {
        const result = last.status === 'failed' ? 'failed' : last.outcome?.reachable ? 'reachable' : 'not_reachable';
        const codes = last.outcome && !last.outcome.reachable ? last.outcome.issues.map((i) => i.code) : [];
        summary.last = { checkedAt: last.checkedAt, result, codes };
      }
      return summary;
    });
}

/** `last` means the path most recently checked in this channel. */
async function resolvePathId(deps: ResolvedDeps, pathId: string, target: AwsTarget, at: Where): Promise<Entity<PathRecord>> {
  if (pathId !== 'last') return getManagedPath(deps, pathId, target);
  const paths = await deps.store.list<PathRecord>(PATH_KIND);
  const latest = paths
    .filter((p) => inTarget(p.data, target) && p.data.lastUsedIn?.channelId === at.channelId)
    .sort((a, b) => b.data.lastUsedAt - a.data.lastUsedAt)[0];
  if (!latest) throw new LookoutError('not_found', `Nothing was checked in this channel ${where(target)} yet.`, { hint: 'Run `/reach SOURCE -> DEST:PORT` first.' });
  return latest;
}

export async function watchPath(deps: ResolvedDeps, pathId: string, every: WatchSchedule | undefined, target: AwsTarget, at: Where): Promise<WatchSummary> {
  const record = await resolvePathId(deps, pathId, target, at);
  const now = deps.clock.now();
  const schedule: WatchSchedule = every ?? { intervalMs: deps.minWatchIntervalMs };
  const facts = describeSchedule(schedule, now, deps.minWatchIntervalMs);
  const data: WatchRecord = {
    pathId: record.id,
    channelId: at.channelId,
    ...(at.userId ? { createdBy: at.userId } : {}),
    schedule,
    expectedPerMonth: facts.expectedPerMonth,
    question: record.data.question,
    createdAt: now,
  };
  const id = watchId(at.channelId, record.id);
  let created = await deps.store.create<WatchRecord>({ kind: WATCH_KIND, id, state: ACTIVE, data, dueAt: facts.nextRunAt });
  if (!created) {
    const { createdAt: _keep, ...patch } = data;
    const moved = await deps.store.transition<WatchRecord>(WATCH_KIND, id, { from: [ACTIVE], to: ACTIVE, patch, dueAt: facts.nextRunAt });
    // A watch in another state (paused by a future scheduler) is replaced outright.
    if (!moved) {
      await deps.store.delete(WATCH_KIND, id);
      created = await deps.store.create<WatchRecord>({ kind: WATCH_KIND, id, state: ACTIVE, data, dueAt: facts.nextRunAt });
    }
  }
  return { pathId: record.id, channelId: at.channelId, question: record.data.question, schedule, ...facts, created };
}

export async function unwatchPath(deps: ResolvedDeps, pathId: string, target: AwsTarget, at: Where): Promise<{ pathId: string; question: PathRecord['question'] }> {
  const record = await getManagedPath(deps, pathId, target);
  const removed = await deps.store.delete(WATCH_KIND, watchId(at.channelId, pathId));
  if (!removed) throw new LookoutError('not_found', `${inlineCode(pathId)} is not watched in this channel.`, { hint: 'See `/reach list`.' });
  return { pathId, question: record.data.question };
}

/** Deletes the path (and its analyses) at AWS, its watches and its record. A path already gone at AWS is fine. */
export async function forgetPath(deps: ResolvedDeps, pathId: string, target: AwsTarget): Promise<ForgetSummary> {
  const record = await getManagedPath(deps, pathId, target);
  const analysesDeleted = await deleteAtAws(deps, target, pathId);
  const watchesRemoved = await removeWatches(deps, pathId);
  await deps.store.delete(PATH_KIND, pathId);
  return { pathId, question: record.data.question, analysesDeleted, watchesRemoved };
}

async function deleteAtAws(deps: ResolvedDeps, target: AwsTarget, pathId: string): Promise<number> {
  try {
    return (await deps.reachability(target).deletePath(pathId)).analysesDeleted;
  } catch (e) {
    if (isLookoutError(e) && e.code === 'not_found') return 0;
    throw e;
  }
}

async function removeWatches(deps: ResolvedDeps, pathId: string): Promise<number> {
  const watches = (await deps.store.list<WatchRecord>(WATCH_KIND)).filter((w) => w.data.pathId === pathId);
  await Promise.all(watches.map((w) => deps.store.delete(WATCH_KIND, w.id)));
  return watches.length;
}

/** Deletes managed paths unused for 30 days, with their analyses; watched paths stay. Never throws per path. */
export async function sweepUnusedPaths(deps: ResolvedDeps, now: number): Promise<SweepReport> {
  const report: SweepReport = { deleted: [], keptWatched: [], failed: [] };
  const [due, watches] = await Promise.all([deps.store.list<PathRecord>(PATH_KIND, { dueBefore: now }), listWatches(deps.store)]);
  const watched = new Set(watches.map((w) => w.data.pathId));
  for (const p of due) {
    if (now - p.data.lastUsedAt < PATH_TTL_MS) continue;
    if (watched.has(p.id)) {
      report.keptWatched.push(p.id);
      continue;
    }
    try {
      if (!deps.targets) throw new Error('no target resolver configured for the sweep');
      const { accountName, accountId, region } = p.data.question;
      const target = await deps.targets({ accountName, ...(accountId ? { accountId } : {}), region });
      await deleteAtAws(deps, target, p.id);
      await deps.store.delete(PATH_KIND, p.id);
      report.deleted.push(p.id);
    } catch (e) {
      report.failed.push({ pathId: p.id, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return report;
}
