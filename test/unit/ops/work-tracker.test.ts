import { createWorkTracker } from '../../../src/ops/work-tracker';

/** The tracker keeps a copy of each promise for drain(); that copy must never be a second, unhandled rejection. */
describe('work tracker', () => {
  it('a tracked promise that rejects is the caller’s to handle: no unhandled rejection from the tracker’s copy', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const tracker = createWorkTracker();
      const failed = tracker.track(Promise.reject(new Error('Slack reset the connection')));
      await expect(failed).rejects.toThrow('Slack reset the connection');
      expect(await tracker.drain(1_000)).toBe(true); // drained: the failure counts as settled
      expect(tracker.inFlight).toBe(0);
      // Unhandled rejections are reported after the microtask queue drains: wait for a macrotask turn past it.
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('drain waits for tracked work and refuses nothing already tracked', async () => {
    const tracker = createWorkTracker();
    let release!: () => void;
    const work = tracker.track(new Promise<void>((r) => (release = r)));
    expect(tracker.inFlight).toBe(1);
    const drained = tracker.drain(10_000);
    expect(tracker.draining).toBe(true);
    release();
    await work;
    expect(await drained).toBe(true);
    expect(tracker.inFlight).toBe(0);
  });
});
