import { LookoutError } from '../../../src/errors';
import { ManualClock } from '../../helpers/manual-clock';
import type { PromQuery } from '../../../src/ports/prom-query';
import type { RangeSeries } from '../../../src/metrics/model';
import { createGrafanaService, seriesStats, unitFromGrafana } from '../../../src/grafana/service';
import { createSandboxDashboards } from '../../../src/sandbox/grafana/dashboards';
import { BASE, checkoutDashboardJson } from './fixtures';

const H = 3_600_000;

function fakeProm(answer: (query: string) => RangeSeries[] | Error, warnings: string[] = []) {
  const calls: { query: string; range: { start: number; end: number; stepMs: number } }[] = [];
  const prom: PromQuery = {
    describe: () => 'Prometheus http://prom.test',
    instant: async () => ({ result: { type: 'vector', samples: [] }, meta: { warnings: [] } }),
    range: async (query, range) => {
      calls.push({ query, range });
      const a = answer(query);
      if (a instanceof Error) throw a;
      return { series: a, meta: { warnings } };
    },
    series: async () => [],
    labels: async () => [],
    labelValues: async () => [],
  };
  return { prom, calls };
}

const flat = (labels: Record<string, string>, value: number, n = 5): RangeSeries => ({
  labels,
  points: Array.from({ length: n }, (_, i) => [i * 60_000, value + i] as [number, number]),
});

describe('createGrafanaService.panel', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 29, 9, 0, 0));
  const dashboards = createSandboxDashboards({ baseUrl: BASE, documents: [checkoutDashboardJson()] });

  it('runs the panel’s queries over the range and names, ranks and caps the series', async () => {
    const series = Array.from({ length: 14 }, (_, i) => flat({ code: String(200 + i), job: 'checkout' }, i * 10));
    const { prom, calls } = fakeProm(() => series);
    const svc = createGrafanaService({ dashboards, prom, clock, maxSeries: 10 });
    const a = await svc.panel({ dashboard: 'checkout-1', panel: 'Request rate', rangeMs: 6 * H });

    expect(calls).toEqual([{ query: expect.stringContaining('service=~"(api|web)"'), range: { start: clock.now() - 6 * H, end: clock.now(), stepMs: 30_000 } }]);
    expect(a.series).toHaveLength(10);
    expect(a.totalSeries).toBe(14);
    expect(a.series[0]).toMatchObject({ name: '213', refId: 'A', stats: { min: 130, max: 134, last: 134, avg: 132 } });
    expect(a.series.map((s) => s.name)).toEqual(['213', '212', '211', '210', '209', '208', '207', '206', '205', '204']);
    expect(a.commonLabels).toBe('{job="checkout"}');
    expect(a).toMatchObject({ dashboard: { uid: 'checkout-1', folder: 'Payments' }, panel: { id: 2, title: 'Request rate' }, unit: 'none', source: 'Prometheus http://prom.test' });
    expect(a.link).toContain('viewPanel=2');
    expect(a.queries).toEqual([{ refId: 'A', expr: calls[0].query }]);
  });

  it('uses the dashboard’s own range when none is given, and the panel’s unit', async () => {
    const { prom, calls } = fakeProm(() => [flat({}, 0.2)]);
    const a = await createGrafanaService({ dashboards, prom, clock }).panel({ dashboard: 'Checkout service', panel: 'p99 latency' });
    expect(calls[0].range.end - calls[0].range.start).toBe(24 * H);
    expect(a.unit).toBe('seconds');
    expect(a.series[0].name).toBe(calls[0].query); // no labels: named by the query
  });

  it('passes Prometheus warnings on, escaped, and flags a panel on another data source', async () => {
    const { prom } = fakeProm(() => [], ['<b>partial</b> response']);
    const a = await createGrafanaService({ dashboards, prom, clock, datasourceUid: 'prom-main' }).panel({ dashboard: 'checkout-1', panel: 'Mixed' });
    expect(a.warnings.join(' ')).toContain('`&lt;b&gt;partial&lt;/b&gt; response`');
    expect(a.warnings.join(' ')).toContain('uses data source `amp-main`');
    expect(a.series).toEqual([]);
  });

  it('says which query failed, keeping the error’s code, hint and request ids', async () => {
    const { prom } = fakeProm(() => new LookoutError('invalid_input', 'parse error at char 5', { hint: 'fix it', requestIds: ['r-1'] }));
    const err = await createGrafanaService({ dashboards, prom, clock }).panel({ dashboard: 'checkout-1', panel: '2' }).catch((e) => e);
    expect(err).toBeInstanceOf(LookoutError);
    expect(err).toMatchObject({ code: 'invalid_input', hint: 'fix it', requestIds: ['r-1'] });
    expect(err.message).toBe('Query `A` of panel `Request rate` failed: parse error at char 5');
  });

  it('lets unexpected errors through untouched', async () => {
    const boom = new TypeError('bug');
    const { prom } = fakeProm(() => boom);
    await expect(createGrafanaService({ dashboards, prom, clock }).panel({ dashboard: 'checkout-1', panel: '2' })).rejects.toBe(boom);
  });
});

describe('createGrafanaService.search', () => {
  it('returns the dashboards and where they came from', async () => {
    const { prom } = fakeProm(() => []);
    const a = await createGrafanaService({ dashboards: createSandboxDashboards(), prom, clock: new ManualClock() }).search('overview');
    expect(a).toEqual({ terms: 'overview', source: 'sandbox Grafana', dashboards: [expect.objectContaining({ uid: 'sandbox-overview' })] });
  });
});

describe('helpers', () => {
  it('summarises finite points only', () => {
    expect(seriesStats([[0, 1], [1, NaN], [2, 3], [3, Infinity]])).toEqual({ min: 1, avg: 2, max: 3, last: 3 });
    expect(seriesStats([[0, NaN]]).max).toBeNaN();
  });
  it('maps Grafana unit ids', () => {
    expect(['bytes', 's', 'percent', 'percentunit', 'reqps', undefined].map(unitFromGrafana)).toEqual(['bytes', 'seconds', 'percent', 'ratio', 'none', 'none']);
  });
});
