import { launch, startApproved, type ApproveResult } from './approvals';
import type { ChaosContext } from './context';
import { REQUEST_KIND, toChaosRequest, type ChaosRequestData } from './records';

// Younger than this, a start is probably still in flight on another replica: leave it alone.
const STUCK_AFTER_MS = 60_000;

/**
 * Requests left `approved` or `starting` by a crash between the approval and the experiment's start. Repeating the
 * start is safe: the compare-and-set lets one replica claim an approved request, and the client token derived from
 * the request id makes FIS answer a repeated StartExperiment with the experiment it already started.
 */
export async function recoverStuckStarts(ctx: ChaosContext): Promise<ApproveResult[]> {
  const now = ctx.clock.now();
  const results: ApproveResult[] = [];
  for (const e of await ctx.store.list<ChaosRequestData>(REQUEST_KIND, { states: ['approved', 'starting'] })) {
    const request = toChaosRequest(e);
    const since = e.data.startingAt ?? request.approvals.at(-1)?.at ?? request.createdAt;
    if (now - since < STUCK_AFTER_MS) continue;
    const actor = { teamId: request.teamId, userId: request.startedBy ?? request.approvals.at(-1)?.userId ?? request.requesterId };
    try {
      results.push(e.state === 'approved' ? await startApproved(ctx, e.id, actor) : await launch(ctx, request, actor));
    } catch (err) {
      ctx.log.warn({ err, requestId: e.id }, 'chaos: could not recover an interrupted start');
    }
  }
  return results;
}
