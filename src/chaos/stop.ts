import { randomUUID } from 'node:crypto';
import { LookoutError } from '../errors';
import type { Actor, AwsTarget } from '../ports/aws';
import { type Experiments } from '../ports/experiments';
import { LOOKOUT_TAGS, isTerminal, type ChaosRequest, type Experiment, type ExperimentSummary } from './model';
import { loadRequest } from './approvals';
import { asLookoutError, experimentsAs, patchEntity, type ChaosContext } from './context';
import { inlineCode } from '../text';
import { EXPERIMENT_KIND, REQUEST_KIND, type ChaosRequestData, type WatchedExperimentData } from './records';
import { activeExperiments } from './request-run';

export interface StopAllResult {
  stopped: Experiment[];
  failed: { experimentId: string; error: LookoutError }[];
}

/**
 * Stops one experiment now. Stopping never needs approval (product.md §4); the caller has checked `chaos:stop` and
 * asked for confirmation. An experiment that already ended is a `conflict` saying how it ended.
 */
export async function stopExperiment(ctx: ChaosContext, experiments: Experiments, experimentId: string, actor: Actor): Promise<Experiment> {
  const current = await experiments.get(experimentId);
  if (isTerminal(current.status)) {
    throw new LookoutError('conflict', `Experiment ${inlineCode(experimentId)} already ended (${current.status}).`);
  }
  const claimed = await claimStop(ctx, experimentId, actor);
  if (claimed === 'taken') {
    throw new LookoutError('conflict', `Experiment ${inlineCode(experimentId)} is already being stopped.`, { hint: 'Its card shows when it has stopped.' });
  }
  let stopped: Experiment;
  try {
    stopped = await experiments.stop(experimentId);
  } catch (err) {
    if (claimed === 'mine') await patchEntity<WatchedExperimentData>(ctx.store, EXPERIMENT_KIND, experimentId, { stopClaim: undefined });
    throw err;
  }
  await tagStopper(ctx, experiments, experimentId, `user:${actor.userId}`);
  // Record who stopped it, for the watcher's summary and the card; the experiment may not be one Lookout watches.
  const watched = await patchEntity<WatchedExperimentData>(ctx.store, EXPERIMENT_KIND, experimentId, { stoppedBy: actor.userId }, ['running']);
  if (watched?.data.requestId) {
    await patchEntity<ChaosRequestData>(ctx.store, REQUEST_KIND, watched.data.requestId, { stoppedBy: actor.userId }, ['starting', 'running']);
  }
  return stopped;
}

// Long enough for StopExperiment to answer; a replica that died holding the claim only delays the next click this long.
const STOP_CLAIM_MS = 60_000;

/**
 * One StopExperiment per watched experiment however many Stop clicks race on however many replicas: a
 * compare-and-set on its record first. 'unwatched' (not one Lookout watches): nothing to coordinate on.
 */
async function claimStop(ctx: ChaosContext, experimentId: string, actor: Actor): Promise<'mine' | 'taken' | 'unwatched'> {
  const now = ctx.clock.now();
  const by = `${actor.userId}:${randomUUID()}`;
  const updated = await ctx.store.update<WatchedExperimentData>(EXPERIMENT_KIND, experimentId, (e) =>
    e.data.stopClaim && e.data.stopClaim.until > now ? undefined : { data: { ...e.data, stopClaim: { by, until: now + STOP_CLAIM_MS } } },
  );
  if (!updated) return 'unwatched';
  return updated.entity.data.stopClaim?.by === by ? 'mine' : 'taken';
}

/** `lookout:stopped-by` on the experiment, so AWS shows who stopped it; best effort (the stop itself succeeded). */
export async function tagStopper(ctx: ChaosContext, experiments: Experiments, experimentId: string, by: string): Promise<void> {
  await experiments.tag(experimentId, { [LOOKOUT_TAGS.stoppedBy]: by }).catch((err) => ctx.log.warn({ err, experimentId }, 'chaos: could not tag who stopped the experiment'));
}

/** `/chaos stop EXPERIMENT` (after confirmation) in the channel's account. */
export async function stopInAccount(ctx: ChaosContext, target: AwsTarget, experimentId: string, actor: Actor): Promise<Experiment> {
  return stopExperiment(ctx, ctx.experiments(target), experimentId, actor);
}

/** The card's Stop button: the request's own experiment, in the request's account, acting as the person who clicked. */
export async function stopRequestExperiment(ctx: ChaosContext, requestId: string, actor: Actor): Promise<{ request: ChaosRequest; experiment: Experiment }> {
  const request = await loadRequest(ctx, requestId);
  if (!request.experimentId) {
    throw new LookoutError('conflict', 'This request has not started an experiment, so there is nothing to stop.', {
      hint: request.state === 'pending' ? 'Deny the request instead.' : undefined,
    });
  }
  const experiments = await experimentsAs(ctx, request.account, actor);
  const experiment = await stopExperiment(ctx, experiments, request.experimentId, actor);
  return { request: await loadRequest(ctx, requestId), experiment };
}

/** What `/chaos stop --all` would stop: every unfinished experiment in the account, ours or not. */
export async function stoppableExperiments(ctx: ChaosContext, target: AwsTarget): Promise<ExperimentSummary[]> {
  return activeExperiments(ctx.experiments(target), { includePreviews: true });
}

/** `/chaos stop --all` (after confirmation): stops each unfinished experiment; one failure does not stop the rest. */
export async function stopAll(ctx: ChaosContext, target: AwsTarget, actor: Actor): Promise<StopAllResult> {
  const experiments = ctx.experiments(target);
  const result: StopAllResult = { stopped: [], failed: [] };
  for (const e of await activeExperiments(experiments, { includePreviews: true })) {
    try {
      result.stopped.push(await stopExperiment(ctx, experiments, e.id, actor));
    } catch (err) {
      const error = asLookoutError(err, 'Stopping failed.');
      // Ended between the listing and the stop: nothing left to do, not a failure.
      if (error.code !== 'conflict') result.failed.push({ experimentId: e.id, error });
    }
  }
  return result;
}
