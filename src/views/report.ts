/**
 * /report confirmations, the paused notice, and what decorates a scheduled post (change line, missed-run note,
 * "scheduled report" context). Pure: data in, blocks out. Command text is user text: always escaped.
 */
import type { KnownBlock } from '@slack/types';
import { context, section, message, type SlackMessage } from './message';
import { describeCron } from './report-cron';
import { LIMITS, code, escapeText, formatDuration, slackDate, truncate } from './text';
import type { MissedNote, ReportView, ScheduledView } from '../reports/model';

const COMMAND_SHOWN = 300;
/** Late by more than this (Lookout was down, a retry after a crash): the post says when it was due. */
const LATE_NOTE_MS = 2 * 60_000;

export const commandText = (command: string) => code(truncate(command, COMMAND_SHOWN));

/** "every weekday at 09:00 (Europe/Berlin)", or the raw cron when it has no simple wording. */
export function scheduleText(r: Pick<ReportView, 'cron' | 'tz'>): string {
  const words = describeCron(r.cron);
  return words ? `${words} (${escapeText(r.tz)})` : `on the schedule ${code(r.cron)} (${escapeText(r.tz)})`;
}

export function renderReportAdded(s: ScheduledView): SlackMessage {
  const r = s.report;
  const what = r.watch ? 'Watch' : 'Report';
  const posts = r.onChange ? 'posts here only when the answer changes' : 'posts the answer here';
  const lines = [`:calendar: ${what} ${code(r.id)} added: runs ${commandText(r.command)} ${scheduleText(r)} and ${posts}.`];
  if (s.nextRuns.length) lines.push(`*Next runs:* ${s.nextRuns.map((t) => slackDate(t)).join(', ')}`);
  const blocks: KnownBlock[] = [section(lines.join('\n'))];
  if (s.billed) {
    const count = s.expectedRunsPerMonth.toLocaleString('en-US');
    blocks.push(context(`Expect about *${count} analyses a month* — each reachability analysis is billed by AWS.`));
  }
  blocks.push(context(`Cron ${code(r.cron)} · ${escapeText(r.tz)} · \`/report run ${r.id}\` runs it now · \`/report pause ${r.id}\` · \`/report remove ${r.id}\``));
  return message(blocks, `${what} ${r.id} added`);
}

export function renderReportEdited(s: ScheduledView): SlackMessage {
  const r = s.report;
  const next = s.nextRuns.length ? ` Next runs: ${s.nextRuns.map((t) => slackDate(t)).join(', ')}.` : ' It is paused.';
  return message([section(`:calendar: Report ${code(r.id)} now runs ${scheduleText(r)}.${next}`)], `Report ${r.id} rescheduled`);
}

export function renderReportStateChanged(action: 'paused' | 'resumed' | 'removed', s: { report: ReportView; nextRuns?: number[] }): SlackMessage {
  const r = s.report;
  const subject = `Report ${code(r.id)} (${commandText(r.command)})`;
  const line =
    action === 'paused'
      ? `:double_vertical_bar: ${subject} is paused. \`/report resume ${r.id}\` starts it again.`
      : action === 'resumed'
        ? `:arrow_forward: ${subject} runs again ${scheduleText(r)}.${s.nextRuns?.length ? ` Next run ${slackDate(s.nextRuns[0])}.` : ''}`
        : `:wastebasket: ${subject} is removed.`;
  return message([section(line)], `Report ${r.id} ${action}`);
}

/** The ephemeral answer to `/report run ID`; the report's own answer is posted in the channel by the run. */
export function renderReportRunOutcome(id: string, o: { status: 'posted' | 'unchanged' | 'failed' | 'lost'; error?: string }): SlackMessage {
  const line =
    o.status === 'failed'
      ? `:warning: Report ${code(id)} ran and failed: ${truncate(o.error ?? 'no details', 500)}`
      : o.status === 'lost'
        ? `:information_source: Report ${code(id)} was removed or changed while it ran; nothing was recorded.`
        : `:white_check_mark: Report ${code(id)} ran${o.status === 'posted' ? '; its answer is in the channel' : ''}.`;
  return message([section(line)], `Report ${id}: ${o.status}`);
}

/** Posted in the report's channel when it was paused after failing too often. */
export function renderReportPaused(r: ReportView, reason: string): SlackMessage {
  const last = r.lastError ? `\nLast error: ${truncate(r.lastError, 500)}` : '';
  return message(
    [
      section(`:double_vertical_bar: Report ${code(r.id)} (${commandText(r.command)}) is paused: ${escapeText(reason)}.${last}`),
      context(`Fix the cause, then \`/report resume ${r.id}\` (or \`/report run ${r.id}\` to try it once).`),
    ],
    `Report ${r.id} paused`,
  );
}

/** "Lookout was not running: 3 scheduled runs from … to … were skipped." */
export function missedNoteText(m: MissedNote): string {
  const n = `${m.atLeast ? 'more than ' : ''}${m.skipped.toLocaleString('en-US')}`;
  const runs = m.skipped === 1 && !m.atLeast ? `the run due ${slackDate(m.firstAt)} was` : `${n} scheduled runs (${slackDate(m.firstAt)} to ${slackDate(m.lastAt)}) were`;
  return `:warning: ${runs} skipped: Lookout was not running at the time.`;
}

/** The change line of an on-change report: plain text from describeChange, escaped here. */
export function renderChangeLine(line: string): KnownBlock {
  return section(`:arrows_counterclockwise: *Changed:* ${escapeText(truncate(line, 500))}`);
}

export interface PostExtras {
  report: ReportView;
  trigger: 'schedule' | 'retry' | 'manual';
  occurrence: number;
  lateByMs: number;
  missed: MissedNote | null;
  changeLine?: string | null;
}

/** The context line under a report's answer: which report, its schedule, and notes about late or skipped runs. */
export function renderReportContext(x: PostExtras): KnownBlock {
  const who = x.trigger === 'manual' ? 'run on request' : scheduleText(x.report);
  const parts = [`:calendar: Report ${code(x.report.id)} · ${who}`];
  if (x.trigger !== 'manual' && x.lateByMs > LATE_NOTE_MS) parts.push(`due ${slackDate(x.occurrence)}, ran ${formatDuration(x.lateByMs)} late`);
  const elements = [parts.join(' · ')];
  if (x.missed) elements.push(missedNoteText(x.missed));
  return context(...elements);
}

/** A report's answer as posted: the change line first, the answer, then the report context (within 50 blocks). */
export function decorateReportPost(answer: SlackMessage, x: PostExtras): SlackMessage {
  const head = x.changeLine ? [renderChangeLine(x.changeLine)] : [];
  const tail = renderReportContext(x);
  const all = [...head, ...answer.blocks];
  const room = LIMITS.blocksPerMessage - 1;
  const body = all.length <= room ? all : [...all.slice(0, room - 1), context(`…and ${all.length - room + 1} more blocks not shown.`)];
  const text = x.changeLine ? `${escapeText(truncate(x.changeLine, 200))} — ${answer.text}` : answer.text;
  return message([...body, tail], truncate(text, 3000));
}
