import { LookoutError } from '../errors';
import type { Actor, AwsTarget } from '../ports/aws';
import { type Experiments } from '../ports/experiments';
import { LOOKOUT_TAGS, isTerminal, type ChaosRequest, type ExperimentSummary, type TargetPreview } from './model';
import { activeFreeze } from '../policy/freeze';
import { channelPolicy } from '../policy/permissions';
import type { ChaosContext } from './context';
import { escapeText } from '../text';
import { previewTargets } from './preview';
import { REQUEST_KIND, toChaosRequest, type ChaosRequestData } from './records';
import { checkApprovers, checkFreeze, checkRunPolicy, effectiveMinApprovals } from './run-policy';
import { findTemplate } from './templates';
import { guardsFor } from './guards/select';
import { checkGuards } from './start-policy';

export interface RunInput {
  /** The channel's account (already resolved by the pipeline, acting as the requester). */
  target: AwsTarget;
  actor: Actor;
  channelId: string;
  /** Template id or `Name` tag, as typed. */
  templateRef: string;
  reason?: string;
  /** `--guard "EXPR" [--guard-for 1m]`: one guard for this run only. */
  guard?: { expr: string; forMs: number };
}

/** "account prod (111111111111, us-east-1)" — where a lookup happened, for error messages. */
export function describeTarget(t: Pick<AwsTarget, 'accountName' | 'accountId' | 'region'>): string {
  const id = t.accountId ? `${t.accountId}, ` : '';
  return `account ${escapeText(t.accountName)} (${id}${escapeText(t.region)})`;
}

/** Experiments that are not finished, ours or not, without Lookout's own target previews. */
export async function activeExperiments(experiments: Experiments, opts: { includePreviews?: boolean } = {}): Promise<ExperimentSummary[]> {
  const all = await experiments.list();
  return all.filter((e) => !isTerminal(e.status) && (opts.includePreviews || e.tags[LOOKOUT_TAGS.preview] !== 'true'));
}

/**
 * `/chaos run`: checks the chaos policy (approvers, freeze, template tag, stop conditions, experiments running in
 * the account), previews the blast radius, and stores a pending request for the approval card. Throws the first
 * refusal as LookoutError('forbidden'); cheap checks run before any AWS call.
 */
export async function requestRun(ctx: ChaosContext, input: RunInput): Promise<ChaosRequest> {
  const { config, clock } = ctx;
  const chaos = config.chaos;
  const policy = channelPolicy(config, input.channelId);
  const approvers = [...new Set(policy.approvers)];
  const minApprovals = effectiveMinApprovals(policy.minApprovals);
  const base = { requesterId: input.actor.userId, approvers, minApprovals, allowSelfApproval: chaos.allowSelfApproval };
  const freeze = activeFreeze(chaos, clock.now());
  const early = checkApprovers(base) ?? checkFreeze({ freeze, timezone: chaos.timezone });
  if (early) throw early;

  const experiments = ctx.experiments(input.target);
  const template = await findTemplate(experiments, input.templateRef, describeTarget(input.target));
  const running = await activeExperiments(experiments);
  const guards = guardsFor(chaos.guards, template, input.guard);
  const problem = checkRunPolicy({
    ...base,
    template,
    freeze,
    timezone: chaos.timezone,
    requireStopConditions: chaos.requireStopConditions,
    maxRunning: chaos.maxRunning,
    running,
    templateTag: chaos.templateTag,
    guarded: guards.length > 0,
  });
  if (problem) throw problem;
  // A guard already returning series: refused before the card is posted (and again on the approving click).
  const preflight = await checkGuards(ctx, guards, { name: input.target.accountName, region: input.target.region }, input.actor.teamId);
  if (preflight.refusal) throw preflight.refusal;

  const preview: TargetPreview = ctx.options.dryRunPreview
    ? await previewTargets(experiments, template.id, {
        clock,
        pollMs: ctx.options.previewPollMs,
        timeoutMs: ctx.options.previewTimeoutMs,
        tags: { [LOOKOUT_TAGS.requestedBy]: input.actor.userId, [LOOKOUT_TAGS.channel]: input.channelId },
      })
    : { status: 'unavailable', reason: 'dry-run previews are turned off' };

  const createdAt = clock.now();
  const expiresAt = createdAt + chaos.approvalTtlMs;
  // The due time is the reminder first (when there is time for one), then the expiry (remindDue moves it).
  const remindAt = expiresAt - ctx.options.remindBeforeMs;
  const data: ChaosRequestData = {
    teamId: input.actor.teamId,
    channelId: input.channelId,
    ...(input.reason ? { reason: input.reason } : {}),
    account: { name: input.target.accountName, ...(input.target.accountId ? { id: input.target.accountId } : {}), region: input.target.region },
    template,
    preview,
    ...base,
    approvals: [],
    ...(guards.length ? { guards, guardChecks: preflight.checks } : {}),
    createdAt,
    expiresAt,
  };
  const id = ctx.newId();
  const created = await ctx.store.create<ChaosRequestData>({ kind: REQUEST_KIND, id, state: 'pending', data, dueAt: remindAt > createdAt ? remindAt : expiresAt });
  const stored = created ? await ctx.store.get<ChaosRequestData>(REQUEST_KIND, id) : null;
  if (!stored) throw new LookoutError('internal', 'The approval request could not be saved.', { cause: new Error(`request id ${id} already taken`) });
  return toChaosRequest(stored);
}
