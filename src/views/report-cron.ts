/**
 * Common cron shapes in words ("every weekday at 09:00"); null for anything else, and the view shows the raw
 * expression instead. Deliberately small: a wrong description is worse than none.
 */
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_NAMES: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const NICKNAMES: Record<string, string> = {
  '@hourly': 'every hour, on the hour',
  '@daily': 'every day at 00:00',
  '@midnight': 'every day at 00:00',
  '@weekly': 'every Sunday at 00:00',
  '@monthly': 'on the 1st of every month at 00:00',
  '@yearly': 'every 1 January at 00:00',
  '@annually': 'every 1 January at 00:00',
};

const NUM = /^\d{1,2}$/;
const pad = (n: number) => String(n).padStart(2, '0');
const ordinal = (n: number) => {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
};
const andList = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

function dayNumber(token: string): number | null {
  const t = token.toLowerCase();
  if (t in DAY_NAMES) return DAY_NAMES[t];
  if (!NUM.test(t)) return null;
  const n = Number(t);
  return n >= 0 && n <= 7 ? n % 7 : null;
}

/** Day-of-week field → words, or null. */
function weekdays(field: string): string | null {
  const f = field.toLowerCase();
  if (f === '1-5' || f === 'mon-fri') return 'every weekday';
  if (f === '0,6' || f === '6,0' || f === 'sat,sun' || f === 'sun,sat' || f === '6,7' || f === '6-7') return 'every Saturday and Sunday';
  const days = f.split(',').map(dayNumber);
  if (days.some((d) => d === null)) return null;
  const unique = [...new Set(days as number[])].sort((a, b) => a - b);
  if (unique.length === 1) return `every ${DAYS[unique[0]]}`;
  return `on ${andList(unique.map((d) => `${DAYS[d]}s`))}`;
}

/** "09:00", "09:00 and 17:00" for numeric minute/hour fields, or null. */
function times(minute: string, hour: string): string | null {
  if (!NUM.test(minute)) return null;
  const m = Number(minute);
  const hours = hour.split(',');
  if (m > 59 || hours.some((h) => !NUM.test(h) || Number(h) > 23)) return null;
  return andList(hours.map((h) => `${pad(Number(h))}:${pad(m)}`));
}

export function describeCron(cron: string): string | null {
  const trimmed = cron.trim().toLowerCase();
  if (trimmed in NICKNAMES) return NICKNAMES[trimmed];
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5) return null;
  const [minute, hour, dom, month, dow] = fields;
  if (month !== '*') return null;
  if (dom === '*' && dow === '*') {
    if (minute === '*' && hour === '*') return 'every minute';
    const step = /^\*\/(\d{1,2})$/.exec(minute);
    // Only steps that divide the hour (day) evenly are "every N": */7 runs at :56 and again at :00.
    if (step && hour === '*' && 60 % Number(step[1]) === 0) return Number(step[1]) === 1 ? 'every minute' : `every ${Number(step[1])} minutes`;
    if (NUM.test(minute) && Number(minute) < 60) {
      if (hour === '*') return `every hour at :${pad(Number(minute))}`;
      const hourStep = /^\*\/(\d{1,2})$/.exec(hour);
      if (hourStep && 24 % Number(hourStep[1]) === 0) return `every ${Number(hourStep[1])} hours at :${pad(Number(minute))}`;
    }
  }
  const at = times(minute, hour);
  if (!at) return null;
  if (dom === '*' && dow === '*') return `every day at ${at}`;
  if (dom === '*') {
    const days = weekdays(dow);
    return days ? `${days} at ${at}` : null;
  }
  if (dow === '*' && NUM.test(dom) && Number(dom) >= 1 && Number(dom) <= 31) return `on the ${ordinal(Number(dom))} of every month at ${at}`;
  return null;
}
