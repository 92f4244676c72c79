/**
 * The one text module every layer may use (views, services, adapters, grammars): the mrkdwn escaping rule, the
 * length caps on what people type and what AWS sends back, and "closest names" for not-found errors.
 * Escaping follows https://api.slack.com/reference/surfaces/formatting#escaping: `&`, `<`, `>` and nothing else.
 */

/**
 * Length caps, in characters (product.md §2 "Limits on input"). Grammars refuse a longer field with a usage
 * error; names that come back from AWS or Grafana are cut to `name` before any matching, so no input can make
 * quadratic work (edit distances) expensive.
 */
export const CAPS = {
  /** A whole command as typed (slash command text or mention). */
  input: 5000,
  /** A name or id: instance Name tag, resource id or ARN, template, dashboard, panel, account. */
  name: 255,
  /** A PromQL query or selector. */
  promql: 4000,
  /** `--reason "…"`. */
  reason: 500,
  /** Grafana search terms. */
  searchTerms: 255,
  /** A cron expression or `--every` interval. */
  cron: 100,
  /** The command a report runs (`/report add … -- COMMAND`). */
  command: 4000,
} as const;

export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escaped for a code span or block; backticks neutralised so the text cannot close it. */
export function codeSafe(s: string): string {
  return escapeText(s).replace(/`/g, 'ˋ');
}

/** User or AWS text shown inline as code. */
export function inlineCode(s: string): string {
  return '`' + codeSafe(s) + '`';
}

/** Cuts text to `max` characters, ending with an ellipsis when cut. */
export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * Levenshtein distance, or `max + 1` as soon as it is sure to exceed `max` (length difference, or a whole DP row
 * above it): O(a·b) at worst, and callers cap both strings at CAPS.name first.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (cur[j] < best) best = cur[j];
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return Math.min(prev[b.length], max + 1);
}

/**
 * "Closest names" (product.md §2: "Closest names: `db-01`, `db-10`."): up to `count` candidates within a
 * case-insensitive edit distance of `within` × the name's length (at least 2), nearest first, ties alphabetical.
 * Names that contain what was typed (or are contained in it) count as near. Both sides are cut to CAPS.name first.
 */
export function closestNames(name: string, candidates: Iterable<string>, o: { count?: number; within?: number } = {}): string[] {
  const needle = name.slice(0, CAPS.name).toLowerCase();
  const limit = Math.max(2, Math.floor(needle.length * (o.within ?? 1 / 3)));
  return [...new Set(candidates)]
    .filter((c) => c !== name)
    .map((c) => {
      const hay = c.slice(0, CAPS.name).toLowerCase();
      const contains = needle.length >= 3 && (hay.includes(needle) || needle.includes(hay));
      return { c, d: contains ? Math.min(Math.abs(hay.length - needle.length), limit) : editDistance(needle, hay, limit) };
    })
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, o.count ?? 3)
    .map((x) => truncate(x.c, CAPS.name));
}
