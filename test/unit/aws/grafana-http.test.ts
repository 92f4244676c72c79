import { createGrafanaUrlDashboards } from '../../../src/aws/grafana';
import { retryDelayMs } from '../../../src/aws/grafana-errors';
import { searchParams } from '../../../src/aws/grafana-http';
import type { Clock } from '../../../src/ports/clock';
import { SANDBOX_DASHBOARDS } from '../../../src/sandbox/grafana/dashboards-json';
import { startGrafanaStandIn, type GrafanaStandIn } from '../grafana/stand-in';

let standIn: GrafanaStandIn;
let slept: number[];
const clock: Clock = { now: () => 0, sleep: async (ms) => void slept.push(ms) };

beforeAll(async () => {
  standIn = await startGrafanaStandIn(SANDBOX_DASHBOARDS, ['env-token']);
});
afterAll(() => standIn.close());
beforeEach(() => {
  slept = [];
});

const make = (env: Record<string, string | undefined> = { GRAFANA_TOKEN: 'env-token' }, url = standIn.url) =>
  createGrafanaUrlDashboards({ url, tokenEnv: 'GRAFANA_TOKEN', env, clock });

describe('createGrafanaUrlDashboards', () => {
  it('sends the token from the environment as a bearer token', async () => {
    await expect(make().search('overview')).resolves.toEqual([expect.objectContaining({ uid: 'sandbox-overview' })]);
    expect(standIn.requests.at(-1)).toEqual({ path: '/api/search?type=dash-db&query=overview&limit=1000', auth: 'Bearer env-token' });
  });

  it('says which variable is missing when the token is not set', async () => {
    await expect(make({}).search('x')).rejects.toMatchObject({ code: 'config', message: expect.stringContaining('`GRAFANA_TOKEN`') });
  });

  it('maps a refused token to access_denied with what to check', async () => {
    await expect(make({ GRAFANA_TOKEN: 'wrong' }).search('x')).rejects.toMatchObject({
      code: 'access_denied',
      message: expect.stringContaining('HTTP 401'),
      hint: expect.stringContaining('GRAFANA_TOKEN'),
    });
  });

  it('retries 429 honouring Retry-After, then succeeds', async () => {
    standIn.fail(429, 1, { 'retry-after': '2' });
    await expect(make().search('node')).resolves.toHaveLength(1);
    expect(slept).toEqual([2000]);
  });

  it('gives up after three attempts on 5xx', async () => {
    standIn.fail(503, 3);
    await expect(make().search('x')).rejects.toMatchObject({ code: 'upstream', message: expect.stringContaining('HTTP 503') });
    expect(slept).toHaveLength(2);
  });

  it('reports throttling that outlasts the retries', async () => {
    standIn.fail(429, 3);
    await expect(make().search('x')).rejects.toMatchObject({ code: 'throttled' });
  });

  it('resolves a title case-insensitively, lists ambiguous matches, and suggests close titles', async () => {
    const d = make();
    await expect(d.getDashboard('sandbox NODE resources')).resolves.toMatchObject({ uid: 'sandbox-nodes' });
    await expect(d.getDashboard('Sandbox')).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('uid `sandbox-nodes`') });
    await expect(d.getDashboard('Sandbox servce overview')).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('`Sandbox service overview`') });
  });

  it('works with Grafana under a sub-path and without a version (numeric viewPanel, no orgId)', async () => {
    const d = make(undefined, `${standIn.url}/`);
    const dash = await d.getDashboard('sandbox-overview');
    const u = new URL(d.panelUrl(dash, 3, { start: 10, end: 20 }, { service: ['web'] }));
    expect(u.searchParams.get('viewPanel')).toBe('3');
    expect(u.searchParams.has('orgId')).toBe(false);
    expect(d.describe()).toBe(`Grafana ${standIn.url}`);
  });

  it('reports a timeout as such', async () => {
    const slow: typeof fetch = async () => {
      throw Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    };
    const d = createGrafanaUrlDashboards({ url: standIn.url, tokenEnv: 'T', env: { T: 'env-token' }, clock, fetch: slow });
    await expect(d.search('x')).rejects.toMatchObject({ code: 'timeout' });
  });
});

describe('helpers', () => {
  it('builds search parameters with tags', () => {
    expect(searchParams('checkout tag:prod')).toEqual([['type', 'dash-db'], ['query', 'checkout'], ['tag', 'prod'], ['limit', '1000']]);
    expect(searchParams('')).toEqual([['type', 'dash-db'], ['limit', '1000']]);
  });
  it('honours Retry-After (seconds or date, capped) and otherwise backs off with jitter', () => {
    expect(retryDelayMs(1, '3')).toBe(3000);
    expect(retryDelayMs(1, '600')).toBe(10_000);
    expect(retryDelayMs(1, new Date(5000).toUTCString(), Math.random, 2000)).toBe(3000);
    expect(retryDelayMs(3, null, () => 1)).toBe(800);
    expect(retryDelayMs(1, 'garbage', () => 0.5)).toBe(100);
  });
});
