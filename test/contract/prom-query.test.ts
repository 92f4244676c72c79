import { createPrometheusPromQuery } from '../../src/aws/prometheus-auth';
import { LookoutError } from '../../src/errors';
import { ManualClock } from '../helpers/manual-clock';
import type { PromQuery } from '../../src/ports/prom-query';
import { createSandboxPromQuery } from '../../src/sandbox/metrics';
import { startPrometheus } from '../helpers/prometheus';

/**
 * One PromQuery contract, run against the sandbox and against the HTTP adapter talking to a real Prometheus:
 * the same shapes, the same error codes. Each subject names a counter it has and "now" in its own time.
 */
interface Subject {
  prom: PromQuery;
  now(): number;
  counter: string;
  stop(): Promise<void>;
}

const subjects: [string, () => Promise<Subject>][] = [
  [
    'sandbox',
    async () => {
      const clock = new ManualClock();
      return { prom: createSandboxPromQuery({ clock }), now: () => clock.now(), counter: 'http_requests_total', stop: async () => undefined };
    },
  ],
  [
    'Prometheus HTTP adapter + real Prometheus',
    async () => {
      const server = await startPrometheus();
      return { prom: createPrometheusPromQuery({ url: server.url }, {}), now: () => Date.now(), counter: 'prometheus_http_requests_total', stop: server.stop };
    },
  ],
];

const expectInvalidInput = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(LookoutError);
  expect((e as LookoutError).code).toBe('invalid_input');
};

describe.each(subjects)('PromQuery contract: %s', (_name, start) => {
  let s: Subject;
  beforeAll(async () => {
    s = await start();
  }, 60_000);
  afterAll(() => s?.stop());

  const vector = async (q: string) => {
    const { result } = await s.prom.instant(q, s.now());
    if (result.type !== 'vector') throw new Error(`${q}: ${result.type}`);
    return result.samples;
  };

  it('describes itself', () => {
    expect(s.prom.describe()).toMatch(/\S/);
  });

  it('answers a selector with labelled samples, and nothing for a selector that matches nothing', async () => {
    const up = await vector('up');
    expect(up.length).toBeGreaterThan(0);
    for (const sample of up) {
      expect(sample.labels).toMatchObject({ __name__: 'up', job: expect.any(String) });
      expect([0, 1]).toContain(sample.value);
    }
    expect(await vector('up{job="no-such-job"}')).toEqual([]);
  });

  it('aggregates by a label and computes counter rates without the metric name', async () => {
    for (const sample of await vector('sum by (job) (up)')) expect(Object.keys(sample.labels)).toEqual(['job']);
    const rates = await vector(`rate(${s.counter}[1m])`);
    expect(rates.length).toBeGreaterThan(0);
    for (const r of rates) {
      expect(r.labels.__name__).toBeUndefined();
      expect(r.value).toBeGreaterThanOrEqual(0);
    }
  });

  it('evaluates a range selector at an instant as a matrix with ascending points', async () => {
    const { result } = await s.prom.instant('up[1m]', s.now());
    if (result.type !== 'matrix') throw new Error(result.type);
    expect(result.series.length).toBeGreaterThan(0);
    for (const series of result.series) {
      expect(series.points.length).toBeGreaterThan(0);
      const times = series.points.map((p) => p[0]);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it('answers range queries on the step grid, within the window', async () => {
    const end = Math.floor(s.now() / 1000) * 1000;
    const start = end - 20_000;
    const { series, meta } = await s.prom.range('sum by (job) (up)', { start, end, stepMs: 5000 }, undefined);
    expect(Array.isArray(meta.warnings)).toBe(true);
    expect(series.length).toBeGreaterThan(0);
    for (const one of series) {
      expect(Object.keys(one.labels)).toEqual(['job']);
      expect(one.points.length).toBeGreaterThan(0);
      expect(one.points.length).toBeLessThanOrEqual(5);
      for (const [t, v] of one.points) {
        expect((t - start) % 5000).toBe(0);
        expect(t).toBeGreaterThanOrEqual(start);
        expect(t).toBeLessThanOrEqual(end);
        expect(Number.isFinite(v)).toBe(true);
      }
    }
  });

  it('refuses bad PromQL and too many points as invalid input', async () => {
    await expectInvalidInput(s.prom.instant('sum(rate(', s.now()));
    const end = s.now();
    await expectInvalidInput(s.prom.range('sum(rate(', { start: end - 60_000, end, stepMs: 1000 }));
    await expectInvalidInput(s.prom.range('up', { start: end - 20_000_000, end, stepMs: 1000 }));
  });

  it('lists label names and values, for everything or one metric', async () => {
    expect(await s.prom.labels()).toEqual(expect.arrayContaining(['__name__', 'instance', 'job']));
    expect(await s.prom.labels('up')).toEqual(expect.arrayContaining(['__name__', 'job']));
    expect(await s.prom.labelValues('__name__')).toEqual(expect.arrayContaining(['up', s.counter]));
    const jobs = await s.prom.labelValues('job', 'up');
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs).toEqual([...jobs].sort());
  });

  it('finds series by selector', async () => {
    const end = s.now();
    const found = await s.prom.series('up', { start: end - 3_600_000, end });
    expect(found.length).toBeGreaterThan(0);
    for (const one of found) expect(one.labels.__name__).toBe('up');
    expect(await s.prom.series('{__name__="no_such_metric"}', { start: end - 3_600_000, end })).toEqual([]);
  });
});
