/** The approval card for `/chaos run`, in every state of its request (product.md §4). Pure. */
import type { ActionsBlock, KnownBlock } from '@slack/types';
import { hasStopConditions, type ChaosRequest, type Experiment } from '../chaos/model';
import { guardLines, type GuardRow } from './chaos-guards';
import { CHAOS_ACTIONS, confirmButton, type ChaosActionId } from './chaos-actions';
import { blastRadiusText, durationLine, mention, previewText, statusEmoji, statusText, stopConditionsText, templateName } from './chaos-format';
import { haltLine, type HaltState } from './chaos-halt';
import { referenceNote } from './feedback';
import { capBlocks, context, header, mentionList, message, section, type SlackMessage } from './message';
import { code, escapeText, formatDuration, listWithMore, slackDate, truncate } from './text';

/** The state a card shows: `approved-partially` is a pending request with some approvals; done splits by outcome. */
export type CardState =
  | 'pending'
  | 'approved-partially'
  | 'starting'
  | 'running'
  | 'completed'
  | 'stopped'
  | 'failed'
  | 'denied'
  | 'expired'
  | 'refused';

export function cardState(r: ChaosRequest, now: number): CardState {
  switch (r.state) {
    case 'pending':
      if (now >= r.expiresAt) return 'expired';
      return r.approvals.length ? 'approved-partially' : 'pending';
    case 'approved':
    case 'starting':
      return 'starting';
    case 'running':
      return r.experiment && ['completed', 'stopped', 'failed', 'cancelled'].includes(r.experiment.status) ? outcome(r.experiment) : 'running';
    case 'done':
      return r.experiment ? outcome(r.experiment) : 'completed';
    case 'failed':
      return 'failed';
    default:
      return r.state;
  }
}

function outcome(e: Experiment): CardState {
  return e.status === 'completed' ? 'completed' : e.status === 'failed' ? 'failed' : 'stopped';
}

// ":large_green_circle: *Running*"
const bold = (status: string) => `${statusEmoji(status)} *${escapeText(status.charAt(0).toUpperCase() + status.slice(1))}*`;

const SUMMARY: Record<CardState, string> = {
  pending: 'waiting for approval',
  'approved-partially': 'waiting for more approvals',
  starting: 'approved, starting',
  running: 'running',
  completed: 'completed',
  stopped: 'stopped',
  failed: 'failed',
  denied: 'denied',
  expired: 'expired',
  refused: 'refused at approval',
};

const who = (ids: string[]) => (ids.length ? ids.map(mention).join(', ') : '_nobody_');

function approvalsLine(r: ChaosRequest): string {
  const got = r.approvals.length ? ` — ${who(r.approvals.map((a) => a.userId))}` : '';
  const self = r.allowSelfApproval ? '' : ' (not the requester)';
  return `*Approvers:* ${who(r.approvers)}${self}\n*Approvals:* ${r.approvals.length} of ${r.minApprovals}${got}`;
}

function actionStates(e: Experiment): string {
  if (!e.actions.length) return '';
  const lines = e.actions.map((a) => `• ${code(a.name)} ${statusText(a.status)}${a.reason ? ` — ${escapeText(truncate(a.reason, 200))}` : ''}`);
  return `\n${listWithMore(lines, 10, '\n')}`;
}

function stateSection(r: ChaosRequest, state: CardState, now: number): string {
  const e = r.experiment;
  const exp = r.experimentId ? ` ${code(r.experimentId)}` : '';
  switch (state) {
    case 'pending':
    case 'approved-partially':
      return `:hourglass_flowing_sand: *Waiting for approval* — expires ${slackDate(r.expiresAt)}.`;
    case 'starting':
      return `:rocket: *Approved* — starting the experiment…`;
    case 'running':
      return `${bold(e?.status ?? 'pending')} — experiment${exp}${e?.startedAt ? `, since ${slackDate(e.startedAt)}` : ''}.${e ? actionStates(e) : ''}`;
    case 'completed':
    case 'stopped':
    case 'failed': {
      if (r.state === 'failed') return `:x: *Could not start the experiment.* ${r.error?.message ?? ''}`.trim();
      const took = e?.startedAt && e.endedAt ? ` after ${formatDuration(e.endedAt - e.startedAt)}` : '';
      const by = state === 'stopped' && r.stoppedBy ? ` by ${stopperText(r.stoppedBy)}` : '';
      const why = e?.reason ? `\n> ${escapeText(truncate(e.reason, 500))}` : '';
      return `${bold(e?.status ?? state)} — experiment${exp} ${state}${by}${took}.${why}${e ? actionStates(e) : ''}`;
    }
    case 'denied':
      return `:no_entry: *Denied* by ${mention(r.deniedBy?.userId ?? '?')}${r.deniedBy ? ` ${slackDate(r.deniedBy.at)}` : ''}.`;
    case 'refused':
      return `:no_entry_sign: *Refused at approval* — nothing was started. ${r.error?.message ?? ''}`.trim();
    case 'expired':
      return `:hourglass: *Expired* ${slackDate(Math.min(now, r.expiresAt))} with ${r.approvals.length} of ${r.minApprovals} approvals; nothing was started.`;
  }
}

/** `guard:<name>` (a guard stopped it) or a Slack user id. */
function stopperText(by: string): string {
  return by.startsWith('guard:') ? `guard *${escapeText(by.slice('guard:'.length))}*` : mention(by);
}

/** The run's guards with their state at the last check, next to FIS's own stop conditions. */
function guardsOnCard(r: ChaosRequest): string {
  const rows: GuardRow[] = (r.guards ?? []).map((g) => {
    const check = r.guardChecks?.find((c) => c.name === g.name);
    return { name: g.name, expr: g.expr, forMs: g.forMs, status: check?.status ?? 'inactive', series: check?.series ?? 0, failures: check?.failures ?? 0, ...(check?.value === undefined ? {} : { value: check.value }), ...(check?.reason ? { reason: check.reason } : {}) };
  });
  if (r.stoppedBy?.startsWith('guard:')) {
    const fired = rows.find((g) => `guard:${g.name}` === r.stoppedBy);
    if (fired) fired.status = 'firing';
  }
  return guardLines(rows, { hasStopConditions: hasStopConditions(r.template) });
}

/** One button of the card, carrying the request id, behind Slack's confirmation dialog. */
function cardButton(r: ChaosRequest, text: string, actionId: ChaosActionId, style: 'primary' | 'danger', confirm: { title: string; text: string; confirm: string }) {
  return confirmButton({ text, actionId, value: r.id, style, confirm });
}

function buttons(r: ChaosRequest, state: CardState): ActionsBlock | null {
  const name = r.template.name ?? r.template.id;
  const row = (id: string, elements: ActionsBlock['elements']): ActionsBlock => ({ type: 'actions', block_id: id.slice(0, 255), elements });
  if (state === 'pending' || state === 'approved-partially') {
    const where = `in account ${escapeText(r.account.name)} (${escapeText(r.account.region)})`;
    return row(`chaos_request_${r.id}`, [
      cardButton(r, 'Approve', CHAOS_ACTIONS.approve, 'primary', { title: 'Approve this experiment?', text: `Run *${escapeText(name)}* ${where} when enough approvals are in.`, confirm: 'Approve' }),
      cardButton(r, 'Deny', CHAOS_ACTIONS.deny, 'danger', { title: 'Deny this request?', text: 'The request is closed and nothing runs.', confirm: 'Deny' }),
    ]);
  }
  if (state === 'running' || (state === 'starting' && r.experimentId)) {
    const text = `FIS stops *${escapeText(name)}* (${escapeText(r.experimentId ?? '')}); actions in progress are rolled back where they support it.`;
    return row(`chaos_running_${r.id}`, [cardButton(r, 'Stop experiment', CHAOS_ACTIONS.stop, 'danger', { title: 'Stop the experiment now?', text, confirm: 'Stop it' })]);
  }
  return null;
}

/** The approval card. Buttons appear only while they can work: Approve/Deny while pending, Stop while running. */
/**
 * `halt`: the halt in force, shown on a card still waiting for approval. Its Approve button stays: the approving
 * click is refused on the card while the halt lasts (start-policy checks it), and after `/chaos resume` the same
 * card works again without being posted anew.
 */
export function renderApprovalCard(r: ChaosRequest, now: number, o: { ref?: string; halt?: HaltState | null } = {}): SlackMessage {
  const state = cardState(r, now);
  const name = r.template.name ?? r.template.id;
  const where = `account *${escapeText(r.account.name)}*${r.account.id ? ` (${escapeText(r.account.id)})` : ''}, ${escapeText(r.account.region)}`;
  const reason = r.reason ? `\n> ${escapeText(r.reason).replace(/\n/g, '\n> ')}` : '\n_No reason given._';
  const blast = blastRadiusText(r.template);
  const waiting = state === 'pending' || state === 'approved-partially';
  const halted = o.halt && waiting ? [section(`${haltLine(o.halt)}\nApproving this request while the halt lasts refuses it.`)] : [];
  const blocks: KnownBlock[] = [
    header(`Chaos experiment: ${escapeText(name)}`),
    ...halted,
    section(`${mention(r.requesterId)} asks to run ${templateName(r.template)} in ${where}.${reason}`),
    section(stateSection(r, state, now)),
    section(truncate(`${r.template.description ? `_${escapeText(r.template.description)}_\n` : ''}${blast.actions}\n${durationLine(r.template)}`, 2000)),
    section(`${blast.targets}\n${previewText(r.preview)}`),
    section(stopConditionsText(r.template.stopConditions)),
    ...(r.guards?.length ? [section(truncate(guardsOnCard(r), 2900))] : []),
    section(approvalsLine(r)),
  ];
  const actions = buttons(r, state);
  if (actions) blocks.push(actions);
  blocks.push(context(`Request ${code(r.id)} · asked ${slackDate(r.createdAt)}${r.experimentId ? ` · experiment ${code(r.experimentId)}` : ''}`));
  // "Could not start" is a failure shown in the channel (product.md §2): it carries the click's reference id.
  if (o.ref && r.state === 'failed') blocks.push(referenceNote(o.ref));
  // The notification pings the requester, and the approvers while their approval is wanted.
  return message(capBlocks(blocks), ['Chaos request by ', { mention: r.requesterId }, ` to run ${name}: ${SUMMARY[state]}`, ...(waiting ? [' — approvers: ', ...mentionList(r.approvers)] : [])]);
}
