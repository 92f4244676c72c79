import { LookoutError } from '../errors';
import type { Experiments, Template, TemplateSummary } from '../ports/experiments';
import { inlineCode } from './escape';
import { editDistance } from '../text';

/** Finds a template by id or by its `Name` tag (case-insensitive); several with one name is an error that lists them. */
export async function findTemplate(experiments: Experiments, ref: string, where: string): Promise<Template> {
  const summaries = await experiments.listTemplates();
  const byId = summaries.find((t) => t.id === ref);
  if (byId) return experiments.getTemplate(byId.id);
  const wanted = ref.trim().toLowerCase();
  const byName = summaries.filter((t) => t.name?.toLowerCase() === wanted);
  if (byName.length === 1) return experiments.getTemplate(byName[0].id);
  if (byName.length > 1) {
    const ids = byName.slice(0, 10).map((t) => inlineCode(t.id));
    throw new LookoutError('invalid_input', `${byName.length} templates are named ${inlineCode(ref)} in ${where}: ${ids.join(', ')}.`, {
      hint: 'Use the template id instead.',
    });
  }
  const closest = closestNames(ref, summaries);
  const suggestion = closest.length ? ` Closest names: ${closest.map(inlineCode).join(', ')}.` : '';
  throw new LookoutError('not_found', `No experiment template named ${inlineCode(ref)} in ${where}.${suggestion}`, {
    hint: '`/chaos list` shows the templates.',
  });
}

/** Up to three names (or ids) within a small edit distance of what was typed. */
export function closestNames(ref: string, summaries: TemplateSummary[]): string[] {
  const wanted = ref.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  return summaries
    .map((t) => t.name ?? t.id)
    .map((label) => ({ label, d: editDistance(wanted, label.toLowerCase()) }))
    .filter((x) => x.d <= limit)
    .sort((a, b) => a.d - b.d || a.label.localeCompare(b.label))
    .slice(0, 3)
    .map((x) => x.label);
}


/** Runs `fn` over items with at most `limit` in flight, keeping order (GetExperimentTemplate per listed template). */
export async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
