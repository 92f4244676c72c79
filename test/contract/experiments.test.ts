import * as fis from '@aws-sdk/client-fis';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { createFisExperiments } from '../../src/aws/fis';
import { isLookoutError } from '../../src/errors';
import { ManualClock } from '../helpers/manual-clock';
import { type Experiments } from '../../src/ports/experiments';
import { hasStopConditions, type Experiment, type Template } from '../../src/chaos/model';
import { SANDBOX_TIMING, createSandboxFis } from '../../src/sandbox/fis';

/**
 * One suite, two implementations of the Experiments port: the sandbox, and the SDK adapter talking (through
 * aws-sdk-client-mock) to a FIS that answers in the SDK's wire shapes. The fake FIS is the sandbox behind an
 * encoder into those shapes, with LookoutErrors turned into the SDK's modeled exceptions, so both sides see the
 * same account and the assertions pin the adapter's decoding and error mapping.
 */
// client-fis 3.523.0 nests an older @smithy/types than aws-sdk-client-mock's, so the stub is typed loosely.
const fisMock = mockClient(fis.FisClient as any) as unknown as AwsStub<any, any, any>;
const cmd = (c: unknown) => c as any;

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));
const toSdkTemplate = (t: Template): fis.ExperimentTemplate => ({
  id: t.id,
  description: t.description,
  tags: t.tags,
  roleArn: t.roleArn,
  creationTime: date(t.createdAt),
  lastUpdateTime: date(t.updatedAt),
  targets: Object.fromEntries(t.targets.map(({ name, ...x }) => [name, { ...x, resourceArns: x.resourceArns.length ? x.resourceArns : undefined }])),
  actions: Object.fromEntries(t.actions.map(({ name, ...a }) => [name, a])),
  stopConditions: t.stopConditions,
});
const toSdkExperiment = (e: Experiment): fis.Experiment => ({
  id: e.id,
  experimentTemplateId: e.templateId,
  state: { status: e.status as fis.ExperimentStatus, reason: e.reason, ...(e.errorCode ? { error: { code: e.errorCode } } : {}) } as fis.ExperimentState,
  creationTime: date(e.createdAt),
  startTime: date(e.startedAt),
  endTime: date(e.endedAt),
  tags: e.tags,
  experimentOptions: { actionsMode: e.actionsMode } as fis.ExperimentOptions,
  actions: Object.fromEntries(
    e.actions.map((a) => [a.name, { actionId: a.actionId, parameters: a.parameters, state: { status: a.status as fis.ExperimentActionStatus, reason: a.reason }, startTime: date(a.startedAt), endTime: date(a.endedAt) }]),
  ),
});

const SDK_ERRORS: Record<string, (message: string) => Error> = {
  not_found: (message) => new fis.ResourceNotFoundException({ message, $metadata: { httpStatusCode: 404 } }),
  quota: (message) => new fis.ServiceQuotaExceededException({ message, $metadata: { httpStatusCode: 402 } }),
  conflict: (message) => new fis.ConflictException({ message, $metadata: { httpStatusCode: 409 } }),
  invalid_input: (message) => new fis.ValidationException({ message, $metadata: { httpStatusCode: 400 } }),
};
const wire =
  <I, O>(fn: (input: I) => Promise<O>) =>
  async (input: I): Promise<O> => {
    try {
      return await fn(input);
    } catch (err) {
      throw isLookoutError(err) && SDK_ERRORS[err.code] ? SDK_ERRORS[err.code](err.message) : err;
    }
  };

function sdkBackedBySandbox(clock: ManualClock): Experiments {
  const s = createSandboxFis({ clock, seedHistory: false }).experiments;
  fisMock.reset();
  fisMock.on(cmd(fis.ListExperimentTemplatesCommand)).callsFake(wire(async () => ({ experimentTemplates: (await s.listTemplates()).map((t) => toSdkTemplate({ ...t, targets: [], actions: [], stopConditions: [] })) })));
  fisMock.on(cmd(fis.GetExperimentTemplateCommand)).callsFake(wire(async (i: fis.GetExperimentTemplateCommandInput) => ({ experimentTemplate: toSdkTemplate(await s.getTemplate(i.id!)) })));
  fisMock.on(cmd(fis.StartExperimentCommand)).callsFake(
    wire(async (i: fis.StartExperimentCommandInput & { experimentOptions?: { actionsMode?: 'skip-all' | 'run-all' } }) => ({
      experiment: toSdkExperiment(await s.start({ templateId: i.experimentTemplateId!, clientToken: i.clientToken!, tags: i.tags ?? {}, actionsMode: i.experimentOptions?.actionsMode })),
    })),
  );
  fisMock.on(cmd(fis.GetExperimentCommand)).callsFake(wire(async (i: fis.GetExperimentCommandInput) => ({ experiment: toSdkExperiment(await s.get(i.id!)) })));
  fisMock.on(cmd(fis.StopExperimentCommand)).callsFake(wire(async (i: fis.StopExperimentCommandInput) => ({ experiment: toSdkExperiment(await s.stop(i.id!)) })));
  fisMock.on(cmd(fis.ListExperimentsCommand)).callsFake(
    wire(async () => ({ experiments: (await s.list()).map((e) => ({ id: e.id, experimentTemplateId: e.templateId, state: { status: e.status as fis.ExperimentStatus, reason: e.reason }, creationTime: date(e.createdAt), tags: e.tags })) })),
  );
  fisMock.on(cmd(fis.ListExperimentResolvedTargetsCommand)).callsFake(
    wire(async (i: fis.ListExperimentResolvedTargetsCommandInput) => ({
      resolvedTargets: (await s.resolvedTargets(i.experimentId!)).map((t) => ({ targetName: t.targetName, resourceType: t.resourceType, targetInformation: t.info })),
    })),
  );
  return createFisExperiments(new fis.FisClient({ region: 'us-east-1' }), { accountName: 'sandbox', region: 'us-east-1' });
}

const implementations: [string, (clock: ManualClock) => Experiments][] = [
  ['sandbox', (clock) => createSandboxFis({ clock, seedHistory: false }).experiments],
  ['sdk adapter', sdkBackedBySandbox],
];

describe.each(implementations)('Experiments contract: %s', (_name, make) => {
  let clock: ManualClock;
  let port: Experiments;
  beforeEach(() => {
    clock = new ManualClock();
    port = make(clock);
  });
  const start = (templateId = 'EXTsbxcpuweb0001', clientToken = 'tok-1', tags: Record<string, string> = { 'lookout:request': 'chq-1' }) => port.start({ templateId, clientToken, tags });
  const runStart = SANDBOX_TIMING.pendingMs + SANDBOX_TIMING.initiatingMs;

  it('lists templates with their Name tag and reads one in full', async () => {
    const names = (await port.listTemplates()).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['cpu-stress-web', 'kill-db-primary', 'stop-api-tasks']));
    const t = await port.getTemplate('EXTsbxcpuweb0001');
    expect(t).toMatchObject({ name: 'cpu-stress-web', tags: { 'lookout:allowed': 'true' }, targets: [{ name: 'web-instances', selectionMode: 'COUNT(2)', resourceTags: { Role: 'web' } }] });
    expect(t.actions.map((a) => [a.name, a.startAfter])).toEqual([['stress-cpu', []], ['stress-memory', ['stress-cpu']]]);
    expect(hasStopConditions(t)).toBe(true);
    expect(hasStopConditions(await port.getTemplate('EXTsbxkilldb0001'))).toBe(false);
  });

  it('reports unknown templates and experiments as not_found', async () => {
    await expect(port.getTemplate('EXTnope')).rejects.toMatchObject({ code: 'not_found' });
    await expect(port.get('EXPnope')).rejects.toMatchObject({ code: 'not_found' });
    await expect(start('EXTnope')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('runs an experiment through its states as time passes', async () => {
    const e = await start();
    expect(e).toMatchObject({ status: 'pending', templateId: 'EXTsbxcpuweb0001', tags: { 'lookout:request': 'chq-1' } });
    await clock.advance(SANDBOX_TIMING.pendingMs);
    expect((await port.get(e.id)).status).toBe('initiating');
    await clock.advance(SANDBOX_TIMING.initiatingMs);
    const running = await port.get(e.id);
    expect(running.status).toBe('running');
    expect(running.actions.map((a) => a.status)).toEqual(['running', 'pending']);
    expect(running.startedAt).toBe(e.createdAt! + runStart);
    await clock.advance(3 * 60_000);
    const done = await port.get(e.id);
    expect(done).toMatchObject({ status: 'completed', endedAt: e.createdAt! + runStart + 3 * 60_000 });
    expect(done.actions.map((a) => a.status)).toEqual(['completed', 'completed']);
    expect((await port.resolvedTargets(e.id)).map((t) => [t.targetName, t.resourceType])).toEqual([
      ['web-instances', 'aws:ec2:instance'],
      ['web-instances', 'aws:ec2:instance'],
    ]);
  });

  it('answers a repeated client token with the same experiment', async () => {
    const a = await start('EXTsbxcpuweb0001', 'same-token');
    const b = await start('EXTsbxcpuweb0001', 'same-token');
    expect(b.id).toBe(a.id);
    expect(await port.list()).toHaveLength(1);
  });

  it('stops: stopping, then stopped, with actions stopped or cancelled; stopping again is refused', async () => {
    const e = await start();
    await clock.advance(runStart + 1000);
    expect((await port.stop(e.id)).status).toBe('stopping');
    await clock.advance(SANDBOX_TIMING.stoppingMs);
    const stopped = await port.get(e.id);
    expect(stopped.status).toBe('stopped');
    expect(stopped.actions.map((a) => a.status)).toEqual(['stopped', 'cancelled']);
    await expect(port.stop(e.id)).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('fails mid-way with a reason', async () => {
    const e = await start('EXTsbxapitask001');
    await clock.advance(runStart + 60_000);
    const failed = await port.get(e.id);
    expect(failed).toMatchObject({ status: 'failed', reason: expect.stringContaining('not authorized'), errorCode: 'InternalFailure' });
    expect(failed.actions[0]).toMatchObject({ status: 'failed', reason: expect.stringContaining('ecs:StopTask') });
  });

  it('a skip-all run resolves targets, skips every action, and says skip-all in start and get', async () => {
    const e = await port.start({ templateId: 'EXTsbxkilldb0001', clientToken: 'preview', tags: {}, actionsMode: 'skip-all' });
    expect(e.actionsMode).toBe('skip-all');
    await clock.advance(runStart);
    const got = await port.get(e.id);
    expect(got.actionsMode).toBe('skip-all');
    expect(got.actions.map((a) => a.status)).toEqual(['skipped']);
    expect((await port.resolvedTargets(e.id)).map((t) => t.info.name)).toEqual(['db-1']);
  });

  it('lists every experiment newest first, and refuses a sixth active one (quota)', async () => {
    for (let i = 0; i < 5; i++) {
      await start('EXTsbxnetlat0001', `t${i}`);
      await clock.advance(1000);
    }
    const listed = await port.list();
    expect(listed.map((e) => e.createdAt)).toEqual([...listed.map((e) => e.createdAt!)].sort((a, b) => b - a));
    await expect(start('EXTsbxnetlat0001', 't6')).rejects.toMatchObject({ code: 'quota' });
  });
});
