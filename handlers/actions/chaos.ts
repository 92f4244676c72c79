import { CHAOS_ACTIONS } from '../../src/views/chaos-actions';
import { renderApprovalCard } from '../../src/views/chaos-card';
import { renderRequesterNotice } from '../../src/views/chaos-thread';
import { renderStopAllResult, renderStopped } from '../../src/views/chaos-stop';
import { renderProblem } from '../../src/views/feedback';
import type { ChaosRequest } from '../../src/chaos/model';
import { LookoutError } from '../../src/errors';
import { clickedOnItsCard } from '../../src/policy/chaos-run';
import { decodeButtonValue, STOP_BUTTON } from '../../src/views/button-value';
import { finishAnswer, type SlackMessage } from '../../src/views/message';
import type { ActionDef } from './register';
import { answer, said, type HandlerDeps, type Outcome, type RunContext } from '../types';

/** What a click on the approval card did: the request now, what the thread hears, the audit summary or the reply. */
interface CardClick {
  request: ChaosRequest;
  summary: string;
  /** A reference id the card shows (a start that failed). */
  ref?: string;
  thread?: SlackMessage;
  reply?: Outcome;
}

/**
 * The approval card's buttons and the stop confirmations. Approving is not a verb (the channel's approvers list
 * decides, in the service); stopping needs only `chaos:stop`, never an approval.
 */
export function chaosActions(deps: HandlerDeps): ActionDef[] {
  const chaos = () => deps.backends.chaos;
  const refreshCard = async (ctx: RunContext, request: ChaosRequest, ref?: string) => {
    // Clicks race (many approvers, many replicas): a click that read the request before a newer change must not
    // leave the card showing the older state (a late Approve hid the Stop button of a run that had started). Drawn
    // again until what it shows is the request as stored. A card waiting for approval shows a halt in force.
    let shown: ChaosRequest | null = request;
    for (let i = 0; i < 3 && shown?.message; i++) {
      await ctx.reply.update(shown.message, renderApprovalCard(shown, deps.clock.now(), { ref, halt: await chaos().haltState() }));
      const stored: ChaosRequest | null = await chaos().getRequest(shown.id);
      shown = stored && stored.version !== shown.version ? stored : null;
    }
  };
  const onItsCard = async (requestId: string, ctx: RunContext) => {
    const request = await chaos().getRequest(requestId);
    if (!clickedOnItsCard(request, ctx.inv)) throw new LookoutError('forbidden', 'This button does not belong to a request on this message; nothing was done.');
    // Lookout was killed between posting the card and recording it: Slack sends a click only to the app whose message
    // it is, so the clicked message is the card; recorded now, the card gets its updates and its Stop button.
    if (request && !request.message && ctx.inv.clicked) await chaos().attachMessage(requestId, ctx.inv.clicked);
  };

  /** A button on the approval card: checked to be on its own card, then the card shows the request as it is now. */
  const onCard = (actionId: string, label: string, verb: ActionDef['verb'], act: (requestId: string, ctx: RunContext) => Promise<CardClick>): ActionDef => ({
    actionId,
    label,
    verb,
    failureReplacesMessage: false,
    async run(requestId, ctx) {
      await onItsCard(requestId, ctx);
      const click = await act(requestId, ctx);
      await refreshCard(ctx, click.request, click.ref);
      if (click.thread && click.request.message) await ctx.reply.post(click.thread, { threadTs: click.request.message.ts });
      return click.reply ?? { visibility: 'done', summary: click.summary };
    },
  });
  return [
    onCard(CHAOS_ACTIONS.approve, 'chaos approve', null, async (id, ctx) => {
      const result = await chaos().approve(id, ctx.actor);
      const request = result.request;
      const notice = renderRequesterNotice(request);
      switch (result.outcome) {
        case 'started':
          return { request, thread: notice, summary: `${id} started ${result.experiment.id}` };
        case 'start-failed':
          // A start that failed shows this click's request id on the card; the log line carries the same id.
          ctx.logger.warn({ err: result.error, ref: ctx.inv.requestId }, 'experiment could not start');
          return { request, ref: ctx.inv.requestId, thread: notice, summary: `${id} start failed: ${result.error.code}` };
        case 'refused':
          return { request, thread: notice, summary: `${id} refused at approval` };
        case 'recorded':
        case 'already-approved': {
          const note = result.outcome === 'recorded' ? 'Your approval is recorded' : 'You had already approved this request (each approver counts once)';
          return { request, summary: '', reply: said('ephemeral', renderProblem({ message: `${note}: ${request.approvals.length} of ${request.minApprovals}.`, icon: ':white_check_mark:' }), `${id} ${result.outcome}`) };
        }
        default:
          return { request, summary: '', reply: said('ephemeral', renderProblem({ message: `This request is ${request.state}; nothing was started.`, icon: ':information_source:' }), `${id} ${result.outcome}`) };
      }
    }),
    onCard(CHAOS_ACTIONS.deny, 'chaos deny', null, async (id, ctx) => {
      const { request, outcome } = await chaos().deny(id, ctx.actor);
      return { request, thread: outcome === 'denied' ? renderRequesterNotice(request) : undefined, summary: `${id} ${outcome}` };
    }),
    onCard(CHAOS_ACTIONS.stop, 'chaos stop (card)', 'chaos:stop', async (id, ctx) => {
      const { request, experiment } = await chaos().stopRequest(id, ctx.actor);
      return { request, thread: finishAnswer(renderStopped(experiment, ctx.inv.userId, request.account.region)), summary: `stopped ${experiment.id}` };
    }),
    {
      actionId: CHAOS_ACTIONS.confirmStop,
      label: 'chaos stop',
      verb: 'chaos:stop',
      async run(value, ctx) {
        const { experiment: experimentId = '', account: accountName } = decodeButtonValue(STOP_BUTTON, value);
        const account = await ctx.account({ account: accountName }, { button: true });
        const experiment = await chaos().stop(account.target, experimentId, ctx.actor);
        return answer({ visibility: 'channel', result: experiment, view: (e, rc) => renderStopped(e, ctx.inv.userId, rc.region), account, summary: `stopped ${experimentId}` });
      },
    },
    {
      actionId: CHAOS_ACTIONS.confirmStopAll,
      label: 'chaos stop --all',
      verb: 'chaos:stop',
      async run(accountName, ctx) {
        const account = await ctx.account({ account: accountName }, { button: true });
        const result = await chaos().stopAll(account.target, ctx.actor);
        return answer({ visibility: 'channel', result, view: (r, rc) => renderStopAllResult(r, ctx.inv.userId, rc.region), account, summary: `stopped ${result.stopped.length}, failed ${result.failed.length}` });
      },
    },
    {
      actionId: CHAOS_ACTIONS.cancelStop,
      label: 'chaos stop cancelled',
      verb: null,
      async run() {
        return said('ephemeral', renderProblem({ message: 'Nothing was stopped.', icon: ':information_source:' }), 'cancelled');
      },
    },
  ];
}
