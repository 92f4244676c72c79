import { ManualClock } from '../helpers/manual-clock';
import { pollAnalysis } from '../../src/reach/poll';
import { resolveDeps } from '../../src/reach/deps';
import { createExperimentWatcher } from '../../src/chaos/watcher';
import { DEFAULT_CHAOS_OPTIONS } from '../../src/chaos/context';
import { EXPERIMENT_KIND } from '../../src/chaos/records';
import { openStore } from '../../src/store';
import type { Experiment } from '../../src/chaos/model';
import type { Store } from '../../src/ports/store';

// The freshness budget (docs/performance.md): whatever AWS takes (5 s to 10 min), the channel learns of the end
// within 3 s, and the default schedules call describe at most once a second per watched item.
const WORK_MS = [5_000, 7_300, 42_000, 3 * 60_000 + 700, 9 * 60_000 + 55_000];

describe('freshness of the default poll schedules', () => {
  test.each(WORK_MS)('a reachability analysis that takes %i ms is seen within 3 s, ≤ 1 describe/s', async (work) => {
    const clock = new ManualClock();
    const d = resolveDeps({ reachability: () => undefined as never, store: undefined as never, clock });
    const doneAt = clock.now() + work;
    let calls = 0;
    const port = { getAnalysis: async (id: string) => (calls++, { id, status: clock.now() >= doneAt ? 'succeeded' : 'running' }) } as never;
    let seenAt: number | undefined;
    void pollAnalysis(port, { id: 'nia-1', status: 'running' } as never, { clock, deadlineMs: d.deadlineMs, initialDelayMs: d.pollInitialDelayMs, maxDelayMs: d.pollMaxDelayMs }).then(
      (r) => (seenAt = r ? clock.now() : Infinity),
    );
    while (seenAt === undefined) await clock.advance(100);
    expect(seenAt - doneAt).toBeLessThanOrEqual(3_000);
    expect(calls / (work / 1000)).toBeLessThanOrEqual(1);
  });

  let store: Store;
  beforeAll(async () => {
    store = await openStore('sqlite::memory:');
  });
  afterAll(() => store.close());

  test.each(WORK_MS)('an FIS experiment whose state changes after %i ms is seen within 3 s, ≤ 1 GetExperiment/s', async (work) => {
    const clock = new ManualClock();
    const id = `EXP${work}`;
    const changeAt = clock.now() + work;
    let calls = 0;
    const status = () => (clock.now() >= changeAt ? 'completed' : 'running');
    const experiment = (): Experiment => ({ id, templateId: 'EXT1', status: status(), tags: {}, actions: [{ name: 'a', actionId: 'aws:ec2:stop-instances', status: status(), parameters: {} }] });
    const fis = { get: async () => (calls++, experiment()), resolvedTargets: async () => [] } as never;
    const data = { experimentId: id, teamId: 'T1', channelId: 'C1', account: { name: 'default', region: 'us-east-1' }, actor: { userId: 'U1' }, templateId: 'EXT1', watchedSince: clock.now(), snapshot: { status: 'running', actions: { a: 'running' } } };
    await store.create({ kind: EXPERIMENT_KIND, id, state: 'running', data });
    let seenAt: number | undefined;
    const watcher = createExperimentWatcher({ store, clock, pollMs: DEFAULT_CHAOS_OPTIONS.pollMs, log: { warn: () => undefined }, experimentsFor: async () => fis, onEvent: () => void (seenAt ??= clock.now()) });
    watcher.watch(id);
    while (seenAt === undefined) await clock.advance(100);
    await watcher.close();
    expect(seenAt - changeAt).toBeLessThanOrEqual(3_000);
    expect(calls / (work / 1000)).toBeLessThanOrEqual(1);
  });
});
