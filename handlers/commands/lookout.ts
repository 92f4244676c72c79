import { LOOKOUT_USAGE, parseLookout, type LookoutRequest } from '../../src/commands/lookout';
import type { Verb } from '../../src/config/types';
import { LookoutError } from '../../src/errors';
import type { HealthScope } from '../../src/ops/health';
import { channelPolicy, isApprover } from '../../src/policy/permissions';
import { renderAudit, renderHelp, renderStatus, renderWhoami, type WhoamiView } from '../../src/views/lookout';
import { helpNote, usageFor } from '../pipeline';
import { healthFingerprint } from '../fingerprints';
import { answer, said, type CommandDef, type HandlerDeps, type RunContext } from '../types';

/** `/lookout help|whoami|status|audit`. `commands` is every registered command, for the help listing. */
export function lookoutCommand(deps: HandlerDeps, commands: () => CommandDef<any>[]): CommandDef<LookoutRequest> {
  return {
    command: '/lookout',
    usage: LOOKOUT_USAGE,
    parse: parseLookout,
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
          const checks = await deps.health(statusScope(deps, ctx));
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

const AWS_VERBS: Verb[] = ['reach', 'reach:watch', 'chaos:read', 'chaos:run', 'chaos:stop'];

/**
 * `/lookout status` needs some verb in the channel (a channel that may run nothing shows nothing), and checks only
 * what the caller could use from here: the channel's accounts when they have an AWS verb, metrics with `metrics`,
 * Grafana with `grafana`. An admin sees every account and backend.
 */
function statusScope(deps: HandlerDeps, ctx: RunContext): HealthScope {
  if (ctx.verbs.has('admin')) return { accounts: 'all', aws: true, metrics: true, grafana: true };
  if (ctx.verbs.size === 0) throw new LookoutError('forbidden', 'You may not run any Lookout command in this channel, so its status is not shown here.');
  const policy = channelPolicy(deps.config.lookout, ctx.inv.channelId);
  const accounts = [...new Set([...(policy.account ? [policy.account] : []), ...policy.accounts])];
  return {
    accounts: accounts.length ? accounts : ['default'],
    aws: AWS_VERBS.some((v) => ctx.verbs.has(v)),
    metrics: ctx.verbs.has('metrics'),
    grafana: ctx.verbs.has('grafana'),
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
