import { ManualClock } from '../../helpers/manual-clock';
import { SANDBOX_TIMING, createSandboxFis } from '../../../src/sandbox/fis';
import { parseIsoDuration } from '../../../src/sandbox/fis/timeline';

describe('sandbox FIS', () => {
  it.each([
    ['PT5M', 300_000],
    ['PT90S', 90_000],
    ['PT1H30M', 5_400_000],
    ['P1D', null],
    ['', null],
    [undefined, null],
  ])('parseIsoDuration(%p) = %p', (s, want) => {
    expect(parseIsoDuration(s)).toBe(want);
  });

  it('stopping before the run phase cancels every action and resolves no targets', async () => {
    const clock = new ManualClock();
    const { experiments } = createSandboxFis({ clock, seedHistory: false });
    const e = await experiments.start({ templateId: 'EXTsbxcpuweb0001', clientToken: 't', tags: {} });
    await clock.advance(SANDBOX_TIMING.pendingMs);
    expect((await experiments.stop(e.id)).status).toBe('stopping');
    await clock.advance(SANDBOX_TIMING.stoppingMs);
    const got = await experiments.get(e.id);
    expect(got).toMatchObject({ status: 'stopped', endedAt: e.createdAt! + SANDBOX_TIMING.pendingMs + SANDBOX_TIMING.stoppingMs });
    expect(got.startedAt).toBeUndefined();
    expect(got.actions.map((a) => a.status)).toEqual(['cancelled', 'cancelled']);
    expect(await experiments.resolvedTargets(e.id)).toEqual([]);
  });

  it('runs actions in startAfter order and a later stop keeps finished actions completed', async () => {
    const clock = new ManualClock();
    const { experiments } = createSandboxFis({ clock, seedHistory: false });
    const e = await experiments.start({ templateId: 'EXTsbxcpuweb0001', clientToken: 't', tags: {} });
    await clock.advance(5000 + 120_000 + 10_000);
    expect((await experiments.get(e.id)).actions.map((a) => a.status)).toEqual(['completed', 'running']);
    await experiments.stop(e.id);
    await clock.advance(SANDBOX_TIMING.stoppingMs);
    expect((await experiments.get(e.id)).actions.map((a) => a.status)).toEqual(['completed', 'stopped']);
  });

  it('seeds a short history of finished experiments for the playground', async () => {
    const { experiments } = createSandboxFis({ clock: new ManualClock() });
    expect((await experiments.list()).map((e) => e.status)).toEqual(['failed', 'stopped', 'completed']);
  });
});
