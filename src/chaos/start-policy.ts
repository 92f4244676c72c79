import { LookoutError } from '../errors';
import { type Experiments } from '../ports/experiments';
import { LOOKOUT_TAGS, type ChaosRequest, type GuardCheck, type GuardSpec } from './model';
import { preflightGuards } from './guards/preflight';
import { activeFreeze } from '../policy/freeze';
import { authorize } from '../policy/permissions';
import { inlineCode } from '../text';
import { experimentsAs, type ChaosContext } from './context';
import { stopExperiment } from './stop';
import { currentHalt } from './halt';
import { activeExperiments } from './request-run';
import { checkFreeze, checkHalt, checkStopConditions, checkTemplateTag } from './run-policy';
import { claimSlot, slotHolders } from './slots';

/**
 * The policy re-checked when a request is about to start (product.md §4 "Policy at approval"): on the click that
 * completes the quorum and again before crash recovery repeats a start. It reads the configuration this process
 * runs with now (a restart with a new lookout.yml applies to cards posted before it), the halt in the store, and
 * the clock. The clicker's own standing (still an approver) is checked per click, before it counts.
 * The template is the one stored with the request: its `templateTag` is checked against today's rule.
 */
export async function startRefusal(ctx: ChaosContext, r: ChaosRequest): Promise<LookoutError | null> {
  const { config } = ctx;
  const halted = checkHalt(await currentHalt(ctx.store));
  if (halted) return halted;
  const channel = authorize(config, { channelId: r.channelId, userId: r.requesterId, userGroupIds: [] }, 'chaos:run');
  if (!channel.allowed) return new LookoutError('forbidden', `This channel no longer allows \`/chaos run\`: ${channel.message}`);
  return (
    checkTemplateTag({ template: r.template, templateTag: config.chaos.templateTag }) ??
    checkFreeze({ freeze: activeFreeze(config.chaos, ctx.clock.now()), timezone: config.chaos.timezone }) ??
    checkStopConditions({ template: r.template, requireStopConditions: config.chaos.requireStopConditions, guarded: Boolean(r.guards?.length) }) ??
    (await checkGuards(ctx, r.guards ?? [], r.account, r.teamId)).refusal
  );
}

/** The guards' preflight against the account's metrics backend (see guards/preflight.ts); nothing to do without guards. */
export async function checkGuards(ctx: ChaosContext, guards: GuardSpec[], account: { name: string; region: string }, teamId: string): Promise<{ checks: GuardCheck[]; refusal: LookoutError | null }> {
  if (!guards.length) return { checks: [], refusal: null };
  if (!ctx.guardQuery) {
    return { checks: [], refusal: new LookoutError('config', 'Guards apply to this run, but no metrics backend is configured, so they could not be checked.', { hint: 'Configure `metrics` in lookout.yml.' }) };
  }
  return preflightGuards(guards, await ctx.guardQuery(account, teamId), { clock: ctx.clock, intervalMs: ctx.config.chaos.guardIntervalMs });
}

/**
 * A halt recorded between the check above and StartExperiment: `/chaos halt` listed the account's experiments before
 * this one existed, so it would keep running through the halt. Stopped here, as the admin who halted.
 */
export async function stopIfHaltedMeanwhile(ctx: ChaosContext, r: ChaosRequest, experimentId: string): Promise<void> {
  const halt = await currentHalt(ctx.store);
  if (!halt) return;
  const admin = { teamId: r.teamId, userId: halt.by };
  try {
    await stopExperiment(ctx, await experimentsAs(ctx, r.account, admin), experimentId, admin);
  } catch (err) {
    ctx.log.warn({ err, experimentId }, 'chaos: could not stop an experiment that started while a halt was recorded');
  }
}

/**
 * Claims the request's `maxRunning` slot in its account (see slots.ts), or the refusal that says who holds them.
 * FIS's unfinished experiments that no slot holder owns count as taken too.
 */
export async function slotRefusal(ctx: ChaosContext, r: ChaosRequest, experiments: Experiments): Promise<LookoutError | null> {
  const max = ctx.config.chaos.maxRunning;
  const active = await activeExperiments(experiments);
  if (await claimSlot(ctx.store, r.account.name, r.id, { max, active })) return null;
  const holders = (await slotHolders(ctx.store, r.account.name)).filter((h) => h !== r.id);
  const others = active.filter((e) => !holders.some((h) => e.tags[LOOKOUT_TAGS.request] === h)).map((e) => e.id);
  const names = [...holders, ...others].slice(0, 5).map(inlineCode).join(', ');
  return new LookoutError(
    'forbidden',
    `At most ${max} experiment${max === 1 ? '' : 's'} may run at once in account ${r.account.name}, and ${holders.length + others.length} already ${holders.length + others.length === 1 ? 'runs or starts' : 'run or start'} (${names}).`,
    { hint: 'Wait for it to finish (`/chaos status`), then ask again with `/chaos run`.' },
  );
}
