import { parseReach, reachUsage, type ReachRequest } from '../../src/commands/reach';
import { decodeReachButton, renderReachAnswer, renderReachProgress, REACH_ACTIONS } from '../../src/views/reach';
import { renderReachForgotten, renderReachList, renderReachUnwatched, renderReachWatchStored, watchReportNote } from '../../src/views/reach-manage';
import { resultContextLine, withBlocks, type SlackMessage } from '../../src/views/message';
import { referenceNote } from '../../src/views/feedback';
import { formatDuration } from '../../src/views/text';
import type { ReachAnswer, ReachQuestion, WatchSchedule } from '../../src/reach/model';
import { cronForWatch, type ReportService } from '../../src/reports';
import { createProgressMessage } from '../progress';
import { reachFingerprint } from '../fingerprints';
import { accountOfButton, type ActionDef } from '../actions/register';
import type { CommandDef, HandlerDeps, MessageRef, Outcome, ResolvedAccount, RunContext } from '../types';

const USAGE = [
  { syntax: 'SOURCE -> DEST[:PORT][/tcp|/udp] [--region R] [--account A]', description: 'can SOURCE reach DEST, and if not, what blocks it', verb: 'reach' as const },
  { syntax: 'SOURCE to DEST port 5432 udp', description: 'the same, in words', verb: 'reach' as const },
  { syntax: 'list', description: 'paths Lookout manages, with their last result', verb: 'reach' as const },
  { syntax: 'watch PATH-ID|last [--every "CRON"]', description: 're-check on a schedule, post only when the answer changes', verb: 'reach:watch' as const },
  { syntax: 'unwatch PATH-ID', description: 'stop watching a path', verb: 'reach:watch' as const },
  { syntax: 'forget PATH-ID', description: 'delete a managed path and its analyses now', verb: 'reach' as const },
];

/** `/reach` (product.md §3): resolve → reuse or create the path → analyse, updating one message → the answer. */
export function reachCommand(deps: HandlerDeps, reports: () => ReportService): CommandDef<ReachRequest> {
  return {
    command: '/reach',
    usage: USAGE,
    parse: (text) => {
      const r = parseReach(text);
      return r.ok ? r : { ...r, usage: reachUsage({ canWatch: true }) };
    },
    isHelp: (req) => req.kind === 'help',
    verb: (req) => (req.kind === 'watch' || req.kind === 'unwatch' ? 'reach:watch' : 'reach'),
    async run(req, ctx) {
      if (req.kind === 'help') return;
      const account = await ctx.account({ account: req.account, region: req.region });
      const reach = deps.backends.reach;
      const where = { channelId: ctx.inv.channelId, userId: ctx.inv.userId };
      switch (req.kind) {
        case 'check': {
          const { source, destination, protocol, port } = req;
          // A scheduled re-check (watch or report) is a fresh analysis: a cached answer would hide a change.
          const force = ctx.inv.source === 'report';
          return answer(deps, ctx, account, (onProgress) => reach.check({ source, destination, protocol, port }, account.target, { onProgress, force, ...where, runId: ctx.inv.requestId }));
        }
        case 'list':
          return channel(renderReachList(await reach.list(account.target, where), deps.clock.now(), { region: account.region, accountName: account.name }), account, 'list');
        case 'watch':
          return channel(await startWatch(deps, reports(), req.pathId, req.every, account, ctx), account, `watch ${req.pathId}`);
        case 'unwatch':
          return channel(renderReachUnwatched(await reach.unwatch(req.pathId, account.target, where)), account, `unwatch ${req.pathId}`);
        case 'forget':
          return channel(renderReachForgotten(await reach.forget(req.pathId, account.target)), account, `forget ${req.pathId}`);
      }
    },
  };
}

/**
 * `/reach watch` is one record: a report of the same question with `--on-change` (no more often than
 * reach.minWatchInterval) that carries the path id. Everything is checked before it is written.
 */
async function startWatch(deps: HandlerDeps, reports: ReportService, pathId: string, every: WatchSchedule | undefined, account: ResolvedAccount, ctx: RunContext): Promise<SlackMessage> {
  const by = { channelId: ctx.inv.channelId, userId: ctx.inv.userId, teamId: ctx.inv.teamId };
  const path = await deps.backends.reach.findPath(pathId, account.target, by);
  const cron = cronForWatch(every, { minWatchIntervalMs: deps.config.lookout.reach.minWatchIntervalMs });
  const watch = await reports.watch({ pathId: path.pathId, cron, command: watchCommand(deps, path.question) }, by);
  const schedule = every ?? { intervalMs: deps.config.lookout.reach.minWatchIntervalMs };
  // The first check and the monthly count come from the report's own schedule, in its time zone.
  const stored = renderReachWatchStored({ ...path, channelId: by.channelId, schedule, expectedPerMonth: watch.expectedRunsPerMonth, nextRunAt: watch.nextRuns[0], created: watch.created });
  return withBlocks(stored, watchReportNote(watch.report.id));
}

/** The command a watch re-runs: resolved ids, so a renamed instance does not change what is watched. */
function watchCommand(deps: HandlerDeps, q: ReachQuestion): string {
  const src = q.source.id ?? q.source.input;
  const dst = q.destination.id ?? q.destination.ip ?? q.destination.input;
  const account = Object.keys(deps.config.lookout.accounts).length ? ` --account ${q.accountName}` : '';
  return `/reach ${src} -> ${dst}${q.port ? `:${q.port}` : ''}/${q.protocol} --region ${q.region}${account}`;
}

async function buttonAccount(deps: HandlerDeps, ctx: RunContext, value: string): Promise<{ pathId: string; account: ResolvedAccount }> {
  const v = decodeReachButton(value);
  return { pathId: v.pathId, account: await accountOfButton(deps, ctx, v) };
}

/** The Re-run and Watch buttons on an answer; the button value is the path id and where it was asked. */
export function reachActions(deps: HandlerDeps, reports: () => ReportService): ActionDef[] {
  return [
    {
      actionId: REACH_ACTIONS.rerun,
      label: 'reach re-run',
      verb: 'reach',
      rateLimited: true,
      async run(value, ctx) {
        const { pathId, account } = await buttonAccount(deps, ctx, value);
        return answer(deps, ctx, account, (onProgress) => deps.backends.reach.rerun(pathId, account.target, { onProgress, force: true, channelId: ctx.inv.channelId, userId: ctx.inv.userId, runId: ctx.inv.requestId }), ctx.reply.primary);
      },
    },
    {
      actionId: REACH_ACTIONS.watch,
      label: 'reach watch',
      verb: 'reach:watch',
      async run(value, ctx) {
        const { pathId, account } = await buttonAccount(deps, ctx, value);
        const message = await startWatch(deps, reports(), pathId, undefined, account, ctx);
        return { visibility: 'channel', message, account, summary: `watch ${pathId}`, threadTs: ctx.reply.primary?.ts };
      },
    },
  ];
}

/** Runs an analysis with one message that shows progress (≤ 1 update per ~5 s) and then the answer. */
async function answer(
  deps: HandlerDeps,
  ctx: RunContext,
  account: ResolvedAccount,
  run: (onProgress: (p: Parameters<typeof renderReachProgress>[0]) => Promise<void>) => Promise<ReachAnswer>,
  existing?: MessageRef,
): Promise<Outcome> {
  const progress = createProgressMessage(ctx.reply, deps.clock, { ref: existing, onError: (err) => ctx.logger.warn({ err }, 'progress update failed') });
  const result = await run((p) => progress.show(renderReachProgress(p)));
  const msg = renderReachAnswer(result, deps.clock.now());
  // A failed analysis is a failure shown in the channel (product.md §2): it carries the reference id.
  if (result.kind === 'failed') ctx.logger.warn({ ref: ctx.inv.requestId, reason: result.reason }, 'reachability analysis failed');
  await progress.finish(withContext(result.kind === 'failed' ? withBlocks(msg, referenceNote(ctx.inv.requestId)) : msg, ctx, account));
  const verdict = result.kind === 'failed' ? `failed (${result.reason})` : result.outcome.reachable ? 'reachable' : 'not reachable';
  return { visibility: 'done', summary: `${result.pathId} ${verdict}${result.kind === 'cached' ? ' (cached)' : ''}`, fingerprint: reachFingerprint(result) };
}

function withContext(msg: SlackMessage, ctx: RunContext, account: ResolvedAccount): SlackMessage {
  return withBlocks(msg, resultContextLine(ctx.resultContext(account), formatDuration));
}

function channel(message: SlackMessage, account: ResolvedAccount, summary: string): Outcome {
  return { visibility: 'channel', message, account, summary };
}
