/**
 * Text helpers every layer may use (views, services, adapters, grammars): the one mrkdwn escaping rule and
 * "closest names" for not-found errors. Escaping follows https://api.slack.com/reference/surfaces/formatting#escaping:
 * `&`, `<`, `>` and nothing else.
 */
export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** User text shown inline as code: escaped, backticks neutralised so it cannot close the code span. */
export function inlineCode(s: string): string {
  return '`' + escapeText(s).replace(/`/g, 'ˋ') + '`';
}

/** Levenshtein distance, O(a·b) time and O(b) memory; names are short. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
