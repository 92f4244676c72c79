/** Messages in the approval card's thread: change lines, the final summary, the reminder, and the requester's notice. */
import type { KnownBlock } from '@slack/types';
import type { ChaosRequest, ExperimentChange, ExperimentReport } from '../chaos/model';
import { mention, statusEmoji, statusText } from './chaos-format';
import { context, mentionList, message, section, type Rendered, type SlackMessage } from './message';
import { experimentCli } from './chaos-format';
import { code, escapeText, formatDuration, listWithMore, slackDate, truncate } from './text';

const REASON_MAX = 300;

function changeLine(c: ExperimentChange): string {
  const from = c.from ? `${escapeText(c.from)} → ` : '';
  const why = c.reason ? ` — ${escapeText(truncate(c.reason, REASON_MAX))}` : '';
  const subject = c.kind === 'status' ? '*Experiment*' : `Action ${code(c.action)}`;
  return `${statusEmoji(c.to)} ${subject}: ${from}*${escapeText(c.to)}*${why}`;
}

/** One thread message for the changes seen in one poll (the handler posts it; updates to the card are separate). */
export function renderChangeLines(experimentId: string, changes: ExperimentChange[]): SlackMessage {
  const lines = changes.map(changeLine);
  const at = changes[0]?.at;
  const body = truncate(listWithMore(lines, 20, '\n'), 2900);
  return message([section(body), ...(at ? [context(`${code(experimentId)} · ${slackDate(at)}`)] : [])], truncate(`Experiment ${experimentId}: ${changes.map((c) => (c.kind === 'status' ? c.to : `${c.action} ${c.to}`)).join(', ')}`, 500));
}

const TARGETS_LISTED = 20;

/** The final summary: outcome, duration, FIS's reason, each action's end state, and the resources FIS resolved. */
export function renderSummary(r: ExperimentReport, o: { region?: string } = {}): Rendered {
  const name = r.templateName ? `${escapeText(r.templateName)} ` : '';
  const took = r.durationMs !== undefined ? ` in ${formatDuration(r.durationMs)}` : '';
  const by = r.status === 'stopped' && r.stoppedBy ? ` by ${mention(r.stoppedBy)}` : '';
  const blocks: KnownBlock[] = [
    section(`${statusEmoji(r.status)} *Experiment ${name}${code(r.experimentId)} ${escapeText(r.status)}*${by}${took}.`),
  ];
  if (r.reason || r.errorCode) {
    const codePart = r.errorCode ? ` (${code(r.errorCode)})` : '';
    blocks.push(section(`*FIS says:* ${escapeText(truncate(r.reason ?? '', 1000))}${codePart}`));
  }
  if (r.actions.length) {
    const lines = r.actions.map((a) => {
      const d = a.startedAt && a.endedAt ? ` · ${formatDuration(a.endedAt - a.startedAt)}` : '';
      return `• ${code(a.name)} ${escapeText(a.actionId)} — ${statusText(a.status)}${d}${a.reason ? ` — ${escapeText(truncate(a.reason, 200))}` : ''}`;
    });
    blocks.push(section(truncate(`*Actions*\n${listWithMore(lines, 15, '\n')}`, 2500)));
  }
  if (r.resolvedTargets === null) {
    blocks.push(section(':grey_question: *Resources:* FIS did not list the resolved targets (ListExperimentResolvedTargets failed).'));
  } else {
    const lines = r.resolvedTargets.map((t) => {
      const info = Object.entries(t.info).map(([k, v]) => `${escapeText(k)}: ${code(v)}`);
      return `• ${code(t.targetName)} ${escapeText(t.resourceType)} — ${listWithMore(info, 4)}`;
    });
    const body = lines.length ? listWithMore(lines, TARGETS_LISTED, '\n') : '_none_';
    blocks.push(section(truncate(`*Resources FIS resolved* (${lines.length})\n${body}`, 2900)));
  }
  const times = [r.startedAt ? `started ${slackDate(r.startedAt)}` : '', r.endedAt ? `ended ${slackDate(r.endedAt)}` : ''].filter(Boolean);
  blocks.push(context([...times, r.requestId ? `request ${code(r.requestId)}` : ''].filter(Boolean).join(' · ') || code(r.experimentId)));
  const cli = o.region ? { lines: experimentCli(r.experimentId, o.region, true), region: o.region } : undefined;
  return { message: message(blocks, `Experiment ${r.experimentId} ${r.status}${took}`), cli };
}

/** Posted in the card's thread 5 minutes before the request expires, mentioning the approvers again. */
export function renderReminder(r: ChaosRequest): SlackMessage {
  const missing = Math.max(0, r.minApprovals - r.approvals.length);
  const text = `:alarm_clock: This request expires ${slackDate(r.expiresAt)} and still needs ${missing} approval${missing === 1 ? '' : 's'}: ${r.approvers.map(mention).join(', ')}`;
  return message([section(text)], [`Chaos request ${r.id} expires soon — `, ...mentionList(r.approvers)]);
}

/** Tells the requester how their request ended (ephemeral or DM; the handler decides). */
export function renderRequesterNotice(r: ChaosRequest): SlackMessage {
  const name = `${escapeText(r.template.name ?? r.template.id)}`;
  const lines: Record<string, string> = {
    running: `:rocket: Your request to run *${name}* was approved by ${r.approvals.map((a) => mention(a.userId)).join(', ')}; experiment ${code(r.experimentId ?? '')} has started.`,
    denied: `:no_entry: Your request to run *${name}* was denied by ${mention(r.deniedBy?.userId ?? '?')}.`,
    expired: `:hourglass: Your request to run *${name}* expired with ${r.approvals.length} of ${r.minApprovals} approvals; nothing was started.`,
    failed: `:x: Your request to run *${name}* was approved, but the experiment could not start: ${r.error?.message ?? 'unknown error'}`,
    refused: `:no_entry_sign: Your request to run *${name}* was approved, but the policy at approval refused it, so nothing was started: ${r.error?.message ?? ''}`,
    done: `${statusEmoji(r.experiment?.status ?? 'completed')} The experiment you requested (*${name}*, ${code(r.experimentId ?? '')}) ended: ${escapeText(r.experiment?.status ?? 'completed')}.`,
  };
  const text = lines[r.state] ?? `Your request to run *${name}* is ${escapeText(r.state)}.`;
  return message([section(text)]);
}
