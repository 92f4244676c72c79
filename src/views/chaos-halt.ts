/** `/chaos halt` and `/chaos resume` answers, and the one line that says chaos is halted. Pure. */
import type { Experiment } from '../chaos/model';
import type { LookoutError } from '../errors';
import { mention } from './chaos-format';
import { message, section, type SlackMessage } from './message';
import { code, escapeText, listWithMore, slackDate, truncate } from './text';

/** A halt in force (chaos/halt HaltState: views take plain data, not service types). */
export interface HaltState {
  by: string;
  reason?: string;
  at: number;
}

/** What haltAll did, as the view needs it (chaos/halt HaltResult, plus the accounts without a region). */
export interface HaltAnswer {
  halt: HaltState;
  newly: boolean;
  stopped: { account: string; experiment: Pick<Experiment, 'id' | 'templateId' | 'status'> }[];
  failed: { account: string; experimentId?: string; error: Pick<LookoutError, 'message'> }[];
  /** Accounts named in lookout.yml that have no region, so nothing could be stopped there. */
  unreachable: string[];
}

/** ":octagonal_sign: Chaos is halted by @alice since …: reason" — for cards, `/lookout status` and refusals. */
export function haltLine(h: HaltState): string {
  const why = h.reason ? `: ${escapeText(h.reason)}` : '';
  return `:octagonal_sign: Chaos experiments are *halted* by ${mention(h.by)} since ${slackDate(h.at)}${why}. \`/chaos resume\` lifts it (admin).`;
}

export function renderHaltResult(a: HaltAnswer): SlackMessage {
  const head = a.newly ? haltLine(a.halt) : `${haltLine(a.halt)}\n(It was halted already; Lookout stopped anything still running again.)`;
  const stopped = a.stopped.map((s) => `• ${code(s.experiment.id)} (${code(s.experiment.templateId)}) in *${escapeText(s.account)}*`);
  const failed = [
    ...a.failed.map((f) => `• ${f.experimentId ? `${code(f.experimentId)} in ` : ''}*${escapeText(f.account)}*: ${f.error.message}`),
    ...a.unreachable.map((name) => `• *${escapeText(name)}*: no region is configured for this account, so it was not checked`),
  ];
  const parts = [
    head,
    stopped.length ? `Stopped ${stopped.length} experiment${stopped.length === 1 ? '' : 's'}:\n${listWithMore(stopped, 20, '\n')}` : 'Nothing was running.',
    ...(failed.length ? [`:warning: Could not stop:\n${listWithMore(failed, 20, '\n')}`] : []),
  ];
  const text = `Chaos halted${a.stopped.length ? `; stopped ${a.stopped.length}` : ''}${failed.length ? `; ${failed.length} could not be stopped` : ''}`;
  return message(parts.map((p) => section(truncate(p, 2900))), text);
}

export function renderResumeResult(lifted: HaltState | null, by: string): SlackMessage {
  if (!lifted) return message([section(':white_check_mark: Chaos experiments were not halted; nothing to resume.')], 'Chaos was not halted');
  const why = lifted.reason ? ` (${escapeText(lifted.reason)})` : '';
  return message([section(`:arrow_forward: ${mention(by)} lifted the halt ${mention(lifted.by)} set ${slackDate(lifted.at)}${why}. \`/chaos run\` works again.`)], 'Chaos resumed');
}
