import { editDistance } from '../text';
/** "Closest names" for a name that matched nothing (product.md §2 error example). */

export { editDistance };

/**
 * Up to `max` candidates near `name`: case-insensitive distance within a third of the name's length (at least 2),
 * nearest first, ties alphabetical. Names containing the input (or contained in it) also count.
 */
export function closestNames(name: string, candidates: string[], max = 3): string[] {
  const needle = name.toLowerCase();
  const limit = Math.max(2, Math.floor(needle.length / 3));
  return [...new Set(candidates)]
    .map((c) => {
      const hay = c.toLowerCase();
      const d = editDistance(needle, hay);
      const contains = needle.length >= 3 && (hay.includes(needle) || needle.includes(hay));
      return { c, d: contains ? Math.min(d, limit) : d };
    })
    .filter((x) => x.d <= limit && x.c !== name)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map((x) => x.c);
}
