import type { FreezeWindow } from '../../../src/config/types';
import { isLookoutError } from '../../../src/errors';
import { activeFreeze, localDay } from '../../../src/policy/freeze';

const weekend: FreezeWindow = { days: ['sat', 'sun'] };
const holiday: FreezeWindow = { from: '2026-12-20', to: '2027-01-03', reason: 'Holiday freeze' };
const chaos = (timezone: string, freeze: FreezeWindow[]) => ({ timezone, freeze });
const at = (iso: string) => Date.parse(iso);

describe('activeFreeze', () => {
  it.each<[string, string, string, FreezeWindow[], FreezeWindow | null]>([
    // 2026-11-27 is a Friday. 23:30 UTC on Friday is 00:30 Saturday in Berlin (UTC+1 in winter).
    ['Saturday 00:30 in Berlin is frozen although UTC is still Friday', 'Europe/Berlin', '2026-11-27T23:30:00Z', [weekend], weekend],
    ['the same instant in UTC is Friday: not frozen', 'UTC', '2026-11-27T23:30:00Z', [weekend], null],
    ['Friday 23:30 in Berlin is not frozen', 'Europe/Berlin', '2026-11-27T22:30:00Z', [weekend], null],
    ['Sunday 23:59 Berlin is frozen', 'Europe/Berlin', '2026-11-29T22:59:00Z', [weekend], weekend],
    ['Monday 00:00 Berlin is free', 'Europe/Berlin', '2026-11-29T23:00:00Z', [weekend], null],
    ['west of UTC: Saturday 01:00 UTC is Friday in New York', 'America/New_York', '2026-11-28T01:00:00Z', [weekend], null],
    ['from is inclusive (local midnight)', 'Europe/Berlin', '2026-12-19T23:00:00Z', [holiday], holiday],
    ['the day before from is free', 'Europe/Berlin', '2026-12-19T22:59:00Z', [holiday], null],
    ['to is inclusive to the end of its local day', 'Europe/Berlin', '2027-01-03T22:59:59Z', [holiday], holiday],
    ['the day after to is free', 'Europe/Berlin', '2027-01-03T23:00:00Z', [holiday], null],
    ['a range across the year boundary', 'UTC', '2027-01-01T12:00:00Z', [holiday], holiday],
    ['the first matching window is reported', 'UTC', '2026-12-26T12:00:00Z', [weekend, holiday], weekend],
    ['a weekday inside the range reports the range', 'UTC', '2026-12-21T12:00:00Z', [weekend, holiday], holiday],
    ['no windows', 'UTC', '2026-12-26T12:00:00Z', [], null],
  ])('%s', (_name, tz, iso, windows, expected) => {
    expect(activeFreeze(chaos(tz, windows), at(iso))).toEqual(expected);
  });

  it('days and dates together: only those days within the dates', () => {
    const decemberWeekends: FreezeWindow = { days: ['sat', 'sun'], from: '2026-12-01', to: '2026-12-31' };
    expect(activeFreeze(chaos('UTC', [decemberWeekends]), at('2026-12-05T10:00:00Z'))).toEqual(decemberWeekends);
    expect(activeFreeze(chaos('UTC', [decemberWeekends]), at('2026-12-07T10:00:00Z'))).toBeNull();
    expect(activeFreeze(chaos('UTC', [decemberWeekends]), at('2026-11-28T10:00:00Z'))).toBeNull();
  });

  it('a daylight-saving change does not shift the day (Berlin, last Sunday of March)', () => {
    expect(localDay(at('2026-03-29T00:30:00Z'), 'Europe/Berlin')).toEqual({ date: '2026-03-29', day: 'sun' });
    expect(localDay(at('2026-03-29T22:30:00Z'), 'Europe/Berlin')).toEqual({ date: '2026-03-30', day: 'mon' });
  });

  it('a time zone Intl does not know is a configuration error', () => {
    let thrown: unknown;
    try {
      activeFreeze(chaos('Mars/Olympus', [weekend]), at('2026-11-28T12:00:00Z'));
    } catch (e) {
      thrown = e;
    }
    expect(isLookoutError(thrown) && thrown.code).toBe('config');
  });
});
