import { CHAOS_COMMAND, type ChaosCommand } from '../../src/commands/chaos';
import { renderApprovalCard } from '../../src/views/chaos-card';
import { renderStatus, renderHistory } from '../../src/views/chaos-status';
import { renderStopAllConfirmation, renderStopConfirmation } from '../../src/views/chaos-stop';
import { renderTemplateDetails, renderTemplateList } from '../../src/views/chaos-templates';
import { renderWorking } from '../../src/views/feedback';
import { renderHaltResult, renderResumeResult } from '../../src/views/chaos-halt';
import { configuredAccounts } from '../../src/policy/accounts';
import { runVerbRefusal } from '../../src/policy/chaos-run';
import { LookoutError } from '../../src/errors';
import { escapeText, inlineCode } from '../../src/text';
import type { Verb } from '../../src/config/types';
import { chaosHistoryFingerprint, chaosListFingerprint, chaosShowFingerprint, chaosStatusFingerprint } from '../fingerprints';
import { answer, type CommandDef, type HandlerDeps } from '../types';

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

/** `/chaos list|show|run|status|stop|history|halt|resume` (product.md §4). Buttons are in handlers/actions/chaos.ts. */
export function chaosCommand(deps: HandlerDeps): CommandDef<ChaosCommand> {
  return {
    ...CHAOS_COMMAND,
    verb: (req) => VERB[req.kind],
    async run(req, ctx) {
      const chaos = deps.backends.chaos;
      const actor = ctx.actor;
      if (req.kind === 'halt') {
        await ctx.reply.ephemeral(renderWorking('Halting chaos and stopping every running experiment in every account'));
        const { accounts, withoutRegion } = configuredAccounts(deps.config.lookout, deps.config.env);
        const halted = { ...(await chaos.halt({ actor, reason: req.reason, accounts: accounts.map((a) => ({ name: a.name, id: a.accountId, region: a.region })) })), unreachable: withoutRegion };
        return answer({ visibility: 'channel', result: halted, view: renderHaltResult, summary: `halt: stopped ${halted.stopped.length}, failed ${halted.failed.length}` });
      }
      if (req.kind === 'resume') {
        const lifted = await chaos.resume(actor);
        return answer({ visibility: 'channel', result: lifted, view: (l) => renderResumeResult(l, actor.userId), summary: lifted ? 'resume' : 'resume: not halted' });
      }
      const account = await ctx.account({ account: req.account });
      switch (req.kind) {
        case 'list':
          return answer({ visibility: 'channel', account, result: await chaos.listTemplates(account.target), view: renderTemplateList, fingerprint: chaosListFingerprint, summary: 'list' });
        case 'show': {
          await ctx.reply.ephemeral(renderWorking('Reading the template and asking FIS for a dry-run preview of its targets'));
          const details = await chaos.showTemplate(account.target, req.template);
          return answer({ visibility: 'channel', account, result: details, view: renderTemplateDetails, fingerprint: chaosShowFingerprint, summary: `show ${req.template}` });
        }
        case 'run': {
          const refusal = runVerbRefusal(req, ctx.verbs);
          if (refusal) throw new LookoutError('forbidden', refusal);
          await ctx.reply.ephemeral(renderWorking('Checking policy and preparing the approval card (with a dry-run preview of the targets)'));
          const request = await chaos.requestRun({ target: account.target, actor, channelId: ctx.inv.channelId, templateRef: req.template, reason: req.reason, guard: req.guard });
          // The card is the answer and stays live (approvals, the experiment's progress): posted here, kept by the service.
          await chaos.attachMessage(request.id, await ctx.reply.post(renderApprovalCard(request, deps.clock.now())));
          return { visibility: 'done', summary: `request ${request.id} for ${request.template.id}` };
        }
        case 'status':
          return answer({ visibility: 'channel', account, result: await chaos.status(account.target, req.experiment), view: renderStatus, fingerprint: chaosStatusFingerprint, summary: 'status' });
        case 'history':
          return answer({ visibility: 'channel', account, result: await chaos.history(account.target, req.limit), view: renderHistory, fingerprint: chaosHistoryFingerprint, summary: 'history' });
        case 'stop': {
          const found = await chaos.status(account.target, req.experiment);
          const experiment = found.experiments[0];
          if (!experiment) throw new LookoutError('not_found', `No experiment ${inlineCode(req.experiment)} in account ${escapeText(account.name)} (${account.region}).`);
          return answer({ visibility: 'ephemeral', result: experiment, view: (e) => renderStopConfirmation(e, found.templateNames, account.name), summary: `stop? ${experiment.id}` });
        }
        case 'stop-all': {
          const running = await chaos.stoppable(account.target);
          const names = (await chaos.status(account.target)).templateNames;
          return answer({ visibility: 'ephemeral', result: running, view: (r) => renderStopAllConfirmation(r, account.name, names), summary: `stop --all? ${running.length}` });
        }
      }
    },
  };
}
