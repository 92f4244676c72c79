import { CHAOS_ACTIONS } from '../../src/views/chaos-actions';
import { renderApprovalCard } from '../../src/views/chaos-card';
import { renderRequesterNotice } from '../../src/views/chaos-thread';
import { renderStopAllResult, renderStopped } from '../../src/views/chaos-stop';
import { renderProblem } from '../../src/views/feedback';
import type { ChaosRequest } from '../../src/ports/experiments';
import { LookoutError } from '../../src/errors';
import { accountOfButton, type ActionDef } from './register';
import type { HandlerDeps, RunContext } from '../types';

/**
 * The approval card's buttons and the stop confirmations. Approving is not a verb (the channel's approvers list
 * decides, in the service); stopping needs only `chaos:stop`, never an approval.
 */
export function chaosActions(deps: HandlerDeps): ActionDef[] {
  const chaos = () => deps.backends.chaos;
  const actor = (ctx: RunContext) => ({ teamId: ctx.inv.teamId, userId: ctx.inv.userId });
  const refreshCard = async (ctx: RunContext, request: ChaosRequest, ref?: string) => {
    // A card still waiting for approval keeps showing a halt in force (product.md §4 "Halt").
    if (request.message) await ctx.reply.update(request.message, renderApprovalCard(request, deps.clock.now(), { ref, halt: await chaos().haltState() }));
  };
  /**
   * A button naming a request acts only from that request's own card, in its workspace: a value copied onto
   * another request's card, another channel, another team or a message Lookout did not post is refused before
   * anything is approved, denied or stopped (the approvers list alone would let an approver act from anywhere).
   */
  const onItsCard = async (requestId: string, ctx: RunContext) => {
    const request = await chaos().getRequest(requestId);
    const card = request?.message;
    const clicked = ctx.inv.clicked;
    const same = request && request.teamId === ctx.inv.teamId && request.channelId === ctx.inv.channelId && (!card || (card.channel === clicked?.channel && card.ts === clicked?.ts));
    if (!same) throw new LookoutError('forbidden', 'This button does not belong to a request on this message; nothing was done.');
    // Lookout was killed between posting the card and recording it: Slack sends a click only to the app whose message
    // it is, so the clicked message is the card; recorded now, the card gets its updates and its Stop button.
    if (!card && clicked) await chaos().attachMessage(requestId, clicked);
  };
  const tellRequester = (ctx: RunContext, request: ChaosRequest) =>
    request.message ? ctx.reply.post(renderRequesterNotice(request), { threadTs: request.message.ts }) : undefined;
  return [
    {
      actionId: CHAOS_ACTIONS.approve,
      label: 'chaos approve',
      failureReplacesMessage: false,
      verb: null,
      async run(requestId, ctx) {
        await onItsCard(requestId, ctx);
        const result = await chaos().approve(requestId, actor(ctx));
        // A start that failed shows this click's request id on the card; the log line carries the same id.
        if (result.outcome === 'start-failed') ctx.logger.warn({ err: result.error, ref: ctx.inv.requestId }, 'experiment could not start');
        await refreshCard(ctx, result.request, result.outcome === 'start-failed' ? ctx.inv.requestId : undefined);
        switch (result.outcome) {
          case 'started':
            await tellRequester(ctx, result.request);
            return { visibility: 'done', summary: `${requestId} started ${result.experiment.id}` };
          case 'start-failed':
            await tellRequester(ctx, result.request);
            return { visibility: 'done', summary: `${requestId} start failed: ${result.error.code}` };
          case 'refused':
            await tellRequester(ctx, result.request);
            return { visibility: 'done', summary: `${requestId} refused at approval` };
          case 'recorded':
          case 'already-approved': {
            const r = result.request;
            const note = result.outcome === 'recorded' ? 'Your approval is recorded' : 'You had already approved this request (each approver counts once)';
            return { visibility: 'ephemeral', message: renderProblem({ message: `${note}: ${r.approvals.length} of ${r.minApprovals}.`, icon: ':white_check_mark:' }), summary: `${requestId} ${result.outcome}` };
          }
          default:
            return { visibility: 'ephemeral', message: renderProblem({ message: `This request is ${result.request.state}; nothing was started.`, icon: ':information_source:' }), summary: `${requestId} ${result.outcome}` };
        }
      },
    },
    {
      actionId: CHAOS_ACTIONS.deny,
      label: 'chaos deny',
      failureReplacesMessage: false,
      verb: null,
      async run(requestId, ctx) {
        await onItsCard(requestId, ctx);
        const result = await chaos().deny(requestId, actor(ctx));
        await refreshCard(ctx, result.request);
        if (result.outcome === 'denied') {
          await tellRequester(ctx, result.request);
        }
        return { visibility: 'done', summary: `${requestId} ${result.outcome}` };
      },
    },
    {
      actionId: CHAOS_ACTIONS.stop,
      label: 'chaos stop (card)',
      failureReplacesMessage: false,
      verb: 'chaos:stop',
      async run(requestId, ctx) {
        await onItsCard(requestId, ctx);
        const { request, experiment } = await chaos().stopRequest(requestId, actor(ctx));
        await refreshCard(ctx, request);
        if (request.message) await ctx.reply.post(renderStopped(experiment, ctx.inv.userId, request.account.region), { threadTs: request.message.ts });
        return { visibility: 'done', summary: `stopped ${experiment.id}` };
      },
    },
    {
      actionId: CHAOS_ACTIONS.confirmStop,
      label: 'chaos stop',
      verb: 'chaos:stop',
      async run(value, ctx) {
        // `EXPERIMENT [ACCOUNT]`: the account `/chaos stop … --account` named (older buttons carry the id alone).
        const [experimentId, accountName] = value.split(' ');
        const account = await accountOfButton(deps, ctx, { account: accountName });
        const experiment = await chaos().stop(account.target, experimentId, actor(ctx));
        return { visibility: 'channel', message: renderStopped(experiment, ctx.inv.userId, account.region), account, summary: `stopped ${experimentId}` };
      },
    },
    {
      actionId: CHAOS_ACTIONS.confirmStopAll,
      label: 'chaos stop --all',
      verb: 'chaos:stop',
      async run(accountName, ctx) {
        const account = await accountOfButton(deps, ctx, { account: accountName });
        const result = await chaos().stopAll(account.target, actor(ctx));
        return { visibility: 'channel', message: renderStopAllResult(result, ctx.inv.userId, account.region), account, summary: `stopped ${result.stopped.length}, failed ${result.failed.length}` };
      },
    },
    {
      actionId: CHAOS_ACTIONS.cancelStop,
      label: 'chaos stop cancelled',
      verb: null,
      async run() {
        return { visibility: 'ephemeral', message: renderProblem({ message: 'Nothing was stopped.', icon: ':information_source:' }), summary: 'cancelled' };
      },
    },
  ];
}
