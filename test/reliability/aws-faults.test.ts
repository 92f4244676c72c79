import { CreateNetworkInsightsPathCommand } from '@aws-sdk/client-ec2';
import { FisClient, GetExperimentCommand, ListExperimentTemplatesCommand, StartExperimentCommand } from '@aws-sdk/client-fis';
import { AmpClient, DescribeWorkspaceCommand as DescribeAmpWorkspace } from '@aws-sdk/client-amp';
import { CreateWorkspaceServiceAccountTokenCommand, DescribeWorkspaceCommand as DescribeAmgWorkspace, GrafanaClient } from '@aws-sdk/client-grafana';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { mockFisAndEc2 } from '../helpers/aws-mocks';
import { createFisExperiments } from '../../src/aws/fis';
import { createReachabilityAdapter } from '../../src/aws/reachability';
import { createAmpPromQuery } from '../../src/aws/amp';
import { createAmgDashboards } from '../../src/aws/grafana';
import { isLookoutError } from '../../src/errors';
import { ManualClock } from '../helpers/manual-clock';

const { fis, ec2 } = mockFisAndEc2();
const amp = mockClient(AmpClient) as unknown as AwsStub<any, any, any>;
const amg = mockClient(GrafanaClient) as unknown as AwsStub<any, any, any>;
beforeEach(() => {
  amp.reset();
  amg.reset();
});
afterAll(() => {
  amp.restore();
  amg.restore();
});
const amgDashboards = () =>
  createAmgDashboards({ workspaceId: 'g-fault1', serviceAccountId: '5', target, clock: new ManualClock(), client: new GrafanaClient({ region: target.region }) });
const target = { accountName: 'prod', accountId: '111111111111', region: 'eu-west-1' };

const sdkError = (name: string, status: number, requestId: string) =>
  Object.assign(new Error(`${name}: raw AWS text <!channel>`), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status, requestId } });
const networkError = (code: string) => Object.assign(new Error(`read ${code}`), { code });

/** The faults AWS and the network produce, and the error code each must become. */
const FAULTS: Array<[string, () => Error, string, boolean]> = [
  // [name, error, Lookout code, carries a request id]
  ['throttling', () => sdkError('ThrottlingException', 400, 'rid-throttle'), 'throttled', true],
  ['EC2 throttling', () => sdkError('RequestLimitExceeded', 503, 'rid-limit'), 'throttled', true],
  ['5xx', () => sdkError('InternalServerException', 500, 'rid-500'), 'upstream', true],
  ['connection reset', () => networkError('ECONNRESET'), 'upstream', false],
  ['timeout', () => Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }), 'timeout', false],
  ['access denied', () => sdkError('AccessDeniedException', 403, 'rid-denied'), 'access_denied', true],
  ['expired assumed-role credentials', () => sdkError('ExpiredTokenException', 400, 'rid-expired'), 'access_denied', true],
  ['quota exceeded', () => sdkError('ServiceQuotaExceededException', 402, 'rid-quota'), 'quota', true],
];

/**
 * One call per adapter that changes or reads something, with the SDK command it makes (the stub, to count the
 * calls Lookout made: the SDK's own retries happen inside one call, see test/unit/aws/outbound-*.test.ts).
 */
const ADAPTERS: Array<[string, (fail: Error | 'malformed') => Promise<unknown>, () => number]> = [
  [
    'FIS StartExperiment',
    (fail) => {
      const stub = fis.on(StartExperimentCommand as any);
      if (fail === 'malformed') stub.resolves({});
      else stub.rejects(fail);
      return createFisExperiments(new FisClient({ region: target.region }), target).start({ templateId: 'EXT1', clientToken: 't', tags: {} });
    },
    () => fis.commandCalls(StartExperimentCommand as any).length,
  ],
  [
    'FIS GetExperiment',
    (fail) => {
      const stub = fis.on(GetExperimentCommand as any);
      if (fail === 'malformed') stub.resolves({ experiment: { id: 'EXP1', state: 42, actions: 'none' } });
      else stub.rejects(fail);
      return createFisExperiments(new FisClient({ region: target.region }), target).get('EXP1');
    },
    () => fis.commandCalls(GetExperimentCommand as any).length,
  ],
  [
    'FIS ListExperimentTemplates',
    (fail) => {
      const stub = fis.on(ListExperimentTemplatesCommand as any);
      if (fail === 'malformed') stub.resolves({ experimentTemplates: 'not a list' });
      else stub.rejects(fail);
      return createFisExperiments(new FisClient({ region: target.region }), target).listTemplates();
    },
    () => fis.commandCalls(ListExperimentTemplatesCommand as any).length,
  ],
  [
    'EC2 CreateNetworkInsightsPath',
    (fail) => {
      const stub = ec2.on(CreateNetworkInsightsPathCommand);
      if (fail === 'malformed') stub.resolves({});
      else stub.rejects(fail);
      return createReachabilityAdapter(target, new ManualClock()).createPath({ source: 'i-aaa', destination: 'i-bbb', protocol: 'tcp', port: 5432 }, 't');
    },
    () => ec2.commandCalls(CreateNetworkInsightsPathCommand).length,
  ],
  [
    'AMP DescribeWorkspace',
    (fail) => {
      const stub = amp.on(DescribeAmpWorkspace);
      if (fail === 'malformed') stub.resolves({ workspace: { status: { statusCode: 'ACTIVE' }, prometheusEndpoint: 42 } } as any);
      else stub.rejects(fail);
      return createAmpPromQuery({ workspaceId: 'ws-fault1', target, client: new AmpClient({ region: target.region }), fetch: refuseFetch }).instant('up');
    },
    () => amp.commandCalls(DescribeAmpWorkspace).length,
  ],
  [
    'AMG DescribeWorkspace',
    (fail) => {
      const stub = amg.on(DescribeAmgWorkspace);
      if (fail === 'malformed') stub.resolves({ workspace: { endpoint: { host: 'x' }, status: 'ACTIVE' } } as any);
      else stub.rejects(fail);
      return amgDashboards().search('checkout');
    },
    () => amg.commandCalls(DescribeAmgWorkspace).length,
  ],
  [
    'AMG CreateWorkspaceServiceAccountToken',
    (fail) => {
      amg.on(DescribeAmgWorkspace).resolves({ workspace: { endpoint: '127.0.0.1:9', status: 'ACTIVE' } } as any);
      const stub = amg.on(CreateWorkspaceServiceAccountTokenCommand);
      if (fail === 'malformed') stub.resolves({ serviceAccountToken: { id: 'tok-1' } } as any);
      else stub.rejects(fail);
      return amgDashboards().search('checkout');
    },
    () => amg.commandCalls(CreateWorkspaceServiceAccountTokenCommand).length,
  ],
];

/** The data plane is not reached in these rows (the control-plane call fails first); if it were, fail loudly. */
const refuseFetch: typeof fetch = async () => {
  throw new Error('the data plane must not be called when the control plane failed');
};

const outcome = (p: Promise<unknown>) => p.then((v) => ({ ok: true as const, v }), (e: unknown) => ({ ok: false as const, e }));

/**
 * Issue 13 item 3, at the SDK boundary, one table over adapters × faults: each fault becomes a LookoutError with
 * the right code, a message that names where it happened and none of AWS's raw text (which may carry anything),
 * and the AWS request id when AWS gave one (the audit row takes it from there). A malformed answer is never a raw
 * TypeError. The SDK's own retries and timeouts are covered in test/unit/aws/outbound-*.test.ts.
 */
describe('reliability: AWS faults per adapter become clear errors with their request id', () => {
  const cases = ADAPTERS.flatMap(([adapter, call, calls]) => FAULTS.map(([fault, make, code, hasId]) => [adapter, fault, call, calls, make, code, hasId] as const));
  it.each(cases)('%s: %s', async (_adapter, _fault, call, calls, make, code, hasId) => {
    const err = make();
    const r = await outcome(call(err));
    expect(r.ok).toBe(false);
    // Lookout adds no retries of its own on top of the SDK's (which are inside this one call).
    expect(calls()).toBe(1);
    const e = (r as { e: unknown }).e;
    expect(isLookoutError(e)).toBe(true);
    if (!isLookoutError(e)) return;
    expect(e.code).toBe(code);
    expect(e.message).toMatch(/eu-west-1|prod|g-fault1/);
    expect(e.message).not.toContain('<!channel>');
    // AWS's own words (escaped) only where they name what to fix: the quota, the permission; never a raw error.
    if (!['quota', 'access_denied'].includes(code) || hasId === false) expect(e.message).not.toMatch(/raw AWS text|read ECONNRESET|socket timed out/);
    expect(e.hint ?? '').not.toBe('');
    expect(e.requestIds).toEqual(hasId ? [(err as { $metadata?: { requestId: string } }).$metadata?.requestId] : []);
  });

  it.each(ADAPTERS)('%s: a malformed answer is a LookoutError or a usable value, never a raw TypeError', async (_adapter, call, _calls) => {
    const r = await outcome(call('malformed'));
    if (!r.ok) expect(isLookoutError(r.e) ? 'LookoutError' : String(r.e)).toBe('LookoutError');
  });
});
