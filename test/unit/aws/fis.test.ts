import {
  ConflictException,
  FisClient,
  FisServiceException,
  GetExperimentCommand,
  GetExperimentTemplateCommand,
  ListExperimentResolvedTargetsCommand,
  ListExperimentsCommand,
  ListExperimentTemplatesCommand,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  StartExperimentCommand,
  StopExperimentCommand,
  TagResourceCommand,
  ValidationException,
} from '@aws-sdk/client-fis';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { createFisClient, createFisExperiments, fisExperiments } from '../../../src/aws/fis';

// client-fis 3.523.0 nests an older @smithy/types than aws-sdk-client-mock's, so the stub is typed loosely.
const fis = mockClient(FisClient as any) as unknown as AwsStub<any, any, any>;
const cmd = (c: unknown) => c as any;
const where = { accountName: 'prod', accountId: '111111111111', region: 'us-east-1' };
const port = () => createFisExperiments(new FisClient({ region: 'us-east-1' }), where);
const meta = (status: number, requestId = 'req-123') => ({ $metadata: { httpStatusCode: status, requestId } });

beforeEach(() => fis.reset());

describe('FIS adapter inputs', () => {
  it('StartExperiment gets exactly the client token, template id and tags (no experimentOptions on a real run)', async () => {
    fis.on(cmd(StartExperimentCommand)).resolves({ experiment: { id: 'EXP1', experimentTemplateId: 'EXT1', state: { status: 'initiating' } } });
    const tags = { 'lookout:request': 'chq-1', 'lookout:requested-by': 'U0CAROL', 'lookout:approved-by': 'U0ALICE U0BOB' };
    const exp = await port().start({ templateId: 'EXT1', clientToken: 'lookout-abc', tags });
    expect(fis.commandCalls(cmd(StartExperimentCommand)).map((c) => c.args[0].input)).toEqual([{ clientToken: 'lookout-abc', experimentTemplateId: 'EXT1', tags }]);
    expect(exp).toMatchObject({ id: 'EXP1', templateId: 'EXT1', status: 'initiating', actions: [], tags: {} });
  });

  it('a dry run asks for skip-all in the input too (for a newer serializer) and returns the confirmed mode', async () => {
    fis.on(cmd(StartExperimentCommand)).resolves({ experiment: { id: 'EXP2', state: { status: 'pending' }, experimentOptions: { actionsMode: 'skip-all' } as any } });
    const exp = await port().start({ templateId: 'EXT1', clientToken: 't', tags: {}, actionsMode: 'skip-all' });
    expect(fis.commandCalls(cmd(StartExperimentCommand))[0].args[0].input).toMatchObject({ experimentOptions: { actionsMode: 'skip-all' } });
    expect(exp.actionsMode).toBe('skip-all');
    expect(fis.commandCalls(cmd(StopExperimentCommand))).toHaveLength(0);
  });

  it('pages ListExperimentTemplates and lifts the Name tag', async () => {
    fis
      .on(cmd(ListExperimentTemplatesCommand), { maxResults: 100, nextToken: undefined })
      .resolves({ experimentTemplates: [{ id: 'EXT1', tags: { Name: 'cpu' }, description: 'd', creationTime: new Date(1000) }], nextToken: 'n1' })
      .on(cmd(ListExperimentTemplatesCommand), { maxResults: 100, nextToken: 'n1' })
      .resolves({ experimentTemplates: [{ id: 'EXT2' }] });
    expect(await port().listTemplates()).toEqual([
      { id: 'EXT1', name: 'cpu', description: 'd', tags: { Name: 'cpu' }, createdAt: 1000 },
      { id: 'EXT2', tags: {} },
    ]);
  });

  it('maps a template: targets, actions, stop conditions', async () => {
    fis.on(cmd(GetExperimentTemplateCommand), { id: 'EXT1' }).resolves({
      experimentTemplate: {
        id: 'EXT1',
        roleArn: 'arn:role',
        tags: { Name: 'cpu' },
        targets: { web: { resourceType: 'aws:ec2:instance', resourceTags: { Role: 'web' }, filters: [{ path: 'State.Name', values: ['running'] }], selectionMode: 'COUNT(2)' } },
        actions: { stress: { actionId: 'aws:ssm:send-command', parameters: { duration: 'PT5M' }, targets: { Instances: 'web' } } },
        stopConditions: [{ source: 'aws:cloudwatch:alarm', value: 'arn:alarm' }],
      },
    });
    expect(await port().getTemplate('EXT1')).toEqual({
      id: 'EXT1',
      name: 'cpu',
      tags: { Name: 'cpu' },
      roleArn: 'arn:role',
      targets: [{ name: 'web', resourceType: 'aws:ec2:instance', resourceArns: [], resourceTags: { Role: 'web' }, filters: [{ path: 'State.Name', values: ['running'] }], selectionMode: 'COUNT(2)', parameters: {} }],
      actions: [{ name: 'stress', actionId: 'aws:ssm:send-command', parameters: { duration: 'PT5M' }, targets: { Instances: 'web' }, startAfter: [] }],
      stopConditions: [{ source: 'aws:cloudwatch:alarm', value: 'arn:alarm' }],
    });
  });

  it('maps an experiment with action states, times, state.error and actionsMode', async () => {
    fis.on(cmd(GetExperimentCommand), { id: 'EXP1' }).resolves({
      experiment: {
        id: 'EXP1',
        experimentTemplateId: 'EXT1',
        state: { status: 'failed', reason: 'Action failed', error: { code: 'AccessDenied' } } as any,
        creationTime: new Date(1000),
        startTime: new Date(2000),
        endTime: new Date(9000),
        tags: { 'lookout:request': 'chq-1' },
        experimentOptions: { actionsMode: 'run-all' } as any,
        actions: { stress: { actionId: 'aws:ssm:send-command', state: { status: 'failed', reason: 'denied' }, startTime: new Date(2000), endTime: new Date(8000) } },
      },
    });
    expect(await port().get('EXP1')).toEqual({
      id: 'EXP1',
      templateId: 'EXT1',
      status: 'failed',
      reason: 'Action failed',
      errorCode: 'AccessDenied',
      createdAt: 1000,
      startedAt: 2000,
      endedAt: 9000,
      tags: { 'lookout:request': 'chq-1' },
      actionsMode: 'run-all',
      actions: [{ name: 'stress', actionId: 'aws:ssm:send-command', status: 'failed', reason: 'denied', startedAt: 2000, endedAt: 8000, parameters: {} }],
    });
  });

  it('lists experiments across pages, newest first, with a client-side template filter', async () => {
    fis
      .on(cmd(ListExperimentsCommand), { nextToken: undefined })
      .resolves({ experiments: [{ id: 'old', experimentTemplateId: 'A', creationTime: new Date(1), state: { status: 'completed' } }], nextToken: 'p2' })
      .on(cmd(ListExperimentsCommand), { nextToken: 'p2' })
      .resolves({ experiments: [{ id: 'new', experimentTemplateId: 'B', creationTime: new Date(5), state: { status: 'running' } }] });
    expect((await port().list()).map((e) => e.id)).toEqual(['new', 'old']);
    expect((await port().list({ templateId: 'A' })).map((e) => e.id)).toEqual(['old']);
  });

  it('TagResource on the experiment ARN built from the account and region; refused without an account id', async () => {
    fis.on(cmd(TagResourceCommand)).resolves({});
    await port().tag('EXP1', { 'lookout:stopped-by': 'guard:web-5xx' });
    expect(fis.commandCalls(cmd(TagResourceCommand))[0].args[0].input).toEqual({
      resourceArn: 'arn:aws:fis:us-east-1:111111111111:experiment/EXP1',
      tags: { 'lookout:stopped-by': 'guard:web-5xx' },
    });
    const noId = createFisExperiments(new FisClient({ region: 'us-east-1' }), { accountName: 'dev', region: 'eu-west-1' });
    await expect(noId.tag('EXP1', { a: 'b' })).rejects.toMatchObject({ code: 'config' });
  });

  it('without a configured account id, TagResource asks STS who the target is and builds the ARN from that', async () => {
    fis.on(cmd(TagResourceCommand)).resolves({});
    const asked: string[] = [];
    const viaSts = createFisExperiments(new FisClient({ region: 'eu-west-1' }), { accountName: 'dev', region: 'eu-west-1' }, async () => (asked.push('sts'), '222222222222'));
    await viaSts.tag('EXP9', { 'lookout:stopped-by': 'user:U1' });
    expect(asked).toEqual(['sts']);
    expect(fis.commandCalls(cmd(TagResourceCommand)).at(-1)!.args[0].input.resourceArn).toBe('arn:aws:fis:eu-west-1:222222222222:experiment/EXP9');
  });

  it('StopExperiment and ListExperimentResolvedTargets', async () => {
    fis.on(cmd(StopExperimentCommand), { id: 'EXP1' }).resolves({ experiment: { id: 'EXP1', state: { status: 'stopping' } } });
    fis.on(cmd(ListExperimentResolvedTargetsCommand), { experimentId: 'EXP1', maxResults: 100 }).resolves({
      resolvedTargets: [{ resourceType: 'aws:ec2:instance', targetName: 'web', targetInformation: { arn: 'arn:aws:ec2:…:instance/i-1' } }],
    });
    expect((await port().stop('EXP1')).status).toBe('stopping');
    expect(await port().resolvedTargets('EXP1')).toEqual([{ targetName: 'web', resourceType: 'aws:ec2:instance', info: { arn: 'arn:aws:ec2:…:instance/i-1' } }]);
  });
});

describe('FIS error mapping', () => {
  const svcError = (name: string, status: number, extra: Record<string, unknown> = {}) =>
    Object.assign(new FisServiceException({ name, $fault: status >= 500 ? 'server' : 'client', ...meta(status) }), { message: `${name} <b>x</b>` }, extra);

  it.each([
    ['ValidationException', new ValidationException({ message: 'bad tag <x>', ...meta(400) }), 'invalid_input', /FIS refused the request for experiment template `EXT1`.*bad tag &lt;x&gt;/],
    ['ResourceNotFoundException', new ResourceNotFoundException({ message: 'not here', ...meta(404) }), 'not_found', /No experiment template `EXT1` in account prod \(111111111111, us-east-1\)/],
    ['ServiceQuotaExceededException', new ServiceQuotaExceededException({ message: 'too many', ...meta(402) }), 'quota', /FIS quota was reached/],
    ['ConflictException', new ConflictException({ message: 'busy', ...meta(409) }), 'conflict', /conflict/],
    ['AccessDeniedException', svcError('AccessDeniedException', 403), 'access_denied', /may not call `fis:StartExperiment`/],
    ['ThrottlingException', svcError('ThrottlingException', 400, { $retryable: { throttling: true } }), 'throttled', /rate-limiting/],
    ['HTTP 429', svcError('SomethingElse', 429), 'throttled', /rate-limiting/],
    ['InternalServerException', svcError('InternalServerException', 500), 'upstream', /FIS failed/],
    ['ECONNREFUSED', Object.assign(new Error('socket'), { code: 'ECONNREFUSED' }), 'upstream', /could not connect to FIS/],
    ['TimeoutError', Object.assign(new Error('socket'), { name: 'TimeoutError', code: 'ETIMEDOUT' }), 'timeout', /did not answer/],
    ['AuthFailure', svcError('AuthFailure', 401), 'access_denied', /may not call `fis:StartExperiment`/],
    ['ExpiredToken', svcError('ExpiredToken', 400), 'access_denied', /have expired/],
  ])('%s → %s', async (_name, error, code, message) => {
    fis.on(cmd(StartExperimentCommand)).rejects(error);
    const err = await port().start({ templateId: 'EXT1', clientToken: 't', tags: {} }).catch((e) => e);
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.message).not.toMatch(/<(?!!date)/);
    expect(err.cause).toBe(error);
  });

  it('keeps the AWS request id for the audit log', async () => {
    fis.on(cmd(GetExperimentCommand)).rejects(new ResourceNotFoundException({ message: 'gone', ...meta(404, 'aws-req-9') }));
    await expect(port().get('EXP9')).rejects.toMatchObject({ code: 'not_found', requestIds: ['aws-req-9'] });
  });
});

describe('client construction', () => {
  it('honours AWS_ENDPOINT_URL_FIS and the target region', async () => {
    const client = createFisClient({ ...where }, { AWS_ENDPOINT_URL_FIS: 'http://127.0.0.1:4566' });
    expect(await client.config.region()).toBe('us-east-1');
    const endpoint = await client.config.endpoint?.();
    expect(endpoint?.hostname).toBe('127.0.0.1');
    expect(client.config.maxAttempts && (await client.config.maxAttempts())).toBe(5);
  });

  it('reuses one client per target object', () => {
    const made: unknown[] = [];
    const factory = fisExperiments({ clientFor: (t) => (made.push(t), new FisClient({ region: t.region })) });
    const t = { ...where };
    factory(t);
    factory(t);
    factory({ ...where });
    expect(made).toHaveLength(2);
  });
});
