import type { WebClient } from '@slack/web-api';
import type { ChaosRequest } from '../../src/ports/experiments';
import type { WatchEvent } from '../../src/chaos/watcher';
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

  const onEvent = async (e: WatchEvent) => {
    const ref = e.request?.message ?? e.watched.message;
    if (!ref) return;
    const userId = e.request?.requesterId ?? e.watched.actor.userId;
    const reply = replierAt(ref, userId);
    if (e.changes.length) await reply.post(renderChangeLines(e.experimentId, e.changes));
    if (e.type === 'changed') {
      if (e.request) await cardOf(ref, userId).show(renderApprovalCard(e.request, deps.clock.now()));
      return;
    }
    if (e.request) await cardOf(ref, userId).finish(renderApprovalCard(e.request, deps.clock.now()));
    cards.delete(ref.ts);
    await reply.post(renderSummary(e.report, { region: e.watched.account.region }));
    if (e.request) await reply.post(renderRequesterNotice(e.request));
    deps.metrics.experimentsRunning.set(chaos.watching().length);
  };
  const unsubscribe = chaos.subscribe((e) =>
    deps.tracker.track(onEvent(e)).catch((err) => log.error({ err, experimentId: e.experimentId }, 'could not post an experiment change')),
  );

  const stopping = new AbortController();
  const loop = (async () => {
    try {
      const resumed = await chaos.resumeAll();
      for (const r of resumed.expired) await closeRequest(r).catch((err) => log.warn({ err, requestId: r.id }, 'could not update an expired card'));
      for (const r of resumed.recovered) await closeRequest(r.request).catch((err) => log.warn({ err }, 'could not update a recovered card'));
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
