import fc from 'fast-check';
import { formatValues, interpolate, promRegexEscape, resolveVariable, type ResolvedVariable } from '../../../src/grafana/interpolate';

const vars = (entries: [string, ResolvedVariable][]) => new Map(entries);
const single = (v: string): ResolvedVariable => ({ values: [v], regexContext: false });
const multi = (...v: string[]): ResolvedVariable => ({ values: v, regexContext: true });

describe('interpolate', () => {
  const variables = vars([
    ['job', single('api')],
    ['service', multi('web', 'api.v2')],
    ['one', multi('web')],
    ['cluster', { values: ['$__all'], regexContext: true }],
    ['zone', { values: ['$__all'], regexContext: true, allValue: 'eu-.*' }],
    ['quote', single('a"b\\c')],
  ]);
  const builtins = { __rate_interval: '1m', __interval: '20s', __range: '21600s', __range_s: '21600', __range_ms: '21600000' };
  const cases: [string, string][] = [
    ['up{job="$job"}', 'up{job="api"}'],
    ['up{job="${job}"}', 'up{job="api"}'],
    ['up{job="[[job]]"}', 'up{job="api"}'],
    ['x{s=~"$service"}', 'x{s=~"(web|api\\\\.v2)"}'],
    ['x{s=~"$one"}', 'x{s=~"web"}'],
    ['x{s=~"${service:regex}"}', 'x{s=~"(web|api\\.v2)"}'],
    ['x{s=~"[[service:pipe]]"}', 'x{s=~"web|api.v2"}'],
    ['x{s=~"${service:pipe}"}', 'x{s=~"web|api.v2"}'],
    ['x{s="${service:csv}"}', 'x{s="web,api.v2"}'],
    ['x{c=~"$cluster"}', 'x{c=~".*"}'],
    ['x{c=~"${cluster:regex}"}', 'x{c=~".*"}'],
    ['x{z=~"$zone"}', 'x{z=~"eu-.*"}'],
    ['x{q="$quote"}', 'x{q="a\\"b\\\\c"}'],
    ['rate(x[$__rate_interval])', 'rate(x[1m])'],
    ['rate(x[${__interval}])', 'rate(x[20s])'],
    ['increase(x[$__range]) / $__range_s / $__range_ms', 'increase(x[21600s]) / 21600 / 21600000'],
    ['label_replace(up, "h", "$1", "instance", "(.*):.*")', 'label_replace(up, "h", "$1", "instance", "(.*):.*")'],
  ];
  it.each(cases)('%s → %s', (input, expected) => {
    expect(interpolate(input, variables, builtins).text).toBe(expected);
  });

  it('reports undefined variables and leaves them as written', () => {
    const r = interpolate('x{a="$nope", b="${also_nope}", c="$1"}', variables, builtins);
    expect(r.text).toBe('x{a="$nope", b="${also_nope}", c="$1"}');
    expect(r.unresolved.sort()).toEqual(['also_nope', 'nope']);
  });

  it('leaves text without variables unchanged (property)', () => {
    fc.assert(fc.property(fc.string().filter((s) => !s.includes('$') && !s.includes('[[')), (s) => expect(interpolate(s, variables, builtins).text).toBe(s)));
  });
});

describe('formatValues', () => {
  const v = multi('a', "b'c");
  it.each([
    ['glob', "{a,b'c}"],
    ['json', '["a","b\'c"]'],
    ['singlequote', "'a','b\\'c'"],
    ['doublequote', '"a","b\'c"'],
    ['sqlstring', "'a','b''c'"],
    ['raw', "a,b'c"],
    ['percentencode', "a%2Cb'c"],
  ])(':%s', (format, expected) => {
    expect(formatValues(v, format)).toBe(expected);
  });
});

describe('promRegexEscape', () => {
  it('doubles backslashes so the regex survives the PromQL string', () => {
    expect(promRegexEscape('a.b')).toBe('a\\\\.b');
    expect(promRegexEscape('c:\\x')).toBe('c:\\\\\\\\x');
  });
});

describe('resolveVariable', () => {
  it('prefers an override, then the saved value, then the fallback, then All', () => {
    const v = { name: 's', type: 'query', current: 'web', default: 'api', includeAll: true };
    expect(resolveVariable(v, ['db'])!.values).toEqual(['db']);
    expect(resolveVariable(v)!.values).toEqual(['web']);
    expect(resolveVariable({ ...v, current: undefined })!.values).toEqual(['api']);
    expect(resolveVariable({ ...v, current: undefined, default: undefined })!.values).toEqual(['$__all']);
    expect(resolveVariable({ name: 'x', type: 'query' })).toBeUndefined();
    expect(resolveVariable({ name: 'x', type: 'query', current: [] })).toBeUndefined();
  });
  it('marks multi-value and Include-All variables as regex context', () => {
    expect(resolveVariable({ name: 'x', type: 'query', current: 'a', multi: true })!.regexContext).toBe(true);
    expect(resolveVariable({ name: 'x', type: 'custom', current: 'a' })!.regexContext).toBe(false);
  });
});
