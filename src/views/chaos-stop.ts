/** `/chaos stop` confirmations (ephemeral, with buttons) and their results. Pure. */
import type { KnownBlock } from '@slack/types';
import type { Experiment, ExperimentSummary } from '../chaos/model';
import { CHAOS_ACTIONS, confirmButton } from './chaos-actions';
import { experimentCli, mention, statusText } from './chaos-format';
import { encodeButtonValue, STOP_BUTTON } from './button-value';
import { context, message, section, type Rendered, type SlackMessage } from './message';
import { code, escapeText, listWithMore, truncate } from './text';

function label(e: ExperimentSummary, names: Record<string, string>): string {
  const n = names[e.templateId];
  return `${code(e.id)}${n ? ` (${escapeText(n)})` : ` (${code(e.templateId)})`} — ${statusText(e.status)}`;
}

const cancel = () => confirmButton({ text: 'Cancel', actionId: CHAOS_ACTIONS.cancelStop, value: 'cancel' });

/** "Stop experiment X now?" with Stop (danger, confirmed) and Cancel. An ended experiment gets no buttons. */
/** `account`: where it was asked, carried by the Stop button so the click stops it there. */
export function renderStopConfirmation(e: ExperimentSummary, templateNames: Record<string, string> = {}, account?: string): SlackMessage {
  if (['completed', 'stopped', 'failed', 'cancelled'].includes(e.status)) {
    const text = `Experiment ${label(e, templateNames)}: it already ended, there is nothing to stop.`;
    return message([section(text)], `Experiment ${e.id} already ended`);
  }
  const blocks: KnownBlock[] = [
    section(`:octagonal_sign: Stop experiment ${label(e, templateNames)} now? Stopping needs no approval.`),
    {
      type: 'actions',
      elements: [
        confirmButton({
          text: 'Stop it now',
          actionId: CHAOS_ACTIONS.confirmStop,
          value: encodeButtonValue(STOP_BUTTON, { experiment: e.id, account }),
          style: 'danger',
          confirm: { title: 'Stop this experiment?', text: `FIS stops ${code(e.id)} at once.`, confirm: 'Stop' },
        }),
        cancel(),
      ],
    },
  ];
  return message(blocks, `Stop experiment ${e.id}?`);
}

/** "Stop all N unfinished experiments in account X?" — lists them; nothing running means no buttons. */
export function renderStopAllConfirmation(experiments: ExperimentSummary[], account: string, templateNames: Record<string, string> = {}): SlackMessage {
  const where = `account *${escapeText(account)}*`;
  if (!experiments.length) return message([section(`:zzz: Nothing is running in ${where}; there is nothing to stop.`)], 'Nothing to stop');
  const lines = experiments.map((e) => `• ${label(e, templateNames)}`);
  const n = experiments.length;
  const blocks: KnownBlock[] = [
    section(truncate(`:octagonal_sign: Stop *all ${n}* unfinished experiment${n === 1 ? '' : 's'} in ${where} now, including ones not started from Lookout?\n${listWithMore(lines, 20, '\n')}`, 2900)),
    {
      type: 'actions',
      elements: [
        confirmButton({
          text: `Stop all ${n}`,
          actionId: CHAOS_ACTIONS.confirmStopAll,
          value: account,
          style: 'danger',
          confirm: { title: 'Stop every experiment?', text: `FIS stops all ${n} unfinished experiments in account ${escapeText(account)}.`, confirm: 'Stop all' },
        }),
        cancel(),
      ],
    },
  ];
  return message(blocks, `Stop all ${n} experiments?`);
}

export function renderStopped(e: Experiment, by: string, region?: string): Rendered {
  const text = `:octagonal_sign: ${mention(by)} stopped experiment ${code(e.id)} — now ${statusText(e.status)}.`;
  return { message: message([section(text)], `Experiment ${e.id} stopped`), cli: region ? { lines: experimentCli(e.id, region), region } : undefined };
}

export function renderStopAllResult(r: { stopped: Experiment[]; failed: { experimentId: string; error: { message: string } }[] }, by: string, region?: string): Rendered {
  const blocks: KnownBlock[] = [];
  const ok = r.stopped.map((e) => code(e.id));
  blocks.push(section(ok.length ? `:octagonal_sign: ${mention(by)} stopped ${ok.length} experiment(s): ${listWithMore(ok, 20)}.` : `${mention(by)} asked to stop every experiment; none needed stopping.`));
  if (r.failed.length) {
    const lines = r.failed.map((f) => `• ${code(f.experimentId)}: ${truncate(f.error.message, 300)}`);
    blocks.push(section(truncate(`:warning: *Could not stop ${r.failed.length}:*\n${listWithMore(lines, 10, '\n')}`, 2900)));
    blocks.push(context('Stop them in the FIS console, or try `/chaos stop EXPERIMENT` again.'));
  }
  const cli = region ? { lines: [`aws fis list-experiments --region ${region}`], region } : undefined;
  return { message: message(blocks, `Stopped ${ok.length} experiment(s)${r.failed.length ? `, ${r.failed.length} failed` : ''}`), cli };
}
