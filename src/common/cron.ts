/**
 * Cron arithmetic for reports, in the report's time zone. croner does the calendar work, DST included: a
 * fixed-time job (`30 2 * * *`) runs once when 02:30 happens twice and at the first valid time when it is
 * skipped; an interval job (`0 * * * *`) skips the missing hour and runs in both repeated ones.
 */
import { Cron } from 'croner';

export const MONTH_MS = 30 * 24 * 60 * 60 * 1000;
/** Reports post to a channel: nothing runs more often than once a minute (6-field crons could say every second). */
export const MIN_REPORT_INTERVAL_MS = 60_000;
/** Consecutive runs looked at to find a cron's shortest gap (covers hourly patterns across day boundaries). */
const GAP_SAMPLE = 200;
/** Runs counted one by one for the monthly estimate before extrapolating. */
const COUNT_SAMPLE = 500;

const NICKNAME = /^@(hourly|daily|weekly|monthly|yearly|annually|midnight)$/i;

function cronOf(expr: string, tz: string): Cron {
  return new Cron(expr.trim(), { paused: true, timezone: tz, mode: '5-or-6-parts' });
}

/** True for `@daily` and friends. */
export function isCronNickname(expr: string): boolean {
  return NICKNAME.test(expr.trim());
}

/**
 * Why a cron expression cannot be used, or null. `fields: 5` (Slack grammar) accepts five fields or a nickname;
 * `fields: 'any'` (lookout.yml) also six (with seconds). The message is plain text with backticks.
 */
export function cronProblem(expr: string, opts: { fields?: 5 | 'any' } = {}): string | null {
  const trimmed = expr.trim();
  const count = trimmed.split(/\s+/).length;
  if (!isCronNickname(trimmed)) {
    if (trimmed.includes('@')) return 'nicknames are `@hourly`, `@daily`, `@weekly`, `@monthly` and `@yearly`';
    const allowed = opts.fields === 'any' ? [5, 6] : [5];
    if (!allowed.includes(count)) {
      return `a cron expression has five fields (minute hour day-of-month month day-of-week), e.g. \`0 9 * * 1-5\`; got ${count}`;
    }
  }
  let cron: Cron;
  try {
    cron = cronOf(trimmed, 'UTC');
  } catch (e) {
    return `it is not a valid cron expression: ${String((e as Error).message).replace(/^CronPattern:\s*/, '').replace(/`/g, "'")}`;
  }
  // A reference in the past keeps this pure: only impossible dates (30 February) never run.
  if (!cron.nextRun(new Date(0))) return 'it never runs (no such date)';
  return null;
}

/** The canonical IANA name (`europe/berlin` → `Europe/Berlin`), or null when Intl does not know the zone. */
export function canonicalTimeZone(tz: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The first occurrence strictly after `after` (epoch ms), or null when there is none. */
export function nextRunAfter(cron: string, tz: string, after: number): number | null {
  return cronOf(cron, tz).nextRun(new Date(after))?.getTime() ?? null;
}

/** The next `n` occurrences strictly after `after`. */
export function nextRuns(cron: string, tz: string, after: number, n: number): number[] {
  return cronOf(cron, tz)
    .nextRuns(n, new Date(after))
    .map((d) => d.getTime());
}

export interface DueOccurrences {
  /** The latest occurrence at or before `to`: the one to run. */
  latest: number;
  /** The first occurrence after `latest` (and after `to`): the next run time; null when the cron ends. */
  next: number | null;
  /** Occurrences in [from, to] before `latest`: skipped (null when none). */
  skipped: { count: number; firstAt: number; lastAt: number; atLeast: boolean } | null;
}

/**
 * Occurrences from `from` (itself an occurrence, ≤ to) through `to`. Each is "less than one period late" only
 * while the following occurrence has not come yet, so only the latest one qualifies to run; the rest are skipped.
 */
export function dueOccurrences(cron: string, tz: string, from: number, to: number, cap = 1000): DueOccurrences {
  const c = cronOf(cron, tz);
  let latest = from;
  let previous = from;
  let count = 0;
  for (;;) {
    const next = c.nextRun(new Date(latest))?.getTime();
    if (next === undefined || next > to) {
      return { latest, next: next ?? null, skipped: count ? { count, firstAt: from, lastAt: previous, atLeast: false } : null };
    }
    previous = latest;
    latest = next;
    count++;
    if (count >= cap) break;
  }
  // A long outage of a frequent report: jump to the last occurrence instead of walking to it.
  const runs = c.previousRuns(2, new Date(to + 1)).map((d) => d.getTime());
  const jump = runs.length === 2 && runs[0] > latest;
  const final = jump ? runs[0] : latest;
  const next = c.nextRun(new Date(final))?.getTime() ?? null;
  if (!jump) return { latest, next, skipped: { count, firstAt: from, lastAt: previous, atLeast: false } };
  return { latest: final, next, skipped: { count: count + 1, firstAt: from, lastAt: runs[1], atLeast: true } };
}

/** The shortest gap between consecutive occurrences (sampled over the next runs from `from`). */
export function minIntervalOf(cron: string, tz: string, from = 0): number {
  const runs = nextRuns(cron, tz, from, GAP_SAMPLE);
  let min = Infinity;
  for (let i = 1; i < runs.length; i++) min = Math.min(min, runs[i] - runs[i - 1]);
  return min;
}

/** How many times the report runs in the 30 days after `from` (extrapolated for very frequent crons). */
export function expectedRunsPerMonth(cron: string, tz: string, from: number): number {
  const end = from + MONTH_MS;
  const c = cronOf(cron, tz);
  // One occurrence at a time, stopping past the 30 days: a daily cron costs 31 steps, not COUNT_SAMPLE (~40 ms of
  // CPU per `/report add` before; a burst of them queued up, docs/reliability.md §7).
  let count = 0;
  let last = from;
  for (let at = c.nextRun(new Date(from)); at && count < COUNT_SAMPLE; at = c.nextRun(at)) {
    if (at.getTime() > end) return count;
    count++;
    last = at.getTime();
  }
  if (count < COUNT_SAMPLE) return count; // no more occurrences
  return Math.round((COUNT_SAMPLE * MONTH_MS) / (last - from));
}

/** A cron for a plain interval (`--every 30m`), when one exists: minutes dividing an hour, hours dividing a day. */
export function cronForInterval(intervalMs: number): string | null {
  if (!Number.isInteger(intervalMs) || intervalMs <= 0 || intervalMs % 60_000 !== 0) return null;
  const m = intervalMs / 60_000;
  if (m === 1) return '* * * * *';
  if (m < 60) return 60 % m === 0 ? `*/${m} * * * *` : null;
  if (m % 60 !== 0) return null;
  const h = m / 60;
  if (h === 1) return '0 * * * *';
  if (h < 24) return 24 % h === 0 ? `0 */${h} * * *` : null;
  return h === 24 ? '0 0 * * *' : null;
}
