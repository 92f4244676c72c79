import { LookoutError, isLookoutError } from '../../errors';
import type { Clock } from '../../ports/clock';
import type { PromQuery } from '../../ports/prom-query';
import type { InstantResult } from '../../metrics/model';
import type { Store } from '../../ports/store';
import { INITIAL_GUARD_STATE, formatFor, stepGuard, type GuardState, type GuardTransition, type Observation } from './state';

import type { GuardSpec } from '../model';

export type { GuardSpec };

/** The stored record, one per experiment (kind `guard-state`, id = experiment id), so another replica continues it. */
export interface GuardStatesData {
  guards: Record<string, GuardState>;
}

export const GUARD_STATE_KIND = 'guard-state';

export interface FiringGuard {
  name: string;
  reason: string;
  series: number;
  /** The `value:` expression's current value (the largest, when it returns several series); absent when not given or failed. */
  value?: number;
  /** True when this evaluation made it fire; false when it was already firing (a caller that crashed may act again). */
  newly: boolean;
}

export interface GuardEvaluation {
  at: number;
  states: Record<string, GuardState>;
  transitions: GuardTransition[];
  /** The first firing guard, in the order given; null while none fires. */
  firing: FiringGuard | null;
  /** False when another replica stored a newer state first: this result was not recorded, act on nothing. */
  recorded: boolean;
}

export interface GuardEvaluatorDeps {
  store: Store;
  clock: Clock;
  /** `chaos.guardInterval`: each evaluation gets at most half of it. */
  intervalMs: number;
  /** `chaos.guardFailures`. */
  maxFailures: number;
}

export interface GuardEvaluator {
  evaluate(experimentId: string, guards: GuardSpec[], query: PromQuery): Promise<GuardEvaluation>;
}

/**
 * Evaluates an experiment's guards once: each expression through the PromQuery port in parallel, with a timeout of
 * half the guard interval and no retries (the next interval is the retry), then one compare-and-set of the stored
 * states. The caller runs it every interval while it holds the experiment's lease.
 */
export function createGuardEvaluator(deps: GuardEvaluatorDeps): GuardEvaluator {
  const timeoutMs = Math.max(1, Math.floor(deps.intervalMs / 2));
  const rule = (g: GuardSpec) => ({ forMs: g.forMs, maxFailures: deps.maxFailures });
  return {
    async evaluate(experimentId, guards, query) {
      const stored = await loadStates(deps.store, experimentId);
      const seen = await Promise.all(guards.map((g) => observe(query, g.expr, timeoutMs, deps.clock)));
      const at = deps.clock.now();
      const states: Record<string, GuardState> = { ...stored.data.guards };
      const transitions: GuardTransition[] = [];
      guards.forEach((g, i) => {
        const step = stepGuard(g.name, states[g.name] ?? INITIAL_GUARD_STATE, seen[i].observation, at, rule(g));
        states[g.name] = step.state;
        transitions.push(...step.transitions);
      });
      const saved = await deps.store.updateData<GuardStatesData>(GUARD_STATE_KIND, experimentId, stored.version, { guards: states });
      if (!saved) return { at, states: stored.data.guards, transitions: [], firing: null, recorded: false };
      const index = guards.findIndex((g) => states[g.name].status === 'firing');
      if (index < 0) return { at, states, transitions, firing: null, recorded: true };
      const guard = guards[index];
      const state = states[guard.name];
      const value = guard.value === undefined ? seen[index].top : (await observe(query, guard.value, timeoutMs, deps.clock)).top;
      const newly = transitions.some((t) => t.guard === guard.name && t.to === 'firing');
      const firing: FiringGuard = { name: guard.name, reason: state.reason ?? 'fired', series: state.series, newly, ...(value === undefined ? {} : { value }) };
      return { at, states, transitions, firing, recorded: true };
    },
  };
}

/** The stored states of an experiment's guards (created empty on first use; a racing create is fine). */
export async function loadStates(store: Store, experimentId: string) {
  const existing = await store.get<GuardStatesData>(GUARD_STATE_KIND, experimentId);
  if (existing) return existing;
  await store.create<GuardStatesData>({ kind: GUARD_STATE_KIND, id: experimentId, state: 'watching', data: { guards: {} } });
  const created = await store.get<GuardStatesData>(GUARD_STATE_KIND, experimentId);
  if (!created) throw new LookoutError('internal', 'The guard state could not be saved.');
  return created;
}

/** One query, bounded by the timeout: how many series it returned and the largest value among them. */
export async function observe(query: PromQuery, expr: string, timeoutMs: number, clock: Clock): Promise<{ observation: Observation; top?: number }> {
  try {
    const { result } = await withTimeout(clock, timeoutMs, (signal) => query.instant(expr, undefined, signal));
    const values = valuesOf(result);
    const finite = values.filter(Number.isFinite);
    return { observation: { ok: true, series: values.length }, ...(finite.length ? { top: Math.max(...finite) } : {}) };
  } catch (err) {
    return { observation: { ok: false, error: describeFailure(err) } };
  }
}

// Prometheus turns a scalar rule result into one sample; anything else cannot be an alerting rule.
function valuesOf(result: InstantResult): number[] {
  if (result.type === 'vector') return result.samples.map((s) => s.value);
  if (result.type === 'scalar') return [result.value];
  throw new LookoutError('invalid_input', `a guard must return an instant vector, not a ${result.type}`);
}

function describeFailure(err: unknown): string {
  const text = isLookoutError(err) || err instanceof Error ? err.message : String(err);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** Races the query against the injected clock; the loser is aborted. */
async function withTimeout<T>(clock: Clock, ms: number, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const timer = clock.sleep(ms, abort.signal).then(() => {
    throw new LookoutError('timeout', `no answer within ${ms < 1000 ? `${ms}ms` : formatFor(ms)}`);
  });
  timer.catch(() => undefined);
  try {
    return await Promise.race([run(abort.signal), timer]);
  } finally {
    abort.abort();
  }
}
