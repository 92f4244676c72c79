import { LookoutError } from '../errors';
import type { Experiments } from '../ports/experiments';
import type { Template } from './model';
import { closestNames, inlineCode } from '../text';

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
  const closest = closestNames(ref, summaries.map((t) => t.name ?? t.id));
  const suggestion = closest.length ? ` Closest names: ${closest.map(inlineCode).join(', ')}.` : '';
  throw new LookoutError('not_found', `No experiment template named ${inlineCode(ref)} in ${where}.${suggestion}`, {
    hint: '`/chaos list` shows the templates.',
  });
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
