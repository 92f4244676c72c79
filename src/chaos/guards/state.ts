/**
 * One guard's state machine, with Prometheus alerting-rule semantics (product.md §4 "Guards"). Pure: the caller
 * passes what one evaluation saw and when; nothing here reads a clock or a store.
 *
 * inactive → pending on the first evaluation that returns series (`since` recorded); pending → firing on an
 * evaluation at or past `since + for` that still returns series (so `for: 0s` fires on the first one, as in
 * Prometheus); an empty result resets to inactive. A failed evaluation neither fires nor resets, but `maxFailures`
 * failures in a row fire regardless of `for` (guards fail safe). Unlike a Prometheus alert, firing is latched:
 * it has stopped the experiment, and a later empty result must not hide why.
 */
export type GuardStatus = 'inactive' | 'pending' | 'firing';

export interface GuardState {
  status: GuardStatus;
  /** Pending (or firing) since: the first evaluation of the current run of results with series. */
  since?: number;
  /** Failed evaluations in a row (reset by any successful one). */
  failures: number;
  evaluations: number;
  /** Series in the last successful evaluation. */
  series: number;
  firedAt?: number;
  /** Why it fired: "returned 3 series for 1m" or "evaluation failed 3 times in a row (…)". */
  reason?: string;
  lastError?: string;
}

/** What one evaluation saw: the number of series returned, or why it failed (an error or the timeout). */
export type Observation = { ok: true; series: number } | { ok: false; error: string };

export interface GuardTransition {
  guard: string;
  from: GuardStatus;
  to: GuardStatus;
  at: number;
}

export const INITIAL_GUARD_STATE: GuardState = { status: 'inactive', failures: 0, evaluations: 0, series: 0 };

/** The next state after one evaluation at `at`, and the transitions it made (inactive → pending → firing may be one step). */
export function stepGuard(
  name: string,
  state: GuardState,
  seen: Observation,
  at: number,
  rule: { forMs: number; maxFailures: number },
): { state: GuardState; transitions: GuardTransition[] } {
  const evaluations = state.evaluations + 1;
  if (state.status === 'firing') return { state: { ...state, evaluations }, transitions: [] };
  const transitions: GuardTransition[] = [];
  const move = (from: GuardStatus, to: GuardStatus) => transitions.push({ guard: name, from, to, at });

  if (!seen.ok) {
    const failures = state.failures + 1;
    const failed: GuardState = { ...state, evaluations, failures, lastError: seen.error };
    if (failures < rule.maxFailures) return { state: failed, transitions };
    move(state.status, 'firing');
    const reason = `evaluation failed ${failures} time${failures === 1 ? '' : 's'} in a row (${seen.error})`;
    return { state: { ...failed, status: 'firing', firedAt: at, reason }, transitions };
  }

  const base = { evaluations, failures: 0, series: seen.series };
  if (seen.series === 0) {
    if (state.status === 'pending') move('pending', 'inactive');
    return { state: { status: 'inactive', ...base }, transitions };
  }
  const since = state.status === 'pending' && state.since !== undefined ? state.since : at;
  if (state.status === 'inactive') move('inactive', 'pending');
  if (at - since < rule.forMs) return { state: { status: 'pending', since, ...base }, transitions };
  move('pending', 'firing');
  const reason = `returned ${seen.series} series${rule.forMs > 0 ? ` for ${formatFor(rule.forMs)}` : ''}`;
  return { state: { status: 'firing', since, firedAt: at, reason, ...base }, transitions };
}

/** 90000 → "1m30s": the way lookout.yml writes durations. */
export function formatFor(ms: number): string {
  const parts: string[] = [];
  let s = Math.round(ms / 1000);
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.join('') || '0s';
}
