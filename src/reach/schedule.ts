/**
 * Watch schedules: how often they run, whether that respects reach.minWatchInterval, and how many (billed)
 * analyses a month that means.
 */
import { Cron } from 'croner';
import { LookoutError } from '../errors';
import type { WatchSchedule } from '../ports/reachability';
import { inlineCode } from '../text';

export const MONTH_MS = 30 * 24 * 60 * 60 * 1000;
/** Enough consecutive runs to see a cron's shortest gap (covers hourly patterns across a day boundary). */
const GAP_SAMPLE = 200;

export interface ScheduleFacts {
  expectedPerMonth: number;
  nextRunAt: number;
}

function cronOf(expr: string): Cron {
  try {
    return new Cron(expr, { paused: true, timezone: 'UTC' });
  } catch (cause) {
    throw new LookoutError('invalid_input', `${inlineCode(expr)} is not a valid cron expression.`, { cause });
  }
}

/** Validates the schedule against the minimum interval and counts its runs over the next 30 days. */
export function describeSchedule(schedule: WatchSchedule, now: number, minIntervalMs: number): ScheduleFacts {
  const minText = `${Math.round(minIntervalMs / 60_000)} min`;
  if (schedule.cron === undefined) {
    const interval = schedule.intervalMs ?? minIntervalMs;
    if (interval < minIntervalMs) {
      throw new LookoutError('invalid_input', `Watches run at most every ${minText} here (each run is a billed analysis).`, {
        hint: `Use \`--every ${Math.round(minIntervalMs / 60_000)}m\` or longer.`,
      });
    }
    return { expectedPerMonth: Math.floor(MONTH_MS / interval), nextRunAt: now + interval };
  }
  const cron = cronOf(schedule.cron);
  const runs = cron.nextRuns(GAP_SAMPLE, new Date(now)).map((d) => d.getTime());
  if (runs.length === 0) throw new LookoutError('invalid_input', `${inlineCode(schedule.cron)} never runs.`);
  for (let i = 1; i < runs.length; i++) {
    if (runs[i] - runs[i - 1] < minIntervalMs) {
      throw new LookoutError('invalid_input', `${inlineCode(schedule.cron)} runs more often than every ${minText}, the most watches may run here (each run is a billed analysis).`);
    }
  }
  return { expectedPerMonth: countRuns(cron, now, now + MONTH_MS, minIntervalMs), nextRunAt: runs[0] };
}

function countRuns(cron: Cron, from: number, to: number, minIntervalMs: number): number {
  const cap = Math.ceil((to - from) / minIntervalMs) + 1;
  let n = 0;
  let at: Date | null = new Date(from);
  while (n <= cap) {
    at = cron.nextRun(at);
    if (!at || at.getTime() > to) break;
    n++;
  }
  return n;
}
