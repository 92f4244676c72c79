import type { ChaosOptions } from '../../../src/chaos/context';
import { type Experiments } from '../../../src/ports/experiments';
import { LOOKOUT_TAGS } from '../../../src/chaos/model';
import type { Store } from '../../../src/ports/store';
import { ManualClock } from '../../helpers/manual-clock';
import { storeBackends } from '../../helpers/store';
import { createSandboxFis, type SandboxFis } from '../../../src/sandbox/fis';
import { CHANNEL, actor, makeService, target } from './fixtures';

/**
 * A crash between StartExperiment and the record of its answer leaves the request `starting` with no experiment.
 * The crash is made by the port itself: the start reaches FIS (the sandbox), then the answer never comes back, so
 * nothing after it runs — exactly what a process killed at that point leaves in the store.
 */
let store: Store;
let clock: ManualClock;
let sandbox: SandboxFis;
let cleanup: () => Promise<void>;

const LEASE_MS = 2 * 60_000;
const options = (replicaId: string): Partial<ChaosOptions> => ({ dryRunPreview: false, pollMs: 1000, replicaId, startLeaseMs: LEASE_MS });

/** A replica whose process "dies" inside StartExperiment: before FIS gets the call, or after FIS started it. */
function dyingReplica(replicaId: string, when: 'before-fis' | 'after-fis') {
  const fis: Experiments = {
    ...sandbox.experiments,
    start: async (input) => {
      if (when === 'after-fis') await sandbox.experiments.start(input);
      return new Promise(() => undefined);
    },
  };
  return makeService(store, { clock, sandbox, deps: { experiments: () => fis, options: options(replicaId) } });
}

const replica = (replicaId: string) => makeService(store, { clock, sandbox, deps: { options: options(replicaId) } });

async function crashWhileStarting(replicaId: string, when: 'before-fis' | 'after-fis') {
  const dying = dyingReplica(replicaId, when);
  const r = await dying.service.requestRun({ target, actor: actor('U0CAROL'), channelId: CHANNEL, templateRef: 'cpu-stress-web' });
  await dying.service.attachMessage(r.id, { channel: CHANNEL, ts: '1700000000.000100' });
  void dying.service.approve(r.id, actor('U0ALICE')); // never settles: the process is gone
  await untilStarting(r.id);
  return r.id;
}

async function untilStarting(id: string) {
  const state = async () => (await store.get('chaos-request', id))?.state;
  // Store round trips are real I/O (Postgres): bounded by wall time, not by a count of turns.
  for (const giveUpAt = Date.now() + 30_000; Date.now() < giveUpAt && (await state()) !== 'starting'; ) await new Promise((res) => setImmediate(res));
  expect(await state()).toBe('starting');
}

const experimentsOf = async (requestId: string) => (await sandbox.experiments.list()).filter((e) => e.tags[LOOKOUT_TAGS.request] === requestId);

describe.each(storeBackends)('a start interrupted by a crash ($name)', (backend) => {
  beforeEach(async () => {
    const db = await backend.open();
    ({ store, cleanup } = db);
    clock = new ManualClock();
    sandbox = createSandboxFis({ clock, seedHistory: false });
  });
  afterEach(() => cleanup());

  it('after FIS started it: the restarted replica (same name) watches that experiment at once, without starting another', async () => {
    const id = await crashWhileStarting('replica-a', 'after-fis');
    await clock.advance(5_000); // restarted 5 s later: far inside the lease
    const restarted = replica('replica-a');
    const res = await restarted.service.resumeAll();
    expect(res.recovered.map((x) => x.outcome)).toEqual(['started']);
    expect(restarted.starts()).toBe(0); // found by its lookout:request tag, not started again
    const request = await restarted.service.getRequest(id);
    expect(request).toMatchObject({ state: 'running', experimentId: (await experimentsOf(id))[0].id, message: { ts: '1700000000.000100' } });
    expect(res.watching).toEqual([request!.experimentId]);
    expect(await experimentsOf(id)).toHaveLength(1);
    await restarted.service.close();
  });

  it('before FIS got the call: the restarted replica starts it with the same client token, once', async () => {
    const id = await crashWhileStarting('replica-a', 'before-fis');
    await clock.advance(5_000);
    const restarted = replica('replica-a');
    const res = await restarted.service.resumeAll();
    expect(res.recovered.map((x) => x.outcome)).toEqual(['started']);
    expect(restarted.starts()).toBe(1);
    expect(await experimentsOf(id)).toHaveLength(1);
    expect((await restarted.service.getRequest(id))?.state).toBe('running');
    await restarted.service.close();
  });

  it('a live replica leaves another replica’s start alone while its lease runs, and takes it over on a sweep once it lapsed', async () => {
    const id = await crashWhileStarting('replica-a', 'after-fis');
    const other = replica('replica-b');
    expect((await other.service.resumeAll()).recovered).toEqual([]);
    await clock.advance(LEASE_MS - 1_000);
    expect((await other.service.sweep()).recovered).toEqual([]);
    expect((await store.get('chaos-request', id))?.state).toBe('starting');
    await clock.advance(1_000);
    const { recovered } = await other.service.sweep();
    expect(recovered.map((x) => x.outcome)).toEqual(['started']);
    expect(other.service.watching()).toEqual([(await experimentsOf(id))[0].id]);
    expect(other.starts()).toBe(0);
    await other.service.close();
  });

  it('two replicas sweeping at once: one takes the start over, one experiment', async () => {
    const id = await crashWhileStarting('replica-a', 'before-fis');
    await clock.advance(LEASE_MS);
    const [b, c] = [replica('replica-b'), replica('replica-c')];
    const [rb, rc] = await Promise.all([b.service.sweep(), c.service.sweep()]);
    expect([...rb.recovered, ...rc.recovered].map((x) => x.outcome)).toEqual(['started']);
    expect(b.starts() + c.starts()).toBe(1);
    expect(await experimentsOf(id)).toHaveLength(1);
    await Promise.all([b.service.close(), c.service.close()]);
  });

  it('before FIS got the call, and a halt began meanwhile: the restart goes through the policy at approval, refuses it, holds no slot', async () => {
    const id = await crashWhileStarting('replica-a', 'before-fis');
    await clock.advance(5_000);
    const restarted = replica('replica-a');
    await restarted.service.halt({ actor: actor('U0ADMIN'), reason: 'incident', accounts: [] });
    const res = await restarted.service.resumeAll();
    expect(res.recovered.map((x) => x.outcome)).toEqual(['refused']);
    const request = await restarted.service.getRequest(id);
    expect(request?.state).toBe('refused');
    expect(request?.error?.message).toMatch(/^Chaos experiments are halted: incident/);
    expect(restarted.starts()).toBe(0);
    expect(await experimentsOf(id)).toHaveLength(0);
    expect((await store.get<{ holders: string[] }>('chaos-slots', 'sandbox'))?.data.holders ?? []).toEqual([]);
  });

  it('found long after, with no experiment in FIS: failed with a message and a reference id, nothing started', async () => {
    const id = await crashWhileStarting('replica-a', 'before-fis');
    await clock.advance(30 * 60_000);
    const restarted = replica('replica-a');
    const res = await restarted.service.resumeAll();
    expect(res.recovered.map((x) => x.outcome)).toEqual(['start-failed']);
    const request = await restarted.service.getRequest(id);
    expect(request?.state).toBe('failed');
    expect(request?.error?.message).toMatch(/nothing runs.*Reference `lk-[0-9a-f]{10}`/);
    expect(restarted.starts()).toBe(0);
    expect(await experimentsOf(id)).toHaveLength(0);
  });

  it('found long after while FIS cannot list experiments: stays starting (never "nothing runs"), resolved once FIS answers', async () => {
    const id = await crashWhileStarting('replica-a', 'after-fis');
    await clock.advance(30 * 60_000);
    const unlisting: Experiments = { ...sandbox.experiments, list: async () => Promise.reject(new Error('ThrottlingException')) };
    const blind = makeService(store, { clock, sandbox, deps: { experiments: () => unlisting, options: options('replica-a') } });
    const res = await blind.service.resumeAll();
    expect(res.recovered.map((x) => x.outcome)).toEqual(['closed']);
    expect((await store.get('chaos-request', id))?.state).toBe('starting');
    await clock.advance(LEASE_MS + 1);
    const seeing = replica('replica-b');
    const swept = await seeing.service.sweep();
    expect(swept.recovered.map((x) => x.outcome)).toEqual(['started']);
    expect((await seeing.service.getRequest(id))?.state).toBe('running');
    expect(await experimentsOf(id)).toHaveLength(1);
  });

  it('a start that fails on a replica that lost its lease does not mark the request failed over the replica that took it', async () => {
    let release: (err: Error) => void = () => undefined;
    const slow: Experiments = { ...sandbox.experiments, start: () => new Promise((_, reject) => (release = reject)) };
    const a = makeService(store, { clock, sandbox, deps: { experiments: () => slow, options: options('replica-a') } });
    const r = await a.service.requestRun({ target, actor: actor('U0CAROL'), channelId: CHANNEL, templateRef: 'cpu-stress-web' });
    const approving = a.service.approve(r.id, actor('U0ALICE'));
    await untilStarting(r.id);
    await clock.advance(LEASE_MS + 1_000); // a's StartExperiment hangs past its lease
    const b = replica('replica-b');
    expect((await b.service.sweep()).recovered.map((x) => x.outcome)).toEqual(['started']);
    release(new Error('socket hang up'));
    expect((await approving).outcome).toBe('start-failed');
    expect((await b.service.getRequest(r.id))?.state).toBe('running');
    await b.service.close();
  });
});
