/**
 * `--on-change`: a report posts only when its answer differs from the last one. Answers carry parts that change
 * on every run without the answer changing (when it was checked, how long it took, request and analysis ids);
 * those are normalised away before hashing.
 */
import { createHash } from 'node:crypto';

const VOLATILE: [RegExp, string][] = [
  // Slack date tokens first: they embed epoch seconds and an ISO fallback.
  [/<!date\^\d+\^[^|>]*(\|[^>]*)?>/g, '<date>'],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/g, '<time>'],
  [/(?<![\w:-])\d{1,2}:\d{2}(:\d{2})?(?![\w:])/g, '<time>'],
  // Epoch milliseconds (Grafana/Explore links carry the range); 13-digit values are hardly ever an answer.
  [/\b1\d{12}\b/g, '<epoch>'],
  [/\blk-[A-Za-z0-9_-]+/g, 'lk-<id>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>'],
  // Each reachability run is a new analysis (nia-…); the path (nip-…) stays.
  [/\bnia-[0-9a-f]+\b/g, 'nia-<id>'],
  [/\b(took|in|after|elapsed|duration)\s+\d+(\.\d+)?\s*(ms|s|sec|secs|seconds?|min|mins|minutes?|h|hours?)(\s+\d+\s*(min|mins|minutes?|s))?\b/gi, '$1 <duration>'],
  [/\b\d+(\.\d+)?\s*(ms|s|sec|secs|seconds?|min|mins|minutes?|h|hours?|d|days?)(\s+\d+\s*(min|mins|minutes?|s))?\s+ago\b/gi, '<ago>'],
  [/\b(just now|moments? ago)\b/gi, '<ago>'],
  [/(Analy[sz]ing…?|Checking…?)\s*\d+\s*s\b/gi, '$1 <duration>'],
];

/** The answer with its volatile parts replaced by placeholders and whitespace collapsed. */
export function normalizeAnswer(text: string): string {
  let out = text;
  for (const [pattern, replacement] of VOLATILE) out = out.replace(pattern, replacement);
  return out.replace(/\s+/g, ' ').trim();
}

/** A short stable hash of the normalised answer. */
export function digestOf(text: string): string {
  return createHash('sha256').update(normalizeAnswer(text)).digest('hex').slice(0, 32);
}

/** Whether a run with this digest should be posted: always, unless on-change and nothing changed. */
export function shouldPost(report: { onChange: boolean; lastDigest: string | null }, digest: string): boolean {
  return !report.onChange || report.lastDigest === null || report.lastDigest !== digest;
}

const words = (s: string) => s.trim().split(/\s+/).filter(Boolean);

/**
 * One line saying what changed between two short summaries the caller wrote (plain text; the view escapes it):
 * "db-1 is not reachable from web-1" → "db-1 is reachable from web-1" gives "db-1 is now reachable from web-1";
 * "error rate is 3%" → "error rate is 5%" gives "error rate is now 5% (was 3%)". Null when nothing changed or
 * there is nothing to compare with.
 */
export function describeChange(previousSummary: string | null | undefined, currentSummary: string | null | undefined): string | null {
  if (!previousSummary || !currentSummary) return null;
  const a = words(previousSummary);
  const b = words(currentSummary);
  if (a.join(' ') === b.join(' ')) return null;
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const prefix = b.slice(0, pre);
  const suffix = b.slice(b.length - suf);
  const was = a.slice(pre, a.length - suf);
  const now = b.slice(pre, b.length - suf);
  const join = (...parts: string[][]) => parts.flat().join(' ');
  if (pre === 0) return `Now: ${currentSummary.trim()} (was: ${previousSummary.trim()})`;
  if (was.length === 1 && /^not$/i.test(was[0]) && now.length === 0) return join(prefix, ['now'], suffix);
  if (now.length === 1 && /^not$/i.test(now[0]) && was.length === 0) return join(prefix, ['no', 'longer'], suffix);
  // Something only added or only removed: "now" has no good place; say what it is and what it was.
  if (now.length === 0 || was.length === 0) return `${join(b)} (was: ${join(a)})`;
  return `${join(prefix, ['now'], now, suffix)} (was ${was.join(' ')})`;
}
