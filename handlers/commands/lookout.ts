import { LOOKOUT_COMMAND, type LookoutRequest } from '../../src/commands/lookout';
import { channelPolicy, isApprover } from '../../src/policy/permissions';
import { statusScope } from '../../src/policy/status-scope';
import { renderAudit, renderHelp, renderStatus, renderWhoami, type WhoamiView } from '../../src/views/lookout';
import { helpNote, usageFor } from '../pipeline';
import { healthFingerprint } from '../fingerprints';
import { answer, said, type CommandDef, type HandlerDeps, type RunContext } from '../types';

/** `/lookout help|whoami|status|audit`. `commands` is every registered command, for the help listing. */
export function lookoutCommand(deps: HandlerDeps, commands: () => CommandDef<any>[]): CommandDef<LookoutRequest, LookoutRequest> {
  return {
    ...LOOKOUT_COMMAND,
    isHelp: () => false, // `/lookout help` is the full listing, rendered by run()
    verb: (req) => (req.kind === 'audit' ? 'admin' : null),
    async run(req, ctx) {
      switch (req.kind) {
        case 'help': {
          const sections = commands().map((c) => ({ command: c.command, lines: usageFor(c, ctx.verbs) }));
          return said('ephemeral', renderHelp(sections, helpNote(deps, ctx.inv.channelId)), 'help');
        }
        case 'whoami':
          return said('ephemeral', await whoami(deps, ctx), 'whoami');
        case 'status': {
          const checks = await deps.health(statusScope(deps.config.lookout, ctx.inv.channelId, ctx.verbs));
          // The status must answer even when the store does not (its own check then says so).
          const status = { checks, halt: await deps.backends.chaos.haltState().catch(() => undefined) };
          return answer({ visibility: 'ephemeral', result: status, view: (r) => renderStatus(r.checks), fingerprint: (r) => healthFingerprint(r.checks, r.halt), summary: 'status' });
        }
        case 'audit': {
          const entries = await deps.store.listAudit({ channelId: ctx.inv.channelId, limit: req.limit });
          return answer({ visibility: 'ephemeral', result: entries, view: (e) => renderAudit(e, ctx.inv.channelId), summary: `audit ${entries.length}` });
        }
      }
    },
  };
}

async function whoami(deps: HandlerDeps, ctx: RunContext) {
  const cfg = deps.config.lookout;
  const policy = channelPolicy(cfg, ctx.inv.channelId);
  let account: WhoamiView['account'];
  let accountProblem: string | undefined;
  try {
    const a = await ctx.account();
    account = { name: a.name, id: a.id, region: a.region, roleArn: cfg.accounts[a.name]?.roleArn };
  } catch (err) {
    accountProblem = err instanceof Error ? err.message : 'could not be resolved';
  }
  return renderWhoami({
    userId: ctx.inv.userId,
    channelId: ctx.inv.channelId,
    account,
    accountProblem,
    otherAccounts: policy.accounts.filter((n) => n !== account?.name),
    verbs: [...ctx.verbs].sort(),
    isAdmin: ctx.verbs.has('admin'),
    approver: isApprover(cfg, ctx.inv.channelId, ctx.inv.userId, ctx.userGroupIds),
    configured: cfg.present,
  });
}
