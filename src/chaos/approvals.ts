import { LookoutError } from '../errors';
import type { Actor } from '../ports/aws';
import type { ChaosRequest, Experiment } from '../ports/experiments';
import { asLookoutError, experimentsAs, type ChaosContext } from './context';
import { approverGroupsOf } from './membership';
import {
  EXPERIMENT_KIND,
  REQUEST_KIND,
  clientTokenFor,
  experimentTags,
  toChaosRequest,
  type ChaosRequestData,
  type WatchedExperimentData,
} from './records';
import { approvalRefusal } from './run-policy';

/**
 * What a click did. Refusals (not an approver, own request) throw LookoutError('forbidden') instead.
 * `closed`: the request had already left `pending` (approved, denied, expired, started…): re-render the card.
 */
export type ApproveResult =
  | { outcome: 'recorded'; request: ChaosRequest } // counted; more approvals needed
  | { outcome: 'already-approved'; request: ChaosRequest } // this person had approved before: counts once
  | { outcome: 'started'; request: ChaosRequest; experiment: Experiment }
  | { outcome: 'start-failed'; request: ChaosRequest; error: LookoutError }
  | { outcome: 'expired'; request: ChaosRequest }
  | { outcome: 'closed'; request: ChaosRequest };

export type DenyResult =
  | { outcome: 'denied'; request: ChaosRequest }
  | { outcome: 'expired'; request: ChaosRequest }
  | { outcome: 'closed'; request: ChaosRequest };

export async function loadRequest(ctx: ChaosContext, id: string): Promise<ChaosRequest> {
  const e = await ctx.store.get<ChaosRequestData>(REQUEST_KIND, id);
  if (!e) throw new LookoutError('not_found', 'That chaos request no longer exists.');
  return toChaosRequest(e);
}

/**
 * Records one approval (race-free: store.update, a compare-and-set retried on a lost round) and, when it completes
 * the quorum, starts the experiment. However many clicks arrive on however many replicas, one caller moves the request
 * to `approved` and one (the same) moves it to `starting`; only that caller calls StartExperiment.
 */
export async function approveRequest(ctx: ChaosContext, id: string, actor: Actor): Promise<ApproveResult> {
  const request = await loadRequest(ctx, id);
  if (request.state !== 'pending') return { outcome: 'closed', request };
  const groups = await approverGroupsOf(actor.userId, request.approvers, ctx.membership);
  const refusal = approvalRefusal({ ...request, userId: actor.userId, approverGroups: groups });
  if (refusal) throw refusal;
  const now = ctx.clock.now();
  // What the updater saw on its last call (it runs again after every lost round).
  let seen = 'closed' as 'closed' | 'expired' | 'already-approved' | 'recorded' | 'quorum';
  const updated = await ctx.store.update<ChaosRequestData>(REQUEST_KIND, id, (e) => {
    const approvals = [...e.data.approvals, { userId: actor.userId, at: now }];
    if (e.state !== 'pending') seen = 'closed';
    else if (now >= e.data.expiresAt) seen = 'expired';
    else if (e.data.approvals.some((a) => a.userId === actor.userId)) seen = 'already-approved';
    else seen = approvals.length >= e.data.minApprovals ? 'quorum' : 'recorded';
    if (seen === 'recorded') return { data: { ...e.data, approvals } };
    return seen === 'quorum' ? { state: 'approved', data: { ...e.data, approvals }, dueAt: null } : undefined;
  });
  if (!updated) throw new LookoutError('not_found', 'That chaos request no longer exists.');
  const latest = toChaosRequest(updated.entity);
  if (seen === 'expired') return { outcome: 'expired', request: (await expireRequest(ctx, id, now)) ?? (await loadRequest(ctx, id)) };
  if (seen === 'quorum') return startApproved(ctx, id, actor);
  return { outcome: seen, request: latest };
}

/** Claims an approved request (approved → starting) and starts its experiment; `closed` when someone else claimed it. */
export async function startApproved(ctx: ChaosContext, id: string, actor: Actor): Promise<ApproveResult> {
  const claimed = await ctx.store.transition<ChaosRequestData>(REQUEST_KIND, id, {
    from: ['approved'],
    to: 'starting',
    patch: { startedBy: actor.userId, startingAt: ctx.clock.now() },
  });
  if (!claimed) return { outcome: 'closed', request: await loadRequest(ctx, id) };
  return launch(ctx, toChaosRequest(claimed), actor);
}

/**
 * Calls StartExperiment for a request in `starting`. Safe to repeat (after a crash mid-start): the client token is
 * derived from the request id, so FIS answers with the experiment it already started.
 */
export async function launch(ctx: ChaosContext, request: ChaosRequest, actor: Actor): Promise<ApproveResult> {
  let experiment: Experiment;
  try {
    const experiments = await experimentsAs(ctx, request.account, actor);
    experiment = await experiments.start({
      templateId: request.template.id,
      clientToken: clientTokenFor(request.id),
      tags: experimentTags(request),
    });
  } catch (err) {
    const error = asLookoutError(err, 'The experiment could not be started.');
    const failed = await ctx.store.transition<ChaosRequestData>(REQUEST_KIND, request.id, {
      from: ['starting'],
      to: 'failed',
      patch: { error: { code: error.code, message: error.message } },
    });
    return { outcome: 'start-failed', request: failed ? toChaosRequest(failed) : await loadRequest(ctx, request.id), error };
  }
  const watched: WatchedExperimentData = {
    experimentId: experiment.id,
    requestId: request.id,
    teamId: request.teamId,
    channelId: request.channelId,
    account: request.account,
    actor: { teamId: request.teamId, userId: request.requesterId },
    templateId: request.template.id,
    templateName: request.template.name,
    message: request.message,
    watchedSince: ctx.clock.now(),
  };
  await ctx.store.create<WatchedExperimentData>({ kind: EXPERIMENT_KIND, id: experiment.id, state: 'running', data: watched });
  const running = await ctx.store.transition<ChaosRequestData>(REQUEST_KIND, request.id, {
    from: ['starting'],
    to: 'running',
    patch: { experimentId: experiment.id, experiment },
  });
  return { outcome: 'started', request: running ? toChaosRequest(running) : await loadRequest(ctx, request.id), experiment };
}

/** Deny (an approver) or withdraw (the requester): pending → denied, once. */
export async function denyRequest(ctx: ChaosContext, id: string, actor: Actor): Promise<DenyResult> {
  const request = await loadRequest(ctx, id);
  if (request.state !== 'pending') return { outcome: 'closed', request };
  const now = ctx.clock.now();
  if (now >= request.expiresAt) return { outcome: 'expired', request: (await expireRequest(ctx, id, now)) ?? (await loadRequest(ctx, id)) };
  if (actor.userId !== request.requesterId) {
    const groups = await approverGroupsOf(actor.userId, request.approvers, ctx.membership);
    const refusal = approvalRefusal({ ...request, allowSelfApproval: true, userId: actor.userId, approverGroups: groups });
    if (refusal) throw refusal;
  }
  const denied = await ctx.store.transition<ChaosRequestData>(REQUEST_KIND, id, {
    from: ['pending'],
    to: 'denied',
    patch: { deniedBy: { userId: actor.userId, at: now } },
    dueAt: null,
  });
  return denied ? { outcome: 'denied', request: toChaosRequest(denied) } : { outcome: 'closed', request: await loadRequest(ctx, id) };
}

/** pending → expired when its time is up; the request to the one caller that moved it, else null. */
export async function expireRequest(ctx: ChaosContext, id: string, now: number): Promise<ChaosRequest | null> {
  const e = await ctx.store.get<ChaosRequestData>(REQUEST_KIND, id);
  if (!e || e.state !== 'pending' || e.data.expiresAt > now) return null;
  const moved = await ctx.store.transition<ChaosRequestData>(REQUEST_KIND, id, { from: ['pending'], to: 'expired', dueAt: null });
  return moved ? toChaosRequest(moved) : null;
}

/** Every lapsed pending request moved to `expired` by this call (each is returned once, to one replica). */
export async function expireDue(ctx: ChaosContext, now: number): Promise<ChaosRequest[]> {
  const due = await ctx.store.list<ChaosRequestData>(REQUEST_KIND, { states: ['pending'], dueBefore: now });
  const expired: ChaosRequest[] = [];
  for (const e of due) {
    const moved = await expireRequest(ctx, e.id, now);
    if (moved) expired.push(moved);
  }
  return expired;
}

/** Pending requests whose reminder is due (once each, `remindBeforeMs` before expiry); the card's due time moves on to the expiry. */
export async function remindDue(ctx: ChaosContext, now: number): Promise<ChaosRequest[]> {
  const due = await ctx.store.list<ChaosRequestData>(REQUEST_KIND, { states: ['pending'], dueBefore: now });
  const reminded: ChaosRequest[] = [];
  for (const { id } of due) {
    const claimed = await claimReminder(ctx, id, now);
    if (claimed) reminded.push(claimed);
  }
  return reminded;
}

async function claimReminder(ctx: ChaosContext, id: string, now: number): Promise<ChaosRequest | null> {
  const updated = await ctx.store.update<ChaosRequestData>(REQUEST_KIND, id, (e) =>
    e.state === 'pending' && e.data.remindedAt === undefined && now < e.data.expiresAt ? { data: { ...e.data, remindedAt: now }, dueAt: e.data.expiresAt } : undefined,
  );
  return updated?.changed ? toChaosRequest(updated.entity) : null;
}
