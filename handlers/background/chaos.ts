import type { WebClient } from '@slack/web-api';
import type { ChaosRequest } from '../../src/chaos/model';
import type { ChaosEvent, HaltEvent } from '../../src/chaos/service';
import type { GuardEvent } from '../../src/chaos/guard-watch';
import { GUARD_USER } from '../../src/chaos/guard-watch';
import { REQUEST_KIND, toChaosRequest, type ChaosRequestData } from '../../src/chaos/records';
import { guardFiredText } from '../../src/views/chaos-guards';
import { finishAnswer, message, section } from '../../src/views/message';
import { postImpactCharts } from './chaos-charts';
import { renderApprovalCard } from '../../src/views/chaos-card';
import { renderChangeLines, renderReminder, renderRequesterNotice, renderSummary } from '../../src/views/chaos-thread';
import { createProgressMessage, type ProgressMessage } from '../progress';
import { createReplier } from '../reply';
import type { HandlerDeps, MessageRef } from '../types';

/**
 * The chaos work that no click starts: watched experiments' changes (card ≤ 1 update per ~5 s, every change in the
 * thread, a summary at the end), reminders 5 minutes before expiry, expiries, starts a dead replica left behind, and
 * resuming all of it after a restart.
 */
export function startChaosRuntime(deps: HandlerDeps, client: WebClient): { stop(): Promise<void> } {
  const chaos = deps.backends.chaos;
  const log = deps.logger.child({ component: 'chaos-runtime' });
  const cards = new Map<string, ProgressMessage>();
  const replierAt = (ref: MessageRef, userId: string) => createReplier(client, { channelId: ref.channel, userId, threadTs: ref.ts });
  const cardOf = (ref: MessageRef, userId: string) => {
    let card = cards.get(ref.ts);
    if (!card) cards.set(ref.ts, (card = createProgressMessage(replierAt(ref, userId), deps.clock, { ref, onError: (err) => log.warn({ err }, 'card update failed') })));
    return card;
  };
  const closeRequest = async (r: ChaosRequest) => {
    if (!r.message) return;
    const reply = replierAt(r.message, r.requesterId);
    await reply.update(r.message, renderApprovalCard(r, deps.clock.now()));
    await reply.post(renderRequesterNotice(r));
  };

  const firingBy = new Map<string, number>(); // experiment id → guards firing, for lookout_guards_firing
  const setFiring = () => deps.metrics.guardsFiring.set([...firingBy.values()].reduce((a, b) => a + b, 0));
  const onGuard = async (e: GuardEvent) => {
    if (e.type === 'guards-evaluated') {
      const states = Object.entries(e.evaluation.states);
      for (const [guard, st] of states) {
        const outcome = st.status === 'firing' ? 'firing' : st.failures > 0 ? 'failed' : st.status === 'pending' ? 'pending' : 'ok';
        deps.metrics.guardEvaluations.inc({ guard, outcome });
      }
      firingBy.set(e.experimentId, states.filter(([, st]) => st.status === 'firing').length);
      setFiring();
      if (e.request?.message) await cardOf(e.request.message, e.request.requesterId).show(renderApprovalCard(e.request, deps.clock.now()));
      return;
    }
    const ref = e.request?.message ?? e.watched.message;
    const at = deps.clock.now();
    // Completes the row the guard wrote before its StopExperiment (src/chaos/audit-change.ts).
    await deps.store
      .completeAudit({
        at,
        requestId: e.trace.requestId,
        teamId: e.watched.teamId,
        channelId: e.watched.channelId,
        userId: GUARD_USER,
        kind: 'system',
        command: `chaos guard ${e.firing.name} stopped ${e.experimentId}`,
        outcome: 'ok',
        detail: `${e.firing.reason}${e.stopCalled ? '' : ' (FIS was already stopping it)'}`.slice(0, 500),
        awsRequestIds: e.trace.awsRequestIds,
        durationMs: 0,
      })
      .catch((err) => log.error({ err }, 'audit entry could not be written'));
    if (!ref) return;
    const reply = replierAt(ref, e.request?.requesterId ?? e.watched.actor.userId);
    const text = guardFiredText({ ...e.firing, expr: e.guard.expr, forMs: e.guard.forMs, status: 'firing', failures: 0 }, e.experimentId);
    await reply.post(message([section(text)], `Guard ${e.firing.name} stopped experiment ${e.experimentId}`));
    if (e.request) await cardOf(ref, e.request.requesterId).show(renderApprovalCard(e.request, at));
    await postImpactCharts(deps, reply, { actor: { teamId: e.watched.teamId, userId: GUARD_USER }, startedAt: e.watched.watchedSince, endedAt: at, guards: [e.guard], watchMetrics: [], log, titlePrefix: 'Fired: ' });
  };

  // Every card still waiting for approval, in any channel, says whether chaos is halted (product.md §4 "Halt").
  const onHalt = async (e: HaltEvent) => {
    for (const r of e.pending) {
      if (!r.message) continue;
      await replierAt(r.message, r.requesterId)
        .update(r.message, renderApprovalCard(r, deps.clock.now(), { halt: e.halt }))
        .catch((err) => log.warn({ err, requestId: r.id }, 'chaos: a pending card could not show the halt'));
    }
  };

  const onEvent = async (e: ChaosEvent) => {
    if (e.type === 'halt-changed') return onHalt(e);
    if (e.type === 'guards-evaluated' || e.type === 'guard-fired') return onGuard(e);
    const ref = e.request?.message ?? e.watched.message;
    const userId = e.request?.requesterId ?? e.watched.actor.userId;
    if (e.type === 'changed') {
      if (!ref) return;
      if (e.changes.length) await replierAt(ref, userId).post(renderChangeLines(e.experimentId, e.changes));
      if (e.request) await cardOf(ref, userId).show(renderApprovalCard(e.request, deps.clock.now()));
      return;
    }
    firingBy.delete(e.experimentId);
    setFiring();
    deps.metrics.experimentsRunning.set(chaos.watching().length);
    if (ref && e.request) await cardOf(ref, userId).finish(renderApprovalCard(e.request, deps.clock.now())); // an update: safe twice
    if (ref) cards.delete(ref.ts);
    // The end is posted by one caller, once, even across a restart (src/chaos/summary-claim.ts).
    if (!(await chaos.claimSummary(e.experimentId))) return;
    try {
      if (ref) await postEnd(e, replierAt(ref, userId));
    } finally {
      await chaos.summaryPosted(e.experimentId); // settled: posted, or refused by Slack (never sent again)
    }
    if (ref) await postEndCharts(e, replierAt(ref, userId));
  };
  const postEnd = async (e: Extract<ChaosEvent, { type: 'finished' }>, reply: ReturnType<typeof replierAt>) => {
    if (e.changes.length) await reply.post(renderChangeLines(e.experimentId, e.changes));
    await reply.post(finishAnswer(renderSummary(e.report, { region: e.watched.account.region })));
  };
  const postEndCharts = async (e: Extract<ChaosEvent, { type: 'finished' }>, reply: ReturnType<typeof replierAt>) => {
    if (e.request) await reply.post(renderRequesterNotice(e.request));
    // The impact summary: what the experiment did to the guarded and watched signals.
    const startedAt = e.experiment.startedAt ?? e.watched.watchedSince;
    await postImpactCharts(deps, reply, {
      actor: { teamId: e.watched.teamId, userId: GUARD_USER },
      startedAt,
      endedAt: e.experiment.endedAt ?? deps.clock.now(),
      guards: e.watched.guards ?? [],
      watchMetrics: deps.config.lookout.chaos.watchMetrics,
      log,
    });
  };
  // The catch is inside what is tracked: the tracker's own `finally` copy of a rejected promise would otherwise be
  // an unhandled rejection (a Slack post whose connection was reset ended a replica so, before main()'s guards).
  const unsubscribe = chaos.subscribe((e) =>
    deps.tracker.track(onEvent(e).catch((err) => log.error({ err, experimentId: 'experimentId' in e ? e.experimentId : undefined }, 'could not post an experiment change'))),
  );

  const stopping = new AbortController();
  const loop = (async () => {
    try {
      const resumed = await chaos.resumeAll();
      for (const r of resumed.expired) await closeRequest(r).catch((err) => log.warn({ err, requestId: r.id }, 'could not update an expired card'));
      for (const r of resumed.recovered) await closeRequest(r.request).catch((err) => log.warn({ err }, 'could not update a recovered card'));
      // A kill may have fallen between recording a start and drawing its Stop button: draw the cards of resumed runs again.
      const watched = new Set(resumed.watching);
      for (const e of await deps.store.list<ChaosRequestData>(REQUEST_KIND, { states: ['running'] })) {
        const r = toChaosRequest(e);
        if (r.message && r.experimentId && watched.has(r.experimentId)) await cardOf(r.message, r.requesterId).show(renderApprovalCard(r, deps.clock.now()));
      }
      deps.metrics.experimentsRunning.set(chaos.watching().length);
      if (resumed.watching.length) log.info({ experiments: resumed.watching }, 'resumed watching experiments');
    } catch (err) {
      log.error({ err }, 'could not resume chaos work after start');
    }
    while (!stopping.signal.aborted) {
      try {
        const { reminders, expired, recovered } = await chaos.sweep(deps.clock.now());
        for (const r of reminders) if (r.message) await replierAt(r.message, r.requesterId).post(renderReminder(r));
        for (const r of expired) await closeRequest(r);
        for (const r of recovered) await closeRequest(r.request);
        if (recovered.length) deps.metrics.experimentsRunning.set(chaos.watching().length);
        // From the store, so the gauge is right on every replica and after restarts.
        deps.metrics.approvalsPending.set((await deps.store.list('chaos-request', { states: ['pending'] })).length);
      } catch (err) {
        log.warn({ err }, 'chaos sweep failed; trying again');
      }
      await deps.clock.sleep(chaos.sweepEveryMs, stopping.signal).catch(() => undefined);
    }
  })();

  return {
    async stop() {
      stopping.abort();
      unsubscribe();
      await loop;
      await chaos.close();
    },
  };
}
