import { LookoutError } from '../../../src/errors';
import { createMetricsService } from '../../../src/metrics/service';
import { labelKey, summarizeSeries } from '../../../src/metrics/summarize';
import { ManualClock } from '../../helpers/manual-clock';
import type { PromQuery } from '../../../src/ports/prom-query';
import type { RangeSeries } from '../../../src/metrics/model';
import { createSandboxPromQuery } from '../../../src/sandbox/metrics';

const H = 3_600_000;

/** A PromQuery that answers from fixed data and records what it was asked. */
function fakeProm(overrides: Partial<PromQuery> = {}): PromQuery & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  const prom: PromQuery = {
    describe: () => 'fake',
    instant: async (...args) => (calls.push(['instant', ...args]), { result: { type: 'vector', samples: [] }, meta: { warnings: [] } }),
    range: async (...args) => (calls.push(['range', ...args]), { series: [], meta: { warnings: [] } }),
    series: async (...args) => (calls.push(['series', ...args]), []),
    labels: async (...args) => (calls.push(['labels', ...args]), []),
    labelValues: async (...args) => (calls.push(['labelValues', ...args]), []),
    ...overrides,
  };
  return Object.assign(prom, { calls });
}

const flat = (labels: Record<string, string>, value: number): RangeSeries => ({ labels, points: [[0, value], [1000, value]] });

describe('metrics service', () => {
  const clock = new ManualClock();

  it('ranks an instant vector by value, keeps the top 20 and the total', async () => {
    const samples = Array.from({ length: 25 }, (_, i) => ({ labels: { i: String(i) }, value: i % 7 }));
    samples.push({ labels: { i: 'nan' }, value: NaN });
    const prom = fakeProm({ instant: async () => ({ result: { type: 'vector', samples }, meta: { warnings: [] } }) });
    const a = await createMetricsService({ prom, clock }).instant('x');
    if (a.kind !== 'vector') throw new Error(a.kind);
    expect(a.total).toBe(26);
    expect(a.rows).toHaveLength(20);
    expect(a.rows.map((r) => r.value)).toEqual([...a.rows.map((r) => r.value)].sort((x, y) => y - x));
    expect(a.rows[0].value).toBe(6);
    expect(a.at).toBe(clock.now());
  });

  it('asks at --at, refuses the future, and answers scalars in one value', async () => {
    const prom = fakeProm({ instant: async (_q, at) => ({ result: { type: 'scalar', value: 42, at: at! }, meta: { warnings: [] } }) });
    const svc = createMetricsService({ prom, clock });
    const at = clock.now() - H;
    expect(await svc.instant('42', at)).toMatchObject({ kind: 'scalar', value: 42, at });
    await expect(svc.instant('42', clock.now() + 2 * H)).rejects.toThrow(/future/);
  });

  it('plans the range, draws the top 10 by average and summarizes them', async () => {
    const series = Array.from({ length: 14 }, (_, i) => flat({ s: String(i) }, i));
    const prom = fakeProm({ range: async (...args) => (prom.calls.push(['range', ...args]), { series, meta: { warnings: [] } }) });
    const a = await createMetricsService({ prom, clock }).range('x', { rangeMs: 6 * H });
    expect(prom.calls[0][2]).toEqual({ start: clock.now() - 6 * H, end: clock.now(), stepMs: 120_000 });
    expect(a).toMatchObject({ kind: 'range', total: 14, stepChosen: true, stepMs: 120_000 });
    expect(a.series.map((s) => s.labels.s)).toEqual(['13', '12', '11', '10', '9', '8', '7', '6', '5', '4']);
    expect(a.summaries[0]).toEqual({ labels: { s: '13' }, min: 13, avg: 13, max: 13, last: 13, points: 2 });
  });

  it('refuses more than 500 series with advice', async () => {
    const series = Array.from({ length: 501 }, (_, i) => flat({ s: String(i) }, 1));
    const prom = fakeProm({ range: async () => ({ series, meta: { warnings: [] } }) });
    const run = createMetricsService({ prom, clock }).range('x', { rangeMs: H });
    await expect(run).rejects.toMatchObject({ code: 'invalid_input', hint: expect.stringContaining('topk') });
    await expect(createMetricsService({ prom, clock, limits: { maxSeries: 600 } }).range('x', { rangeMs: H })).resolves.toMatchObject({ total: 501 });
  });

  it('refuses a costly user step before calling the backend', async () => {
    const prom = fakeProm();
    await expect(createMetricsService({ prom, clock }).range('x', { rangeMs: 30 * 24 * H, stepMs: 60_000 })).rejects.toBeInstanceOf(LookoutError);
    expect(prom.calls).toHaveLength(0);
  });

  it('adds an Explore link with the same query and absolute range', async () => {
    const svc = createMetricsService({ prom: fakeProm(), clock, explore: { baseUrl: 'https://g.example/', datasourceUid: 'prom-main' } });
    const a = await svc.range('sum(up)', { rangeMs: H });
    if (a.kind !== 'range' || !a.exploreUrl) throw new Error('no link');
    const left = JSON.parse(new URL(a.exploreUrl).searchParams.get('left')!);
    expect(left.queries[0].expr).toBe('sum(up)');
    expect(left.range).toEqual({ from: String(clock.now() - H), to: String(clock.now()) });
    expect(await createMetricsService({ prom: fakeProm(), clock }).instant('up')).not.toHaveProperty('exploreUrl');
  });

  it('answers labels, with values per label for one metric', async () => {
    const svc = createMetricsService({ prom: createSandboxPromQuery({ clock }), clock, limits: { labelValues: 2 } });
    const all = await svc.labels();
    expect(all).toMatchObject({ kind: 'labels', source: 'sandbox (sample data)' });
    expect(all.names).toEqual(expect.arrayContaining(['__name__', 'job', 'service', 'source']));
    const one = await svc.labels('http_requests_total');
    expect(one.names).not.toContain('__name__');
    expect(one.values?.find((v) => v.label === 'service')).toEqual({ label: 'service', values: ['api', 'db'], total: 3 });
  });

  it('answers series over the look-back window, sorted and capped', async () => {
    const prom = createSandboxPromQuery({ clock });
    const a = await createMetricsService({ prom, clock, limits: { listed: 3 } }).series('up', 2 * H);
    expect(a).toMatchObject({ kind: 'series', total: 4, start: clock.now() - 2 * H, end: clock.now() });
    expect(a.series).toHaveLength(3);
    const keys = a.series.map((s) => labelKey(s.labels));
    expect(keys).toEqual([...keys].sort());
  });

  it('runs parsed commands', async () => {
    const svc = createMetricsService({ prom: createSandboxPromQuery({ clock }), clock });
    expect(await svc.run({ kind: 'instant', query: 'count(up)' })).toMatchObject({ kind: 'vector', total: 1, rows: [{ value: 4 }] });
    expect(await svc.run({ kind: 'range', query: 'up', rangeMs: H, stepMs: 60_000 })).toMatchObject({ kind: 'range', total: 4 });
    expect(await svc.run({ kind: 'labels', metric: 'up' })).toMatchObject({ kind: 'labels', metric: 'up' });
    expect(await svc.run({ kind: 'series', selector: 'up{job="batch"}' })).toMatchObject({ kind: 'series', total: 1 });
  });
});

describe('summarizeSeries', () => {
  it('ignores NaN and infinities and reports the last finite value', () => {
    const s = summarizeSeries({ labels: {}, points: [[0, 2], [1, NaN], [2, 4], [3, Infinity], [4, 0]] });
    expect(s).toEqual({ labels: {}, min: 0, avg: 2, max: 4, last: 0, points: 5 });
    expect(summarizeSeries({ labels: {}, points: [[0, NaN]] }).avg).toBeNaN();
  });
});
