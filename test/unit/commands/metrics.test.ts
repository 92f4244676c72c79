import fc from 'fast-check';
import { parseMetrics, parsePromDuration, parseTime, type MetricsCommand } from '../../../src/commands/metrics';

const ok = (text: string): MetricsCommand => {
  const r = parseMetrics(text);
  if (!r.ok) throw new Error(`expected ${text} to parse, got: ${r.error}`);
  return r.request;
};
const err = (text: string): string => {
  const r = parseMetrics(text);
  if (r.ok) throw new Error(`expected ${text} to fail, got ${JSON.stringify(r.request)}`);
  return r.error;
};

describe('parseMetrics', () => {
  it.each(['', '   ', 'help', '--help', '-h', 'up --help'])('%j is help', (text) => {
    expect(ok(text)).toEqual({ kind: 'help' });
  });

  it('keeps PromQL intact: quotes, braces, spaces, commas', () => {
    const q = `sum by (job, code) (rate(http_requests_total{job="api", path=~"/v1/.*", method!='GET'}[5m]))`;
    expect(ok(q)).toEqual({ kind: 'instant', query: q });
  });

  it('reads --range, --step and --at at the end, in any order and with =', () => {
    expect(ok('up --range 6h')).toEqual({ kind: 'range', query: 'up', rangeMs: 6 * 3_600_000 });
    expect(ok('rate(x[5m]) --step=30s --range 1h30m')).toEqual({ kind: 'range', query: 'rate(x[5m])', rangeMs: 5_400_000, stepMs: 30_000 });
    expect(ok('up --at 2026-11-29T09:00Z')).toEqual({ kind: 'instant', query: 'up', at: Date.UTC(2026, 10, 29, 9) });
    expect(ok('up --range 1d --at 1795900000')).toEqual({ kind: 'range', query: 'up', rangeMs: 86_400_000, end: 1_795_900_000_000 });
  });

  it('turns Slack smart quotes into PromQL quotes and drops code formatting', () => {
    expect(ok('up{job=“api”}')).toEqual({ kind: 'instant', query: 'up{job="api"}' });
    expect(ok('`sum(up)` --range 1h')).toEqual({ kind: 'range', query: 'sum(up)', rangeMs: 3_600_000 });
    expect(ok('```sum(up)```')).toEqual({ kind: 'instant', query: 'sum(up)' });
  });

  it('parses labels and series', () => {
    expect(ok('labels')).toEqual({ kind: 'labels' });
    expect(ok('labels http_requests_total')).toEqual({ kind: 'labels', metric: 'http_requests_total' });
    expect(ok('series up{job="a b"}')).toEqual({ kind: 'series', selector: 'up{job="a b"}' });
    expect(ok('series up --range 6h')).toEqual({ kind: 'series', selector: 'up', lookbackMs: 6 * 3_600_000 });
  });

  it.each([
    ['up --range', '`--range` needs a value'],
    ['up --range 6 ', 'is not a duration'],
    ['up --range 6h --range 1h', 'given twice'],
    ['up --step 1m', '`--step` needs `--range`'],
    ['up --range 1h --step 2h', 'shorter than'],
    ['up --at yesterday', 'is not a time'],
    ['up --at 2026-02-31', 'is not a time'],
    ['up --region us-east-1', 'unknown option'],
    ['--range 6h', 'give a PromQL query'],
    ['--range 6h up', 'options go after the query'],
    ['labels a b', 'at most one metric'],
    ['labels up{job="x"}', 'is not a metric name'],
    ['labels --range 1h', 'takes no options'],
    ['series', 'needs a selector'],
    ['series up --step 1m', 'takes only `--range`'],
  ])('%j is a usage error', (text, message) => {
    expect(err(text)).toContain(message);
  });

  it('quotes user text in errors as plain text (the usage view escapes it once)', () => {
    expect(err('up --at <!channel>')).toContain('`<!channel>`'); // plain text: the view escapes it once
  });

  it('never throws, always answers with a known kind or a usage error (property)', () => {
    const kinds = new Set(['help', 'instant', 'range', 'labels', 'series']);
    const words = fc.constantFrom('up', 'sum(', ')', '{a="b c"}', '--range', '--step', '--at', '6h', '1m', '--', '"', '“', '`', 'labels', 'series', 'help', '<!channel>', '2026-11-29T09:00Z');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(words).map((w) => w.join(' '))), (text) => {
        const r = parseMetrics(text);
        if (r.ok) expect(kinds.has(r.request.kind)).toBe(true);
        else expect(r.error.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips any query with generated flags (property)', () => {
    const query = fc.string({ minLength: 1, maxLength: 60 }).map((s) => s.replace(/\s+/g, ' ').trim()).filter((s) => s.length > 0 && !/(^|\s)-[-h]|[`“”„‘’]|^(labels|series|help)\b/.test(s));
    const units = fc.constantFrom(['30s', 30_000], ['5m', 300_000], ['6h', 21_600_000], ['2d', 172_800_000]);
    fc.assert(
      fc.property(query, units, (q, [range, ms]) => {
        expect(ok(`${q} --range ${range}`)).toEqual({ kind: 'range', query: q, rangeMs: ms });
        expect(ok(q)).toEqual({ kind: 'instant', query: q });
      }),
      { numRuns: 500 },
    );
  });
});

describe('parsePromDuration / parseTime', () => {
  it('reads Prometheus durations and refuses others', () => {
    expect(parsePromDuration('90s')).toBe(90_000);
    expect(parsePromDuration('1h30m')).toBe(5_400_000);
    expect(parsePromDuration('2w')).toBe(1_209_600_000);
    for (const bad of ['', '6', '0s', '1.5h', 'h', '-1h', '1 h']) expect(parsePromDuration(bad)).toBeNull();
  });

  it('reads ISO times (no zone = UTC), offsets and Unix seconds', () => {
    expect(parseTime('2026-11-29T09:00Z')).toBe(Date.UTC(2026, 10, 29, 9));
    expect(parseTime('2026-11-29T09:00')).toBe(Date.UTC(2026, 10, 29, 9));
    expect(parseTime('2026-11-29')).toBe(Date.UTC(2026, 10, 29));
    expect(parseTime('2026-11-29T10:00:30+01:00')).toBe(Date.UTC(2026, 10, 29, 9, 0, 30));
    expect(parseTime('1795900000.5')).toBe(1_795_900_000_500);
    for (const bad of ['2026-13-01', '2026-11-29T25:00Z', 'now', '12']) expect(parseTime(bad)).toBeNull();
  });
});
