import type { AwsTarget } from '../ports/aws';
import { type Experiments } from '../ports/experiments';
import { LOOKOUT_TAGS, type Experiment, type ExperimentsAnswer, type ExperimentSummary, type TemplateDetails, type TemplateListing, type TemplateSummary } from './model';
import type { ChaosContext } from './context';
import { previewTargets } from './preview';
import { activeExperiments, describeTarget } from './request-run';
import { findTemplate, mapLimited } from './templates';

const STATUS_MAX = 10;
// GetExperimentTemplate per listed template: a few at a time, to stay clear of FIS throttling.
const READ_CONCURRENCY = 4;

function allowedBy(tag: { key: string; value: string } | undefined, t: Pick<TemplateSummary, 'tags'>): boolean {
  return !tag || t.tags[tag.key] === tag.value;
}

/** `/chaos list`: every template, the first `listDetailLimit` read in full (actions, targets, stop conditions). */
export async function listTemplates(ctx: ChaosContext, target: AwsTarget): Promise<TemplateListing> {
  const experiments = ctx.experiments(target);
  const tag = ctx.config.chaos.templateTag;
  const summaries = (await experiments.listTemplates()).sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id));
  const detailed = await mapLimited(summaries.slice(0, ctx.options.listDetailLimit), READ_CONCURRENCY, (s) =>
    experiments.getTemplate(s.id).catch((err) => {
      ctx.log.warn({ err, templateId: s.id }, 'chaos list: template details unavailable');
      return undefined;
    }),
  );
  return {
    items: summaries.map((summary, i) => ({ summary, ...(detailed[i] ? { template: detailed[i] } : {}), allowed: allowedBy(tag, summary) })),
    ...(tag ? { templateTag: tag } : {}),
  };
}

/** `/chaos show`: details plus the resources it would hit now, from a verified dry run only. */
export async function showTemplate(ctx: ChaosContext, target: AwsTarget, ref: string, opts: { preview?: boolean } = {}): Promise<TemplateDetails> {
  const experiments = ctx.experiments(target);
  const template = await findTemplate(experiments, ref, describeTarget(target));
  const tag = ctx.config.chaos.templateTag;
  const preview = ctx.options.dryRunPreview && opts.preview !== false
    ? await previewTargets(experiments, template.id, { clock: ctx.clock, pollMs: ctx.options.previewPollMs, timeoutMs: ctx.options.previewTimeoutMs })
    : ({ status: 'unavailable', reason: opts.preview === false ? 'no dry run was asked for' : 'dry-run previews are turned off' } as const);
  return { template, allowed: allowedBy(tag, template), ...(tag ? { templateTag: tag } : {}), preview };
}

async function templateNames(experiments: Experiments): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  for (const t of await experiments.listTemplates().catch(() => [])) if (t.name) names[t.id] = t.name;
  return names;
}

/** `/chaos status [EXPERIMENT]`: one experiment, or every unfinished one in the account, with action states. */
export async function experimentStatus(ctx: ChaosContext, target: AwsTarget, experimentId?: string): Promise<ExperimentsAnswer<Experiment>> {
  const experiments = ctx.experiments(target);
  const names = await templateNames(experiments);
  if (experimentId) return { experiments: [await experiments.get(experimentId)], more: 0, templateNames: names };
  const active = await activeExperiments(experiments);
  const shown = active.slice(0, STATUS_MAX);
  const full = await mapLimited(shown, READ_CONCURRENCY, (e) => experiments.get(e.id));
  return { experiments: full, more: active.length - shown.length, templateNames: names };
}

/** `/chaos history`: the account's most recent experiments (not only Lookout's), newest first, without previews. */
export async function experimentHistory(ctx: ChaosContext, target: AwsTarget, limit: number): Promise<ExperimentsAnswer<ExperimentSummary>> {
  const experiments = ctx.experiments(target);
  const all = (await experiments.list())
    .filter((e) => e.tags[LOOKOUT_TAGS.preview] !== 'true')
    .sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0));
  return { experiments: all.slice(0, limit), more: Math.max(0, all.length - limit), templateNames: await templateNames(experiments) };
}
