import { createPrometheusPromQuery } from '../../../src/aws/prometheus-auth';
import { LookoutError } from '../../../src/errors';
import { createMetricsService } from '../../../src/metrics/service';
import { systemClock } from '../../../src/clock';
import type { PromQuery } from '../../../src/ports/prom-query';
import { renderMetricsAnswer } from '../../helpers/views';
import { startPrometheus, type RunningPrometheus } from '../../helpers/prometheus';

// A real Prometheus (Debian package) scraping itself every second: the adapter, service and view end to end.
let server: RunningPrometheus;
let prom: PromQuery;
const ctx = { ctx: { userId: 'U1' } };

beforeAll(async () => {
  server = await startPrometheus();
  prom = createPrometheusPromQuery({ url: server.url }, {});
}, 60_000);
afterAll(() => server?.stop());

describe('Prometheus adapter against a real Prometheus', () => {
  it('answers `up` with a table of its labels', async () => {
    const answer = await createMetricsService({ prom, clock: systemClock }).instant('up');
    expect(answer).toMatchObject({ kind: 'vector', total: 1, rows: [{ value: 1 }] });
    if (answer.kind !== 'vector') throw new Error(answer.kind);
    const host = new URL(server.url).host;
    expect(answer.rows[0].labels).toEqual({ __name__: 'up', job: 'prometheus', instance: host });
    expect(answer.meta.samples).toBeGreaterThanOrEqual(1);
    const table = JSON.stringify(renderMetricsAnswer(answer, ctx).blocks);
    expect(table).toContain(`up{instance=\\"${host}\\", job=\\"prometheus\\"}`);
  });

  it('runs a range query over its own request counter', async () => {
    const svc = createMetricsService({ prom, clock: systemClock });
    const answer = await svc.range('prometheus_http_requests_total', { rangeMs: 60_000, stepMs: 1000 });
    expect(answer.total).toBeGreaterThan(0);
    expect(answer.series.length).toBe(Math.min(answer.total, 10));
    for (const s of answer.series) {
      expect(s.labels.__name__).toBe('prometheus_http_requests_total');
      expect(s.points.length).toBeGreaterThan(0);
      for (let i = 1; i < s.points.length; i++) expect(s.points[i][0] - s.points[i - 1][0]).toBe(1000);
    }
    expect(answer.summaries[0].max).toBeGreaterThanOrEqual(answer.summaries[0].min);
  });

  it("returns Prometheus's parse error with its position", async () => {
    const e = await prom.instant('sum(rate(up[1m])').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(LookoutError);
    expect(e).toMatchObject({ code: 'invalid_input' });
    expect((e as LookoutError).message).toMatch(/1:\d+: parse error: unclosed left parenthesis/);
    expect((e as LookoutError).message).toContain('sum(rate(up[1m])\n');
  });

  it('lists labels, label values and series', async () => {
    expect(await prom.labels()).toEqual(expect.arrayContaining(['__name__', 'instance', 'job']));
    expect(await prom.labelValues('job')).toEqual(['prometheus']);
    expect(await prom.labelValues('__name__', undefined)).toContain('up');
    const svc = createMetricsService({ prom, clock: systemClock });
    const labels = await svc.labels('up');
    expect(labels.values?.find((v) => v.label === 'job')).toEqual({ label: 'job', values: ['prometheus'], total: 1 });
    const series = await svc.series('up{job="prometheus"}');
    expect(series).toMatchObject({ total: 1, series: [{ labels: { __name__: 'up', job: 'prometheus' } }] });
  });
});
