import type { FreezeWindow } from '../config/types';
import { LookoutError } from '../errors';
import { hasStopConditions, type ExperimentSummary, type Template } from './model';
import { escapeText, inlineCode } from '../text';
import { haltTime, type HaltState } from './halt';

/**
 * The chaos-specific rules checked before an approval card is posted (product.md §4). Pure: the caller looks up
 * the channel's approvers (channelPolicy), the active freeze window (activeFreeze) and the running experiments.
 * The channel permission `chaos:run` is the pipeline's job, not this file's.
 */
export interface RunPolicyInput {
  template: Template;
  requesterId: string;
  approvers: string[];
  minApprovals: number;
  allowSelfApproval: boolean;
  freeze: FreezeWindow | null;
  timezone: string;
  requireStopConditions: boolean;
  maxRunning: number;
  /** Experiments in the account that are not finished yet (ours or not), target previews excluded. */
  running: ExperimentSummary[];
  templateTag?: { key: string; value: string };
  /** At least one guard applies to the run (it may stand in for missing stop conditions). */
  guarded?: boolean;
}

export const APPROVERS_HINT =
  'Add approvers to this channel in lookout.yml — Slack user ids (`U…`) or user-group ids (`S…`), e.g. ' +
  '`channels: { C0123ABCDEF: { approvers: [S0SRELEADS, U0ALICE], minApprovals: 1 } }` — then restart Lookout.';

/** Every problem, in the order a person would fix them; empty when the request may be made. */
export function runPolicyProblems(p: RunPolicyInput): LookoutError[] {
  return [checkApprovers(p), checkTemplateTag(p), checkFreeze(p), checkStopConditions(p), checkMaxRunning(p)].filter(
    (e): e is LookoutError => e !== null,
  );
}

/** The first problem, or null when the request may be made. */
export function checkRunPolicy(p: RunPolicyInput): LookoutError | null {
  return runPolicyProblems(p)[0] ?? null;
}

/** minApprovals below 1 (or not a number) still needs one approval: a request never approves itself. */
export function effectiveMinApprovals(n: number | undefined): number {
  return Number.isFinite(n) && (n as number) >= 1 ? Math.floor(n as number) : 1;
}

export function checkApprovers(p: Pick<RunPolicyInput, 'approvers' | 'minApprovals' | 'requesterId' | 'allowSelfApproval'>): LookoutError | null {
  const approvers = [...new Set(p.approvers)];
  if (approvers.length === 0) {
    return new LookoutError('forbidden', 'No one may approve chaos experiments in this channel yet, so `/chaos run` is off here.', {
      hint: APPROVERS_HINT,
    });
  }
  // With user groups the head count is unknown until someone clicks; with users only it can be checked now.
  if (approvers.some(isUserGroupId)) return null;
  const eligible = approvers.filter((u) => p.allowSelfApproval || u !== p.requesterId);
  const need = effectiveMinApprovals(p.minApprovals);
  if (eligible.length >= need) return null;
  const others = p.allowSelfApproval ? '' : ' other than you';
  return new LookoutError(
    'forbidden',
    `This channel needs ${need} approval${need === 1 ? '' : 's'}, but only ${eligible.length} ${eligible.length === 1 ? 'person' : 'people'}${others} may approve.`,
    { hint: APPROVERS_HINT },
  );
}

/** `/chaos halt` refuses every run until `/chaos resume` (product.md §4 "Halt"). */
export function checkHalt(halt: HaltState | null): LookoutError | null {
  if (!halt) return null;
  const why = halt.reason ? `: ${escapeText(halt.reason)}` : '';
  return new LookoutError('forbidden', `Chaos experiments are halted${why} (by <@${halt.by}>, ${haltTime(halt.at)} UTC).`, {
    hint: 'An admin lifts the halt with `/chaos resume`.',
  });
}

export function checkTemplateTag(p: Pick<RunPolicyInput, 'template' | 'templateTag'>): LookoutError | null {
  const tag = p.templateTag;
  if (!tag || p.template.tags[tag.key] === tag.value) return null;
  return new LookoutError('forbidden', `Template ${templateLabel(p.template)} may not be run from Lookout: it lacks the tag ${inlineCode(`${tag.key}=${tag.value}`)}.`, {
    hint: 'Ask the template owner to add the tag if it is meant to run from Slack; `/chaos list` shows which templates may run.',
  });
}

export function checkFreeze(p: Pick<RunPolicyInput, 'freeze' | 'timezone'>): LookoutError | null {
  if (!p.freeze) return null;
  return new LookoutError('forbidden', `Chaos experiments are frozen right now: ${describeFreeze(p.freeze, p.timezone)}.`, {
    hint: 'Try again after the freeze window, or change `chaos.freeze` in lookout.yml.',
  });
}

/** With `requireStopConditions`, a template without CloudWatch stop conditions may run only when a guard applies to it. */
export function checkStopConditions(p: Pick<RunPolicyInput, 'template' | 'requireStopConditions'> & { guarded?: boolean }): LookoutError | null {
  if (!p.requireStopConditions || hasStopConditions(p.template) || p.guarded) return null;
  return new LookoutError('forbidden', `Template ${templateLabel(p.template)} has no stop conditions, and this workspace requires them.`, {
    hint: 'Add a CloudWatch alarm as a stop condition to the template, or a guard for it under `chaos.guards` (or `--guard`), so something stops the experiment when things go wrong.',
  });
}

export function checkMaxRunning(p: Pick<RunPolicyInput, 'running' | 'maxRunning'>): LookoutError | null {
  if (p.running.length < p.maxRunning) return null;
  const ids = p.running.slice(0, 5).map((e) => inlineCode(e.id));
  const more = p.running.length > 5 ? ` and ${p.running.length - 5} more` : '';
  return new LookoutError(
    'forbidden',
    `${p.running.length} experiment${p.running.length === 1 ? ' is' : 's are'} already running in this account (${ids.join(', ')}${more}); at most ${p.maxRunning} may run at once.`,
    { hint: 'Wait for it to finish (`/chaos status`) or stop it (`/chaos stop EXPERIMENT`).' },
  );
}

export function isUserGroupId(id: string): boolean {
  return id.startsWith('S');
}

/** "Holiday freeze (2026-12-20 to 2027-01-03, Europe/Berlin)", "no experiments on sat, sun (UTC)". */
export function describeFreeze(w: FreezeWindow, timezone: string): string {
  const when: string[] = [];
  if (w.days?.length) when.push(`on ${w.days.join(', ')}`);
  if (w.from || w.to) when.push(`${w.from ?? '…'} to ${w.to ?? '…'}`);
  const span = `${when.join(', ') || 'now'}, ${timezone}`;
  return w.reason ? `${escapeText(w.reason)} (${span})` : `freeze window ${span}`;
}

export function templateLabel(t: Pick<Template, 'id' | 'name'>): string {
  return t.name ? `${inlineCode(t.name)} (${inlineCode(t.id)})` : inlineCode(t.id);
}

/**
 * Whether this person's click counts as an approval (product.md §4): they are a listed approver or in a listed
 * user group (`approverGroups`: the listed groups they belong to, resolved by the caller), and not the requester
 * unless self-approval is allowed. Null when it counts.
 */
export function approvalRefusal(p: {
  userId: string;
  approverGroups: string[];
  requesterId: string;
  approvers: string[];
  allowSelfApproval: boolean;
}): LookoutError | null {
  if (p.userId === p.requesterId && !p.allowSelfApproval) {
    return new LookoutError('forbidden', 'You cannot approve your own request; someone else among the approvers has to.');
  }
  const listed = p.approvers.includes(p.userId) || p.approverGroups.some((g) => p.approvers.includes(g));
  if (listed) return null;
  const who = p.approvers.map((a) => (isUserGroupId(a) ? `<!subteam^${a}>` : `<@${a}>`)).join(', ');
  return new LookoutError('forbidden', `Only the approvers of this channel can approve or deny: ${who || 'none are configured'}.`);
}
