import { mapAwsError } from '../../../src/aws/errors';
import { CODE_OF, classifyFailure, classifyStatus, type Failure } from '../../../src/failures';
import { fisError } from '../../../src/aws/fis-errors';
import { grafanaHttpError, grafanaNetworkError, mapAmgError } from '../../../src/aws/grafana-errors';
import { mapHttpFailure, mapNetworkFailure } from '../../../src/aws/prometheus-errors';
import { BodyTooLargeError } from '../../../src/outbound';
import { LookoutError } from '../../../src/errors';

const err = (name: string, extra: object = {}) => Object.assign(new Error(`${name} happened`), { name, ...extra });

describe('mapAwsError (shared by every adapter)', () => {
  test.each([
    [err('ThrottlingException'), 'throttled'],
    [err('Whatever', { $metadata: { httpStatusCode: 429 } }), 'throttled'],
    [err('SomethingNew', { $retryable: { throttling: true } }), 'throttled'],
    [err('AccessDeniedException', { $metadata: { httpStatusCode: 403 } }), 'access_denied'],
    [err('ExpiredTokenException'), 'expired'],
    [err('ExpiredToken'), 'expired'],
    [err('AuthFailure', { $metadata: { httpStatusCode: 401 } }), 'access_denied'],
    [err('ServiceQuotaExceededException'), 'quota'],
    [err('NetworkInsightsPath.LimitExceeded'), 'quota'],
    [err('ResourceNotFoundException'), 'not_found'],
    [err('InvalidInstanceID.NotFound'), 'not_found'],
    [err('ConflictException'), 'conflict'],
    [err('AnalysisExistsForNetworkInsightsPath'), 'conflict'],
    [err('ValidationException'), 'invalid_input'],
    [err('InvalidInstanceID.Malformed'), 'invalid_input'],
    [err('TimeoutError'), 'timeout'],
    [Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ETIMEDOUT' }), 'timeout'],
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'unreachable'],
    [new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }), 'unreachable'],
    [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'reset'],
    [err('InternalServerException', { $metadata: { httpStatusCode: 500 } }), 'server'],
    [err('CredentialsProviderError'), 'no_credentials'],
    [new BodyTooLargeError(1024), 'oversized'],
  ])('%s → %s', (e, kind) => {
    expect(classifyFailure(e)).toBe(kind);
    expect(mapAwsError(e, 'doing a thing').code).toBe(CODE_OF[kind as Failure]);
  });

  test.each([
    [429, 'throttled'],
    [401, 'access_denied'],
    [403, 'access_denied'],
    [404, 'not_found'],
    [504, 'timeout'],
    [413, 'oversized'],
    [500, 'server'],
    [400, 'invalid_input'],
  ] as const)('HTTP %s → %s', (status, kind) => {
    expect(classifyStatus(status)).toBe(kind);
  });

  test('keeps the cause and the request id, uses adapter hints, passes LookoutErrors through', () => {
    const e = err('ThrottlingException', { $metadata: { requestId: 'abc-123', httpStatusCode: 400 } });
    const mapped = mapAwsError(e, 'listing templates', { throttled: 'Slow down.' });
    expect(mapped).toBeInstanceOf(LookoutError);
    expect(mapped.cause).toBe(e);
    expect(mapped.requestIds).toEqual(['abc-123']);
    expect(mapped.hint).toBe('Slow down.');
    expect(mapped.message).toContain('listing templates');
    const already = new LookoutError('not_found', 'x');
    expect(mapAwsError(already, 'y')).toBe(already);
    expect(mapAwsError(undefined, 'z').code).toBe('upstream');
  });

  test('AWS text is escaped and truncated', () => {
    const long = err('ValidationException', { message: `<!channel> ${'x'.repeat(500)}` });
    const m = mapAwsError(long, 'validating').message;
    expect(m).toContain('&lt;!channel&gt;');
    expect(m.length).toBeLessThan(450);
  });
});

describe('one classifier, per-service words', () => {
  const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
  const expired = err('ExpiredToken', { $metadata: { httpStatusCode: 400, requestId: 'req-exp' } });
  const authFailure = err('AuthFailure', { $metadata: { httpStatusCode: 401, requestId: 'req-auth' } });
  const fisCtx = { action: 'fis:StartExperiment', subject: 'experiment template `EXT1`', where: 'account prod (us-east-1)' };
  const promCtx = { backend: 'Prometheus http://p', timeoutMs: 30_000, requestIds: [] };
  const url = new URL('https://grafana.example.com/api/search');

  test.each([
    ['EC2/STS', () => mapAwsError(refused, 'listing instances'), 'upstream', /could not connect to AWS.*ECONNREFUSED/, /network path/],
    ['FIS', () => fisError(refused, fisCtx), 'upstream', /could not connect to FIS.*ECONNREFUSED/, /network path/],
    ['Prometheus', () => mapNetworkFailure(refused, false, promCtx), 'upstream', /cannot connect \(ECONNREFUSED\)/, /reachable/],
    ['Grafana', () => grafanaNetworkError(refused, url), 'upstream', /could not reach Grafana.*ECONNREFUSED/, /Grafana URL/],
  ])('%s: ECONNREFUSED is "unreachable", never a timeout', (_service, make, code, message, hint) => {
    const e = make();
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(e.message).not.toMatch(/in time|timed out/i);
    expect(e.hint).toMatch(hint);
  });

  test.each([
    ['EC2/STS expired', () => mapAwsError(expired, 'listing instances'), /expired/, /fresh credentials/, 'req-exp'],
    ['EC2 AuthFailure', () => mapAwsError(authFailure, 'listing instances'), /AWS refused listing instances/, /Grant the permission/, 'req-auth'],
    ['FIS expired', () => fisError(expired, fisCtx), /have expired/, /fresh credentials/, 'req-exp'],
    ['FIS AuthFailure', () => fisError(authFailure, fisCtx), /may not call `fis:StartExperiment`/, /Allow `fis:StartExperiment`/, 'req-auth'],
    ['AMG expired', () => mapAmgError(expired, 'creating a token', { workspaceId: 'g-1', serviceAccountId: '7' }), /expired/, /fresh credentials/, 'req-exp'],
  ])('%s is an access problem with advice, and keeps the request id', (_what, make, message, hint, requestId) => {
    const e = make();
    expect(e.code).toBe('access_denied');
    expect(e.message).toMatch(message);
    expect(e.hint).toMatch(hint);
    expect(e.requestIds).toEqual([requestId]);
  });

  test('HTTP answers: the same statuses mean the same thing for Prometheus and Grafana', () => {
    for (const [status, code] of [[429, 'throttled'], [403, 'access_denied'], [502, 'upstream']] as const) {
      expect(mapHttpFailure(status, undefined, '', promCtx).code).toBe(code);
      expect(grafanaHttpError(status, url, '', 'check the token').code).toBe(code);
    }
  });

  test('an answer over the byte limit is a quota refusal with advice, for each HTTP adapter', () => {
    const big = new BodyTooLargeError(8 * 1024 * 1024);
    const prom = mapNetworkFailure(big, false, promCtx);
    expect(prom).toMatchObject({ code: 'quota', message: expect.stringContaining('larger than 8 MiB') });
    expect(prom.hint).toMatch(/Narrow the selector/);
    const graf = grafanaNetworkError(big, url);
    expect(graf).toMatchObject({ code: 'quota', message: expect.stringContaining('more than 8 MiB') });
  });
});
