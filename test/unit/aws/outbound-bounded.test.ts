import { createPrometheusClient } from '../../../src/aws/prometheus';
import { createGrafanaUrlDashboards } from '../../../src/aws/grafana';
import { BodyTooLargeError, DEFAULT_OUTBOUND, readBounded, type OutboundPolicy } from '../../../src/outbound';
import type { Clock } from '../../../src/ports/clock';
import { startFloodServer, type FloodAnswer, type FloodServer } from '../../helpers/flood-http';

// Issue 10 finding 2: every body read is bounded. Each answer below is ~50 MB, streamed; the readers stop at 256 KiB.
const KiB = 1024;
const CAP = 256 * KiB;
// What the kernel's loopback buffers may have accepted beyond what the client read before it hung up.
const SOCKET_SLACK = 8 * 1024 * KiB;
const TOTAL = 500_000;
const policy: OutboundPolicy = { ...DEFAULT_OUTBOUND, maxBytes: { range: CAP, instant: CAP, list: CAP, dashboard: CAP, search: CAP, error: 4 * KiB } };
const clock: Clock = { now: () => Date.now(), sleep: async () => undefined };

const labels = (i: number) => `{"__name__":"flood","job":"flood","instance":"host-${String(i).padStart(7, '0')}","zone":"eu-west-1a"}`;
const answers: Record<string, FloodAnswer> = {
  '/api/v1/query': { head: '{"status":"success","data":{"resultType":"vector","result":[', item: (i) => `{"metric":${labels(i)},"value":[1,"1"]}`, count: TOTAL, tail: ']}}' },
  '/api/v1/query_range': { head: '{"status":"success","data":{"resultType":"matrix","result":[', item: (i) => `{"metric":${labels(i)},"values":[[1,"1"],[2,"2"]]}`, count: TOTAL, tail: ']}}' },
  '/api/v1/series': { head: '{"status":"success","data":[', item: labels, count: TOTAL, tail: ']}' },
  '/api/v1/labels': { head: '{"status":"success","data":[', item: (i) => `"label_${i}_${'x'.repeat(60)}"`, count: TOTAL, tail: ']}' },
  '/api/v1/label/instance/values': { head: '{"status":"success","data":[', item: (i) => `"host-${i}-${'x'.repeat(60)}"`, count: TOTAL, tail: ']}' },
  '/api/dashboards/uid/huge': { head: '{"dashboard":{"title":"huge","panels":[', item: (i) => `{"id":${i},"title":"panel ${i}","type":"timeseries","targets":[{"expr":"up"}]}`, count: TOTAL, tail: ']}}' },
  '/api/search': { head: '[', item: (i) => `{"uid":"d${i}","title":"Dashboard ${i}","url":"/d/d${i}","type":"dash-db"}`, count: TOTAL, tail: ']' },
};

let flood: FloodServer;
beforeAll(async () => {
  flood = await startFloodServer((path) => answers[path.split('?')[0]]);
});
afterAll(() => flood.close());

/** The bytes the stand-in sent for the last request, once its response has ended. */
async function lastSent(before: number): Promise<number> {
  for (let i = 0; i < 2000 && flood.sent.length <= before; i++) await new Promise((r) => setTimeout(r, 5));
  return flood.sent[before];
}

describe('readBounded', () => {
  it('stops reading at the limit, cancels the stream and says how large the limit was', async () => {
    const before = flood.sent.length;
    const res = await fetch(`${flood.url}/api/v1/series`);
    const err = await readBounded(res, CAP).catch((e) => e);
    expect(err).toBeInstanceOf(BodyTooLargeError);
    expect(err.limitBytes).toBe(CAP);
    expect(await lastSent(before)).toBeLessThan(CAP + SOCKET_SLACK);
  });

  it('refuses a body whose declared length is over the limit without reading it', async () => {
    const res = new Response('x'.repeat(100), { headers: { 'content-length': '100' } });
    await expect(readBounded(res, 10)).rejects.toBeInstanceOf(BodyTooLargeError);
    await expect(readBounded(new Response('small'), 10)).resolves.toBe('small');
  });
});

describe('Prometheus adapter: every read is bounded', () => {
  const prom = () => createPrometheusClient({ baseUrl: flood.url, label: 'Prometheus flood', outbound: policy, clock, maxAttempts: 1 });
  it.each([
    ['instant', () => prom().instant('flood')],
    ['range', () => prom().range('flood', { start: 0, end: 60_000, stepMs: 15_000 })],
    ['series', () => prom().series('{job="flood"}')],
    ['labels', () => prom().labels()],
    ['label values', () => prom().labelValues('instance')],
  ])('%s: refused with advice at the byte limit, not read to the end', async (_what, read) => {
    const before = flood.sent.length;
    const err = await read().catch((e) => e);
    expect(err).toMatchObject({ code: 'quota', message: expect.stringContaining('larger than 256 KiB') });
    expect(err.hint).toMatch(/Narrow the selector|Make it cheaper/);
    const sent = await lastSent(before);
    expect(sent).toBeLessThan(CAP + SOCKET_SLACK);
    expect(sent).toBeLessThan(TOTAL * 50); // far from the whole answer
  });
});

describe('Grafana adapter: dashboard JSON and search are bounded', () => {
  const grafana = () => createGrafanaUrlDashboards({ url: flood.url, tokenEnv: 'T', env: { T: 'token' }, clock, outbound: policy });
  it.each([
    ['dashboard JSON', () => grafana().getDashboard('huge')],
    ['search', () => grafana().search('anything')],
  ])('%s: refused at the byte limit', async (_what, read) => {
    const before = flood.sent.length;
    const err = await read().catch((e) => e);
    expect(err).toMatchObject({ code: 'quota', message: expect.stringContaining('more than 256 KiB') });
    expect(await lastSent(before)).toBeLessThan(CAP + SOCKET_SLACK);
  });
});

describe('Prometheus adapter: a cap on series and label values before anything is sorted or shown', () => {
  it('asks the server for one more than the cap (`limit`) and refuses an answer over it with advice', async () => {
    const small = await startFloodServer((path) =>
      path.startsWith('/api/v1/series') ? { head: '{"status":"success","data":[', item: labels, count: 11, tail: ']}' } : undefined,
    );
    try {
      const prom = createPrometheusClient({ baseUrl: small.url, label: 'Prometheus small', outbound: { ...policy, maxListItems: 10 }, clock });
      const err = await prom.series('{job="flood"}').catch((e) => e);
      expect(err).toMatchObject({ code: 'quota', message: expect.stringContaining('More than 10 series') });
      expect(err.hint).toMatch(/Narrow the selector/);
      expect(new URLSearchParams(small.requests[0].body).get('limit')).toBe('11');
    } finally {
      await small.close();
    }
  });
});

describe('Prometheus adapter: queries carry `limit` too', () => {
  it('an instant query over the series cap is refused with advice to aggregate', async () => {
    const many = await startFloodServer((path) =>
      path.startsWith('/api/v1/query')
        ? { head: '{"status":"success","data":{"resultType":"vector","result":[', item: (i) => `{"metric":${labels(i)},"value":[1,"1"]}`, count: 11, tail: ']}}' }
        : undefined,
    );
    try {
      const prom = createPrometheusClient({ baseUrl: many.url, label: 'Prometheus many', outbound: { ...policy, maxListItems: 10 }, clock });
      const err = await prom.instant('flood').catch((e) => e);
      expect(err).toMatchObject({ code: 'quota', message: expect.stringContaining('More than 10 series') });
      expect(err.hint).toMatch(/aggregate/);
      expect(new URLSearchParams(many.requests[0].body).get('limit')).toBe('11');
    } finally {
      await many.close();
    }
  });
});
