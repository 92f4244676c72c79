import { REACH_COMMAND, type ReachRequest } from '../../src/commands/reach';
import { renderReachAnswer, renderReachProgress, REACH_ACTIONS } from '../../src/views/reach';
import { renderReachForgotten, renderReachList, renderReachUnwatched, renderReachWatchStored } from '../../src/views/reach-manage';
import { decodeButtonValue, REACH_BUTTON } from '../../src/views/button-value';
import type { ReachAnswer } from '../../src/reach/model';
import { watchPath } from '../../src/reach/watch';
import type { ReportService } from '../../src/reports';
import { reachFingerprint } from '../fingerprints';
import type { ActionDef } from '../actions/register';
import { answer, type CommandDef, type HandlerDeps, type Outcome, type ResolvedAccount, type RunContext } from '../types';

/** `/reach` (product.md §3): resolve → reuse or create the path → analyse, updating one message → the answer. */
export function reachCommand(deps: HandlerDeps, reports: () => ReportService): CommandDef<ReachRequest> {
  return {
    ...REACH_COMMAND,
    verb: (req) => (req.kind === 'watch' || req.kind === 'unwatch' ? 'reach:watch' : 'reach'),
    async run(req, ctx) {
      const reach = deps.backends.reach;
      const account = await ctx.account({ account: req.account, region: req.region });
      const where = { channelId: ctx.inv.channelId, userId: ctx.inv.userId };
      const channel = <T>(result: T, view: (r: T) => ReturnType<typeof renderReachList>, summary: string) => answer({ visibility: 'channel', result, view, account, summary });
      switch (req.kind) {
        case 'check': {
          // A scheduled re-check (watch or report) is a fresh analysis: a cached answer would hide a change.
          const opts = { onProgress: ctx.progress(renderReachProgress), force: ctx.inv.source === 'report', ...where, runId: ctx.inv.requestId };
          return analysed(await reach.check(req, account.target, opts), account, ctx);
        }
        case 'list':
          return channel(await reach.list(account.target, where), (paths) => renderReachList(paths, deps.clock.now(), { region: account.region, accountName: account.name }), 'list');
        case 'watch':
          return channel(await watchPath(watchDeps(deps, reports), req, account.target, { ...where, teamId: ctx.inv.teamId }), renderReachWatchStored, `watch ${req.pathId}`);
        case 'unwatch':
          return channel(await reach.unwatch(req.pathId, account.target, where), renderReachUnwatched, `unwatch ${req.pathId}`);
        case 'forget':
          return channel(await reach.forget(req.pathId, account.target), renderReachForgotten, `forget ${req.pathId}`);
      }
    },
  };
}

/** The Re-run and Watch buttons on an answer; the button value is the path id and where it was asked. */
export function reachActions(deps: HandlerDeps, reports: () => ReportService): ActionDef[] {
  const button = async (value: string, ctx: RunContext) => {
    const { pathId = '', region, account } = decodeButtonValue(REACH_BUTTON, value);
    return { pathId, account: await ctx.account({ region, account }, { button: true }) };
  };
  return [
    {
      actionId: REACH_ACTIONS.rerun,
      label: 'reach re-run',
      verb: 'reach',
      rateLimited: true,
      async run(value, ctx) {
        const { pathId, account } = await button(value, ctx);
        const opts = { onProgress: ctx.progress(renderReachProgress, ctx.reply.primary), force: true, channelId: ctx.inv.channelId, userId: ctx.inv.userId, runId: ctx.inv.requestId };
        return analysed(await deps.backends.reach.rerun(pathId, account.target, opts), account, ctx);
      },
    },
    {
      actionId: REACH_ACTIONS.watch,
      label: 'reach watch',
      verb: 'reach:watch',
      async run(value, ctx) {
        const { pathId, account } = await button(value, ctx);
        const watched = await watchPath(watchDeps(deps, reports), { pathId }, account.target, { channelId: ctx.inv.channelId, userId: ctx.inv.userId, teamId: ctx.inv.teamId });
        return answer({ visibility: 'channel', result: watched, view: renderReachWatchStored, account, summary: `watch ${pathId}`, threadTs: ctx.reply.primary?.ts });
      },
    },
  ];
}

const watchDeps = (deps: HandlerDeps, reports: () => ReportService) => ({
  reach: deps.backends.reach,
  reports: reports(),
  minWatchIntervalMs: deps.config.lookout.reach.minWatchIntervalMs,
  namedAccounts: Object.keys(deps.config.lookout.accounts).length > 0,
});

/** An analysis' answer; a failed one is logged with the reference id it shows. */
function analysed(result: ReachAnswer, account: ResolvedAccount, ctx: RunContext): Outcome {
  if (result.kind === 'failed') ctx.logger.warn({ ref: ctx.inv.requestId, reason: result.reason }, 'reachability analysis failed');
  const verdict = result.kind === 'failed' ? `failed (${result.reason})` : result.outcome.reachable ? 'reachable' : 'not reachable';
  const summary = `${result.pathId} ${verdict}${result.kind === 'cached' ? ' (cached)' : ''}`;
  return answer({ visibility: 'channel', result, view: renderReachAnswer, fingerprint: reachFingerprint, account, summary });
}
