import { isTerminal, type ActionStatus, type Experiment, type ExperimentChange, type ExperimentReport, type ResolvedTarget } from './model';
import type { WatchedExperimentData } from './records';

export type Snapshot = NonNullable<WatchedExperimentData['snapshot']>;

export function snapshotOf(e: Experiment): Snapshot {
  const actions: Record<string, ActionStatus> = {};
  for (const a of e.actions) actions[a.name] = a.status;
  return { status: e.status, ...(e.reason ? { reason: e.reason } : {}), actions };
}

/** Changes between the last snapshot and the experiment now, actions in template order. */
export function diffExperiment(before: Snapshot | undefined, now: Experiment, at: number): ExperimentChange[] {
  const actions: ExperimentChange[] = [];
  for (const a of now.actions) {
    const prev = before?.actions[a.name];
    if (prev === a.status) continue;
    actions.push({
      kind: 'action',
      action: a.name,
      actionId: a.actionId,
      ...(prev ? { from: prev } : {}),
      to: a.status,
      ...(a.reason ? { reason: a.reason } : {}),
      at,
    });
  }
  if (before && before.status === now.status) return actions;
  const status: ExperimentChange = { kind: 'status', ...(before ? { from: before.status } : {}), to: now.status, ...(now.reason ? { reason: now.reason } : {}), at };
  // Read as a story: the experiment starts, then its actions move; actions finish, then the experiment ends.
  return isTerminal(now.status) ? [...actions, status] : [status, ...actions];
}

/** The final summary of a finished experiment. */
export function reportOf(
  e: Experiment,
  watched: Pick<WatchedExperimentData, 'requestId' | 'templateName' | 'stoppedBy' | 'watchedSince'>,
  resolvedTargets: ResolvedTarget[] | null,
  now: number,
): ExperimentReport {
  const start = e.startedAt ?? e.createdAt ?? watched.watchedSince;
  const end = e.endedAt ?? now;
  return {
    experimentId: e.id,
    ...(watched.requestId ? { requestId: watched.requestId } : {}),
    templateId: e.templateId,
    ...(watched.templateName ? { templateName: watched.templateName } : {}),
    status: e.status,
    ...(e.reason ? { reason: e.reason } : {}),
    ...(e.errorCode ? { errorCode: e.errorCode } : {}),
    ...(e.startedAt !== undefined ? { startedAt: e.startedAt } : {}),
    endedAt: end,
    durationMs: Math.max(0, end - start),
    actions: e.actions,
    resolvedTargets,
    ...(watched.stoppedBy ? { stoppedBy: watched.stoppedBy } : {}),
  };
}
