import { Cron } from 'croner';
import {
  MONTH_MS,
  canonicalTimeZone,
  cronForInterval,
  cronProblem,
  dueOccurrences,
  expectedRunsPerMonth,
  minIntervalOf,
  nextRunAfter,
  nextRuns,
} from '../../../src/common/cron';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('cronProblem', () => {
  it.each(['0 9 * * 1-5', '*/15 * * * *', '@daily', '@HOURLY', '30 2 * * *', '0 0 L * *', '0 9 * * MON-FRI'])('accepts %j', (c) => {
    expect(cronProblem(c)).toBeNull();
  });
  it.each([
    ['61 * * * *', /not a valid cron expression/],
    ['* * *', /five fields/],
    ['0 0 9 * * *', /five fields/],
    ['0 0 30 2 *', /never runs/],
    ['@reboot', /nicknames are/],
    ['*/0 * * * *', /not a valid/],
    ['a b c d e', /not a valid/],
  ])('rejects %j', (c, re) => {
    expect(cronProblem(c)).toMatch(re);
  });
  it('accepts six fields only when asked to (lookout.yml)', () => {
    expect(cronProblem('0 0 9 * * *', { fields: 'any' })).toBeNull();
  });
});

describe('canonicalTimeZone', () => {
  it.each([
    ['Europe/Berlin', 'Europe/Berlin'],
    ['europe/berlin', 'Europe/Berlin'],
    ['UTC', 'UTC'],
    ['America/New_York', 'America/New_York'],
  ])('%s → %s', (input, want) => expect(canonicalTimeZone(input)).toBe(want));
  it.each(['Mars/Base', '', 'Europe/Berlin; rm -rf', '../etc', '+01:00'])('rejects %j', (tz) => expect(canonicalTimeZone(tz)).toBeNull());
});

describe('next runs in the report time zone', () => {
  it('is strictly after the reference, also when the reference is an occurrence', () => {
    const t = at('2026-11-30T08:00:00Z'); // 09:00 Berlin, a Monday
    expect(iso(nextRunAfter('0 9 * * 1-5', 'Europe/Berlin', t - 1) as number)).toBe('2026-11-30T08:00:00.000Z');
    expect(iso(nextRunAfter('0 9 * * 1-5', 'Europe/Berlin', t) as number)).toBe('2026-12-01T08:00:00.000Z');
  });
  it('Berlin fall-back (2026-10-25): 02:30 once; the hourly job runs in both 02:00 hours', () => {
    expect(nextRuns('30 2 * * *', 'Europe/Berlin', at('2026-10-24T12:00Z'), 2).map(iso)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    const day = nextRuns('0 * * * *', 'Europe/Berlin', at('2026-10-24T22:00Z') - 1, 30).filter((t) => t < at('2026-10-25T23:00Z'));
    expect(day).toHaveLength(25);
  });
  it('New York spring-forward (2026-03-08): 02:30 runs at 03:00; the hourly job has 23 runs that day', () => {
    expect(iso(nextRunAfter('30 2 * * *', 'America/New_York', at('2026-03-07T12:00Z')) as number)).toBe('2026-03-08T07:00:00.000Z');
    const day = nextRuns('0 * * * *', 'America/New_York', at('2026-03-08T05:00Z') - 1, 30).filter((t) => t < at('2026-03-09T04:00Z'));
    expect(day).toHaveLength(23);
  });
});

describe('dueOccurrences', () => {
  const hourly = '0 * * * *';
  it('runs the only due occurrence', () => {
    expect(dueOccurrences(hourly, 'UTC', at('2026-11-29T09:00Z'), at('2026-11-29T09:40Z'))).toEqual({ latest: at('2026-11-29T09:00Z'), next: at('2026-11-29T10:00Z'), skipped: null });
  });
  it('skips the older ones and runs the latest', () => {
    expect(dueOccurrences(hourly, 'UTC', at('2026-11-29T09:00Z'), at('2026-11-29T11:20Z'))).toEqual({
      latest: at('2026-11-29T11:00Z'),
      next: at('2026-11-29T12:00Z'),
      skipped: { count: 2, firstAt: at('2026-11-29T09:00Z'), lastAt: at('2026-11-29T10:00Z'), atLeast: false },
    });
  });
  it('jumps over a long outage of a frequent report', () => {
    const due = dueOccurrences('* * * * *', 'UTC', at('2026-11-01T00:00Z'), at('2026-11-29T09:00:30Z'), 100);
    expect(iso(due.latest)).toBe('2026-11-29T09:00:00.000Z');
    expect(iso(due.skipped?.lastAt as number)).toBe('2026-11-29T08:59:00.000Z');
    expect(due.skipped?.atLeast).toBe(true);
    expect(iso(due.next as number)).toBe('2026-11-29T09:01:00.000Z');
  });
  it('counts an occurrence exactly at `to` as due', () => {
    expect(dueOccurrences(hourly, 'UTC', at('2026-11-29T09:00Z'), at('2026-11-29T10:00Z')).latest).toBe(at('2026-11-29T10:00Z'));
  });
});

describe('intervals and counts', () => {
  const from = at('2026-11-01T00:00Z');
  it.each([
    ['*/15 * * * *', 15 * 60_000],
    ['0 9 * * 1-5', 86_400_000],
    ['0,30 9 * * *', 30 * 60_000],
    ['@hourly', 3_600_000],
  ])('minIntervalOf(%j)', (c, ms) => expect(minIntervalOf(c, 'UTC', from)).toBe(ms));

  it('expected runs per month match croner’s own count', () => {
    for (const c of ['0 9 * * 1-5', '0 * * * *']) {
      const count = new Cron(c, { paused: true, timezone: 'Europe/Berlin' }).nextRuns(800, new Date(from)).filter((d) => d.getTime() <= from + MONTH_MS).length;
      expect(expectedRunsPerMonth(c, 'Europe/Berlin', from)).toBe(count);
    }
    expect(expectedRunsPerMonth('*/15 * * * *', 'UTC', from)).toBe(2880);
  });
  it('extrapolates for every-minute crons', () => {
    expect(expectedRunsPerMonth('* * * * *', 'UTC', from)).toBe(43_200);
  });
  it.each([
    [15 * 60_000, '*/15 * * * *'],
    [60_000, '* * * * *'],
    [3_600_000, '0 * * * *'],
    [6 * 3_600_000, '0 */6 * * *'],
    [86_400_000, '0 0 * * *'],
    [7 * 60_000, null],
    [5 * 3_600_000, null],
    [2 * 86_400_000, null],
    [1500, null],
  ])('cronForInterval(%d) = %j', (ms, want) => expect(cronForInterval(ms)).toBe(want));
});
