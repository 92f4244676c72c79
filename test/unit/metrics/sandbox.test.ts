import { LookoutError } from '../../../src/errors';
import { ManualClock } from '../../helpers/manual-clock';
import { createSandboxPromQuery, SANDBOX_SOURCE_LABEL } from '../../../src/sandbox/metrics';

const clock = new ManualClock();
const prom = createSandboxPromQuery({ clock });
const vector = async (q: string, at?: number) => {
  const { result } = await prom.instant(q, at);
  if (result.type !== 'vector') throw new Error(result.type);
  return result.samples;
};

describe('sandbox metrics', () => {
  it('labels every raw series as sandbox data', async () => {
    const series = await prom.series('{__name__=~".+"}');
    expect(series.length).toBeGreaterThan(10);
    for (const s of series) expect(s.labels.source).toBe(SANDBOX_SOURCE_LABEL.source);
  });

  it('is deterministic: the same time gives the same numbers', async () => {
    const other = createSandboxPromQuery({ clock: new ManualClock() });
    const a = await prom.instant('rate(http_requests_total[5m])');
    const b = await other.instant('rate(http_requests_total[5m])');
    expect(a).toEqual(b);
  });

  it('matches label matchers =, !=, =~, !~', async () => {
    expect(await vector('up{job="batch"}')).toEqual([{ labels: { __name__: 'up', job: 'batch', instance: 'batch-1:9100', source: 'lookout-sandbox' }, value: 0 }]);
    expect((await vector('up{job!="app"}')).map((s) => s.labels.job).sort()).toEqual(['batch', 'node']);
    expect(await vector('http_requests_total{code=~"5..", service!~"web|api"}')).toHaveLength(1);
    expect(await vector('{__name__="up", instance=~"web.*"}')).toHaveLength(2);
  });

  it('computes rates of counters that only go up, without the metric name', async () => {
    const rates = await vector('rate(http_requests_total{code="200"}[5m])');
    expect(rates).toHaveLength(3);
    for (const r of rates) {
      expect(r.labels.__name__).toBeUndefined();
      expect(r.value).toBeGreaterThan(0);
    }
    const web = rates.find((r) => r.labels.service === 'web')!.value;
    expect(web).toBeGreaterThan(60); // 120/s ± 40 %
    expect(web).toBeLessThan(180);
    const [inc] = await vector('increase(http_requests_total{code="200", service="web"}[5m])');
    expect(inc.value).toBeCloseTo(web * 300, 0);
    const [irate] = await vector('irate(http_requests_total{code="200", service="web"}[5m])');
    expect(irate.value).toBeGreaterThan(0);
  });

  it('aggregates with by and without, before or after the argument', async () => {
    const byService = await vector('sum by (service) (rate(http_requests_total[5m]))');
    expect(byService.map((s) => s.labels)).toEqual([{ service: 'web' }, { service: 'api' }, { service: 'db' }]);
    const after = await vector('sum(rate(http_requests_total[5m])) by (service)');
    expect(after).toEqual(byService);
    const cpu = await vector('avg without (cpu) (rate(node_cpu_seconds_total[5m]))');
    expect(cpu.map((s) => s.labels.mode).sort()).toEqual(['idle', 'system', 'user']);
    expect(cpu.reduce((a, s) => a + s.value, 0)).toBeCloseTo(1, 5); // modes of one CPU add up to one core
    expect(await vector('count(up)')).toEqual([{ labels: {}, value: 4 }]);
    expect(await vector('max(node_memory_MemAvailable_bytes)')).toHaveLength(1);
  });

  it('evaluates range selectors at an instant as a matrix on the 15 s scrape grid', async () => {
    const { result } = await prom.instant('up{job="batch"}[1m]');
    if (result.type !== 'matrix') throw new Error(result.type);
    expect(result.series[0].points.map((p) => p[0] % 15_000)).toEqual([0, 0, 0, 0]);
  });

  it('answers range queries step by step', async () => {
    const end = clock.now();
    const { series } = await prom.range('sum by (service) (rate(http_requests_total[5m]))', { start: end - 3_600_000, end, stepMs: 60_000 });
    expect(series).toHaveLength(3);
    for (const s of series) {
      expect(s.points).toHaveLength(61);
      expect(s.points[0][0]).toBe(end - 3_600_000);
    }
    await expect(prom.range('up[5m]', { start: end - 60_000, end, stepMs: 1000 })).rejects.toThrow(LookoutError);
  });

  it.each(['topk(3, up)', 'up + 1', 'rate(up)', 'sum(rate(', 'up{job=~"("}', 'histogram_quantile(0.9, x)', 'sum(up[5m])', 'up offset 5m'])(
    'refuses %j with invalid_input saying what it supports',
    async (q) => {
      const p = prom.instant(q);
      await expect(p).rejects.toBeInstanceOf(LookoutError);
      await expect(p).rejects.toMatchObject({ code: 'invalid_input' });
      if (!q.includes('~"("')) await expect(prom.instant(q)).rejects.toMatchObject({ hint: expect.stringContaining('sandbox understands only') });
    },
  );

  it('escapes the query it quotes in errors', async () => {
    await expect(prom.instant('<!channel> + 1')).rejects.toThrow(/&lt;!channel&gt;/);
  });

  it('lists labels and label values, optionally for one metric', async () => {
    expect(await prom.labels('up')).toEqual(['__name__', 'instance', 'job', 'source']);
    expect(await prom.labelValues('job')).toEqual(['app', 'batch', 'node']);
    expect(await prom.labelValues('mode', 'node_cpu_seconds_total')).toEqual(['idle', 'system', 'user']);
    await expect(prom.series('rate(up[5m])')).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
