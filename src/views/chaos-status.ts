/** `/chaos status` and `/chaos history`. Pure. */
import type { KnownBlock } from '@slack/types';
import { LOOKOUT_TAGS, type Experiment, type ExperimentsAnswer, type ExperimentSummary } from '../chaos/model';
import { mention, statusText } from './chaos-format';
import { context, header, packLines, section, message, type Rendered } from './message';
import { LIMITS, code, escapeText, formatDuration, listWithMore, slackDate, truncate } from './text';

function nameOf(e: ExperimentSummary, names: Record<string, string>): string {
  const n = names[e.templateId];
  return n ? `*${escapeText(n)}*` : code(e.templateId);
}

/** "requested by <@U…> in Lookout (chq-…)" from our tags; experiments started elsewhere say nothing. */
function origin(e: ExperimentSummary): string {
  const by = e.tags[LOOKOUT_TAGS.requestedBy];
  return by ? ` · requested by ${mention(by)}` : '';
}

// The whole message stays under Slack's cumulative text limit; the rest of the message needs about 1,500.
const TEXT_BUDGET = 8500;

function experimentBlock(e: Experiment, names: Record<string, string>, now: number, budget: number): string {
  const since = e.startedAt ? ` since ${slackDate(e.startedAt)} (${formatDuration(Math.max(0, now - e.startedAt))})` : '';
  const reason = e.reason ? `\n> ${escapeText(truncate(e.reason, 300))}` : '';
  const actions = e.actions.map((a) => `• ${code(a.name)} ${escapeText(a.actionId)} — ${statusText(a.status)}${a.reason ? ` — ${escapeText(truncate(a.reason, 150))}` : ''}`);
  return truncate(`${nameOf(e, names)} ${code(e.id)} — ${statusText(e.status)}${since}${origin(e)}${reason}\n${listWithMore(actions, 10, '\n')}`, budget);
}

export function renderStatus(a: ExperimentsAnswer<Experiment>, rc: { region?: string; now: number }): Rendered {
  const n = a.experiments.length;
  const blocks: KnownBlock[] = [];
  if (!n) blocks.push(section(':zzz: No experiments are running in this account and region.'));
  else blocks.push(header(n === 1 && !a.more ? `Experiment ${a.experiments[0].id}` : `Running experiments (${n + a.more})`));
  const shown = a.experiments.slice(0, 20);
  const each = Math.min(LIMITS.sectionText - 100, Math.floor(TEXT_BUDGET / Math.max(1, shown.length)));
  for (const e of shown) blocks.push(section(experimentBlock(e, a.templateNames, rc.now, each)));
  if (a.more) blocks.push(context(`…and ${a.more} more running. \`/chaos status EXPERIMENT\` shows one.`));
  const r = rc.region;
  const cli = r ? { lines: [n === 1 ? `aws fis get-experiment --region ${r} --id ${a.experiments[0].id}` : `aws fis list-experiments --region ${r}`], region: r } : undefined;
  return { cli, message: message(blocks, n ? `${n + a.more} experiment(s): ${a.experiments.map((e) => `${e.id} ${e.status}`).join(', ')}` : 'No experiments are running') };
}

export function renderHistory(a: ExperimentsAnswer<ExperimentSummary>, rc: { region?: string }): Rendered {
  const lines = a.experiments.map((e) => {
    const when = e.createdAt ? `${slackDate(e.createdAt)} ` : '';
    const why = e.reason && e.status !== 'completed' ? ` — ${escapeText(truncate(e.reason, 120))}` : '';
    return `• ${when}${nameOf(e, a.templateNames)} ${code(e.id)} — ${statusText(e.status)}${why}${origin(e)}`;
  });
  const blocks: KnownBlock[] = [header(`Recent experiments (${a.experiments.length})`)];
  if (!lines.length) blocks.push(section('No experiments in this account and region yet (FIS keeps them for 120 days).'));
  // Several sections so no one section passes Slack's 3,000 characters, and all of them within the budget.
  const { blocks: listedBlocks, shown: listed } = packLines(lines, { sectionMax: 2800, budget: TEXT_BUDGET });
  blocks.push(...listedBlocks);
  const hidden = a.more + lines.length - listed;
  if (hidden) blocks.push(context(`${hidden} older experiment(s) not shown; \`/chaos history --limit N\` shows up to 50.`));
  const cli = rc.region ? { lines: [`aws fis list-experiments --region ${rc.region}`], region: rc.region } : undefined;
  return { message: message(blocks, `${a.experiments.length} recent experiment(s)`), cli };
}
