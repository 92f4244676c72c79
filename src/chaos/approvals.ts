import { LookoutError } from '../errors';
import type { Actor } from '../ports/aws';
import type { ChaosRequest, Experiment } from './model';
import type { Entity } from '../ports/store';
import { asLookoutError, experimentsAs, type ChaosContext } from './context';
import { approverGroupsOf } from './membership';
import {
  EXPERIMENT_KIND,
  REQUEST_KIND,
  clientTokenFor,
  experimentTags,
  toChaosRequest,
  type ChaosRequestData,
  type StartLease,
  type WatchedExperimentData,
} from './records';
import { approvalRefusal } from './run-policy';
import { releaseSlot } from './slots';
import { slotRefusal, startRefusal, stopIfHaltedMeanwhile } from './start-policy';
import { channelPolicy } from '../policy/permissions';

/**
 * What a click did. Refusals (not an approver, own request) throw LookoutError('forbidden') instead.
 * `closed`: the request had already left `pending` (approved, denied, expired, started…): re-render the card.
 */
export type ApproveResult =
  | { outcome: 'recorded'; request: ChaosRequest } // counted; more approvals needed
  | { outcome: 'already-approved'; request: ChaosRequest } // this person had approved before: counts once
  | { outcome: 'started'; request: ChaosRequest; experiment: Experiment }
  | { outcome: 'start-failed'; request: ChaosRequest; error: LookoutError }
  | { outcome: 'refused'; request: ChaosRequest; error: LookoutError } // the policy at approval said no: nothing started
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
  * the quorum, claims the start in the same write (pending → starting, with a start lease) and starts the experiment.
  * However many clicks arrive on however many replicas, one caller wins that write; only it calls StartExperiment.
 */
export async function approveRequest(ctx: ChaosContext, id: string, actor: Actor): Promise<ApproveResult> {
  const request = await loadRequest(ctx, id);
  if (request.state !== 'pending') return { outcome: 'closed', request };
  // Today's approvers (lookout.yml may have changed since the card was posted): a click that no longer counts is refused.
  const approvers = channelPolicy(ctx.config, request.channelId).approvers;
  const groups = await approverGroupsOf(actor.userId, approvers, ctx.membership);
  const refusal = approvalRefusal({ ...request, approvers, userId: actor.userId, approverGroups: groups });
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
    if (seen === 'quorum') return { state: 'starting', data: { ...e.data, approvals, ...startClaim(ctx, actor, now) }, dueAt: null };
    return undefined;
  });
  if (!updated) throw new LookoutError('not_found', 'That chaos request no longer exists.');
  if (seen === 'expired') return { outcome: 'expired', request: (await expireRequest(ctx, id, now)) ?? (await loadRequest(ctx, id)) };
  if (seen === 'quorum') return checkedLaunch(ctx, updated.entity, actor);
  return { outcome: seen, request: toChaosRequest(updated.entity) };
}

/** What a replica writes when it takes a start on: who started it, when, and its lease. */
export function startClaim(ctx: ChaosContext, actor: Actor, now: number): Pick<ChaosRequestData, 'startedBy' | 'startingAt' | 'startLease'> {
  return { startedBy: actor.userId, startingAt: now, startLease: { owner: ctx.options.replicaId, until: now + ctx.options.startLeaseMs } };
}

/**
 * Every start goes through here (the approving click, crash recovery): the policy at approval, then the account's
 * `maxRunning` slot, then StartExperiment. A refusal moves the request starting → refused (terminal, with the reason
 * for the card); a failed start gives its slot back.
 */
export async function checkedLaunch(ctx: ChaosContext, claimed: Entity<ChaosRequestData>, actor: Actor): Promise<ApproveResult> {
  const request = toChaosRequest(claimed);
  let refusal: LookoutError | null;
  try {
    refusal = (await startRefusal(ctx, request)) ?? (await slotRefusal(ctx, request, await experimentsAs(ctx, request.account, actor)));
  } catch (err) {
    const error = asLookoutError(err, 'Lookout could not check the running experiments before starting.');
    const failed = await failStart(ctx, request.id, claimed.data.startLease, { code: error.code, message: error.message });
    return { outcome: 'start-failed', request: failed ?? (await loadRequest(ctx, request.id)), error };
  }
  if (refusal) {
    const refused = await refuseStart(ctx, request.id, claimed.data.startLease, refusal);
    return { outcome: 'refused', request: refused ?? (await loadRequest(ctx, request.id)), error: refusal };
  }
  const result = await launch(ctx, claimed, actor);
  if (result.outcome === 'started') await stopIfHaltedMeanwhile(ctx, result.request, result.experiment.id);
  return result;
}

/** starting → refused (terminal), only while `lease` is still the request's lease; the slot, if any, is given back. */
async function refuseStart(ctx: ChaosContext, id: string, lease: StartLease | undefined, refusal: LookoutError): Promise<ChaosRequest | null> {
  const error = { code: refusal.code, message: refusal.hint ? `${refusal.message} ${refusal.hint}` : refusal.message };
  const updated = await ctx.store.update<ChaosRequestData>(REQUEST_KIND, id, (e) =>
    e.state === 'starting' && sameLease(e.data.startLease, lease) ? { state: 'refused', data: { ...e.data, error } } : undefined,
  );
  if (!updated?.changed) return null;
  await releaseSlot(ctx.store, updated.entity.data.account.name, id);
  return toChaosRequest(updated.entity);
}

/**
 * Calls StartExperiment for a request this replica holds in `starting`. Safe to repeat (after a crash mid-start):
 * the client token is derived from the request id, so FIS answers with the experiment it already started. A
 * failure is recorded only while the lease is still ours: a replica that took the start over decides instead.
 */
export async function launch(ctx: ChaosContext, claimed: Entity<ChaosRequestData>, actor: Actor): Promise<ApproveResult> {
  const request = toChaosRequest(claimed);
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
    const failed = await failStart(ctx, request.id, claimed.data.startLease, { code: error.code, message: error.message });
    return { outcome: 'start-failed', request: failed ?? (await loadRequest(ctx, request.id)), error };
  }
  return recordStarted(ctx, request, experiment);
}

/** FIS has the experiment: watch it (chaos-experiment entity) and move the request to `running`. */
export async function recordStarted(ctx: ChaosContext, request: ChaosRequest, experiment: Experiment): Promise<ApproveResult> {
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
    ...(request.guards?.length ? { guards: request.guards } : {}),
  };
  await ctx.store.create<WatchedExperimentData>({ kind: EXPERIMENT_KIND, id: experiment.id, state: 'running', data: watched });
  const running = await ctx.store.transition<ChaosRequestData>(REQUEST_KIND, request.id, {
    from: ['starting'],
    to: 'running',
    patch: { experimentId: experiment.id, experiment },
  });
  return { outcome: 'started', request: running ? toChaosRequest(running) : await loadRequest(ctx, request.id), experiment };
}

/** starting → failed, only while `lease` is still the request's lease (compare-and-set at the version read). */
export async function failStart(ctx: ChaosContext, id: string, lease: StartLease | undefined, error: NonNullable<ChaosRequest['error']>): Promise<ChaosRequest | null> {
  const updated = await ctx.store.update<ChaosRequestData>(REQUEST_KIND, id, (e) =>
    e.state === 'starting' && sameLease(e.data.startLease, lease) ? { state: 'failed', data: { ...e.data, error } } : undefined,
  );
  if (!updated?.changed) return null;
  await releaseSlot(ctx.store, updated.entity.data.account.name, id);
  return toChaosRequest(updated.entity);
}

const sameLease = (a?: StartLease, b?: StartLease) => a?.owner === b?.owner && a?.until === b?.until;

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
