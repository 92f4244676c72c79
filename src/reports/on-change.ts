/**
 * `--on-change`: a report posts only when its answer differs from the last one. Each answer carries a fingerprint
 * of what it shows (src/common/fingerprint.ts, built by the command from its domain result), so the comparison
 * never looks at rendered text: a change of wording, or of what varies on every run (when it was checked, how long
 * it took, request and analysis ids), is not a change.
 */
import type { ReportData } from './model';

/**
 * Whether a run whose answer has this fingerprint should be posted: always, unless on-change and nothing changed.
 * An answer without a fingerprint cannot be compared, so it is posted. A report stored before answers had
 * fingerprints (no `lastFingerprint` at all) records its first one silently when it answered before: its last
 * answer is in the channel, and the old hash cannot be compared with the new one.
 */
export function shouldPost(report: Pick<ReportData, 'onChange' | 'lastFingerprint' | 'lastSummary' | 'lastPostedAt'>, fingerprint: string | undefined): boolean {
  if (!report.onChange || fingerprint === undefined) return true;
  if (report.lastFingerprint === undefined) return report.lastSummary === null && report.lastPostedAt === null;
  return report.lastFingerprint !== fingerprint;
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
