/**
 * The checks every report definition passes, from Slack or from lookout.yml: a valid cron and zone, a query
 * command, not more often than once a minute — and for `/reach` (each run is a billed analysis) not more often
 * than reach.minWatchInterval.
 */
import { LookoutError } from '../errors';
import { MIN_REPORT_INTERVAL_MS, canonicalTimeZone, cronForInterval, cronProblem, minIntervalOf } from '../common/cron';
import { isReachCommand, scheduledCommandProblem } from '../commands/schedulable';
import { escapeText } from '../text';

export interface ScheduleRules {
  minWatchIntervalMs: number;
}

/** User text inside a code span: backticks neutralised so it cannot close the span. */
const q = (s: string) => '`' + (s.length > 60 ? `${s.slice(0, 59)}…` : s).replace(/`/g, 'ˋ') + '`';
const escapeAngles = escapeText;
const minutes = (ms: number) => (ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${Math.round(ms / 60_000)} min`);

/** Why this definition cannot be scheduled (plain text with backticks), or null. */
export function definitionProblem(def: { cron: string; tz: string; command: string }, rules: ScheduleRules, opts: { fields?: 5 | 'any'; now?: number } = {}): string | null {
  const cron = cronProblem(def.cron, { fields: opts.fields ?? 5 });
  if (cron) return `schedule ${q(def.cron)}: ${cron}`;
  if (!canonicalTimeZone(def.tz)) return `${q(def.tz)} is not a time zone (use an IANA name such as \`Europe/Berlin\`)`;
  const command = scheduledCommandProblem(def.command);
  if (command) return command;
  const reach = isReachCommand(def.command);
  // Five fields (or a nickname) run at most once a minute: occurrences are whole minutes in a zone whose offset is
  // whole minutes. The sampled gap (200 occurrences, ~15 ms of CPU per /report add) is needed only for a seconds
  // field (lookout.yml) or a reach command's own minimum.
  if (!reach && def.cron.trim().split(/\s+/).length < 6) return null;
  const gap = minIntervalOf(def.cron, def.tz, opts.now ?? 0);
  if (gap < MIN_REPORT_INTERVAL_MS) return `schedule ${q(def.cron)} runs more often than once a minute`;
  if (reach && gap < rules.minWatchIntervalMs) {
    return `schedule ${q(def.cron)} runs more often than every ${minutes(rules.minWatchIntervalMs)}, the most a reachability check may run here (each run is a billed analysis; \`reach.minWatchInterval\` in lookout.yml)`;
  }
  return null;
}

/** definitionProblem as a user-facing error (the message is mrkdwn: what the person typed is escaped). */
export function assertDefinition(def: { cron: string; tz: string; command: string }, rules: ScheduleRules, now: number): void {
  const problem = definitionProblem(def, rules, { now });
  if (problem) throw new LookoutError('invalid_input', `${escapeAngles(problem)}.`);
}

const CALENDAR_INTERVALS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440].map((m) => m * 60_000);

/**
 * The cron for `/reach watch [--every …]` (the reach grammar gives `{ cron }` or `{ intervalMs }`): by default
 * every reach.minWatchInterval. An interval with no cron equivalent (7 min, 5 h) is refused with a suggestion.
 */
export function cronForWatch(every: { cron?: string; intervalMs?: number } | undefined, rules: ScheduleRules): string {
  if (every?.cron) return every.cron;
  const interval = every?.intervalMs ?? rules.minWatchIntervalMs;
  // The configured minimum may not map to a cron (45 min): the default is then the next interval that does.
  const fallback = every?.intervalMs === undefined ? CALENDAR_INTERVALS.find((ms) => ms >= interval) : undefined;
  const cron = cronForInterval(interval) ?? (fallback === undefined ? null : cronForInterval(fallback));
  if (cron) return cron;
  throw new LookoutError('invalid_input', `Lookout cannot run a watch every ${minutes(interval)} on a calendar schedule.`, {
    hint: 'Use minutes that divide an hour (`--every 15m`, `30m`), hours that divide a day (`2h`, `6h`), `1d`, or a cron: `--every "*/20 * * * *"`.',
  });
}
