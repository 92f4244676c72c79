import fc from 'fast-check';
import { GRAFANA_USAGE, parseGrafana } from '../../../src/commands/grafana';

const ok = (text: string) => {
  const r = parseGrafana(text);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${r.error}`);
  return r.request;
};
const err = (text: string) => {
  const r = parseGrafana(text);
  if (r.ok) throw new Error(`expected ${text} to fail`);
  return r.error;
};

describe('parseGrafana', () => {
  it.each(['', 'help', '--help', '-h', 'search help', 'panel x y --help'])('%p means help', (text) => {
    expect(ok(text)).toEqual({ kind: 'help' });
  });

  it('parses search terms, keeping tag: words for the adapter', () => {
    expect(ok('search checkout  api tag:prod')).toEqual({ kind: 'search', terms: 'checkout api tag:prod' });
    expect(ok('SEARCH "checkout api"')).toEqual({ kind: 'search', terms: 'checkout api' });
    expect(ok('search')).toEqual({ kind: 'search', terms: '' });
    expect(err('search x --range 6h')).toContain('takes no options');
  });

  it('parses panel with quoted titles, smart quotes and a range', () => {
    expect(ok('panel checkout-1 2')).toEqual({ kind: 'panel', dashboard: 'checkout-1', panel: '2' });
    expect(ok('panel "Service overview" "Request rate" --range 6h')).toEqual({ kind: 'panel', dashboard: 'Service overview', panel: 'Request rate', rangeMs: 6 * 3_600_000 });
    expect(ok('panel “Service overview” ‘p99 latency’ --range=1d')).toEqual({ kind: 'panel', dashboard: 'Service overview', panel: 'p99 latency', rangeMs: 86_400_000 });
    expect(ok('panel --range 30m abc 4')).toEqual({ kind: 'panel', dashboard: 'abc', panel: '4', rangeMs: 1_800_000 });
  });

  it.each([
    ['panel', 'needs a dashboard and a panel'],
    ['panel only-dashboard', 'needs a dashboard and a panel'],
    ['panel Service overview Request rate', 'quote titles with spaces'],
    ['panel a b --range soon', 'is not a duration'],
    ['panel a b --range 30s', 'between 1m and 32d'],
    ['panel a b --range 40d', 'between 1m and 32d'],
    ['panel a b --range', 'needs a value'],
    ['panel a b --step 1m', 'unknown option'],
    ['panel "" b', 'may not be empty'],
    ['panel "a b', 'never closed'],
    ['dashboards', 'unknown subcommand'],
  ])('%p fails: %s', (text, message) => {
    expect(err(text)).toContain(message);
  });

  it('usage lines need the grafana verb, help needs none', () => {
    expect(GRAFANA_USAGE.map((l) => l.verb)).toEqual(['grafana', 'grafana', null]);
  });

  it('never throws, and a failure always says what was wrong (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const r = parseGrafana(text);
        if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips any dashboard and panel given in quotes (property)', () => {
    const name = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.trim().length > 0 && !/["“”‘’']/.test(s) && !/^(help|--help|-h)$/.test(s.trim()) && !s.trim().startsWith('--'));
    fc.assert(
      fc.property(name, name, (d, p) => {
        expect(ok(`panel "${d}" "${p}"`)).toEqual({ kind: 'panel', dashboard: d.trim(), panel: p.trim() });
      }),
    );
  });
});
