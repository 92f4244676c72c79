/** `/chaos list` and `/chaos show`. Pure. */
import type { KnownBlock } from '@slack/types';
import { hasStopConditions, type Template, type TemplateDetails, type TemplateListing, type TemplateSummary } from '../chaos/model';
import { blastRadiusText, durationLine, previewText, stopConditionsText, templateName } from './chaos-format';
import { context, header, section, standsFor, message, type Rendered } from './message';
import { LIMITS, code, escapeText, listWithMore, truncate } from './text';

const LIST_BUDGET = 8000;

function gate(allowed: boolean, tag?: { key: string; value: string }): string {
  return allowed || !tag ? '' : `\n:lock: Not runnable from Lookout: lacks the tag ${code(`${tag.key}=${tag.value}`)}.`;
}

function listEntry(summary: TemplateSummary, t: Template | undefined, allowed: boolean, tag?: { key: string; value: string }): string {
  const desc = summary.description ? ` — ${escapeText(truncate(summary.description, 200))}` : '';
  if (!t) return `${templateName(summary)}${desc}\n_details not loaded: \`/chaos show ${summary.id}\`_${gate(allowed, tag)}`;
  const actions = listWithMore(t.actions.map((a) => `${code(a.name)} ${escapeText(a.actionId)}`), 4);
  const targets = listWithMore(t.targets.map((x) => `${escapeText(x.resourceType)} ${escapeText(x.selectionMode)}`), 3);
  const stops = hasStopConditions(t) ? `${t.stopConditions.filter((c) => c.source !== 'none').length} stop condition(s)` : ':warning: no stop conditions';
  return `${templateName(summary)}${desc}\n*Actions:* ${actions || '_none_'}\n*Targets:* ${targets || '_none_'} · ${stops}${gate(allowed, tag)}`;
}

export function renderTemplateList(listing: TemplateListing, rc: { region?: string }): Rendered {
  const n = listing.items.length;
  const blocks: KnownBlock[] = [header(`Experiment templates (${n})`)];
  if (!n) blocks.push(section('No FIS experiment templates in this account and region. Create one in the FIS console first.'));
  let used = 0;
  let shown = 0;
  const entryOf = (item: TemplateListing['items'][number]) => listEntry(item.summary, item.template, item.allowed, listing.templateTag);
  for (const item of listing.items) {
    const entry = truncate(entryOf(item), 1200);
    if (used + entry.length > LIST_BUDGET || blocks.length >= LIMITS.blocksPerMessage - 4) break;
    blocks.push(section(entry));
    used += entry.length;
    shown++;
  }
  if (shown < n) {
    const more = context(`…and ${n - shown} more templates not shown. \`/chaos show TEMPLATE\` shows any of them.`);
    blocks.push(standsFor(more, listing.items.slice(shown).map(entryOf).join('\n\n')));
  }
  const cli = rc.region ? { lines: [`aws fis list-experiment-templates --region ${rc.region}`], region: rc.region } : undefined;
  return { message: message(blocks, `${n} experiment template${n === 1 ? '' : 's'}`), cli };
}

export function renderTemplateDetails(d: TemplateDetails, rc: { region?: string }): Rendered {
  const t = d.template;
  const blast = blastRadiusText(t);
  const blocks: KnownBlock[] = [
    header(`Template: ${escapeText(t.name ?? t.id)}`),
    section(`${templateName(t)}${t.description ? `\n_${escapeText(t.description)}_` : ''}${gate(d.allowed, d.templateTag)}`),
    section(`${blast.actions}\n${durationLine(t)}`),
    section(`${blast.targets}\n${previewText(d.preview)}`),
    section(stopConditionsText(t.stopConditions)),
  ];
  if (t.roleArn) blocks.push(context(`FIS role ${code(t.roleArn)}`));
  const region = rc.region;
  const lines = region ? [`aws fis get-experiment-template --region ${region} --id ${t.id}`] : [];
  if (region && d.preview.status === 'verified') lines.push(`aws fis list-experiment-resolved-targets --region ${region} --experiment-id ${d.preview.experimentId}`);
  return { message: message(blocks, `Experiment template ${t.name ?? t.id}`), cli: region ? { lines, region } : undefined };
}
