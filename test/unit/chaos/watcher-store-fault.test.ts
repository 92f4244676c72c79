import type { WatchEvent } from '../../../src/chaos/watcher';
import type { ChaosEvent } from '../../../src/chaos/service';
import type { Store } from '../../../src/ports/store';
import { openStore } from '../../../src/store';
import { CHANNEL, actor, advanceUntil, makeService, target } from './fixtures';

const finished = (events: ChaosEvent[]) => events.filter((e): e is Extract<WatchEvent, { type: 'finished' }> => e.type === 'finished');

/**
 * The watcher records a run's end, then the request's, then reports the summary. A store error in between (a pool
 * timeout under load, seen in the full-size replicas run) lost the summary: no later poll reports an end already
 * recorded. Now the request's step is tried again and the summary goes out once.
 */
it('a store error while recording the end on the request does not lose the summary', async () => {
  const inner = await openStore('sqlite::memory:');
  let failuresLeft = 2;
  const store = new Proxy(inner, {
    get(t, k) {
      if (k === 'transition') {
        return async (kind: string, id: string, o: { to: string }) => {
          if (kind === 'chaos-request' && o.to === 'done' && failuresLeft-- > 0) throw new Error('timeout exceeded when trying to connect');
          return t.transition(kind, id, o as never);
        };
      }
      const v = Reflect.get(t, k) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  }) as Store;
  try {
    const h = makeService(store);
    const r = await h.service.requestRun({ target, actor: actor('U0CAROL'), channelId: CHANNEL, templateRef: 'cpu-stress-web' });
    await h.service.attachMessage(r.id, { channel: CHANNEL, ts: '1700000000.000100' });
    const res = await h.service.approve(r.id, actor('U0ALICE'));
    expect(res.outcome).toBe('started');
    await advanceUntil(h.clock, () => finished(h.events).length > 0);
    const [done, ...more] = finished(h.events);
    expect(more).toEqual([]);
    expect(done!.report.status).toBe('completed');
    expect(done!.request?.state).toBe('done');
    expect(failuresLeft).toBeLessThan(0);
    await h.service.close();
  } finally {
    await inner.close();
  }
});
