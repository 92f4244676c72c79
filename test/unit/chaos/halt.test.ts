import { haltTime } from '../../../src/chaos/halt';
import { checkHalt } from '../../../src/chaos/run-policy';
import { isLookoutError } from '../../../src/errors';
import type { Store } from '../../../src/ports/store';
import { openStore } from '../../../src/store';
import { actor, CHANNEL, makeService, target } from './fixtures';
import { ManualClock } from '../../helpers/manual-clock';
import { createSandboxFis } from '../../../src/sandbox/fis';
import type { Experiments } from '../../../src/ports/experiments';

let store: Store;
beforeEach(async () => {
  store = await openStore('sqlite::memory:');
});
afterEach(async () => {
  await store.close();
});

const ADMIN = actor('U0ADMIN');
const sandboxAccount = { name: 'sandbox', id: target.accountId, region: 'us-east-1' };
const run = (h: ReturnType<typeof makeService>, reason = 'why') => h.service.requestRun({ target, actor: actor('U0CAROL'), channelId: CHANNEL, templateRef: 'cpu-stress-web', reason });

async function refusalOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isLookoutError(e) && e.code === 'forbidden') return e.message;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('halt and resume', () => {
  it('records who and why, stops every unfinished experiment, and refuses runs and approvals until resumed', async () => {
    const h = makeService(store);
    const pending = await run(h, 'pending before the halt');
    const running = await h.sandbox.experiments.start({ templateId: 'EXTsbxcpuweb0001', clientToken: 'outside-lookout', tags: {} });

    const result = await h.service.halt({ actor: ADMIN, reason: 'incident 42', accounts: [sandboxAccount] });
    expect(result).toMatchObject({ halt: { by: 'U0ADMIN', reason: 'incident 42', at: h.clock.now() }, newly: true, failed: [] });
    expect(result.stopped.map((s) => [s.account, s.experiment.id, s.experiment.status])).toEqual([['sandbox', running.id, 'stopping']]);
    expect(await h.service.haltState()).toEqual({ by: 'U0ADMIN', reason: 'incident 42', at: h.clock.now() });

    expect(await refusalOf(run(h))).toBe(`Chaos experiments are halted: incident 42 (by <@U0ADMIN>, ${haltTime(h.clock.now())} UTC).`);
    // The approving click re-checks the policy: the request is refused (terminal) with the halt as its reason.
    const approved = await h.service.approve(pending.id, actor('U0ALICE'));
    expect(approved).toMatchObject({ outcome: 'refused', request: { state: 'refused' } });
    expect(approved.request.error?.message).toMatch(/^Chaos experiments are halted/);
    expect(h.starts()).toBe(0); // Lookout started nothing (the running one was started outside it)

    expect(await h.service.resume(actor('U0OTHER'))).toEqual({ by: 'U0ADMIN', reason: 'incident 42', at: h.clock.now() });
    expect(await h.service.haltState()).toBeNull();
    expect(await h.service.resume(ADMIN)).toBeNull(); // nothing left to resume
    await h.clock.advance(5000); // the stopped experiment has ended (maxRunning: 1)
    await expect(run(h)).resolves.toMatchObject({ state: 'pending' });
  });

  it('a second halt keeps the first one’s who and why; after a resume, a new halt records its own', async () => {
    const h = makeService(store);
    await h.service.halt({ actor: ADMIN, reason: 'first', accounts: [] });
    await h.clock.advance(60_000);
    const again = await h.service.halt({ actor: actor('U0SECOND'), reason: 'second', accounts: [] });
    expect(again).toMatchObject({ newly: false, halt: { by: 'U0ADMIN', reason: 'first' } });
    await h.service.resume(ADMIN);
    const fresh = await h.service.halt({ actor: actor('U0SECOND'), accounts: [] });
    expect(fresh).toMatchObject({ newly: true, halt: { by: 'U0SECOND', at: h.clock.now() } });
    expect(fresh.halt.reason).toBeUndefined();
  });

  it('a halt recorded while StartExperiment is in flight (after the check at approval) stops what started, as the admin', async () => {
    const clock = new ManualClock();
    const sandbox = createSandboxFis({ clock, seedHistory: false });
    // The halt lands between the policy check and FIS's answer: its own stop-everything pass sees nothing yet.
    const racing: Experiments = {
      ...sandbox.experiments,
      start: async (input) => {
        if (input.actionsMode !== 'skip-all') await h.service.halt({ actor: ADMIN, reason: 'mid-start', accounts: [sandboxAccount] });
        return sandbox.experiments.start(input);
      },
    };
    const h = makeService(store, { clock, sandbox, deps: { experiments: () => racing } });
    const pending = await run(h);
    const result = await h.service.approve(pending.id, actor('U0ALICE'));
    expect(result.outcome).toBe('started');
    const id = result.outcome === 'started' ? result.experiment.id : '';
    expect((await sandbox.experiments.get(id)).status).toMatch(/stopping|stopped/);
    expect((await sandbox.experiments.get(id)).tags['lookout:stopped-by']).toBe('user:U0ADMIN');
    await h.service.close();
  });

  it('concurrent halts (two replicas) agree on one record', async () => {
    const a = makeService(store);
    const b = makeService(store, { clock: a.clock });
    const [x, y] = await Promise.all([
      a.service.halt({ actor: actor('U0A'), reason: 'a', accounts: [] }),
      b.service.halt({ actor: actor('U0B'), reason: 'b', accounts: [] }),
    ]);
    expect([x.newly, y.newly].sort()).toEqual([false, true]);
    expect(x.halt).toEqual(y.halt);
  });

  it('an account that cannot be reached is reported and does not stop the others', async () => {
    const h = makeService(store, { deps: { resolveTarget: async (ref) => {
      if (ref.accountName === 'broken') throw new Error('AssumeRole failed');
      return target;
    } } });
    const running = await h.sandbox.experiments.start({ templateId: 'EXTsbxcpuweb0001', clientToken: 't1', tags: {} });
    const result = await h.service.halt({ actor: ADMIN, accounts: [{ name: 'broken', region: 'us-east-1' }, sandboxAccount] });
    expect(result.failed.map((f) => [f.account, f.error.code])).toEqual([['broken', 'upstream']]);
    expect(result.stopped.map((s) => s.experiment.id)).toEqual([running.id]);
  });
});

describe('checkHalt', () => {
  it('is null when not halted and a refusal naming who, when and why otherwise', () => {
    expect(checkHalt(null)).toBeNull();
    const at = Date.UTC(2026, 11, 3, 6, 15);
    expect(checkHalt({ by: 'U1', at })).toMatchObject({ code: 'forbidden', message: 'Chaos experiments are halted (by <@U1>, 2026-12-03 06:15 UTC).', hint: 'An admin lifts the halt with `/chaos resume`.' });
    expect(checkHalt({ by: 'U1', at, reason: '<!channel> now' })?.message).toContain('halted: &lt;!channel&gt; now');
  });
});
