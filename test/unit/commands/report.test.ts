import fc from 'fast-check';
import { REPORT_USAGE, parseReport, reportVerb, splitCommand } from '../../../src/commands/report';

const ok = (text: string) => {
  const r = parseReport(text);
  if (!r.ok) throw new Error(`expected ok for ${JSON.stringify(text)}: ${r.error}`);
  return r.request;
};
const err = (text: string) => {
  const r = parseReport(text);
  if (r.ok) throw new Error(`expected an error for ${JSON.stringify(text)}`);
  return r;
};

describe('parseReport', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['--help', { kind: 'help' }],
    ['list', { kind: 'list' }],
    ['LIST', { kind: 'list' }],
    ['pause r-1a2b3c --help', { kind: 'help' }],
    ['run r-1a2b3c', { kind: 'run', id: 'r-1a2b3c' }],
    ['pause weekday-chaos', { kind: 'pause', id: 'weekday-chaos' }],
    ['resume r-1a2b3c', { kind: 'resume', id: 'r-1a2b3c' }],
    ['remove r-1a2b3c', { kind: 'remove', id: 'r-1a2b3c' }],
    ['delete r-1a2b3c', { kind: 'remove', id: 'r-1a2b3c' }],
    ['add "0 9 * * 1-5" -- /chaos history --limit 5', { kind: 'add', cron: '0 9 * * 1-5', onChange: false, command: '/chaos history --limit 5' }],
    [
      'add "0 9 * * 1-5" --tz europe/berlin --on-change -- /metrics sum(rate(errors[5m])) --range 24h',
      { kind: 'add', cron: '0 9 * * 1-5', tz: 'Europe/Berlin', onChange: true, command: '/metrics sum(rate(errors[5m])) --range 24h' },
    ],
    ['add “*/15 * * * *” --on-change -- /reach web-1 -> db-1:5432', { kind: 'add', cron: '*/15 * * * *', onChange: true, command: '/reach web-1 -> db-1:5432' }],
    ['add @daily -- /lookout status', { kind: 'add', cron: '@daily', onChange: false, command: '/lookout status' }],
    ['add 0 9 * * * -- /chaos status', { kind: 'add', cron: '0 9 * * *', onChange: false, command: '/chaos status' }],
    ['add "0 9 * * *" /grafana panel "Service overview" "Request rate"', { kind: 'add', cron: '0 9 * * *', onChange: false, command: '/grafana panel "Service overview" "Request rate"' }],
    ['add "0 9 * * *" -- /metrics sum by (job) (up{job="a -- b"})', { kind: 'add', cron: '0 9 * * *', onChange: false, command: '/metrics sum by (job) (up{job="a -- b"})' }],
    ['edit r-1a2b3c "30 8 * * 1-5"', { kind: 'edit', id: 'r-1a2b3c', cron: '30 8 * * 1-5' }],
    ['edit r-1a2b3c "30 8 * * 1-5" --tz America/New_York', { kind: 'edit', id: 'r-1a2b3c', cron: '30 8 * * 1-5', tz: 'America/New_York' }],
    ['edit r-1a2b3c --tz UTC', { kind: 'edit', id: 'r-1a2b3c', tz: 'UTC' }],
  ])('%j', (text, want) => {
    expect(ok(text)).toEqual(want);
  });

  it.each([
    ['explode', /unknown subcommand `explode`/],
    ['list extra', /takes no arguments/],
    ['run', /takes one report id/],
    ['run a b', /takes one report id/],
    ['run ../etc', /is not a report id/],
    ['add "0 9 * * *"', /after `--`/],
    ['add -- /metrics up', /schedule is missing/],
    ['add "0 9 * * *" --', /command after `--` is missing/],
    ['add "61 9 * * *" -- /metrics up', /not a valid cron expression/],
    ['add "0 9 * *" -- /metrics up', /five fields/],
    ['add 0 9 * -- /metrics up', /quote the cron expression/],
    ['add "0 0 30 2 *" -- /metrics up', /never runs/],
    ['add "0 9 * * *" --tz Mars/Olympus -- /metrics up', /not a time zone/],
    ['add "0 9 * * *" --tz -- /metrics up', /needs a value/],
    ['add "0 9 * * *" --every 5m -- /metrics up', /unknown option `--every`/],
    ['add "0 9 * * *" -- /chaos run cpu-stress', /experiments are never started or stopped/],
    ['add "0 9 * * *" -- /chaos stop --all', /experiments are never started or stopped/],
    ['add "0 9 * * *" -- /report list', /cannot run `\/report`/],
    ['add "0 9 * * *" -- /reach list', /only a reachability check/],
    ['add "0 9 * * *" -- /reach watch nip-0123456789abcdef0', /already a schedule/],
    ['add "0 9 * * *" -- /reach forget nip-0123456789abcdef0', /only a reachability check/],
    ['add "0 9 * * *" -- /lookout audit', /only `status`/],
    ['add "0 9 * * *" -- /metrics', /needs a query/],
    ['add "0 9 * * *" -- /grafana', /`\/grafana panel …`/],
    ['add "0 9 * * *" -- /deploy prod', /`\/deploy` cannot be scheduled/],
    ['add "0 9 * * *" -- metrics up', /must start with `\/`/],
    ['add "0 9 * * *" -- /reach web-1', /does not parse: .*destination is missing/],
    ['add "0 9 * * * -- /metrics up', /never closed/],
    ['edit r-1', /give a new schedule/],
    ['edit', /needs a report id/],
    ['edit r-1 "0 9 * * *" -- /metrics up', /only `add` takes a command/],
  ])('%j fails: %p', (text, re) => {
    const r = err(text);
    expect(r.error).toMatch(re);
  });

  it('rejects a command longer than 4,000 characters', () => {
    expect(err(`add "0 9 * * *" -- /metrics ${'x'.repeat(4000)}`).error).toMatch(/too long/);
  });

  it('never throws, and a failure always says what was wrong (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const r = parseReport(text);
        if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
    const word = fc.constantFrom('add', 'edit', 'run', '--', '--tz', 'UTC', '"0 9 * * *"', '--on-change', '/metrics', 'up', '/chaos', 'run', '“', '*', '@daily', '-> ', 'r-1');
    fc.assert(
      fc.property(fc.array(word, { maxLength: 10 }), (words) => {
        expect(() => parseReport(words.join(' '))).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('keeps any scheduled /metrics query exactly as typed (property)', () => {
    const query = fc.stringMatching(/^[a-z_]{1,10}(\{[a-z]{1,5}="[a-z ]{0,8}"\})?$/);
    const minute = fc.integer({ min: 0, max: 59 });
    const hour = fc.integer({ min: 0, max: 23 });
    fc.assert(
      fc.property(query, minute, hour, fc.boolean(), (q, m, h, onChange) => {
        const text = `add "${m} ${h} * * *"${onChange ? ' --on-change' : ''} -- /metrics ${q}`;
        expect(ok(text)).toEqual({ kind: 'add', cron: `${m} ${h} * * *`, onChange, command: `/metrics ${q}` });
      }),
    );
  });
});

describe('reportVerb and usage', () => {
  it('list reads, changes write, help is for anyone', () => {
    expect(reportVerb({ kind: 'list' })).toBe('report:read');
    expect(reportVerb({ kind: 'help' })).toBeNull();
    for (const text of ['add "0 9 * * *" -- /metrics up', 'run r-1', 'pause r-1', 'resume r-1', 'remove r-1', 'edit r-1 --tz UTC']) {
      expect(reportVerb(ok(text))).toBe('report:write');
    }
  });
  it('every usage line names its verb the same way', () => {
    for (const line of REPORT_USAGE) {
      const first = line.syntax.split(' ')[0];
      expect(line.verb).toBe(first === 'help' ? null : first === 'list' ? 'report:read' : 'report:write');
    }
  });
});

describe('splitCommand', () => {
  it.each([
    ['add "x" -- /m a -- b', 'add "x" ', '/m a -- b'],
    ['add "a -- b" -- /m', 'add "a -- b" ', '/m'],
    ['add "/x" /m q', 'add "/x" ', '/m q'],
    ['/metrics', '/metrics', null],
    ['list', 'list', null],
  ])('%j', (text, head, command) => {
    expect(splitCommand(text)).toEqual({ head, command });
  });
});
