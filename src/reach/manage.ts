/** `/reach list`, `watch` (which path), `unwatch`, `forget` and the 30-day sweep: Lookout's bookkeeping of managed paths. */
import { LookoutError, isLookoutError } from '../errors';
import type { AwsTarget } from '../ports/aws';
import type { ForgetSummary, ReachPathSummary, ReachQuestion } from './model';
import type { Entity } from '../ports/store';
import type { ResolvedDeps } from './deps';
import { escapeText, inlineCode } from '../text';
import { listPathWatches, removePathWatches, removeWatch } from '../reports/watches';
import { PATH_KIND, PATH_TTL_MS, PathRecord } from './records';
import { traceChanges } from '../chaos/audit-change';

/** Who the sweep's audit rows name: no person or channel is behind it. */
export const SWEEP_USER = 'lookout-sweep';

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
  const [paths, watches] = await Promise.all([deps.store.list<PathRecord>(PATH_KIND), listPathWatches(deps.store)]);
  return paths
    .filter((p) => inTarget(p.data, target))
    .sort((a, b) => b.data.lastUsedAt - a.data.lastUsedAt)
    .map((p) => {
      const mine = watches.filter((w) => w.pathId === p.id);
      const summary: ReachPathSummary = {
        pathId: p.id,
        question: p.data.question,
        createdAt: p.data.createdAt,
        lastUsedAt: p.data.lastUsedAt,
        watchedHere: mine.some((w) => w.channelId === at.channelId),
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

/** The path `/reach watch` names: an id, or `last`, the path most recently checked in this channel. */
export async function findPath(deps: ResolvedDeps, pathId: string, target: AwsTarget, at: Where): Promise<{ pathId: string; question: ReachQuestion }> {
  if (pathId !== 'last') {
    const record = await getManagedPath(deps, pathId, target);
    return { pathId: record.id, question: record.data.question };
  }
  const paths = await deps.store.list<PathRecord>(PATH_KIND);
  const latest = paths
    .filter((p) => inTarget(p.data, target) && p.data.lastUsedIn?.channelId === at.channelId)
    .sort((a, b) => b.data.lastUsedAt - a.data.lastUsedAt)[0];
  if (!latest) throw new LookoutError('not_found', `Nothing was checked in this channel ${where(target)} yet.`, { hint: 'Run `/reach SOURCE -> DEST:PORT` first.' });
  return { pathId: latest.id, question: latest.data.question };
}

/** Removes this channel's watch (a report, src/reports/watches.ts) of a path Lookout manages here. */
export async function unwatchPath(deps: ResolvedDeps, pathId: string, target: AwsTarget, at: Where): Promise<{ pathId: string; question: ReachQuestion }> {
  const record = await getManagedPath(deps, pathId, target);
  if (!(await removeWatch(deps.store, at.channelId, pathId))) {
    throw new LookoutError('not_found', `${inlineCode(pathId)} is not watched in this channel.`, { hint: 'See `/reach list`.' });
  }
  return { pathId, question: record.data.question };
}

/** Deletes the path (and its analyses) at AWS, its watches and its record. A path already gone at AWS is fine. */
export async function forgetPath(deps: ResolvedDeps, pathId: string, target: AwsTarget): Promise<ForgetSummary> {
  const record = await getManagedPath(deps, pathId, target);
  const analysesDeleted = await deleteAtAws(deps, target, pathId);
  const watchesRemoved = await removePathWatches(deps.store, pathId);
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

/** Deletes managed paths unused for 30 days, with their analyses; watched paths stay. Never throws per path. */
export async function sweepUnusedPaths(deps: ResolvedDeps, now: number): Promise<SweepReport> {
  const report: SweepReport = { deleted: [], keptWatched: [], failed: [] };
  const [due, watches] = await Promise.all([deps.store.list<PathRecord>(PATH_KIND, { dueBefore: now }), listPathWatches(deps.store)]);
  const watched = new Set(watches.map((w) => w.pathId));
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
      // The same trace a command's change gets: a `pending` row before the first delete reaches AWS, completed
      // (with AWS's request ids) after it, so a crash in between still leaves one (src/chaos/audit-change.ts).
      const entry = { at: deps.clock.now(), teamId: '', channelId: p.data.lastUsedIn?.channelId ?? '', userId: SWEEP_USER, kind: 'system' as const, command: `reach sweep deleted ${p.id}`, detail: 'unused for 30 days' };
      await traceChanges(deps.store, entry, { complete: true, now: () => deps.clock.now(), onAuditError: () => undefined /* never holds the delete back */ }, () => deleteAtAws(deps, target, p.id));
      await deps.store.delete(PATH_KIND, p.id);
      report.deleted.push(p.id);
    } catch (e) {
      report.failed.push({ pathId: p.id, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return report;
}
