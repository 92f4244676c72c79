import type { FreezeWindow, LookoutConfig } from '../config/types';
import { LookoutError } from '../errors';

type Day = NonNullable<FreezeWindow['days']>[number];

/**
 * The freeze window in force at `now`, or null. Days and dates are those of `chaos.timezone` (so Saturday
 * 00:30 in Berlin is frozen by `days: [sat]` although it is still Friday in UTC); `to` is inclusive.
 * A window with both days and dates applies on those days within the dates.
 */
export function activeFreeze(chaos: Pick<LookoutConfig['chaos'], 'timezone' | 'freeze'>, now: number): FreezeWindow | null {
  if (chaos.freeze.length === 0) return null;
  const { date, day } = localDay(now, chaos.timezone);
  return chaos.freeze.find((w) => matches(w, date, day)) ?? null;
}

function matches(w: FreezeWindow, date: string, day: Day): boolean {
  if (w.days === undefined && w.from === undefined && w.to === undefined) return false;
  if (w.days !== undefined && !w.days.includes(day)) return false;
  if (w.from !== undefined && date < w.from) return false;
  if (w.to !== undefined && date > w.to) return false;
  return true;
}

/** The calendar date (YYYY-MM-DD, comparable as text) and weekday at `now` in `timeZone`, by Intl alone. */
export function localDay(now: number, timeZone: string): { date: string; day: Day } {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
    }).formatToParts(now);
  } catch (e) {
    throw new LookoutError('config', `\`chaos.timezone\` is not a time zone Lookout knows, so freeze windows cannot be checked.`, { cause: e });
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const date = `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}`;
  return { date, day: part('weekday').slice(0, 3).toLowerCase() as Day };
}
