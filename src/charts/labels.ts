/**
 * Short legend names for Prometheus series: a legend that repeats `job="api", region="eu-west-1"` on every line
 * hides what differs, so labels shared by all series are dropped and only the differing ones are shown.
 */
export type LabelSet = Record<string, string>;

const NAME = '__name__';

/** Labels with the same value in every set (a label missing from any set is not common). */
export function commonLabels(sets: LabelSet[]): LabelSet {
  if (sets.length === 0) return {};
  const [first, ...rest] = sets;
  const common: LabelSet = {};
  for (const [k, v] of Object.entries(first)) {
    if (rest.every((s) => Object.hasOwn(s, k) && s[k] === v)) common[k] = v;
  }
  return common;
}

/** `metric{a="1", b="2"}` in Prometheus' own notation, labels sorted; `{}` when empty. */
export function formatLabelSet(labels: LabelSet): string {
  const name = labels[NAME] ?? '';
  const pairs = Object.keys(labels)
    .filter((k) => k !== NAME)
    .sort()
    .map((k) => `${k}="${labels[k]}"`);
  if (pairs.length === 0) return name || '{}';
  return `${name}{${pairs.join(', ')}}`;
}

/**
 * One legend name per set, in order: only the labels that differ between the sets. A single series (or sets
 * that are all alike) keeps its full label set; a set with no labels at all gets `fallback` (e.g. the query).
 */
export function shortenLabelSets(sets: LabelSet[], fallback = '{}'): string[] {
  const common = commonLabels(sets);
  return sets.map((labels) => {
    const differing: LabelSet = {};
    for (const [k, v] of Object.entries(labels)) if (!Object.hasOwn(common, k)) differing[k] = v;
    const shown = Object.keys(differing).length > 0 ? differing : labels;
    return Object.keys(shown).length > 0 ? formatLabelSet(shown) : fallback;
  });
}
