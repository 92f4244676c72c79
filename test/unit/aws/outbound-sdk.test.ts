import { createAwsAccounts } from '../../../src/aws/accounts';
import { createAmpPromQuery } from '../../../src/aws/amp';
import { fisExperiments } from '../../../src/aws/fis';
import { createAmgDashboards } from '../../../src/aws/grafana';
import { createReachabilityAdapter } from '../../../src/aws/reachability';
import { sdkTimeouts } from '../../../src/aws/sdk-client';
import { DEFAULT_OUTBOUND, type OutboundPolicy } from '../../../src/outbound';
import type { AwsTarget } from '../../../src/ports/aws';
import type { Clock } from '../../../src/ports/clock';
import { startSilentServer, type SilentServer } from '../../helpers/silent-http';

// Issue 10 finding 4: every SDK client carries a timeout that ends the call. Each adapter below talks to an endpoint
// that accepts the connection and never answers; with the timeout set short, each call ends with a timeout message.
const policy: OutboundPolicy = { ...DEFAULT_OUTBOUND, aws: { connectMs: 1_000, requestMs: 250 } };
const clock: Clock = { now: () => Date.now(), sleep: async () => undefined };
const credentials = async () => ({ accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' });
const target: AwsTarget = { accountName: 'prod', accountId: '111111111111', region: 'us-east-1', credentials };
const saved = { ...process.env };
let silent: SilentServer;

beforeEach(async () => {
  silent = await startSilentServer();
  // Every client built by the SDK (3.1048) honours the global endpoint; the older FIS client gets it from `env`.
  Object.assign(process.env, { AWS_ENDPOINT_URL: silent.url, AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'us-east-1' });
});
afterEach(async () => {
  process.env = { ...saved };
  await silent.close();
});

describe('SDK clients carry the outbound timeouts', () => {
  it('the handler configuration ends a request that runs over (a 4.x handler only warns without throwOnRequestTimeout)', () => {
    expect(sdkTimeouts(policy)).toEqual({ requestHandler: { connectionTimeout: 1_000, requestTimeout: 250, socketTimeout: 250, throwOnRequestTimeout: true } });
    expect(sdkTimeouts().requestHandler).toMatchObject({ connectionTimeout: 3_000, requestTimeout: 15_000 });
  });

  it.each([
    ['EC2', () => createReachabilityAdapter(target, clock, { outbound: policy }).findInstancesByName('web-1')],
    ['FIS (SDK 3.523 handler)', () => fisExperiments({ env: { AWS_ENDPOINT_URL_FIS: silent.url }, outbound: policy })(target).listTemplates()],
    ['STS', () => createAwsAccounts({ clock, outbound: policy }).target({ name: 'prod', roleArn: 'arn:aws:iam::111111111111:role/lookout', region: 'us-east-1' }, { teamId: 'T1', userId: 'U1' })],
    ['AMP control plane', () => createAmpPromQuery({ workspaceId: 'ws-1', target, clock, outbound: policy }).labels()],
    ['AMG control plane', () => createAmgDashboards({ workspaceId: 'g-1', serviceAccountId: '5', target, clock, outbound: policy }).search('x')],
  ])('%s: a hung endpoint ends in a timeout message', async (_kind, call) => {
    const err = await call().catch((e) => e);
    expect(err).toMatchObject({ code: 'timeout' });
    expect(err.message).toMatch(/in time/);
    expect(silent.requests.length).toBeGreaterThan(0);
  });

  it('AMG token creation is tried once when it times out (a retry could mint a second live token)', async () => {
    // DescribeWorkspace (a GET) answers; CreateWorkspaceServiceAccountToken (a POST) hangs.
    const described = JSON.stringify({ workspace: { id: 'g-1', endpoint: 'g-1.grafana.example', status: 'ACTIVE' } });
    silent.answer((req) => (req.method === 'GET' ? { status: 200, body: described, headers: { 'content-type': 'application/json' } } : undefined));
    const err = await createAmgDashboards({ workspaceId: 'g-1', serviceAccountId: '5', target, clock, outbound: policy }).search('x').catch((e) => e);
    expect(err).toMatchObject({ code: 'timeout' });
    expect(silent.requests.filter((r) => r.startsWith('POST'))).toHaveLength(1);
  });
});
