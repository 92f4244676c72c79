/** /reach list, watch, unwatch and forget confirmations. */
import type { KnownBlock } from '@slack/types';
import type { ForgetSummary, ReachPathSummary, ReachQuestion, WatchSchedule, WatchSummary } from '../reach/model';
import { context, packLines, section, message, type SlackMessage } from './message';
import { ago, questionText } from './reach-text';
import { LIMITS, code, escapeText, formatDuration, slackDate } from './text';

const MAX_LISTED = 40;
const SECTION_BUDGET = LIMITS.sectionText - 100;
const LIST_BUDGET = 8000;

function resultText(p: ReachPathSummary, now: number): string {
  if (!p.last) return '_not analysed yet_';
  const when = `checked ${ago(now - p.last.checkedAt)} ago`;
  if (p.last.result === 'reachable') return `:white_check_mark: reachable, ${when}`;
  if (p.last.result === 'failed') return `:warning: analysis failed, ${when}`;
  const codes = p.last.codes.length ? ` (${p.last.codes.slice(0, 3).map(code).join(', ')}${p.last.codes.length > 3 ? '…' : ''})` : '';
  return `:no_entry: not reachable${codes}, ${when}`;
}

export function renderReachList(paths: ReachPathSummary[], now: number, where: { region: string; accountName: string }): SlackMessage {
  const place = `${escapeText(where.region)} (account ${escapeText(where.accountName)})`;
  if (!paths.length) {
    const text = `Lookout manages no reachability paths in ${place} yet.`;
    return message([section(`${text} Ask one: \`/reach web-1 -> db-1:5432\`.`)], text);
  }
  const lines = paths.slice(0, MAX_LISTED).map((p) => {
    const watch = p.watchedHere ? ' · :eyes: watched here' : p.watchCount ? ` · watched in ${p.watchCount} channel${p.watchCount > 1 ? 's' : ''}` : '';
    return `• ${code(p.pathId)} ${questionText(p.question)} — ${resultText(p, now)}${watch}`;
  });
  const blocks: KnownBlock[] = [section(`*Reachability paths Lookout manages in ${place}* — ${paths.length}`)];
  const { blocks: listed, shown } = packLines(lines, { sectionMax: SECTION_BUDGET, budget: LIST_BUDGET });
  blocks.push(...listed);
  if (shown < paths.length) blocks.push(context(`…and ${paths.length - shown} more paths (most recently used first).`));
  blocks.push(context('Paths unused for 30 days are deleted with their analyses; `/reach forget PATH-ID` deletes one now.'));
  return message(blocks, `${paths.length} reachability paths in ${place}`);
}

export function scheduleText(s: WatchSchedule): string {
  if (s.cron) return `on the schedule ${code(s.cron)} (UTC)`;
  return `every ${formatDuration(s.intervalMs ?? 0)}`;
}

export function renderReachWatchStored(w: WatchSummary): SlackMessage {
  const verb = w.created ? 'Watching' : 'Updated the watch of';
  const count = w.expectedPerMonth.toLocaleString('en-US');
  const text = `${verb} ${questionText(w.question)} (${code(w.pathId)}) in this channel ${scheduleText(w.schedule)}.`;
  return message(
    [
      section(`:eyes: ${text}\nLookout posts here only when the answer changes.`),
      context(`Expect about *${count} analyses a month* — each one is billed. First check ${slackDate(w.nextRunAt)}. \`/reach unwatch ${w.pathId}\` stops it.`),
      watchReportNote(w.reportId),
    ],
    `${verb} reachability path ${w.pathId}`,
  );
}

export function renderReachUnwatched(u: { pathId: string; question: ReachQuestion }): SlackMessage {
  const text = `Stopped watching ${questionText(u.question)} (${code(u.pathId)}) in this channel.`;
  return message([section(`:no_bell: ${text}`)], `Stopped watching ${u.pathId}`);
}

export function renderReachForgotten(f: ForgetSummary): SlackMessage {
  const analyses = f.analysesDeleted === 1 ? '1 analysis' : `${f.analysesDeleted} analyses`;
  const watches = f.watchesRemoved ? ` Removed ${f.watchesRemoved === 1 ? 'its watch' : `its ${f.watchesRemoved} watches`} too.` : '';
  return message([section(`:wastebasket: Deleted path ${code(f.pathId)} (${questionText(f.question)}) and ${analyses}.${watches}`)], `Deleted reachability path ${f.pathId}`);
}

/** Under a watch confirmation: the scheduled report that does the re-checking, and how to manage it. */
export function watchReportNote(reportId: string): KnownBlock {
  return context(`Runs as report ${code(reportId)} · \`/report pause ${reportId}\` · \`/report run ${reportId}\` checks now`);
}
