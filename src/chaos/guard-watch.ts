import { randomUUID } from 'node:crypto';
import { isTerminal, type ChaosRequest, type GuardCheck, type GuardSpec } from './model';
import type { PromQuery } from '../ports/prom-query';
import { LookoutError } from '../errors';
import { experimentsAs, patchEntity, type ChaosContext } from './context';
import { tagStopper } from './stop';
import { traceChanges, type ChangeTrace } from './audit-change';
import type { FiringGuard, GuardEvaluation, GuardEvaluator } from './guards/evaluate';
import { EXPERIMENT_KIND, REQUEST_KIND, toChaosRequest, type ChaosRequestData, type WatchedExperimentData } from './records';

/** What guarding reports: every recorded evaluation (for metrics), and the one stop a firing guard caused. */
export type GuardEvent =
  /** `request` is set when a guard changed state (the card shows the new state). */
  | { type: 'guards-evaluated'; experimentId: string; evaluation: GuardEvaluation; request: ChaosRequest | null }
  | { type: 'guard-fired'; experimentId: string; watched: WatchedExperimentData; request: ChaosRequest | null; guard: GuardSpec; firing: FiringGuard; stopCalled: boolean; trace: ChangeTrace };

function checksOf(guards: GuardSpec[], evaluation: GuardEvaluation): GuardCheck[] {
  return guards.map((g) => {
    const st = evaluation.states[g.name];
    return { name: g.name, status: st?.status ?? 'inactive', series: st?.series ?? 0, failures: st?.failures ?? 0, ...(st?.reason ? { reason: st.reason } : {}) };
  });
}

/** This life of the process: a restarted one (same replica name) knows the claims it made before are orphaned. */
const LIFE = randomUUID();

/** A guard's stop claim older than this was left by a replica that died: any replica holding the lease retakes it. */
export const GUARD_STOP_LAPSE_MS = 60_000;

/** Guards act as themselves: CloudTrail shows `slack-<team>-lookout-guard` as the SourceIdentity of their stop. */
export const GUARD_USER = 'lookout-guard';

/** `lookout:stopped-by` values: `guard:<name>` for a guard, `user:<id>` for a person. */
export const stoppedByGuard = (name: string) => `guard:${name}`;

/**
 * One guard round for an experiment, run by the replica that holds its lease (watcher.ts) every guardInterval:
 * evaluate, and when a guard fires, stop the experiment once. "Once" across replicas: the stop is claimed by a
 * compare-and-set of `stoppedBy` on the watched experiment (a person's stop sets it too), so only the claimant calls
 * StopExperiment, and not at all when FIS is already stopping or has stopped it.
 */
export function createGuardRound(ctx: ChaosContext, evaluator: GuardEvaluator, emit: (e: GuardEvent) => Promise<void>) {
  // A guard's stop claimed by this replica before it was restarted (that process is dead) is claimed again at once;
  // another replica's, once it lapsed (that replica died and may never come back under its name). A retaken stop is
  // not sent twice: FIS is asked first, and a run already stopping or ended is not stopped again.
  const stopLeftBehind = (d: WatchedExperimentData) =>
    !!d.guardStop && ((d.guardStop.owner === ctx.options.replicaId && d.guardStop.life !== LIFE) || d.guardStop.at + GUARD_STOP_LAPSE_MS <= ctx.clock.now());
  const noBackend: PromQuery = new Proxy({} as PromQuery, {
    get: () => async () => {
      throw new LookoutError('config', 'no metrics backend is configured');
    },
  });
  return async function guardRound(experimentId: string): Promise<void> {
    const e = await ctx.store.get<WatchedExperimentData>(EXPERIMENT_KIND, experimentId);
    const guards = e?.data.guards ?? [];
    if (!e || e.state !== 'running' || guards.length === 0 || (e.data.stoppedBy && !stopLeftBehind(e.data))) return;
    const query = ctx.guardQuery ? await ctx.guardQuery(e.data.account, e.data.teamId) : noBackend;
    const evaluation = await evaluator.evaluate(experimentId, guards, query);
    if (!evaluation.recorded) return;
    // The card lists each guard's state: refresh it on a change of state or of failing evaluations, not every round.
    const changed = evaluation.transitions.length > 0 || guards.some((g) => (evaluation.states[g.name]?.failures ?? 0) > 0);
    const updated = changed && e.data.requestId ? await patchEntity<ChaosRequestData>(ctx.store, REQUEST_KIND, e.data.requestId, { guardChecks: checksOf(guards, evaluation) }, ['running']) : null;
    await emit({ type: 'guards-evaluated', experimentId, evaluation, request: updated ? toChaosRequest(updated) : null });
    const firing = evaluation.firing;
    if (!firing) return;
    const by = stoppedByGuard(firing.name);
    const claim = await ctx.store.update<WatchedExperimentData>(EXPERIMENT_KIND, experimentId, (x) =>
      x.state === 'running' && (!x.data.stoppedBy || stopLeftBehind(x.data))
        ? { data: { ...x.data, stoppedBy: by, guardStop: { owner: ctx.options.replicaId, life: LIFE, at: ctx.clock.now() } } }
        : undefined,
    );
    if (!claim?.changed) return; // a person or another replica stopped it first
    let stopCalled = false;
    let trace: ChangeTrace;
    // The audit row (handlers/background/chaos.ts completes it) exists before StopExperiment is sent.
    const entry = { at: ctx.clock.now(), teamId: e.data.teamId, channelId: e.data.channelId, userId: GUARD_USER, kind: 'system' as const, command: `chaos guard ${firing.name} stopped ${experimentId}`, detail: firing.reason.slice(0, 500) };
    try {
      const onAuditError = (err: unknown) => ctx.log.warn({ err, experimentId }, 'chaos: the audit entry of a guard stop could not be written');
      ({ trace } = await traceChanges(ctx.store, entry, { complete: false, now: ctx.clock.now, onAuditError }, async () => {
        const experiments = await experimentsAs(ctx, e.data.account, { teamId: e.data.teamId, userId: GUARD_USER });
        const current = await experiments.get(experimentId);
        if (!isTerminal(current.status) && current.status !== 'stopping') {
          await experiments.stop(experimentId);
          stopCalled = true;
        }
        await tagStopper(ctx, experiments, experimentId, by);
      }));
    } catch (err) {
      // Give the claim back: the next round (here or on the replica that takes the lease) tries again.
      await patchEntity<WatchedExperimentData>(ctx.store, EXPERIMENT_KIND, experimentId, { stoppedBy: undefined, guardStop: undefined }, ['running']);
      throw err;
    }
    // Done: the claim is no longer one to take over (a restart while FIS is still stopping it does not stop it again).
    // Only while it is still this life's claim: one taken over meanwhile (this stop was slow) is the taker's to
    // announce, so "guard stopped" is posted once per stop, never by both.
    const mine = (x: WatchedExperimentData) => x.guardStop?.owner === ctx.options.replicaId && x.guardStop.life === LIFE;
    const released = await ctx.store.update<WatchedExperimentData>(EXPERIMENT_KIND, experimentId, (x) => (mine(x.data) ? { data: { ...x.data, guardStop: undefined } } : undefined));
    if (!released?.changed) {
      const row = { ...entry, requestId: trace.requestId, outcome: 'ok' as const, awsRequestIds: trace.awsRequestIds, durationMs: Math.max(0, ctx.clock.now() - entry.at) };
      await ctx.store.completeAudit({ ...row, detail: `${entry.detail} (announced by the replica that took the stop over)`.slice(0, 500) }).catch(() => undefined);
      return;
    }
    // The claim is released: nobody else will announce this stop, so a failed write of the request (a pool timeout
    // under load) must not lose the "guard stopped" post; it is announced in the experiment's thread without it.
    const request = e.data.requestId
      ? await patchEntity<ChaosRequestData>(ctx.store, REQUEST_KIND, e.data.requestId, { stoppedBy: by }, ['starting', 'running']).catch((err: unknown) => {
          ctx.log.warn({ err, experimentId }, 'chaos: the request of a guard stop could not be updated; announcing it anyway');
          return null;
        })
      : null;
    const guard = guards.find((g) => g.name === firing.name) ?? guards[0];
    await emit({ type: 'guard-fired', experimentId, watched: claim.entity.data, request: request ? toChaosRequest(request) : null, guard, firing, stopCalled, trace });
  };
}
