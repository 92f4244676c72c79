import { classifyAwsError, mapAwsError } from '../../../src/aws/errors';
import { LookoutError } from '../../../src/errors';

const err = (name: string, extra: object = {}) => Object.assign(new Error(`${name} happened`), { name, ...extra });

describe('mapAwsError (shared by every adapter)', () => {
  test.each([
    [err('ThrottlingException'), 'throttled'],
    [err('Whatever', { $metadata: { httpStatusCode: 429 } }), 'throttled'],
    [err('SomethingNew', { $retryable: { throttling: true } }), 'throttled'],
    [err('AccessDeniedException', { $metadata: { httpStatusCode: 403 } }), 'access_denied'],
    [err('ExpiredTokenException'), 'access_denied'],
    [err('ServiceQuotaExceededException'), 'quota'],
    [err('NetworkInsightsPath.LimitExceeded'), 'quota'],
    [err('ResourceNotFoundException'), 'not_found'],
    [err('InvalidInstanceID.NotFound'), 'not_found'],
    [err('ConflictException'), 'conflict'],
    [err('AnalysisExistsForNetworkInsightsPath'), 'conflict'],
    [err('ValidationException'), 'invalid_input'],
    [err('InvalidInstanceID.Malformed'), 'invalid_input'],
    [err('TimeoutError'), 'timeout'],
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'upstream'],
    [err('InternalServerException', { $metadata: { httpStatusCode: 500 } }), 'upstream'],
    [err('CredentialsProviderError'), 'config'],
  ])('%s → %s', (e, code) => {
    expect(classifyAwsError(e as any)).toBe(code);
    expect(mapAwsError(e, 'doing a thing').code).toBe(code);
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
