import { mockClient } from 'aws-sdk-client-mock';
import {
  CreateWorkspaceServiceAccountTokenCommand,
  DeleteWorkspaceServiceAccountTokenCommand,
  DescribeWorkspaceCommand,
  GrafanaClient,
} from '@aws-sdk/client-grafana';
import { createAmgDashboards, createGrafanaUrlDashboards } from '../../src/aws/grafana';
import type { Clock } from '../../src/ports/clock';
import type { Dashboards } from '../../src/ports/dashboards';
import { createSandboxDashboards } from '../../src/sandbox/grafana/dashboards';
import { SANDBOX_DASHBOARDS } from '../../src/sandbox/grafana/dashboards-json';
import { startGrafanaStandIn, type GrafanaStandIn } from '../unit/grafana/stand-in';

/**
 * One contract for every Dashboards implementation: the sandbox (in memory), a Grafana URL with a token, and
 * Amazon Managed Grafana (SDK mocked at its boundary). Both HTTP adapters talk to a loopback Grafana-API stand-in
 * that serves the sandbox's own dashboard JSON, so all three must agree.
 */
const clock: Clock = { now: () => Date.UTC(2026, 10, 29, 9), sleep: async () => undefined };
const grafana = mockClient(GrafanaClient);
let standIn: GrafanaStandIn;

beforeAll(async () => {
  standIn = await startGrafanaStandIn(SANDBOX_DASHBOARDS, ['env-token', 'amg-key']);
  grafana.on(DescribeWorkspaceCommand).resolves({ workspace: { endpoint: standIn.host, grafanaVersion: '10.4' } as any });
  grafana.on(CreateWorkspaceServiceAccountTokenCommand).resolves({ serviceAccountToken: { id: 't1', name: 'n', key: 'amg-key' } });
  grafana.on(DeleteWorkspaceServiceAccountTokenCommand).resolves({});
});
afterAll(() => standIn.close());

interface Impl {
  name: string;
  make(): Dashboards;
  base(): string;
}

const impls: Impl[] = [
  { name: 'sandbox', make: () => createSandboxDashboards({ baseUrl: standIn.url }), base: () => standIn.url },
  {
    name: 'Grafana URL + token',
    make: () => createGrafanaUrlDashboards({ url: standIn.url, tokenEnv: 'GRAFANA_TOKEN', env: { GRAFANA_TOKEN: 'env-token' }, clock }),
    base: () => standIn.url,
  },
  {
    name: 'Amazon Managed Grafana',
    make: () =>
      createAmgDashboards({
        workspaceId: 'g-0123456789',
        serviceAccountId: '5',
        target: { accountName: 'prod', region: 'us-east-1' },
        clock,
        fetch: (url, init) => fetch(String(url).replace(/^https:/, 'http:'), init),
      }),
    base: () => `https://${standIn.host}`,
  },
];

describe.each(impls)('Dashboards contract: $name', (impl) => {
  let d: Dashboards;
  beforeEach(() => {
    d = impl.make();
  });
  afterEach(() => d.close());

  it('searches titles case-insensitively, with tag: filters, sorted by title', async () => {
    const all = await d.search('');
    expect(all.map((x) => x.title)).toEqual(['Sandbox node resources', 'Sandbox service overview']);
    expect(all[1]).toEqual({ uid: 'sandbox-overview', title: 'Sandbox service overview', folder: 'Sandbox', tags: ['sandbox', 'lookout'], url: `${impl.base()}/d/sandbox-overview/sandbox-service-overview` });
    expect((await d.search('SERVICE')).map((x) => x.uid)).toEqual(['sandbox-overview']);
    expect((await d.search('sandbox tag:nodes')).map((x) => x.uid)).toEqual(['sandbox-nodes']);
    expect(await d.search('no such dashboard')).toEqual([]);
  });

  it('reads a dashboard by uid: flattened panels, Prometheus targets, variables', async () => {
    const dash = await d.getDashboard('sandbox-overview');
    expect(dash).toMatchObject({ uid: 'sandbox-overview', title: 'Sandbox service overview', folder: 'Sandbox', time: { from: 'now-6h', to: 'now' } });
    expect(dash.panels.map((p) => [p.id, p.title])).toEqual([
      [1, 'Request rate'],
      [2, 'Errors per second'],
      [3, 'Targets up'],
      [4, 'CPU busy by mode'],
      [6, 'Memory available'],
    ]);
    expect(dash.panels[0].targets[0]).toMatchObject({ refId: 'A', datasourceType: 'prometheus', legendFormat: '{{service}}', expr: expect.stringContaining('[$__rate_interval]') });
    expect(dash.panels[0].targets[0].expr).toContain('service=~"$service"');
    expect(dash.variables.find((v) => v.name === 'service')).toMatchObject({ type: 'query', current: '$__all', multi: true, includeAll: true });
  });

  it('reads a dashboard by exact title in any case, and by a unique part of it', async () => {
    await expect(d.getDashboard('sandbox SERVICE overview')).resolves.toMatchObject({ uid: 'sandbox-overview' });
    await expect(d.getDashboard('node resources')).resolves.toMatchObject({ uid: 'sandbox-nodes' });
  });

  it('lists the candidates when a title matches several dashboards', async () => {
    const err = await d.getDashboard('sandbox').catch((e) => e);
    expect(err).toMatchObject({ code: 'invalid_input' });
    expect(err.message).toContain('uid `sandbox-overview`');
    expect(err.message).toContain('uid `sandbox-nodes`');
  });

  it('names the closest titles when nothing matches', async () => {
    const err = await d.getDashboard('Sandbox servce overveiw').catch((e) => e);
    expect(err).toMatchObject({ code: 'not_found', message: expect.stringContaining('Closest titles: `Sandbox service overview`') });
  });

  it('links one panel over a range with variable values', async () => {
    const dash = await d.getDashboard('sandbox-overview');
    const u = new URL(d.panelUrl(dash, 4, { start: 1_000, end: 2_000 }, { service: ['web', 'api'] }));
    expect(`${u.origin}${u.pathname}`).toBe(`${impl.base()}/d/sandbox-overview/sandbox-service-overview`);
    expect(u.searchParams.get('viewPanel')).toBe('4');
    expect([u.searchParams.get('from'), u.searchParams.get('to')]).toEqual(['1000', '2000']);
    expect(u.searchParams.getAll('var-service')).toEqual(['web', 'api']);
  });

  it('describes itself and closes more than once', async () => {
    expect(d.describe()).toMatch(/\S/);
    await d.close();
    await d.close();
  });
});

describe('the HTTP adapter reads the stand-in exactly as the sandbox reads its JSON', () => {
  it.each(['sandbox-overview', 'sandbox-nodes'])('%s', async (uid) => {
    const sandbox = createSandboxDashboards({ baseUrl: standIn.url });
    const http = createGrafanaUrlDashboards({ url: standIn.url, tokenEnv: 'T', env: { T: 'env-token' }, clock });
    expect(await http.getDashboard(uid)).toEqual(await sandbox.getDashboard(uid));
  });
});
