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
    ['list --account prod', { kind: 'list', account: 'prod' }],
    ['show cpu-stress-web --account staging', { kind: 'show', template: 'cpu-stress-web', account: 'staging' }],
    ['status --account=prod EXP1', { kind: 'status', experiment: 'EXP1', account: 'prod' }],
    ['stop EXP1 --account prod', { kind: 'stop', experiment: 'EXP1', account: 'prod' }],
    ['stop --all --account prod', { kind: 'stop-all', account: 'prod' }],
    ['history --account prod --limit 3', { kind: 'history', limit: 3, account: 'prod' }],
    ['run t --account prod --reason "why"', { kind: 'run', template: 't', account: 'prod', reason: 'why' }],
    ['run t --guard "up == 0"', { kind: 'run', template: 't', guard: { expr: 'up == 0', forMs: 0 } }],
    ['run t --guard "sum(rate(http_requests_total{code=\"500\"}[1m])) > 5" --guard-for 1m', { kind: 'run', template: 't', guard: { expr: 'sum(rate(http_requests_total{code="500"}[1m])) > 5', forMs: 60_000 } }],
    ['run --guard "x{a=\"b\", c=~\"d|e\"} > 1" t --reason "game day"', { kind: 'run', template: 't', reason: 'game day', guard: { expr: 'x{a="b", c=~"d|e"} > 1', forMs: 0 } }],
    ['run t --guard=“rate(x{job=”web”}[1m]) > 5” --guard-for=90s', { kind: 'run', template: 't', guard: { expr: 'rate(x{job="web"}[1m]) > 5', forMs: 90_000 } }],
    ["run t --guard \"x{a='b'} > 1\" --guard-for 0s", { kind: 'run', template: 't', guard: { expr: "x{a='b'} > 1", forMs: 0 } }],
    ['run t --guard "label_replace(up, \"dst\", \"$1\", \"instance\", \"(.*):.*\") == 0"', { kind: 'run', template: 't', guard: { expr: 'label_replace(up, "dst", "$1", "instance", "(.*):.*") == 0', forMs: 0 } }],
    ['halt', { kind: 'halt' }],
    ['HALT --reason "incident 42"', { kind: 'halt', reason: 'incident 42' }],
    ['resume', { kind: 'resume' }],
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
    ['list extra --account prod', /takes no arguments but `--account`/],
    ['status --account "no such/name"', /is not an account name/],
    ['run t --account', /needs a value/],
    ['run t --guard-for 1m', /`--guard-for` needs `--guard "PROMQL"`/],
    ['run t --guard up', /double quotes/],
    ['run t --guard', /needs a PromQL expression/],
    ['run t --guard ""', /needs some PromQL/],
    ['run t --guard "up == 0', /never closed/],
    ['run t --guard "up" --guard "down"', /given twice/],
    ['run t --guard "up" --guard-for soon', /`--guard-for` expects a duration/],
    ['run t --guard "up" --guard-for 2d', /at most 1d/],
    ['status --guard "up"', /applies only to `run`/],
    ['halt now', /takes only `--reason/],
    ['halt --reason ""', /needs a value/],
    ['halt --account prod', /unknown option `--account`/],
    ['resume please', /takes no arguments/],
  ])('%j is a usage error', (text, message) => {
    const r = err(text);
    expect(r.error).toMatch(message);
  });

  it('quotes user text in errors as plain text (the usage view escapes it once)', () => {
    expect(err('<!channel>').error).toBe('unknown subcommand `<!channel>`'); // plain text: the view escapes it once
    expect(err('run x --<!here>').error).toContain('<!here>');
    expect(err('stop <@U123>').error).toContain('<@U123>');
  });

  it('caps the guard at 4,000 characters of PromQL', () => {
    const at = (n: number) => `run t --guard "${'a'.repeat(n)}"`;
    expect(ok(at(4000))).toMatchObject({ guard: { expr: 'a'.repeat(4000) } });
    expect(err(at(4001)).error).toMatch(/at most 4000 characters/);
  });

  it('caps the reason length', () => {
    expect(err(`run x --reason "${'a'.repeat(501)}"`).error).toMatch(/at most 500/);
    expect(ok(`run x --reason "${'a'.repeat(500)}"`)).toMatchObject({ reason: 'a'.repeat(500) });
  });

  it('never throws, and always returns a request or an error', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const r = parseChaos(text);
        if (r.ok) expect(typeof r.request.kind).toBe('string');
        else expect(r.error.length).toBeGreaterThan(0);
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
        const shown = JSON.stringify(renderUsageError(r.error, 'usage').blocks);
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

  it('round-trips guard expressions with their own quotes, and the other flags around them', () => {
    const name = fc.constantFrom('up', 'http_requests_total', 'node:cpu:rate5m', 'errors');
    const value = fc.stringMatching(/^[A-Za-z0-9 ._|:*()-]{0,12}$/);
    const matcher = fc.tuple(fc.constantFrom('job', 'code', 'service'), fc.constantFrom('=', '!=', '=~', '!~'), value).map(([l, op, v]) => `${l}${op}"${v}"`);
    const selector = fc.tuple(name, fc.array(matcher, { maxLength: 3 })).map(([n, ms]) => (ms.length ? `${n}{${ms.join(', ')}}` : n));
    const expr = fc.oneof(
      selector,
      selector.map((s) => `rate(${s}[1m])`),
      fc.tuple(fc.constantFrom('sum', 'max'), selector).map(([agg, s]) => `${agg} by (job) (rate(${s}[5m]))`),
    );
    const guard = fc.tuple(expr, fc.constantFrom('', ' > 5', ' == 0', ' < 0.5')).map(([e, cmp]) => e + cmp);
    fc.assert(
      fc.property(guard, fc.constantFrom(undefined, 0, 60_000, 90_000), fc.constantFrom(undefined, 'prod'), fc.boolean(), (expr, forMs, account, guardFirst) => {
        const flags = [`--guard "${expr}"`, forMs === undefined ? '' : `--guard-for ${forMs / 1000}s`, account ? `--account ${account}` : ''];
        const text = guardFirst ? `run ${flags.join(' ')} cpu-stress-web` : `run cpu-stress-web ${flags.reverse().join(' ')}`;
        if (forMs === 0) expect(ok(text)).toEqual({ kind: 'run', template: 'cpu-stress-web', guard: { expr, forMs: 0 }, ...(account ? { account } : {}) });
        else expect(ok(text)).toEqual({ kind: 'run', template: 'cpu-stress-web', guard: { expr, forMs: forMs ?? 0 }, ...(account ? { account } : {}) });
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips account names on every subcommand that takes one', () => {
    const account = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/);
    fc.assert(
      fc.property(account, (a) => {
        expect(ok(`list --account ${a}`)).toEqual({ kind: 'list', account: a });
        expect(ok(`status --account ${a}`)).toEqual({ kind: 'status', account: a });
        expect(ok(`history --account ${a}`)).toEqual({ kind: 'history', limit: 10, account: a });
        expect(ok(`stop --all --account ${a}`)).toEqual({ kind: 'stop-all', account: a });
      }),
    );
  });

  it('never throws on text built around --guard', () => {
    const piece = fc.constantFrom('run', 't', '--guard', '--guard-for', '1m', '"', '“', '”', "'", '{', '}', '=', 'a', ' ', '\\', '--account', 'x');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const r = parseChaos(pieces.join(''));
        if (r.ok) expect(typeof r.request.kind).toBe('string');
        else expect(r.error.length).toBeGreaterThan(0);
      }),
      { numRuns: 3000 },
    );
  });

  it('usage names a verb for each line so help can be filtered', () => {
    expect(CHAOS_USAGE.filter((l) => l.verb === 'chaos:run').map((l) => l.syntax)).toEqual(['run TEMPLATE [--reason "…"] [--guard "PROMQL" [--guard-for 1m]]']);
    expect(CHAOS_USAGE.filter((l) => l.verb === 'admin').map((l) => l.syntax)).toEqual(['halt [--reason "…"]', 'resume']);
    expect(CHAOS_USAGE.filter((l) => l.verb === 'chaos:stop').map((l) => l.syntax)).toEqual(['stop EXPERIMENT | --all']);
  });
});
