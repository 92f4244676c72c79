/**
 * One question through the analyser: answer from the last result when it is fresh, else reuse (or create) the
 * managed path, start an analysis and poll it. Every analysis is billed, so this file decides when to pay.
 */
import { isLookoutError } from '../errors';
import type { Reachability } from '../ports/reachability';
import type { Analysis, ReachAnswer, ReachProgress, ReachQuestion } from './model';
import { interpretAnalysis } from './interpret';
import { pollAnalysis } from './poll';
import { analysisClientToken, pathClientToken, pathMatches, pathSpecOf, questionKey } from './question';
import { LastAnalysis, PATH_KIND, PathRecord, findPathByKey, savePath, updatePath } from './records';
import type { ResolvedDeps } from './deps';

export interface RunOptions {
  onProgress?: (p: ReachProgress) => void | Promise<void>;
  /** Re-run: skip the cached answer (and any run in flight). */
  force?: boolean;
  channelId?: string;
  userId?: string;
  /** Makes the analysis client token unique per request (e.g. the Slack request id); defaults to the clock. */
  runId?: string;
}

export async function runQuestion(deps: ResolvedDeps, port: Reachability, question: ReachQuestion, opts: RunOptions): Promise<ReachAnswer> {
  const now = deps.clock.now();
  const record = await findPathByKey(deps.store, questionKey(question));
  const used = (d: PathRecord): PathRecord => ({
    ...d,
    question,
    lastUsedAt: now,
    ...(opts.channelId ? { lastUsedIn: { channelId: opts.channelId, ...(opts.userId ? { userId: opts.userId } : {}) } } : {}),
  });
  if (record && !opts.force) {
    const last = record.data.last;
    if (last?.status === 'succeeded' && last.outcome && now - last.checkedAt < deps.cacheTtlMs) {
      await updatePath(deps.store, record.id, used);
      return { kind: 'cached', question, pathId: record.id, analysisId: last.analysisId, checkedAt: last.checkedAt, outcome: last.outcome };
    }
    const running = record.data.running;
    if (running && now - running.startedAt < deps.deadlineMs) {
      await updatePath(deps.store, record.id, used);
      const joined = await port.getAnalysis(running.analysisId).catch(() => null);
      if (joined) return finish(deps, port, question, record.id, joined, running.startedAt, opts);
    }
  }
  const pathId = record?.id ?? (await findOrCreatePath(deps, port, question, used));
  return startAndFinish(deps, port, question, pathId, opts, used);
}

async function findOrCreatePath(deps: ResolvedDeps, port: Reachability, question: ReachQuestion, used: (d: PathRecord) => PathRecord): Promise<string> {
  const spec = pathSpecOf(question);
  const existing = await port.findManagedPaths({ source: spec.source, destination: spec.destination, protocol: spec.protocol });
  const path = existing.find((p) => pathMatches(p, spec)) ?? (await port.createPath(spec, pathClientToken(question)));
  await remember(deps, path.id, question, used);
  return path.id;
}

async function remember(deps: ResolvedDeps, pathId: string, question: ReachQuestion, used: (d: PathRecord) => PathRecord): Promise<void> {
  const now = deps.clock.now();
  await savePath(deps.store, pathId, used({ key: questionKey(question), question, createdAt: now, lastUsedAt: now }), used);
}

async function startAndFinish(
  deps: ResolvedDeps,
  port: Reachability,
  question: ReachQuestion,
  pathId: string,
  opts: RunOptions,
  used: (d: PathRecord) => PathRecord,
  mayRecreate = true,
): Promise<ReachAnswer> {
  const startedAt = deps.clock.now();
  let analysis: Analysis;
  try {
    analysis = await port.startAnalysis(pathId, analysisClientToken(pathId, opts.runId ?? String(startedAt)));
  } catch (e) {
    // The path is gone (deleted in the console, or a create token replayed a deleted path): recreate it once.
    if (!mayRecreate || !isLookoutError(e) || e.code !== 'not_found') throw e;
    await deps.store.delete(PATH_KIND, pathId);
    const path = await port.createPath(pathSpecOf(question), pathClientToken(question, startedAt));
    await remember(deps, path.id, question, used);
    return startAndFinish(deps, port, question, path.id, { ...opts, runId: `${opts.runId ?? startedAt}-recreated` }, used, false);
  }
  await updatePath(deps.store, pathId, (d) => ({ ...used(d), running: { analysisId: analysis.id, startedAt } }));
  return finish(deps, port, question, pathId, analysis, startedAt, opts);
}

async function finish(
  deps: ResolvedDeps,
  port: Reachability,
  question: ReachQuestion,
  pathId: string,
  first: Analysis,
  startedAt: number,
  opts: RunOptions,
): Promise<ReachAnswer> {
  const progress = (elapsedMs: number) => opts.onProgress?.({ question, pathId, analysisId: first.id, elapsedMs });
  const done = await pollAnalysis(port, first, {
    clock: deps.clock,
    deadlineMs: deps.deadlineMs,
    initialDelayMs: deps.pollInitialDelayMs,
    maxDelayMs: deps.pollMaxDelayMs,
    onProgress: progress,
    startedAt,
  });
  const checkedAt = deps.clock.now();
  const durationMs = checkedAt - startedAt;
  const base = { question, pathId, analysisId: first.id, checkedAt, durationMs };
  let answer: ReachAnswer;
  let last: LastAnalysis;
  if (!done) {
    answer = { ...base, kind: 'failed', reason: 'timeout' };
    last = { analysisId: first.id, checkedAt, durationMs, status: 'failed', reason: 'timeout' };
  } else if (done.status === 'failed') {
    answer = { ...base, kind: 'failed', reason: 'analysis_failed', ...(done.statusMessage ? { message: done.statusMessage } : {}) };
    last = { analysisId: done.id, checkedAt, durationMs, status: 'failed', reason: 'analysis_failed', message: done.statusMessage };
  } else {
    const outcome = interpretAnalysis(done, question);
    answer = { ...base, kind: 'fresh', outcome };
    last = { analysisId: done.id, checkedAt, durationMs, status: 'succeeded', outcome };
  }
  const previous = await recordResult(deps, pathId, first.id, last);
  // Keep one analysis per path: the quota is 10,000 and a watch runs ~2,900 a month.
  if (last.status === 'succeeded' && previous && previous !== last.analysisId) await port.deleteAnalysis(previous).catch(() => undefined);
  return answer;
}

/** Stores the result (unless a newer run already did) and returns the analysis it replaced. */
async function recordResult(deps: ResolvedDeps, pathId: string, analysisId: string, last: LastAnalysis): Promise<string | undefined> {
  let previous: string | undefined;
  await updatePath(deps.store, pathId, (d) => {
    previous = undefined;
    const running = d.running?.analysisId === analysisId ? undefined : d.running;
    if (d.last && d.last.checkedAt > last.checkedAt) return { ...d, running };
    previous = d.last?.analysisId;
    return { ...d, last, running };
  });
  return previous;
}
