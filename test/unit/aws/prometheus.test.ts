import { createPrometheusPromQuery } from '../../../src/aws/prometheus-auth';
import { createPrometheusClient, type PrometheusClientOptions } from '../../../src/aws/prometheus';
import { LookoutError } from '../../../src/errors';
import type { Clock } from '../../../src/ports/clock';
import { startFakeHttp, success, type FakeHttp } from './prometheus-fake-http';

let http: FakeHttp;
let sleeps: number[];
const clock: Clock = { now: () => Date.now(), sleep: async (ms) => void sleeps.push(ms) };
const client = (o: Partial<PrometheusClientOptions> = {}) => createPrometheusClient({ baseUrl: http.url, label: 'Prometheus test', clock, ...o });
const form = (body: string) => [...new URLSearchParams(body)];

beforeEach(async () => {
  http = await startFakeHttp();
  sleeps = [];
});
afterEach(() => http.close());

describe('Prometheus HTTP adapter: requests and answers', () => {
  it('POSTs instant queries form-encoded and decodes vectors, NaN and ±Inf, stats and warnings', async () => {
    http.reply(
      success(
        {
          resultType: 'vector',
          result: [
            { metric: { __name__: 'up', job: 'a' }, value: [1795900000.5, '1'] },
            { metric: { job: 'b' }, value: [1795900000.5, '+Inf'] },
            { metric: { job: 'c' }, value: [1795900000.5, 'NaN'] },
          ],
          stats: { samples: { totalQueryableSamples: 42 } },
        },
        { warnings: ['careful'] },
      ),
    );
    const out = await client({ timeoutMs: 20_000 }).instant('up{job=~"a|b"} + 0', 1_795_900_000_500);
    const req = http.requests[0];
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/api/v1/query');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(form(req.body)).toEqual([['query', 'up{job=~"a|b"} + 0'], ['time', '1795900000.5'], ['timeout', '19s'], ['stats', 'all'], ['limit', '10001']]);
    expect(out.meta).toEqual({ warnings: ['careful'], samples: 42 });
    if (out.result.type !== 'vector') throw new Error(out.result.type);
    expect(out.result.samples.map((s) => s.value)).toEqual([1, Infinity, NaN]);
    expect(out.result.samples[0].labels).toEqual({ __name__: 'up', job: 'a' });
  });

  it('sends range windows in seconds and returns points in ms', async () => {
    http.reply(success({ resultType: 'matrix', result: [{ metric: { a: '1' }, values: [[1000, '1'], [1060, '-Inf']] }] }));
    const out = await client().range('x', { start: 1_000_000, end: 1_060_000, stepMs: 60_000 });
    expect(form(http.requests[0].body).slice(0, 4)).toEqual([['query', 'x'], ['start', '1000'], ['end', '1060'], ['step', '60']]);
    expect(out.series).toEqual([{ labels: { a: '1' }, points: [[1_000_000, 1], [1_060_000, -Infinity]] }]);
  });

  it('reads scalar and string results', async () => {
    http.reply(success({ resultType: 'scalar', result: [1795900000, '2.5'] }), success({ resultType: 'string', result: [1795900000, 'hi'] }));
    expect((await client().instant('2.5')).result).toEqual({ type: 'scalar', value: 2.5, at: 1_795_900_000_000 });
    expect((await client().instant('"hi"')).result).toEqual({ type: 'string', value: 'hi', at: 1_795_900_000_000 });
  });

  it('calls series, labels and label values (GET, as AMP requires) with match[]', async () => {
    http.reply(success([{ __name__: 'up', job: 'a' }]), success(['__name__', 'job']), success(['a', 'b']));
    const prom = createPrometheusClient({ baseUrl: `${http.url}/prefix/api/v1/`, label: 'p', clock });
    expect(await prom.series('up', { start: 0, end: 60_000 })).toEqual([{ labels: { __name__: 'up', job: 'a' } }]);
    expect(await prom.labels('up')).toEqual(['__name__', 'job']);
    expect(await prom.labelValues('job', 'up')).toEqual(['a', 'b']);
    const [series, labels, values] = http.requests;
    expect(series.url).toBe('/prefix/api/v1/series');
    // `limit` is one more than Lookout lists (Prometheus ≥ 2.50 stops there; older servers ignore it).
    expect(form(series.body)).toEqual([['match[]', 'up'], ['start', '0'], ['end', '60'], ['limit', '10001']]);
    expect(form(labels.body)).toEqual([['match[]', '{__name__="up"}'], ['limit', '10001']]);
    expect(values.method).toBe('GET');
    expect(values.url).toBe(`/prefix/api/v1/label/job/values?match%5B%5D=${encodeURIComponent('{__name__="up"}')}&limit=10001`);
    await expect(prom.labelValues('bad/../name')).rejects.toMatchObject({ code: 'invalid_input' });
    expect(http.requests).toHaveLength(3);
  });
});

describe('Prometheus HTTP adapter: auth from the environment', () => {
  it('sends a bearer token from tokenEnv', async () => {
    http.reply(success(['a']));
    await createPrometheusPromQuery({ url: http.url, tokenEnv: 'PROM_TOKEN' }, { PROM_TOKEN: 's3cret' }).labels();
    expect(http.requests[0].headers.authorization).toBe('Bearer s3cret');
  });

  it('sends basic auth from usernameEnv + passwordEnv, and from credentials in the URL', async () => {
    http.reply(success(['a']), success(['a']));
    await createPrometheusPromQuery({ url: http.url, usernameEnv: 'U', passwordEnv: 'P' }, { U: 'bob', P: 'pw:1' }).labels();
    expect(http.requests[0].headers.authorization).toBe(`Basic ${Buffer.from('bob:pw:1').toString('base64')}`);
    const prom = createPrometheusPromQuery({ url: http.url.replace('http://', 'http://amy:p%40ss@') }, {});
    await prom.labels();
    expect(http.requests[1].headers.authorization).toBe(`Basic ${Buffer.from('amy:p@ss').toString('base64')}`);
    expect(prom.describe()).toBe(`Prometheus ${http.url}`);
  });

  it('refuses a named but unset variable, half a basic pair and a bad URL as configuration errors', () => {
    expect(() => createPrometheusPromQuery({ url: http.url, tokenEnv: 'NOPE' }, {})).toThrow(/`NOPE`/);
    expect(() => createPrometheusPromQuery({ url: http.url, usernameEnv: 'U' }, { U: 'x' })).toThrow(/both/);
    expect(() => createPrometheusPromQuery({ url: 'not a url' }, {})).toThrow(LookoutError);
  });
});

describe('Prometheus HTTP adapter: failures', () => {
  const fails = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    if (!(e instanceof LookoutError)) throw new Error(`expected a LookoutError, got ${String(e)}`);
    return e;
  };

  it("shows Prometheus's own parse error with its position, pointing at the query", async () => {
    http.reply({ status: 400, body: { status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:10: parse error: unclosed left parenthesis' } });
    const e = await fails(client().instant('sum(rate('));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toContain('1:10: parse error: unclosed left parenthesis');
    expect(e.message).toContain('sum(rate(\n         ^');
    expect(e.message).not.toContain('invalid parameter');
    expect(http.requests).toHaveLength(1);
  });

  it.each([
    [422, { status: 'error', errorType: 'execution', error: 'query processing would load too many samples into memory in query execution' }, 'quota'],
    [422, { status: 'error', errorType: 'execution', error: 'the query hit the max samples processed error threshold' }, 'quota'],
    [422, { status: 'error', errorType: 'execution', error: 'found duplicate series for the match group' }, 'invalid_input'],
    [503, { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' }, 'timeout'],
    [422, { message: 'HTTP 422: query timeout' }, 'timeout'],
    [403, { message: 'User: arn:aws:sts::1:assumed-role/x is not authorized to perform: aps:QueryMetrics' }, 'access_denied'],
    [401, 'Unauthorized', 'access_denied'],
    [404, '404 page not found', 'config'],
    [500, { status: 'error', errorType: 'internal', error: 'boom' }, 'upstream'],
    [200, '<html>Prometheus Time Series Collection and Processing Server</html>', 'config'],
  ])('maps HTTP %i %j to %s, without retrying', async (status, body, code) => {
    http.reply({ status, body });
    const e = await fails(client({ hints: { accessDenied: 'check the token', notFound: 'check the url' } }).instant('x'));
    expect(e.code).toBe(code);
    expect(http.requests).toHaveLength(1);
    if (code === 'quota' || code === 'timeout') expect(e.hint).toMatch(/--step/);
    if (code === 'access_denied') expect(e.hint).toBe('check the token');
  });

  it('retries 429 and gateway errors with back-off, honouring Retry-After, then gives up as throttled', async () => {
    http.reply({ status: 429, body: 'slow down', headers: { 'retry-after': '2' } }, { status: 502, body: 'bad gateway' }, success(['ok']));
    expect(await client().labels()).toEqual(['ok']);
    expect(http.requests).toHaveLength(3);
    expect(sleeps[0]).toBe(2000);
    http.reply({ status: 429, body: '' }, { status: 429, body: '' }, { status: 429, body: '', headers: { 'x-amzn-requestid': 'req-9' } });
    const e = await fails(client().labels());
    expect(e.code).toBe('throttled');
    expect(e.requestIds).toEqual(['req-9']);
    expect(http.requests).toHaveLength(6);
  });

  it('does not wait out a long Retry-After', async () => {
    http.reply({ status: 429, body: '', headers: { 'retry-after': '120' } });
    expect((await fails(client().labels())).code).toBe('throttled');
    expect(http.requests).toHaveLength(1);
  });

  it('times out a silent backend, and reports an unreachable one', async () => {
    http.reply({ hang: true });
    const slow = await fails(client({ timeoutMs: 300 }).instant('up'));
    expect(slow.code).toBe('timeout');
    expect(slow.message).toContain('No answer from Prometheus test');
    const url = http.url;
    await http.close();
    const down = await fails(createPrometheusClient({ baseUrl: url, label: 'Prometheus down', clock }).instant('up'));
    expect(down.code).toBe('upstream');
    expect(down.message).toContain('ECONNREFUSED');
    http = await startFakeHttp();
  });

  it("passes the caller's abort through", async () => {
    http.reply({ hang: true });
    const ctl = new AbortController();
    const p = client().instant('up', undefined, ctl.signal);
    setTimeout(() => ctl.abort(new Error('user cancelled')), 50);
    await expect(p).rejects.toThrow('user cancelled');
  });

  it('escapes backend text that could ping a channel', async () => {
    http.reply({ status: 400, body: { status: 'error', errorType: 'bad_data', error: 'unknown <!channel> `x` ```' } });
    const e = await fails(client().instant('x'));
    expect(e.message).not.toContain('<!channel>');
    expect(e.message).toContain('&lt;!channel&gt;');
    expect(e.message.match(/```/g)).toHaveLength(2);
  });
});
