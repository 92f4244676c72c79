import { mockClient } from 'aws-sdk-client-mock';
import {
  CreateWorkspaceServiceAccountTokenCommand,
  DeleteWorkspaceServiceAccountTokenCommand,
  DescribeWorkspaceCommand,
  GrafanaClient,
} from '@aws-sdk/client-grafana';
import { createAmgDashboards } from '../../../src/aws/grafana';
import type { Clock } from '../../../src/ports/clock';
import { SANDBOX_DASHBOARDS } from '../../../src/sandbox/grafana/dashboards-json';
import { startGrafanaStandIn, type GrafanaStandIn } from '../grafana/stand-in';

const grafana = mockClient(GrafanaClient);
const clock: Clock = { now: () => Date.UTC(2026, 10, 29, 9), sleep: async () => undefined };
// AMG endpoints are https hosts; the stand-in speaks plain http on loopback.
const viaHttp: typeof fetch = (url, init) => fetch(String(url).replace(/^https:/, 'http:'), init);
const target = { accountName: 'prod', region: 'us-east-1' };

let standIn: GrafanaStandIn;
let minted = 0;

beforeAll(async () => {
  standIn = await startGrafanaStandIn(SANDBOX_DASHBOARDS, []);
});
afterAll(() => standIn.close());

beforeEach(() => {
  grafana.reset();
  grafana.on(DescribeWorkspaceCommand).resolves({ workspace: { endpoint: standIn.host, grafanaVersion: '10.4', status: 'ACTIVE' } as any });
  grafana.on(CreateWorkspaceServiceAccountTokenCommand).callsFake(() => {
    minted++;
    const key = `glsa_key_${minted}`;
    standIn.tokens.add(key);
    return { serviceAccountToken: { id: `tok-${minted}`, name: 'n', key }, serviceAccountId: '5', workspaceId: 'g-0123456789' };
  });
  grafana.on(DeleteWorkspaceServiceAccountTokenCommand).resolves({});
});

const make = (over: Partial<Parameters<typeof createAmgDashboards>[0]> = {}) =>
  createAmgDashboards({ workspaceId: 'g-0123456789', serviceAccountId: '5', target, clock, fetch: viaHttp, ...over });
const calls = (cmd: any) => grafana.commandCalls(cmd).map((c) => c.args[0].input as any);

describe('createAmgDashboards', () => {
  it('mints a short-lived token per operation, uses it, and deletes it afterwards', async () => {
    const d = make();
    const dash = await d.getDashboard('sandbox-overview');
    expect(dash.url).toBe(`https://${standIn.host}/d/sandbox-overview/sandbox-service-overview`);
    const created = calls(CreateWorkspaceServiceAccountTokenCommand);
    expect(created).toEqual([{ workspaceId: 'g-0123456789', serviceAccountId: '5', name: expect.stringMatching(/^lookout-\d+-[0-9a-f]{8}$/), secondsToLive: 600 }]);
    expect(created[0].secondsToLive).toBeLessThanOrEqual(3600);
    expect(standIn.requests.at(-1)!.auth).toBe(`Bearer glsa_key_${minted}`);
    expect(calls(DeleteWorkspaceServiceAccountTokenCommand)).toEqual([{ workspaceId: 'g-0123456789', serviceAccountId: '5', tokenId: `tok-${minted}` }]);
  });

  it('uses a new, uniquely named token each time and describes the workspace once', async () => {
    const d = make();
    await d.search('sandbox');
    await d.search('nodes');
    const names = calls(CreateWorkspaceServiceAccountTokenCommand).map((c) => c.name);
    expect(new Set(names).size).toBe(2);
    expect(calls(DeleteWorkspaceServiceAccountTokenCommand)).toHaveLength(2);
    expect(calls(DescribeWorkspaceCommand)).toHaveLength(1);
  });

  it('deletes the token when the Grafana call fails', async () => {
    standIn.fail(500, 3);
    const err = await make().getDashboard('sandbox-overview').catch((e) => e);
    expect(err).toMatchObject({ code: 'upstream', message: expect.stringContaining('HTTP 500') });
    expect(calls(DeleteWorkspaceServiceAccountTokenCommand)).toEqual([expect.objectContaining({ tokenId: `tok-${minted}` })]);
  });

  it('deletes the token when Grafana cannot be reached at all', async () => {
    const refused: typeof fetch = async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    };
    const err = await make({ fetch: refused }).search('x').catch((e) => e);
    expect(err).toMatchObject({ code: 'upstream', message: expect.stringContaining('(ECONNREFUSED)') });
    expect(calls(DeleteWorkspaceServiceAccountTokenCommand)).toHaveLength(1);
  });

  it('deletes the token when the dashboard is not found', async () => {
    await expect(make().getDashboard('no such thing')).rejects.toMatchObject({ code: 'not_found' });
    expect(calls(DeleteWorkspaceServiceAccountTokenCommand)).toHaveLength(1);
  });

  it('never shows the token key in errors', async () => {
    standIn.fail(403);
    const err = await make().search('x').catch((e) => e);
    expect(err).toMatchObject({ code: 'access_denied', hint: expect.stringContaining('Viewer role') });
    expect(JSON.stringify({ m: err.message, h: err.hint })).not.toContain('glsa_key');
  });

  it('explains a refused token creation and creates nothing to delete', async () => {
    grafana.on(CreateWorkspaceServiceAccountTokenCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: { requestId: 'req-9' } }));
    const err = await make().search('x').catch((e) => e);
    expect(err).toMatchObject({ code: 'access_denied', requestIds: ['req-9'], hint: expect.stringContaining('grafana:CreateWorkspaceServiceAccountToken') });
    expect(calls(DeleteWorkspaceServiceAccountTokenCommand)).toHaveLength(0);
  });

  it('reports a wrong workspace or service account as configuration, and retries describing later', async () => {
    grafana.on(DescribeWorkspaceCommand).rejectsOnce(Object.assign(new Error('nope'), { name: 'ResourceNotFoundException' }));
    const d = make();
    await expect(d.search('x')).rejects.toMatchObject({ code: 'config', hint: expect.stringContaining('grafana.amg') });
    grafana.on(DescribeWorkspaceCommand).resolves({ workspace: { endpoint: standIn.host, grafanaVersion: '10.4' } as any });
    await expect(d.search('sandbox')).resolves.toHaveLength(2);
  });

  it('retries a failed deletion on close()', async () => {
    const warn = jest.fn();
    grafana.on(DeleteWorkspaceServiceAccountTokenCommand).rejectsOnce(Object.assign(new Error('busy'), { name: 'InternalServerException' }));
    const d = make({ logger: { warn } });
    await d.search('sandbox');
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ tokenId: `tok-${minted}` }), expect.stringContaining('close() will retry'));
    await d.close();
    expect(calls(DeleteWorkspaceServiceAccountTokenCommand).map((c) => c.tokenId)).toEqual([`tok-${minted}`, `tok-${minted}`]);
    await d.close();
    expect(calls(DeleteWorkspaceServiceAccountTokenCommand)).toHaveLength(2);
  });

  it('links panels for the workspace’s Grafana version, in organisation 1', async () => {
    grafana.on(DescribeWorkspaceCommand).resolves({ workspace: { endpoint: standIn.host, grafanaVersion: '12.0' } as any });
    const d = make();
    const dash = await d.getDashboard('sandbox-overview');
    const u = new URL(d.panelUrl(dash, 1, { start: 1, end: 2 }));
    expect(u.searchParams.get('viewPanel')).toBe('panel-1');
    expect(u.searchParams.get('orgId')).toBe('1');
    expect(d.describe()).toBe('Amazon Managed Grafana g-0123456789 (us-east-1)');
  });
});
