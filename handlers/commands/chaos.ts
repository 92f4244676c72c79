import { CHAOS_USAGE, parseChaos, type ChaosCommand } from '../../src/commands/chaos';
import { renderApprovalCard } from '../../src/views/chaos-card';
import { renderStatus, renderHistory } from '../../src/views/chaos-status';
import { renderStopAllConfirmation, renderStopConfirmation } from '../../src/views/chaos-stop';
import { renderTemplateDetails, renderTemplateList } from '../../src/views/chaos-templates';
import { renderWorking } from '../../src/views/feedback';
import { renderHaltResult, renderResumeResult, type HaltState } from '../../src/views/chaos-halt';
import { configuredAccounts } from '../../src/policy/accounts';
import { runVerbRefusal } from '../../src/policy/chaos-run';
import { LookoutError } from '../../src/errors';
import { escapeText, inlineCode } from '../../src/text';
import type { Verb } from '../../src/config/types';
import { chaosHistoryFingerprint, chaosListFingerprint, chaosShowFingerprint, chaosStatusFingerprint } from '../fingerprints';
import type { CommandDef, HandlerDeps } from '../types';

const VERB: Record<ChaosCommand['kind'], Verb | null> = {
  help: null,
  list: 'chaos:read',
  show: 'chaos:read',
  status: 'chaos:read',
  history: 'chaos:read',
  run: 'chaos:run',
  stop: 'chaos:stop',
  'stop-all': 'chaos:stop',
  halt: 'admin',
  resume: 'admin',
};

/** `/chaos list|show|run|status|stop|history` (product.md §4). Buttons are in handlers/actions/chaos.ts. */
export function chaosCommand(deps: HandlerDeps): CommandDef<ChaosCommand> {
  return {
    command: '/chaos',
    usage: CHAOS_USAGE,
    parse: parseChaos,
    isHelp: (req) => req.kind === 'help',
    verb: (req) => VERB[req.kind],
    async run(req, ctx) {
      if (req.kind === 'help') return;
      const chaos = deps.backends.chaos;
      // Every card still waiting for approval, in any channel, says whether chaos is halted (product.md §4 "Halt").
      const showHaltOnPendingCards = async (halt: HaltState | null) => {
        for (const r of await chaos.pendingRequests()) {
          if (!r.message) continue;
          await ctx.reply.update(r.message, renderApprovalCard(r, deps.clock.now(), { halt })).catch((err) => ctx.logger.warn({ err, requestId: r.id }, 'chaos: a pending card could not show the halt'));
        }
      };
      const actor = { teamId: ctx.inv.teamId, userId: ctx.inv.userId };
      if (req.kind === 'halt') {
        await ctx.reply.ephemeral(renderWorking('Halting chaos and stopping every running experiment in every account'));
        const { accounts, withoutRegion } = configuredAccounts(deps.config.lookout, deps.config.env);
        const result = await chaos.halt({ actor, reason: req.reason, accounts: accounts.map((a) => ({ name: a.name, id: a.accountId, region: a.region })) });
        await showHaltOnPendingCards(result.halt);
        return { visibility: 'channel', message: renderHaltResult({ ...result, unreachable: withoutRegion }), summary: `halt: stopped ${result.stopped.length}, failed ${result.failed.length}` };
      }
      if (req.kind === 'resume') {
        const lifted = await chaos.resume(actor);
        if (lifted) await showHaltOnPendingCards(null);
        return { visibility: 'channel', message: renderResumeResult(lifted, actor.userId), summary: lifted ? 'resume' : 'resume: not halted' };
      }
      const account = await ctx.account({ account: req.account });
      const view = ctx.resultContext(account);
      switch (req.kind) {
        case 'list': {
          const listing = await chaos.listTemplates(account.target);
          return { visibility: 'channel', withContext: false, account, message: renderTemplateList(listing, view), summary: 'list', fingerprint: chaosListFingerprint(listing) };
        }
        case 'show': {
          await ctx.reply.ephemeral(renderWorking('Reading the template and asking FIS for a dry-run preview of its targets'));
          const details = await chaos.showTemplate(account.target, req.template);
          return { visibility: 'channel', withContext: false, account, message: renderTemplateDetails(details, ctx.resultContext(account)), summary: `show ${req.template}`, fingerprint: chaosShowFingerprint(details) };
        }
        case 'run': {
          const refusal = runVerbRefusal(req, ctx.verbs);
          if (refusal) throw new LookoutError('forbidden', refusal);
          await ctx.reply.ephemeral(renderWorking('Checking policy and preparing the approval card (with a dry-run preview of the targets)'));
          const request = await chaos.requestRun({ target: account.target, actor, channelId: ctx.inv.channelId, templateRef: req.template, reason: req.reason, guard: req.guard });
          const card = await ctx.reply.post(renderApprovalCard(request, deps.clock.now()));
          await chaos.attachMessage(request.id, card);
          return { visibility: 'done', summary: `request ${request.id} for ${request.template.id}` };
        }
        case 'status': {
          const status = await chaos.status(account.target, req.experiment);
          return { visibility: 'channel', withContext: false, account, message: renderStatus(status, view, deps.clock.now()), summary: 'status', fingerprint: chaosStatusFingerprint(status) };
        }
        case 'history': {
          const history = await chaos.history(account.target, req.limit);
          return { visibility: 'channel', withContext: false, account, message: renderHistory(history, view), summary: 'history', fingerprint: chaosHistoryFingerprint(history) };
        }
        case 'stop': {
          const found = await chaos.status(account.target, req.experiment);
          const experiment = found.experiments[0];
          if (!experiment) throw new LookoutError('not_found', `No experiment ${inlineCode(req.experiment)} in account ${escapeText(account.name)} (${account.region}).`);
          return { visibility: 'ephemeral', message: renderStopConfirmation(experiment, found.templateNames, account.name), summary: `stop? ${experiment.id}` };
        }
        case 'stop-all': {
          const running = await chaos.stoppable(account.target);
          const names = (await chaos.status(account.target)).templateNames;
          return { visibility: 'ephemeral', message: renderStopAllConfirmation(running, account.name, names), summary: `stop --all? ${running.length}` };
        }
      }
    },
  };
}
