import { LookoutError } from '../errors';
import { newReferenceId } from '../ops/process-guards';
import type { Actor } from '../ports/aws';
import { type Experiments } from '../ports/experiments';
import { LOOKOUT_TAGS, type Experiment } from './model';
import type { Entity } from '../ports/store';
import { checkedLaunch, failStart, recordStarted, startClaim, type ApproveResult } from './approvals';
import { experimentsAs, type ChaosContext } from './context';
import { REQUEST_KIND, toChaosRequest, type ChaosRequestData } from './records';
import { claimSlot } from './slots';
import { traceChanges } from './audit-change';

// An approval means "run it now": a start found unfinished later than this is failed, not begun long after.
const RESTART_WITHIN_MS = 10 * 60_000;

/**
 * Starts left unfinished by a crash between the approval and the record of the experiment. At start (`atStart`) a
 * replica takes over its own leases at once (nothing of its own can be in flight yet); on a live replica's sweep,
 * only leases that lapsed. One replica wins each take-over (compare-and-set at the version read, with a new lease).
 */
export async function recoverStuckStarts(ctx: ChaosContext, now: number, o: { atStart: boolean }): Promise<ApproveResult[]> {
  const results: ApproveResult[] = [];
  for (const e of await ctx.store.list<ChaosRequestData>(REQUEST_KIND, { states: ['approved', 'starting'] })) {
    if (!isLeftBehind(ctx, e, now, o.atStart)) continue;
    const actor = actorOf(e);
    const claimed = await ctx.store.transition<ChaosRequestData>(REQUEST_KIND, e.id, {
      from: [e.state],
      expectVersion: e.version,
      to: 'starting',
      patch: { ...startClaim(ctx, actor, now), startingAt: e.data.startingAt ?? now },
      dueAt: null,
    });
    if (!claimed) continue; // another replica took it over, or the start finished meanwhile
    try {
      // Started by no command: the take-over leaves its own audit row before it repeats StartExperiment.
      const entry = { at: now, teamId: actor.teamId, channelId: claimed.data.channelId, userId: actor.userId, kind: 'system' as const, command: `chaos start ${e.id} (taken over after a restart)` };
      const onAuditError = (err: unknown) => ctx.log.warn({ err, requestId: e.id }, 'chaos: the audit entry of a recovered start could not be written');
      results.push((await traceChanges(ctx.store, entry, { complete: true, now: ctx.clock.now, onAuditError }, () => reconcile(ctx, claimed, actor, now))).value);
    } catch (err) {
      ctx.log.warn({ err, requestId: e.id }, 'chaos: could not recover an interrupted start; the lease will lapse and a sweep tries again');
    }
  }
  return results;
}

// `approved` is only left behind by versions that claimed the start in a second write: always take it over.
function isLeftBehind(ctx: ChaosContext, e: Entity<ChaosRequestData>, now: number, atStart: boolean): boolean {
  if (e.state === 'approved') return true;
  const lease = e.data.startLease ?? { owner: '', until: (e.data.startingAt ?? e.updatedAt) + ctx.options.startLeaseMs };
  return lease.until <= now || (atStart && lease.owner === ctx.options.replicaId);
}

function actorOf(e: Entity<ChaosRequestData>): Actor {
  return { teamId: e.data.teamId, userId: e.data.startedBy ?? e.data.approvals.at(-1)?.userId ?? e.data.requesterId };
}

/**
 * Did FIS start it? The `lookout:request` tag answers without starting anything: found, it is watched. Not found
 * (or the listing failed), a start still young is checked against the policy again and repeated with the same client token (FIS returns the experiment
 * if it did start one); an old one is failed with a message and a reference id, and nothing runs.
 */
async function reconcile(ctx: ChaosContext, claimed: Entity<ChaosRequestData>, actor: Actor, now: number): Promise<ApproveResult> {
  const request = toChaosRequest(claimed);
  const experiments = await experimentsAs(ctx, request.account, actor);
  let listingFailed = false;
  const found = await startedFor(experiments, request.id, request.template.id).catch((err) => {
    ctx.log.warn({ err, requestId: request.id }, 'chaos: listing experiments failed while recovering a start');
    listingFailed = true;
    return null;
  });
  if (found) {
    // FIS runs it already: it holds a slot whatever the limit says now.
    await claimSlot(ctx.store, request.account.name, request.id, { max: ctx.config.chaos.maxRunning, active: [], force: true });
    return recordStarted(ctx, request, found);
  }
  // A repeated start is a start: the policy at approval is checked again (a freeze or halt may have begun since).
  if (now - (claimed.data.startingAt ?? now) <= RESTART_WITHIN_MS) return checkedLaunch(ctx, claimed, actor);
  // FIS could not say whether it runs: saying "nothing runs" could leave a running experiment without its watcher
  // and Stop button. It stays `starting`; a sweep asks again once this replica's lease lapses.
  if (listingFailed) return { outcome: 'closed', request };
  const ref = newReferenceId();
  ctx.log.warn({ ref, requestId: request.id }, 'chaos: an interrupted start was too old to repeat; marked failed');
  const message = `Lookout stopped while starting this experiment and FIS shows no experiment for this request, so nothing runs. Ask again with \`/chaos run\`. Reference \`${ref}\`.`;
  const failed = await failStart(ctx, request.id, claimed.data.startLease, { code: 'upstream', message });
  return { outcome: 'start-failed', request: failed ?? toChaosRequest(claimed), error: new LookoutError('upstream', message) };
}

/** The experiment FIS started for this request, found by its tag (target previews excluded), in full. */
async function startedFor(experiments: Experiments, requestId: string, templateId: string): Promise<Experiment | null> {
  const mine = (await experiments.list({ templateId })).find((x) => x.tags[LOOKOUT_TAGS.request] === requestId && x.tags[LOOKOUT_TAGS.preview] !== 'true');
  return mine ? experiments.get(mine.id) : null;
}
