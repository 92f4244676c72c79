import type { ActionsMode, ActionStatus, Experiment, ExperimentStatus, Template } from '../../chaos/model';
import type { SandboxBehaviour } from './templates';

/** How long a sandbox experiment spends in each phase (FIS takes seconds to resolve targets). */
export const SANDBOX_TIMING = { pendingMs: 2000, initiatingMs: 3000, stoppingMs: 3000, skipAllRunMs: 1000, defaultActionMs: 10_000 };

/** What the sandbox stores about an experiment; its state at any time is computed from this (no timers). */
export interface SandboxRun {
  id: string;
  template: Template;
  behaviour: SandboxBehaviour;
  clientToken: string;
  tags: Record<string, string>;
  actionsMode: ActionsMode;
  createdAt: number;
  stopRequestedAt?: number;
}

/** ISO-8601 durations as FIS action parameters use them: PT5M, PT90S, PT1H30M. */
export function parseIsoDuration(s: string | undefined): number | null {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(s ?? '');
  if (!m || (!m[1] && !m[2] && !m[3])) return null;
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
}

interface Plan {
  runStart: number;
  actions: Map<string, { start: number; end: number; failsAt?: number }>;
  naturalEnd: number;
  failure?: { action: string; at: number; reason: string };
}

function plan(run: SandboxRun): Plan {
  const runStart = run.createdAt + SANDBOX_TIMING.pendingMs + SANDBOX_TIMING.initiatingMs;
  const actions = new Map<string, { start: number; end: number; failsAt?: number }>();
  if (run.actionsMode === 'skip-all') {
    for (const a of run.template.actions) actions.set(a.name, { start: runStart, end: runStart });
    return { runStart, actions, naturalEnd: runStart + SANDBOX_TIMING.skipAllRunMs };
  }
  // startAfter forms a DAG; resolve in passes (templates are small).
  const byName = new Map(run.template.actions.map((a) => [a.name, a]));
  for (let pass = 0; pass < run.template.actions.length + 1 && actions.size < byName.size; pass++) {
    for (const a of run.template.actions) {
      if (actions.has(a.name) || !a.startAfter.every((d) => actions.has(d) || !byName.has(d))) continue;
      const start = Math.max(runStart, ...a.startAfter.map((d) => actions.get(d)?.end ?? runStart));
      actions.set(a.name, { start, end: start + (parseIsoDuration(a.parameters.duration) ?? SANDBOX_TIMING.defaultActionMs) });
    }
  }
  let naturalEnd = Math.max(runStart, ...[...actions.values()].map((a) => a.end));
  const fail = run.behaviour.failAction;
  const failing = fail && actions.get(fail.action);
  if (fail && failing) {
    const at = failing.start + fail.afterMs;
    failing.failsAt = at;
    naturalEnd = at;
    return { runStart, actions, naturalEnd, failure: { action: fail.action, at, reason: fail.reason } };
  }
  return { runStart, actions, naturalEnd };
}

/** The experiment as GetExperiment would show it at time `t`. */
export function experimentAt(run: SandboxRun, t: number): Experiment {
  const p = plan(run);
  const stopAt = run.stopRequestedAt !== undefined && run.stopRequestedAt < p.naturalEnd ? run.stopRequestedAt : undefined;
  let status: ExperimentStatus;
  let reason: string | undefined;
  let endedAt: number | undefined;
  const actionStatus = (name: string): { status: ActionStatus; reason?: string } => {
    const a = p.actions.get(name);
    if (!a) return { status: 'cancelled' };
    if (run.actionsMode === 'skip-all') return { status: t >= p.runStart ? 'skipped' : 'pending' };
    if (stopAt !== undefined && t >= stopAt) {
      if (a.end <= stopAt && a.failsAt === undefined) return { status: 'completed' };
      if (a.start <= stopAt) return { status: t < stopAt + SANDBOX_TIMING.stoppingMs ? 'stopping' : 'stopped' };
      return { status: 'cancelled' };
    }
    if (a.failsAt !== undefined && t >= a.failsAt) return { status: 'failed', reason: p.failure?.reason };
    if (p.failure && t >= p.failure.at) return a.end <= p.failure.at ? { status: 'completed' } : { status: 'cancelled' };
    if (t >= a.end) return { status: 'completed' };
    if (t >= a.start) return { status: 'running' };
    return { status: 'pending' };
  };
  if (stopAt !== undefined && t >= stopAt) {
    const done = stopAt + SANDBOX_TIMING.stoppingMs;
    status = t < done ? 'stopping' : 'stopped';
    reason = t < done ? 'Stopping the experiment.' : 'Experiment stopped.';
    endedAt = t < done ? undefined : done;
  } else if (t < run.createdAt + SANDBOX_TIMING.pendingMs) {
    status = 'pending';
  } else if (t < p.runStart) {
    status = 'initiating';
    reason = 'Resolving targets.';
  } else if (t < p.naturalEnd) {
    status = 'running';
  } else if (p.failure) {
    status = 'failed';
    reason = `Action ${p.failure.action} failed: ${p.failure.reason}`;
    endedAt = p.naturalEnd;
  } else {
    status = 'completed';
    reason = run.actionsMode === 'skip-all' ? 'Experiment completed (all actions skipped).' : 'Experiment completed.';
    endedAt = p.naturalEnd;
  }
  return {
    id: run.id,
    templateId: run.template.id,
    status,
    ...(reason ? { reason } : {}),
    ...(p.failure && status === 'failed' ? { errorCode: 'InternalFailure' } : {}),
    createdAt: run.createdAt,
    ...(t >= p.runStart && (stopAt === undefined || stopAt >= p.runStart) ? { startedAt: p.runStart } : {}),
    ...(endedAt !== undefined ? { endedAt } : {}),
    tags: { ...run.tags },
    actionsMode: run.actionsMode,
    actions: run.template.actions.map((a) => {
      const s = actionStatus(a.name);
      const times = p.actions.get(a.name);
      return {
        name: a.name,
        actionId: a.actionId,
        status: s.status,
        ...(s.reason ? { reason: s.reason } : {}),
        ...(times && t >= times.start && run.actionsMode === 'run-all' ? { startedAt: times.start } : {}),
        parameters: { ...a.parameters },
      };
    }),
  };
}

/** True once targets are resolved (the run phase was reached before any stop). */
export function targetsResolved(run: SandboxRun, t: number): boolean {
  const runStart = run.createdAt + SANDBOX_TIMING.pendingMs + SANDBOX_TIMING.initiatingMs;
  return t >= runStart && (run.stopRequestedAt === undefined || run.stopRequestedAt >= runStart);
}

/**
 * When a run injects its faults, [start, end) in epoch ms: from the run phase to its natural end or the stop.
 * Null for dry runs (skip-all) and for runs stopped before their run phase. The sandbox metrics react to it.
 */
export function faultWindow(run: SandboxRun): { start: number; end: number } | null {
  if (run.actionsMode === 'skip-all') return null;
  const p = plan(run);
  const end = run.stopRequestedAt !== undefined && run.stopRequestedAt < p.naturalEnd ? run.stopRequestedAt : p.naturalEnd;
  return end > p.runStart ? { start: p.runStart, end } : null;
}
