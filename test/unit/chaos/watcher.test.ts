import type { WatchEvent } from '../../../src/chaos/watcher';
import type { ChaosEvent } from '../../../src/chaos/service';
import type { ExperimentChange } from '../../../src/chaos/model';
import type { Store } from '../../../src/ports/store';
import { openStore } from '../../../src/store';
import { storeBackends } from '../../helpers/store';
import { CHANNEL, actor, advanceUntil, chaosConfig, makeService, target } from './fixtures';

const statusLine = (c: ExperimentChange) => (c.kind === 'status' ? `${c.from ?? '∅'}→${c.to}` : `${c.action}:${c.from ?? '∅'}→${c.to}`);
const watchEvents = (events: ChaosEvent[]) => events.filter((e): e is WatchEvent => e.type === 'changed' || e.type === 'finished');
const allChanges = (events: ChaosEvent[]) => watchEvents(events).flatMap((e) => e.changes.map(statusLine));
const finished = (events: ChaosEvent[]) => events.filter((e): e is Extract<WatchEvent, { type: 'finished' }> => e.type === 'finished');

let store: Store;
beforeEach(async () => {
  store = await openStore('sqlite::memory:');
});
afterEach(async () => {
  await store.close();
});

async function startExperiment(h: ReturnType<typeof makeService>, template: string) {
  const r = await h.service.requestRun({ target, actor: actor('U0CAROL'), channelId: CHANNEL, templateRef: template });
  await h.service.attachMessage(r.id, { channel: CHANNEL, ts: '1700000000.000100' });
  const res = await h.service.approve(r.id, actor('U0ALICE'));
  if (res.outcome !== 'started') throw new Error(`not started: ${res.outcome}`);
  return res;
}

describe('watching an experiment', () => {
  it('reports each state and action change once, then a summary with duration and resolved targets', async () => {
    const h = makeService(store);
    const started = await startExperiment(h, 'cpu-stress-web');
    await advanceUntil(h.clock, () => finished(h.events).length > 0);
    expect(allChanges(h.events)).toEqual([
      '∅→pending',
      'stress-cpu:∅→pending',
      'stress-memory:∅→pending',
      'pending→initiating',
      'initiating→running',
      'stress-cpu:pending→running',
      'stress-cpu:running→completed',
      'stress-memory:pending→running',
      'stress-memory:running→completed',
      'running→completed',
    ]);
    const [done] = finished(h.events);
    expect(done.report).toMatchObject({ experimentId: started.experiment.id, requestId: started.request.id, status: 'completed', durationMs: 3 * 60_000 });
    expect(done.report.resolvedTargets?.map((t) => t.info.name)).toEqual(['web-1', 'web-2']);
    expect(done.request).toMatchObject({ state: 'done', message: { ts: '1700000000.000100' }, experiment: { status: 'completed' } });
    await h.clock.advance(60_000);
    expect(finished(h.events)).toHaveLength(1);
    expect(h.service.watching()).toEqual([]);
  });

  it('reports a failure mid-way with the FIS reason', async () => {
    const h = makeService(store);
    await startExperiment(h, 'stop-api-tasks');
    await advanceUntil(h.clock, () => finished(h.events).length > 0);
    const [done] = finished(h.events);
    expect(done.report.status).toBe('failed');
    expect(done.report.reason).toContain('not authorized');
    expect(done.report.actions.map((a) => a.status)).toEqual(['failed']);
    expect(allChanges(h.events)).toContain('stop-tasks:running→failed');
  });

  it('the Stop button stops the request’s experiment: stopping → stopped, with who stopped it', async () => {
    const h = makeService(store);
    const started = await startExperiment(h, 'cpu-stress-web');
    await advanceUntil(h.clock, () => allChanges(h.events).includes('initiating→running'));
    const { experiment } = await h.service.stopRequest(started.request.id, actor('U0BOB'));
    expect(experiment.status).toBe('stopping');
    await advanceUntil(h.clock, () => finished(h.events).length > 0);
    expect(allChanges(h.events)).toEqual(expect.arrayContaining(['running→stopping', 'stopping→stopped']));
    expect(finished(h.events)[0].report).toMatchObject({ status: 'stopped', stoppedBy: 'U0BOB' });
    await expect(h.service.stopRequest(started.request.id, actor('U0BOB'))).rejects.toMatchObject({ code: 'conflict' });
  });

  it('a pending request has nothing to stop', async () => {
    const h = makeService(store);
    const r = await h.service.requestRun({ target, actor: actor('U0CAROL'), channelId: CHANNEL, templateRef: 'cpu-stress-web' });
    await expect(h.service.stopRequest(r.id, actor('U0BOB'))).rejects.toMatchObject({ code: 'conflict', hint: 'Deny the request instead.' });
  });
});

describe('stop commands', () => {
  it('stop --all stops every running experiment in the account, ours or not', async () => {
    const h = makeService(store, { config: chaosConfig({ chaos: { maxRunning: 5 } }) });
    await startExperiment(h, 'cpu-stress-web');
    await h.sandbox.experiments.start({ templateId: 'EXTsbxnetlat0001', clientToken: 'outside', tags: {} });
    expect(await h.service.stoppable(target)).toHaveLength(2);
    const res = await h.service.stopAll(target, actor('U0BOB'));
    expect(res.failed).toEqual([]);
    expect(res.stopped.map((e) => e.status)).toEqual(['stopping', 'stopping']);
    await h.service.close();
  });

  it('stopping an experiment that already ended says how it ended', async () => {
    const h = makeService(store);
    const started = await startExperiment(h, 'cpu-stress-web');
    await advanceUntil(h.clock, () => finished(h.events).length > 0);
    await expect(h.service.stop(target, started.experiment.id, actor('U0BOB'))).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('completed') });
  });
});

describe.each(storeBackends)('restart safety ($name)', (backend) => {
  it('resumeAll on two replicas after a restart: each change and the summary are reported once', async () => {
    const db = await backend.open();
    try {
      const first = makeService(db.store);
      const started = await startExperiment(first, 'cpu-stress-web');
      await first.service.close(); // Lookout goes down right after starting the experiment
      const sandbox = first.sandbox;
      const a = makeService(await db.reopen(), { clock: first.clock, sandbox });
      const b = makeService(await db.reopen(), { clock: first.clock, sandbox });
      const [ra, rb] = await Promise.all([a.service.resumeAll(), b.service.resumeAll()]);
      expect(ra.watching).toEqual([started.experiment.id]);
      expect(rb.watching).toEqual([started.experiment.id]);
      const events = () => [...first.events, ...a.events, ...b.events];
      await advanceUntil(first.clock, () => finished(events()).length > 0);
      // Both replicas stop watching once the experiment has ended (the one that lost the claim sees it ended): wait for
      // that effect, after which nothing can post, then count what was posted.
      await advanceUntil(first.clock, () => a.service.watching().length === 0 && b.service.watching().length === 0);
      expect(finished(events())).toHaveLength(1);
      const lines = allChanges(events());
      expect(new Set(lines).size).toBe(lines.length);
      expect(lines).toContain('running→completed');
      await Promise.all([a.service.close(), b.service.close()]);
    } finally {
      await db.cleanup();
    }
  });
});

describe('resumeAll', () => {
  it('expires requests that lapsed while Lookout was down', async () => {
    const h = makeService(store);
    const r = await h.service.requestRun({ target, actor: actor('U0CAROL'), channelId: CHANNEL, templateRef: 'cpu-stress-web' });
    await h.clock.advance(31 * 60_000);
    const again = makeService(store, { clock: h.clock, sandbox: h.sandbox });
    const res = await again.service.resumeAll();
    expect(res.expired.map((x) => x.id)).toEqual([r.id]);
  });
});
