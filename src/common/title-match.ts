import { LookoutError } from '../errors';
import { closestNames, inlineCode } from '../text';

/**
 * Finding a dashboard or panel by what a person typed: exact (case-insensitive) title first, then a unique partial
 * match; otherwise an error that names the candidates or the closest titles. Shared by every Dashboards adapter.
 */


/** Titles near what was typed: looser than names (titles are long phrases people half remember). */
export function closestTitles(wanted: string, titles: string[]): string[] {
  return closestNames(wanted, titles, { within: 0.6 });
}

/** `checkout tag:prod tag:team-a` → the title text and the tags to filter by (Grafana's `query` and `tag`). */
export function splitSearchTerms(terms: string): { query: string; tags: string[] } {
  const words = terms.trim().split(/\s+/).filter(Boolean);
  const isTag = (w: string) => /^tag:./i.test(w);
  return { query: words.filter((w) => !isTag(w)).join(' '), tags: words.filter(isTag).map((w) => w.slice(4)) };
}

export type TitleMatch<T> = { kind: 'one'; item: T } | { kind: 'many'; items: T[] } | { kind: 'none' };

/** Exact title matches win; else a single title containing `wanted`; several of either → 'many'. */
export function pickByTitle<T extends { title: string }>(wanted: string, items: T[]): TitleMatch<T> {
  const w = wanted.trim().toLowerCase();
  const exact = items.filter((i) => i.title.trim().toLowerCase() === w);
  const partial = exact.length ? exact : items.filter((i) => i.title.toLowerCase().includes(w));
  if (partial.length === 1) return { kind: 'one', item: partial[0] };
  if (partial.length > 1) return { kind: 'many', items: partial };
  return { kind: 'none' };
}

function listed(items: string[], max = 5): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

export function dashboardNotFound(wanted: string, allTitles: string[]): LookoutError {
  const closest = closestTitles(wanted, allTitles);
  const near = closest.length ? ` Closest titles: ${closest.map(inlineCode).join(', ')}.` : '';
  return new LookoutError('not_found', `No dashboard with uid or title ${inlineCode(wanted)} in Grafana.${near}`, {
    hint: 'Find it with `/grafana search WORDS`, then use its uid or exact title (quote titles with spaces).',
  });
}

export function dashboardAmbiguous(wanted: string, matches: { uid: string; title: string; folder?: string }[]): LookoutError {
  const names = matches.map((m) => `${inlineCode(m.title)}${m.folder ? ` in ${inlineCode(m.folder)}` : ''} (uid ${inlineCode(m.uid)})`);
  return new LookoutError('invalid_input', `${matches.length} dashboards match ${inlineCode(wanted)}: ${listed(names)}.`, {
    hint: 'Use the uid, or the exact title in quotes.',
  });
}

export function panelNotFound(dashboardTitle: string, wanted: string, panels: { id: number; title: string }[]): LookoutError {
  const closest = closestTitles(wanted, panels.map((p) => p.title));
  const shown = closest.length ? closest : panels.map((p) => p.title);
  const which = closest.length ? 'Closest titles' : 'Its panels';
  const near = shown.length ? ` ${which}: ${listed(shown.map(inlineCode))}.` : ' It has no panels.';
  return new LookoutError('not_found', `Dashboard ${inlineCode(dashboardTitle)} has no panel ${inlineCode(wanted)}.${near}`, {
    hint: 'Give the panel id or its title in quotes.',
  });
}

export function panelAmbiguous(dashboardTitle: string, wanted: string, panels: { id: number; title: string }[]): LookoutError {
  const names = panels.map((p) => `${inlineCode(p.title)} (id ${p.id})`);
  return new LookoutError('invalid_input', `${panels.length} panels of ${inlineCode(dashboardTitle)} match ${inlineCode(wanted)}: ${listed(names)}.`, {
    hint: 'Use the panel id or the exact title in quotes.',
  });
}
