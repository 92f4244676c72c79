import type { WebClient } from '@slack/web-api';
import { allowedVerbs, authorize, resolveAccount } from '../src/policy/permissions';
import { accountTarget } from '../src/policy/accounts';
import { renderHelp } from '../src/views/lookout';
import { renderProblem, renderRateLimited, renderUsageError } from '../src/views/feedback';
import { finishAnswer, type ResultContext } from '../src/views/message';
import { formatUsage } from '../src/commands/types';
import type { Verb } from '../src/config/types';
import type { AuditEntry } from '../src/ports/store';
import { collectAwsRequestIds } from '../src/aws-request-ids';
import { createReplier, replyWithError } from './reply';
import { configuredGroupIds } from './directory';
import { createProgressMessage, type ProgressMessage } from './progress';
import type { Answer, CommandDef, Runnable, HandlerDeps, Invocation, Replier, ResolvedAccount, RunContext } from './types';

/**
 * Every command's way through (design.md §2): rate limit → parse → authorize → run → render → reply, with one
 * error wrapper and one audit row, whatever happens.
 */
export async function runInvocation<R>(
  def: CommandDef<R>,
  inv: Invocation,
  client: WebClient,
  deps: HandlerDeps,
  replier?: Replier,
): Promise<{ outcome: AuditEntry['outcome']; detail?: string; fingerprint?: string }> {
  const logger = deps.logger.child({ requestId: inv.requestId, command: inv.command, user: inv.userId, channel: inv.channelId, source: inv.source });
  const reply = replier ?? createReplier(client, inv);
  const awsRequestIds: string[] = [];
  let outcome: AuditEntry['outcome'] = 'ok';
  let detail: string | undefined;
  let fingerprint: string | undefined;
  const audit = (o: Pick<AuditEntry, 'outcome' | 'detail' | 'awsRequestIds' | 'durationMs'>): AuditEntry => ({
    at: inv.startedAt,
    requestId: inv.requestId,
    teamId: inv.teamId,
    channelId: inv.channelId,
    userId: inv.userId,
    kind: inv.source === 'report' ? 'report' : inv.source === 'mention' ? 'event' : inv.source === 'action' ? 'action' : 'command',
    command: `${inv.command} ${inv.text}`.trim(),
    ...o,
  });
  // Before the first AWS call that changes something: a `pending` row, so a crash mid-command leaves a trace.
  let pending = false;
  const beforeChange = () =>
    deps.store.appendAudit(audit({ outcome: 'pending', durationMs: 0 })).then(
      () => void (pending = true),
      (err) => logger.error({ err }, 'pending audit entry could not be written'),
    );
  try {
    // Limits stop loops and scripts of typed commands and of clicks that cost money (Re-run); other clicks (a Stop
    // above all) and schedules are never held back.
    if (inv.source === 'slash' || inv.source === 'mention' || inv.limited) {
      const limited = deps.rateLimiter.check(inv.userId, inv.channelId);
      if (!limited.ok) {
        outcome = 'rate_limited';
        const limit = limited.scope === 'user' ? deps.config.lookout.limits.perUserPerMinute : deps.config.lookout.limits.perChannelPerMinute;
        await reply.ephemeral(renderRateLimited(limited.scope, limited.retryAfterMs, limit));
        return { outcome };
      }
    }
    const userGroupIds = await deps.directory.groupsOf(inv.userId, configuredGroupIds(deps.config.lookout));
    const who = { channelId: inv.channelId, userId: inv.userId, userGroupIds };
    const verbs = allowedVerbs(deps.config.lookout, who);
    const parsed = def.parse(inv.text);
    if (!parsed.ok) {
      outcome = 'usage';
      detail = parsed.error;
      await reply.ephemeral(renderUsageError(parsed.error, formatUsage(def.command, usageFor(def, verbs))));
      return { outcome, detail };
    }
    const req = parsed.request;
    if (def.isHelp ? def.isHelp(req) : (req as { kind?: string }).kind === 'help') {
      await reply.ephemeral(renderHelp([{ command: def.command, lines: usageFor(def, verbs) }], helpNote(deps, inv.channelId)));
      return { outcome };
    }
    const verb = def.verb(req);
    if (verb) {
      const decision = authorize(deps.config.lookout, who, verb);
      if (!decision.allowed) {
        outcome = 'denied';
        detail = verb;
        await reply.ephemeral(renderProblem({ message: decision.message, icon: ':no_entry:' }));
        return { outcome, detail };
      }
    }
    let progress: ProgressMessage | undefined;
    const ctx: RunContext = {
      inv,
      actor: { teamId: inv.teamId, userId: inv.userId },
      reply,
      logger,
      awsRequestIds,
      verbs,
      userGroupIds,
      account: (requested, opts) => accountFor(deps, inv, requested, opts),
      progress: (view, on) => {
        progress ??= createProgressMessage(reply, deps.clock, { ref: on, onError: (err) => logger.warn({ err }, 'progress update failed') });
        return (p) => progress!.show(view(p));
      },
    };
    const out = await collectAwsRequestIds(awsRequestIds, () => def.run(req as Runnable<R>, ctx), { beforeChange });
    if (out) {
      detail = out.summary;
      if (out.visibility !== 'done') {
        fingerprint = out.fingerprint?.(out.result);
        await deliver(out, inv, reply, deps, progress);
      }
    }
  } catch (err) {
    const failure = await replyWithError(err, reply, inv.requestId, logger);
    outcome = failure.outcome;
    detail = failure.detail;
    awsRequestIds.push(...failure.requestIds);
  } finally {
    const durationMs = deps.clock.now() - inv.startedAt;
    deps.metrics.commands.inc({ command: inv.command, outcome });
    logger.info({ outcome, durationMs }, 'command finished');
    const entry = audit({ outcome, detail: detail?.slice(0, 500), awsRequestIds: [...new Set(awsRequestIds)], durationMs });
    await (pending ? deps.store.completeAudit(entry) : deps.store.appendAudit(entry))
      .catch((err) => logger.error({ err }, 'audit entry could not be written'));
  }
  return { outcome, detail, fingerprint };
}

/** Render → context line and "Run it yourself" → chart → post (or replace the progress message). */
async function deliver(out: Answer<unknown>, inv: Invocation, reply: Replier, deps: HandlerDeps, progress?: ProgressMessage): Promise<void> {
  const now = deps.clock.now();
  const rendered = out.view(out.result, { now, ref: inv.requestId, region: out.account?.region });
  if (out.visibility === 'ephemeral') return reply.ephemeral(finishAnswer(rendered));
  const chart = out.chart?.(out.result, now);
  if (chart) {
    const { png } = await deps.backends.charts.renderLineChart(chart.input);
    await reply.upload({ filename: chart.filename, data: png, title: chart.title, altText: chart.altText });
  }
  const msg = finishAnswer(rendered, contextOf(inv, deps, out.account));
  if (progress) await progress.finish(msg);
  else await reply.post(msg, { threadTs: out.threadTs });
}

function contextOf(inv: Invocation, deps: HandlerDeps, account?: ResolvedAccount): ResultContext {
  return {
    userId: inv.userId,
    account: account ? { name: account.name, id: account.id } : undefined,
    region: account?.region,
    durationMs: deps.clock.now() - inv.startedAt,
  };
}

/** The invocation's account: policy picks it (src/policy/accounts.ts), `accountTarget` assumes its role. */
async function accountFor(deps: HandlerDeps, inv: Invocation, requested: { account?: string; region?: string } = {}, opts: { button?: boolean } = {}): Promise<ResolvedAccount> {
  const { lookout, env } = deps.config;
  const asked = opts.button && requested.account === resolveAccount(lookout, env, inv.channelId).name ? { ...requested, account: undefined } : requested;
  const acct = resolveAccount(lookout, env, inv.channelId, asked);
  const target = await accountTarget(deps.accounts, lookout, acct, { teamId: inv.teamId, userId: inv.userId });
  const id = acct.accountId ?? (await deps.accounts.identity(target).then((i) => i.accountId).catch(() => undefined));
  return { target: { ...target, accountId: id }, name: acct.name, id, region: acct.region };
}

export function usageFor<R>(def: Pick<CommandDef<R>, 'usage'>, verbs: Set<Verb>) {
  return def.usage.filter((l) => l.verb === null || verbs.has(l.verb));
}


export function helpNote(deps: HandlerDeps, channelId: string): string {
  return deps.config.lookout.present
    ? `Filtered to what you may run in this channel (${channelId}). Add \`help\` after any command for its details.`
    : 'No lookout.yml is loaded: everything but running chaos experiments is allowed. Add `help` after any command for details.';
}
