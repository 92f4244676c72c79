import { CreateNetworkInsightsPathCommand } from '@aws-sdk/client-ec2';
import { FisClient, GetExperimentCommand, ListExperimentTemplatesCommand, StartExperimentCommand } from '@aws-sdk/client-fis';
import { mockFisAndEc2 } from '../helpers/aws-mocks';
import { createFisExperiments } from '../../src/aws/fis';
import { createReachabilityAdapter } from '../../src/aws/reachability';
import { isLookoutError } from '../../src/errors';
import { ManualClock } from '../helpers/manual-clock';

const { fis, ec2 } = mockFisAndEc2();
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

/** One call per adapter that changes or reads something, with the SDK command it makes. */
const ADAPTERS: Array<[string, (fail: Error | 'malformed') => Promise<unknown>]> = [
  [
    'FIS StartExperiment',
    (fail) => {
      const stub = fis.on(StartExperimentCommand as any);
      if (fail === 'malformed') stub.resolves({});
      else stub.rejects(fail);
      return createFisExperiments(new FisClient({ region: target.region }), target).start({ templateId: 'EXT1', clientToken: 't', tags: {} });
    },
  ],
  [
    'FIS GetExperiment',
    (fail) => {
      const stub = fis.on(GetExperimentCommand as any);
      if (fail === 'malformed') stub.resolves({ experiment: { id: 'EXP1', state: 42, actions: 'none' } });
      else stub.rejects(fail);
      return createFisExperiments(new FisClient({ region: target.region }), target).get('EXP1');
    },
  ],
  [
    'FIS ListExperimentTemplates',
    (fail) => {
      const stub = fis.on(ListExperimentTemplatesCommand as any);
      if (fail === 'malformed') stub.resolves({ experimentTemplates: 'not a list' });
      else stub.rejects(fail);
      return createFisExperiments(new FisClient({ region: target.region }), target).listTemplates();
    },
  ],
  [
    'EC2 CreateNetworkInsightsPath',
    (fail) => {
      const stub = ec2.on(CreateNetworkInsightsPathCommand);
      if (fail === 'malformed') stub.resolves({});
      else stub.rejects(fail);
      return createReachabilityAdapter(target, new ManualClock()).createPath({ source: 'i-aaa', destination: 'i-bbb', protocol: 'tcp', port: 5432 }, 't');
    },
  ],
];

const outcome = (p: Promise<unknown>) => p.then((v) => ({ ok: true as const, v }), (e: unknown) => ({ ok: false as const, e }));

/**
 * Issue 13 item 3, at the SDK boundary, one table over adapters × faults: each fault becomes a LookoutError with
 * the right code, a message that names where it happened and none of AWS's raw text (which may carry anything),
 * and the AWS request id when AWS gave one (the audit row takes it from there). A malformed answer is never a raw
 * TypeError. The SDK's own retries and timeouts are covered in test/unit/aws/outbound-*.test.ts.
 */
describe('reliability: AWS faults per adapter become clear errors with their request id', () => {
  const cases = ADAPTERS.flatMap(([adapter, call]) => FAULTS.map(([fault, make, code, hasId]) => [adapter, fault, call, make, code, hasId] as const));
  it.each(cases)('%s: %s', async (_adapter, _fault, call, make, code, hasId) => {
    const err = make();
    const r = await outcome(call(err));
    expect(r.ok).toBe(false);
    const e = (r as { e: unknown }).e;
    expect(isLookoutError(e)).toBe(true);
    if (!isLookoutError(e)) return;
    expect(e.code).toBe(code);
    expect(e.message).toMatch(/eu-west-1|prod/);
    expect(e.message).not.toContain('<!channel>');
    expect(e.requestIds).toEqual(hasId ? [(err as { $metadata?: { requestId: string } }).$metadata?.requestId] : []);
  });

  it.each(ADAPTERS)('%s: a malformed answer is a LookoutError or a usable value, never a raw TypeError', async (_adapter, call) => {
    const r = await outcome(call('malformed'));
    if (!r.ok) expect(isLookoutError(r.e) ? 'LookoutError' : String(r.e)).toBe('LookoutError');
  });
});
