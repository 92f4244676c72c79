/** Text pieces shared by the /chaos views: states, mentions, blast radius, stop conditions, durations. */
import type { ActionStatus, ExperimentStatus, StopCondition, TargetPreview, Template, TemplateAction, TemplateTarget } from '../chaos/model';
import { code, escapeText, formatDuration, listWithMore, truncate } from './text';

export const STATUS_EMOJI: Record<ExperimentStatus | ActionStatus, string> = {
  pending: ':white_circle:',
  initiating: ':large_blue_circle:',
  running: ':large_green_circle:',
  completed: ':white_check_mark:',
  stopping: ':octagonal_sign:',
  stopped: ':octagonal_sign:',
  failed: ':x:',
  cancelled: ':heavy_minus_sign:',
  skipped: ':fast_forward:',
};

export function statusEmoji(s: string): string {
  return STATUS_EMOJI[s as ExperimentStatus] ?? ':grey_question:';
}

export function statusText(s: string): string {
  return `${statusEmoji(s)} ${escapeText(s)}`;
}

// Mentions are built in message.ts, which also validates the ids a summary pings.
export { mention } from './message';

export function templateName(t: { id: string; name?: string }): string {
  return t.name ? `*${escapeText(t.name)}* (${code(t.id)})` : code(t.id);
}

/** ISO-8601 action durations (PT5M, PT1H30M, PT90S) in ms; null when absent or unreadable. */
export function isoDurationMs(s: string | undefined): number | null {
  const m = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(s ?? '');
  if (!m || (!m[1] && !m[2] && !m[3])) return null;
  return Math.round(((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000);
}

/** The longest chain of action durations along `startAfter`: how long the experiment should take. */
export function estimateDurationMs(actions: TemplateAction[]): number | null {
  const byName = new Map(actions.map((a) => [a.name, a]));
  const memo = new Map<string, number>();
  const endOf = (name: string, seen: Set<string>): number => {
    const a = byName.get(name);
    if (!a || seen.has(name)) return 0;
    if (memo.has(name)) return memo.get(name)!;
    const next = new Set(seen).add(name);
    const end = Math.max(0, ...a.startAfter.map((d) => endOf(d, next))) + (isoDurationMs(a.parameters.duration) ?? 0);
    memo.set(name, end);
    return end;
  };
  const total = Math.max(0, ...actions.map((a) => endOf(a.name, new Set())));
  return total > 0 ? total : null;
}

export function durationLine(t: Pick<Template, 'actions'>): string {
  const ms = estimateDurationMs(t.actions);
  return ms === null ? '*Duration:* not set by the actions' : `*Duration:* about ${formatDuration(ms)} (from the actions’ durations)`;
}

export function actionLine(a: TemplateAction): string {
  const d = isoDurationMs(a.parameters.duration);
  const parts = [`${code(a.name)} ${escapeText(a.actionId)}`];
  if (d !== null) parts.push(formatDuration(d));
  const targets = Object.values(a.targets);
  if (targets.length) parts.push(`on ${targets.map(code).join(', ')}`);
  if (a.startAfter.length) parts.push(`after ${a.startAfter.map(code).join(', ')}`);
  return `• ${parts.join(' · ')}`;
}

/** "aws:ec2:instance · COUNT(2) of tags `Role=web` · filter `State.Name` = running" */
export function targetLine(t: TemplateTarget): string {
  const parts = [`${code(t.name)} ${escapeText(t.resourceType)}`, escapeText(t.selectionMode)];
  if (t.resourceArns.length) parts.push(`ARNs ${listWithMore(t.resourceArns.map(code), 3)}`);
  const tags = Object.entries(t.resourceTags).map(([k, v]) => code(`${k}=${v}`));
  if (tags.length) parts.push(`tags ${listWithMore(tags, 5)}`);
  for (const f of t.filters.slice(0, 5)) parts.push(`filter ${code(f.path)} = ${listWithMore(f.values.map((v) => escapeText(v)), 5, ' | ')}`);
  const params = Object.entries(t.parameters).map(([k, v]) => `${escapeText(k)}=${escapeText(v)}`);
  if (params.length) parts.push(listWithMore(params, 3));
  return `• ${parts.join(' · ')}`;
}

export function stopConditionsText(conditions: StopCondition[]): string {
  const real = conditions.filter((c) => c.source !== 'none');
  if (!real.length) {
    return ':warning: *No stop conditions.* Nothing will stop this experiment automatically if things go wrong — only the Stop button or the FIS console.';
  }
  const one = (c: StopCondition) => {
    const alarm = c.value?.split(':alarm:')[1];
    return c.source === 'aws:cloudwatch:alarm' && alarm ? `CloudWatch alarm ${code(alarm)}` : `${escapeText(c.source)}${c.value ? ` ${code(c.value)}` : ''}`;
  };
  return `*Stop conditions:* ${listWithMore(real.map(one), 5)}`;
}

const PREVIEW_LISTED = 15;

/** Concrete resources only from a verified dry run; otherwise says why there are none. */
export function previewText(p: TargetPreview, budget = 1500): string {
  if (p.status === 'unavailable') return truncate(`:grey_question: *Would hit now:* preview unavailable — ${p.reason}.`, budget);
  if (!p.targets.length) return `:mag: *Would hit now* (verified dry run ${code(p.experimentId)}): no resources matched.`;
  const label = (info: Record<string, string>) => {
    const name = info.name ?? info.Name;
    const id = info.id ?? info.arn ?? Object.values(info)[0] ?? '?';
    return name ? `${escapeText(name)} (${code(id)})` : code(id);
  };
  const lines = p.targets.map((t) => `${code(t.targetName)} ${label(t.info)}`);
  return truncate(`:mag: *Would hit now* (verified dry run ${code(p.experimentId)}): ${listWithMore(lines, PREVIEW_LISTED)}`, budget);
}

/** Template summary: description, actions and targets (the blast radius), each part kept within a budget. */
export function blastRadiusText(t: Template, budget = 1500): { actions: string; targets: string } {
  const actions = t.actions.length ? t.actions.map(actionLine) : ['_no actions_'];
  const targets = t.targets.length ? t.targets.map(targetLine) : ['_no targets_'];
  return {
    actions: truncate(`*Actions* (${t.actions.length}):\n${listWithMore(actions, 8, '\n')}`, budget),
    targets: truncate(`*Blast radius* (${t.targets.length} target${t.targets.length === 1 ? '' : 's'}):\n${listWithMore(targets, 8, '\n')}`, budget),
  };
}

/** "Run it yourself" for one experiment: its state, and (once it ran) the resources FIS resolved. */
export function experimentCli(experimentId: string, region: string, resolved = false): string[] {
  const cli = [`aws fis get-experiment --region ${region} --id ${experimentId}`];
  if (resolved) cli.push(`aws fis list-experiment-resolved-targets --region ${region} --experiment-id ${experimentId}`);
  return cli;
}
