/** `/report list`: the channel's reports with schedule, command, state, last run and next run. */
import type { KnownBlock } from '@slack/types';
import { context, packLines, section, message, type SlackMessage } from './message';
import { commandText, scheduleText } from './report';
import type { ReportView } from '../reports/model';
import { LIMITS, code, slackDate, truncate } from './text';

const MAX_LISTED = 40;
const SECTION_BUDGET = LIMITS.sectionText - 200;
const LIST_BUDGET = 9000;

function stateText(r: ReportView): string {
  if (r.state === 'paused') return `:double_vertical_bar: paused${r.pausedReason ? ` (${r.pausedReason})` : ''}`;
  return ':large_green_circle: active';
}

function lastText(r: ReportView): string {
  if (r.lastRunAt === null || r.lastResult === null) return 'not run yet';
  const when = slackDate(r.lastRunAt);
  if (r.lastResult === 'posted') return `last run ${when}: posted`;
  if (r.lastResult === 'unchanged') return `last run ${when}: unchanged, nothing posted`;
  const error = r.lastError ? ` — ${truncate(r.lastError.replace(/\s+/g, ' '), 200)}` : '';
  const streak = r.failures > 1 ? ` (${r.failures} in a row)` : '';
  return `:warning: last run ${when} failed${streak}${error}`;
}

function line(r: ReportView): string {
  const flags = [r.onChange ? 'on change' : '', r.source === 'config' ? 'from lookout.yml' : ''].filter(Boolean);
  const head = `• ${code(r.id)} ${commandText(r.command)}${flags.length ? ` _(${flags.join(', ')})_` : ''}`;
  const next = r.state === 'active' && r.nextRunAt !== null ? ` · next ${slackDate(r.nextRunAt)}` : '';
  return `${head}\n    ${scheduleText(r)} · ${stateText(r)} · ${lastText(r)}${next}`;
}

export function renderReportList(reports: ReportView[]): SlackMessage {
  if (!reports.length) {
    const text = 'No reports in this channel yet.';
    return message([section(`${text} Add one: \`/report add "0 9 * * 1-5" --tz Europe/Berlin -- /chaos history\`.`)], text);
  }
  const blocks: KnownBlock[] = [section(`*Reports in this channel* — ${reports.length}`)];
  const { blocks: listed, shown } = packLines(reports.slice(0, MAX_LISTED).map(line), { sectionMax: SECTION_BUDGET, budget: LIST_BUDGET });
  blocks.push(...listed);
  if (shown < reports.length) blocks.push(context(`…and ${reports.length - shown} more reports (next due first).`));
  blocks.push(context('`/report run ID` runs one now · `pause`/`resume`/`remove ID` · `edit ID "CRON"` changes its schedule'));
  return message(blocks, `${reports.length} report${reports.length === 1 ? '' : 's'} in this channel`);
}
