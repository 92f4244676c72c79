import fc from 'fast-check';
import { minIntervalOf } from '../../../src/common/cron';
import { definitionProblem } from '../../../src/reports/rules';

const rules = { minWatchIntervalMs: 15 * 60_000 };
// Sunday 25 October 2026, 00:30 UTC: Berlin falls back at 01:00 UTC, so the sampled runs cross a DST change.
const fallBack = Date.UTC(2026, 9, 25, 0, 30);
// Sunday 8 March 2026, 06:30 UTC: New York springs forward at 07:00 UTC.
const springForward = Date.UTC(2026, 2, 8, 6, 30);

describe('definitionProblem: how often a schedule may run', () => {
  it.each([
    ['* * * * *', '/metrics up', 'Europe/Berlin', null],
    ['*/30 * * * * *', '/metrics up', 'UTC', /more often than once a minute/],
    ['30 * * * * *', '/metrics up', 'UTC', null], // seconds field, once a minute
    ['*/5 * * * *', '/reach web-1 -> db-1:5432', 'Europe/Berlin', /every 15 min/],
    ['*/15 * * * *', '/reach web-1 -> db-1:5432', 'Europe/Berlin', null],
    ['0,10 * * * *', '/reach web-1 -> db-1:5432', 'UTC', /every 15 min/], // a short gap inside each hour
  ])('%s %s (%s)', (cron, command, tz, problem) => {
    const got = definitionProblem({ cron, tz, command }, rules, { fields: 'any', now: fallBack });
    if (problem) expect(got).toMatch(problem);
    else expect(got).toBeNull();
  });

  // The premise that lets definitionProblem skip the sampled gap for a five-field cron that is not a reach command:
  // its occurrences are at least a minute apart, DST changes included.
  it('a five-field cron never runs twice within a minute, across DST changes (sampled as definitionProblem would)', () => {
    const field = (max: number) => fc.oneof(fc.constant('*'), fc.integer({ min: 1, max }).map((n) => `*/${n}`), fc.uniqueArray(fc.integer({ min: 0, max: max - 1 }), { minLength: 1, maxLength: 4 }).map((xs) => xs.join(',')));
    const cron = fc.tuple(field(60), field(24), fc.constantFrom('*', '1-7', '25'), fc.constantFrom('*', '3', '10', '3,10'), fc.constantFrom('*', '0', '1-5')).map((f) => f.join(' '));
    fc.assert(
      fc.property(cron, fc.constantFrom(['Europe/Berlin', fallBack] as const, ['America/New_York', springForward] as const, ['Asia/Kolkata', fallBack] as const, ['Australia/Lord_Howe', fallBack] as const), (c, [tz, now]) => {
        expect(minIntervalOf(c, tz, now)).toBeGreaterThanOrEqual(60_000);
      }),
      { numRuns: 150 },
    );
  });
});
