import fc from 'fast-check';
import { CHAOS_USAGE, HISTORY_MAX_LIMIT, parseChaos } from '../../../src/commands/chaos';
import { renderUsageError } from '../../../src/views/feedback';

const ok = (text: string) => {
  const r = parseChaos(text);
  if (!r.ok) throw new Error(`expected ok for ${JSON.stringify(text)}: ${r.error}`);
  return r.request;
};
const err = (text: string) => {
  const r = parseChaos(text);
  if (r.ok) throw new Error(`expected an error for ${JSON.stringify(text)}`);
  return r;
};

describe('parseChaos', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['--help', { kind: 'help' }],
    ['run x --help', { kind: 'help' }],
    ['list', { kind: 'list' }],
    ['LIST', { kind: 'list' }],
    ['show cpu-stress-web', { kind: 'show', template: 'cpu-stress-web' }],
    ['show EXT123abc', { kind: 'show', template: 'EXT123abc' }],
    ['show cpu stress web', { kind: 'show', template: 'cpu stress web' }],
    ['show "cpu stress web"', { kind: 'show', template: 'cpu stress web' }],
    ['run cpu-stress-web', { kind: 'run', template: 'cpu-stress-web' }],
    ['run cpu-stress-web --reason "game day"', { kind: 'run', template: 'cpu-stress-web', reason: 'game day' }],
    ['run cpu-stress-web --reason=“smart quotes”', { kind: 'run', template: 'cpu-stress-web', reason: 'smart quotes' }],
    ['run --reason "first" cpu-stress-web', { kind: 'run', template: 'cpu-stress-web', reason: 'first' }],
    ['status', { kind: 'status' }],
    ['status EXP123abc', { kind: 'status', experiment: 'EXP123abc' }],
    ['stop EXP123abc', { kind: 'stop', experiment: 'EXP123abc' }],
    ['stop --all', { kind: 'stop-all' }],
    ['history', { kind: 'history', limit: 10 }],
    ['history --limit 5', { kind: 'history', limit: 5 }],
    ['history --limit=50', { kind: 'history', limit: 50 }],
  ])('%j', (text, want) => {
    expect(ok(text)).toEqual(want);
  });

  it.each([
    ['explode', /unknown subcommand `explode`/],
    ['list extra', /takes no arguments/],
    ['show', /name a template/],
    ['run', /name a template/],
    ['run x --reason', /needs a value/],
    ['run x --reason "  "', /needs some text/],
    ['run x --force', /unknown option `--force`/],
    ['run x --reason a --reason b', /given twice/],
    ['status a b', /at most one/],
    ['status ../etc', /is not an experiment id/],
    ['stop', /name one experiment id/],
    ['stop EXP1 --all', /not both/],
    ['stop EXP1 EXP2', /name one experiment id/],
    ['history --limit 0', /from 1 to 50/],
    ['history --limit 51', /from 1 to 50/],
    ['history --limit 2.5', /from 1 to 50/],
    ['history --limit 1e1', /from 1 to 50/],
    ['history now', /only `--limit N`/],
    ['run "unclosed', /never closed/],
  ])('%j is a usage error', (text, message) => {
    const r = err(text);
    expect(r.error).toMatch(message);
    expect(r.usage).toContain('/chaos run TEMPLATE');
  });

  it('quotes user text in errors as plain text (the usage view escapes it once)', () => {
    expect(err('<!channel>').error).toBe('unknown subcommand `<!channel>`'); // plain text: the view escapes it once
    expect(err('run x --<!here>').error).toContain('<!here>');
    expect(err('stop <@U123>').error).toContain('<@U123>');
  });

  it('caps the reason length', () => {
    expect(err(`run x --reason "${'a'.repeat(501)}"`).error).toMatch(/at most 500/);
    expect(ok(`run x --reason "${'a'.repeat(500)}"`)).toMatchObject({ reason: 'a'.repeat(500) });
  });

  it('never throws, and always returns a request or an error with usage', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const r = parseChaos(text);
        if (r.ok) expect(typeof r.request.kind).toBe('string');
        else expect(r.usage.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('never lets `<` or `>` from the input reach Slack unescaped (the usage view escapes errors once)', () => {
    const word = fc.stringMatching(/^[a-z<>@!&|#-]{1,12}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), (words) => {
        const r = parseChaos(words.join(' '));
        if (r.ok) return;
        const shown = JSON.stringify(renderUsageError(r.error, r.usage).blocks);
        expect(shown).not.toMatch(/[<>]/);
        expect(shown).not.toContain('&amp;lt;');
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips history limits and run reasons', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: HISTORY_MAX_LIMIT }),
        // A reason whose word is `-h` or `help` asks for help instead (isHelp): not a round trip.
        fc.stringMatching(/^[A-Za-z0-9 .,!?-]{1,80}$/).filter((s) => s.trim().length > 0 && !s.split(/\s+/).some((w) => ['-h', 'help', '--help'].includes(w))),
        (limit, reason) => {
          expect(ok(`history --limit ${limit}`)).toEqual({ kind: 'history', limit });
          expect(ok(`run t --reason "${reason}"`)).toEqual({ kind: 'run', template: 't', reason: reason.trim() });
        },
      ),
    );
  });

  it('usage names a verb for each line so help can be filtered', () => {
    expect(CHAOS_USAGE.filter((l) => l.verb === 'chaos:run').map((l) => l.syntax)).toEqual(['run TEMPLATE [--reason "…"]']);
    expect(CHAOS_USAGE.filter((l) => l.verb === 'chaos:stop').map((l) => l.syntax)).toEqual(['stop EXPERIMENT | --all']);
  });
});
