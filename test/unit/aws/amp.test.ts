import { createHash, createHmac } from 'node:crypto';
import { AmpClient, DescribeWorkspaceCommand, ResourceNotFoundException, AccessDeniedException, type WorkspaceStatusCode } from '@aws-sdk/client-amp';
import { mockClient } from 'aws-sdk-client-mock';
import { createAmpPromQuery, DEFAULT_MAX_SAMPLES_PROCESSED } from '../../../src/aws/amp';
import type { AwsTarget } from '../../../src/ports/aws';
import { startFakeHttp, success, type Captured, type FakeHttp } from './prometheus-fake-http';

const amp = mockClient(AmpClient);
let http: FakeHttp;
const SECRET = 'test-secret-key';
const target: AwsTarget = {
  accountName: 'prod',
  accountId: '111111111111',
  region: 'eu-west-1',
  credentials: async () => ({ accessKeyId: 'AKIDPROD', secretAccessKey: SECRET, sessionToken: 'session-token' }),
};
const clock = { now: () => Date.now(), sleep: async () => undefined };

function workspace(endpoint: string, statusCode: WorkspaceStatusCode = 'ACTIVE') {
  return { workspace: { workspaceId: 'ws-1', arn: 'arn:aws:aps:eu-west-1:111111111111:workspace/ws-1', status: { statusCode }, prometheusEndpoint: endpoint, createdAt: new Date() } };
}

beforeEach(async () => {
  amp.reset();
  http = await startFakeHttp();
});
afterEach(() => http.close());

// RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone).
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
const sha = (data: string) => createHash('sha256').update(data).digest('hex');

/** Recomputes the SigV4 signature of a received request from scratch (AWS's documented algorithm). */
function expectedSignature(req: Captured, secret: string, region: string, service: string): { signature: string; auth: Record<string, string> } {
  const auth = Object.fromEntries(
    String(req.headers.authorization)
      .replace(/^AWS4-HMAC-SHA256 /, '')
      .split(', ')
      .map((kv) => kv.split('=') as [string, string]),
  );
  const [path, qs = ''] = req.url.split('?');
  const query = [...new URLSearchParams(qs)]
    .map(([k, v]) => [enc(k), enc(v)])
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const signed = auth.SignedHeaders.split(';');
  const headers = signed.map((h: string) => `${h}:${String(req.headers[h]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical = [req.method, path, query, headers, auth.SignedHeaders, sha(req.body)].join('\n');
  const amzDate = String(req.headers['x-amz-date']);
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
  expect(auth.Credential.endsWith(`/${scope}`)).toBe(true);
  return { signature: createHmac('sha256', key).update(stringToSign).digest('hex'), auth };
}

describe('AMP adapter', () => {
  it('finds the endpoint once with DescribeWorkspace and signs queries for service aps with a samples limit', async () => {
    amp.on(DescribeWorkspaceCommand, { workspaceId: 'ws-1' }).resolves(workspace(`${http.url}/workspaces/ws-1/`));
    http.reply(success({ resultType: 'vector', result: [] }), success(['a']));
    const prom = createAmpPromQuery({ workspaceId: 'ws-1', target, clock });
    expect(prom.describe()).toBe('AMP ws-1 (eu-west-1)');
    await prom.instant('sum(rate(http_requests_total{job="a b"}[5m]))', 1_795_900_000_000);
    await prom.labelValues('job', 'http_requests_total');
    expect(amp.commandCalls(DescribeWorkspaceCommand)).toHaveLength(1);

    const [query, values] = http.requests;
    expect(query.url).toBe('/workspaces/ws-1/api/v1/query');
    expect(new URLSearchParams(query.body).get('max_samples_processed_error_threshold')).toBe(String(DEFAULT_MAX_SAMPLES_PROCESSED));
    expect(query.headers['x-amz-security-token']).toBe('session-token');
    for (const req of [query, values]) {
      const { signature, auth } = expectedSignature(req, SECRET, 'eu-west-1', 'aps');
      expect(auth.Credential.startsWith('AKIDPROD/')).toBe(true);
      expect(auth.SignedHeaders.split(';')).toEqual(expect.arrayContaining(['host', 'x-amz-date']));
      expect(auth.Signature).toBe(signature);
    }
    expect(values.method).toBe('GET');
    expect(values.url).toContain('/api/v1/label/job/values?match%5B%5D=%7B__name__%3D%22http_requests_total%22%7D');
    expect(auth(values).SignedHeaders).not.toContain('content-type');
  });

  it('produces a signature the recomputation rejects when the body is changed (the check can fail)', async () => {
    amp.on(DescribeWorkspaceCommand).resolves(workspace(`${http.url}/workspaces/ws-1`));
    http.reply(success({ resultType: 'vector', result: [] }));
    await createAmpPromQuery({ workspaceId: 'ws-1', target, clock, maxSamplesProcessed: 5 }).instant('up');
    const req = http.requests[0];
    expect(new URLSearchParams(req.body).get('max_samples_processed_error_threshold')).toBe('5');
    expect(expectedSignature({ ...req, body: req.body.replace('up', 'down') }, SECRET, 'eu-west-1', 'aps').signature).not.toBe(auth(req).Signature);
    expect(expectedSignature(req, 'other-secret', 'eu-west-1', 'aps').signature).not.toBe(auth(req).Signature);
  });

  it("uses Lookout's own credentials (the default chain) when the target has none", async () => {
    amp.on(DescribeWorkspaceCommand).resolves(workspace(`${http.url}/workspaces/ws-1/api/v1/`));
    http.reply(success([]));
    await createAmpPromQuery({ workspaceId: 'ws-1', target: { accountName: 'default', region: 'us-east-1' }, clock }).labels();
    const req = http.requests[0];
    expect(req.url).toBe('/workspaces/ws-1/api/v1/labels');
    expect(auth(req).Credential.startsWith(`${process.env.AWS_ACCESS_KEY_ID}/`)).toBe(true);
    expect(auth(req).Signature).toBe(expectedSignature(req, process.env.AWS_SECRET_ACCESS_KEY!, 'us-east-1', 'aps').signature);
  });

  it('explains a missing workspace, and tries DescribeWorkspace again next time', async () => {
    amp
      .on(DescribeWorkspaceCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'nope', $metadata: { requestId: 'r-1' }, resourceId: 'ws-1', resourceType: 'workspace' }))
      .resolves(workspace(`${http.url}/workspaces/ws-1/`));
    const prom = createAmpPromQuery({ workspaceId: 'ws-1', target, clock });
    await expect(prom.labels()).rejects.toMatchObject({ code: 'config', requestIds: ['r-1'], message: expect.stringContaining('does not exist in eu-west-1, account *prod*') });
    http.reply(success(['x']));
    expect(await prom.labels()).toEqual(['x']);
  });

  it('maps access denied and an inactive workspace', async () => {
    amp.on(DescribeWorkspaceCommand).rejects(new AccessDeniedException({ message: 'no', $metadata: {} }));
    await expect(createAmpPromQuery({ workspaceId: 'ws-1', target, clock }).labels()).rejects.toMatchObject({
      code: 'access_denied',
      hint: expect.stringContaining('aps:DescribeWorkspace'),
    });
    amp.reset();
    amp.on(DescribeWorkspaceCommand).resolves(workspace('https://unused.invalid/', 'CREATING'));
    await expect(createAmpPromQuery({ workspaceId: 'ws-1', target, clock }).labels()).rejects.toMatchObject({ code: 'upstream', message: expect.stringContaining('CREATING') });
  });

  it('says which permission is missing when the data plane answers 403', async () => {
    amp.on(DescribeWorkspaceCommand).resolves(workspace(`${http.url}/workspaces/ws-1/`));
    http.reply({ status: 403, body: { message: 'not authorized to perform: aps:QueryMetrics' }, headers: { 'x-amzn-requestid': 'req-403' } });
    await expect(createAmpPromQuery({ workspaceId: 'ws-1', target, clock }).instant('up')).rejects.toMatchObject({
      code: 'access_denied',
      requestIds: ['req-403'],
      hint: expect.stringContaining('`aps:QueryMetrics`'),
    });
  });
});

function auth(req: Captured): Record<string, string> {
  return Object.fromEntries(
    String(req.headers.authorization)
      .replace(/^AWS4-HMAC-SHA256 /, '')
      .split(', ')
      .map((kv) => kv.split('=') as [string, string]),
  );
}
