import { previewTargets } from '../../../src/chaos/preview';
import { LookoutError } from '../../../src/errors';
import { ManualClock } from '../../helpers/manual-clock';
import { type Experiments } from '../../../src/ports/experiments';
import { LOOKOUT_TAGS, type Experiment } from '../../../src/chaos/model';
import { createSandboxFis } from '../../../src/sandbox/fis';
import { openStore } from '../../../src/store';
import { CHANNEL, actor, driveClock, makeService, target } from './fixtures';

const exp = (o: Partial<Experiment> = {}): Experiment => ({ id: 'EXP1', templateId: 'EXT1', status: 'initiating', tags: {}, actions: [], ...o });

/** A scripted port: start/get answers come from the given functions; every call is recorded. */
function scripted(o: { start?: () => Promise<Experiment>; get?: (n: number) => Promise<Experiment>; stop?: () => Promise<Experiment> }) {
  const calls: string[] = [];
  let gets = 0;
  const port: Experiments = {
    listTemplates: async () => [],
    getTemplate: async () => {
      throw new Error('unused');
    },
    start: async (input) => (calls.push(`start:${input.actionsMode}:${input.tags[LOOKOUT_TAGS.preview]}`), (o.start ?? (async () => exp({ actionsMode: 'skip-all' })))()),
    get: async () => (calls.push('get'), (o.get ?? (async () => exp({ status: 'running', actionsMode: 'skip-all' })))(gets++)),
    list: async () => [],
    stop: async () => (calls.push('stop'), (o.stop ?? (async () => exp({ status: 'stopping' })))()),
    tag: async () => void calls.push('tag'),
    resolvedTargets: async () => (calls.push('targets'), [{ targetName: 'web', resourceType: 'aws:ec2:instance', info: { arn: 'arn:1' } }]),
  };
  return { port, calls };
}

describe('previewTargets', () => {
  it('lists the resources a sandbox template would hit, from a verified skip-all run', async () => {
    const clock = new ManualClock();
    const sandbox = createSandboxFis({ clock, seedHistory: false });
    const preview = await driveClock(clock, previewTargets(sandbox.experiments, 'EXTsbxcpuweb0001', { clock }));
    expect(preview).toMatchObject({ status: 'verified', targets: [{ info: { name: 'web-1' } }, { info: { name: 'web-2' } }] });
    const [run] = await sandbox.experiments.list();
    expect(run.tags[LOOKOUT_TAGS.preview]).toBe('true');
    const full = await sandbox.experiments.get(run.id);
    expect(full.actions.every((a) => a.status === 'skipped')).toBe(true);
  });

  it('stops at once when the start answer does not confirm skip-all (the 3.523.0 trap)', async () => {
    const { port, calls } = scripted({ start: async () => exp() });
    const p = await previewTargets(port, 'EXT1', { clock: new ManualClock() });
    expect(p).toEqual({ status: 'unavailable', reason: expect.stringContaining('was stopped at once') });
    expect(calls).toEqual(['start:skip-all:true', 'stop']);
  });

  it('needs GetExperiment to confirm too, and stops when it does not', async () => {
    const { port, calls } = scripted({ get: async () => exp({ status: 'running', actionsMode: 'run-all' }) });
    const p = await previewTargets(port, 'EXT1', { clock: new ManualClock() });
    expect(p.status).toBe('unavailable');
    expect(calls).toEqual(['start:skip-all:true', 'get', 'stop']);
  });

  it('says so loudly when the unconfirmed experiment cannot be stopped', async () => {
    const { port } = scripted({
      start: async () => exp(),
      stop: async () => {
        throw new LookoutError('access_denied', 'no');
      },
    });
    const p = await previewTargets(port, 'EXT1', { clock: new ManualClock() });
    expect(p).toEqual({ status: 'unavailable', reason: expect.stringContaining('stop it in the FIS console now') });
  });

  it('is unavailable (without stopping anything) when the dry run cannot start', async () => {
    const { port, calls } = scripted({
      start: async () => {
        throw new LookoutError('access_denied', 'Lookout may not call `fis:StartExperiment`.');
      },
    });
    const p = await previewTargets(port, 'EXT1', { clock: new ManualClock() });
    expect(p).toEqual({ status: 'unavailable', reason: expect.stringContaining('fis:StartExperiment') });
    expect(calls).toEqual(['start:skip-all:true']);
  });

  it('waits for target resolution, then gives up and stops the dry run after the timeout', async () => {
    const clock = new ManualClock();
    const { port, calls } = scripted({ get: async () => exp({ status: 'initiating', actionsMode: 'skip-all' }) });
    const p = await driveClock(clock, previewTargets(port, 'EXT1', { clock, pollMs: 1000, timeoutMs: 5000 }));
    expect(p).toEqual({ status: 'unavailable', reason: expect.stringContaining('in time') });
    expect(calls.at(-1)).toBe('stop');
    expect(calls.filter((c) => c === 'get').length).toBeGreaterThanOrEqual(5);
  });

  it('reports a dry run that ended failed with its reason, escaped', async () => {
    const { port } = scripted({ get: async () => exp({ status: 'failed', reason: 'No <!channel> targets', actionsMode: 'skip-all' }) });
    const p = await previewTargets(port, 'EXT1', { clock: new ManualClock() });
    expect(p).toEqual({ status: 'unavailable', reason: 'the dry run ended failed: No &lt;!channel&gt; targets' });
  });
});

it('requestRun puts a verified preview on the request when previews are on', async () => {
  const store = await openStore('sqlite::memory:');
  const h = makeService(store, { deps: { options: { dryRunPreview: true, previewPollMs: 1000 } } });
  const r = await driveClock(h.clock, h.service.requestRun({ target, actor: actor('U0CAROL'), channelId: CHANNEL, templateRef: 'cpu-stress-web' }));
  expect(r.preview).toMatchObject({ status: 'verified', targets: [{ targetName: 'web-instances' }, { targetName: 'web-instances' }] });
  await store.close();
});
