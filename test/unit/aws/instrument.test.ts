import { Readable } from 'node:stream';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { instrument, type AwsCall } from '../../../src/aws/instrument';

// A real client with a request handler that answers like STS: the middleware runs as it does in production.
function stsAnswering(status: number, body: string): STSClient {
  return new STSClient({
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
    requestHandler: {
      handle: async () => ({ response: { statusCode: status, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(body)]) } }),
    } as never,
  });
}

describe('AWS call instrumentation', () => {
  it('times each command with its service, operation and outcome', async () => {
    const calls: AwsCall[] = [];
    const ok = instrument(
      stsAnswering(200, '<GetCallerIdentityResponse><GetCallerIdentityResult><Account>111111111111</Account><Arn>arn:aws:iam::111111111111:user/x</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>'),
      'sts',
      (c) => calls.push(c),
    );
    const out = await ok.send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe('111111111111');
    const denied = instrument(stsAnswering(403, '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>'), 'sts', (c) => calls.push(c));
    await expect(denied.send(new GetCallerIdentityCommand({}))).rejects.toThrow();
    expect(calls.map(({ service, operation, outcome }) => ({ service, operation, outcome }))).toEqual([
      { service: 'sts', operation: 'GetCallerIdentity', outcome: 'ok' },
      { service: 'sts', operation: 'GetCallerIdentity', outcome: 'access_denied' },
    ]);
    expect(calls.every((c) => c.seconds >= 0 && c.seconds < 5)).toBe(true);
  });

  it('changes nothing without an observer', () => {
    const client = stsAnswering(200, '');
    const before = client.middlewareStack.identify().length;
    instrument(client, 'sts', undefined);
    expect(client.middlewareStack.identify()).toHaveLength(before);
  });

  it('labels a failure with the one classifier: expired credentials and an unreachable endpoint are told apart', async () => {
    const calls: AwsCall[] = [];
    const expired = instrument(stsAnswering(400, '<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>expired</Message></Error></ErrorResponse>'), 'sts', (c) => calls.push(c));
    await expect(expired.send(new GetCallerIdentityCommand({}))).rejects.toThrow();
    const refused = new STSClient({
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
      requestHandler: { handle: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) } as never,
    });
    await expect(instrument(refused, 'sts', (c) => calls.push(c)).send(new GetCallerIdentityCommand({}))).rejects.toThrow();
    expect(calls.map((c) => c.outcome)).toEqual(['expired', 'unreachable']);
  });
});
