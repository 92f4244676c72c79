import { startBench, textOf, type Bench } from '../helpers/app';
import { eventually } from '../helpers/fast-clock';
import { ManualClock } from '../helpers/manual-clock';
import { chaosYaml, hasButton, valueOf } from '../helpers/chaos-card';
import { deferred } from '../unit/reports/fixtures';
import { createSandboxFis } from '../../src/sandbox/fis';
import type { Experiments } from '../../src/ports/experiments';

const CHANNEL = 'C0STALE01';
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';

/**
 * A late click must not leave the card older than the request. Found by the full-size kill -9 replicas run: an
 * Approve click that read the request while it was `starting` updated the card after the start had drawn the Stop
 * button, and the card of a running experiment had no Stop until its next change (none, for a steady run). The
 * order is forced here: the second click's card update is held by the Slack stand-in until the running card is up.
 */
describe('e2e: a stale card update from a late click', () => {
  let bench: Bench;
  const startGate = deferred<void>();
  beforeAll(async () => {
    // FIS's clock stands still: after the start the run never changes, so nothing else draws the card again.
    const sandbox = createSandboxFis({ clock: new ManualClock(), seedHistory: false });
    const experiments: Experiments = { ...sandbox.experiments, start: async (input) => (await startGate.promise, sandbox.experiments.start(input)) };
    const sandboxFis = { ...sandbox, experiments, forTarget: () => experiments };
    bench = await startBench({ yaml: chaosYaml(BOB), start: { sandbox: true, sandboxFis, chaos: { dryRunPreview: false, pollMs: 100 } } });
  }, 60_000);
  afterAll(() => bench?.stop());

  it('an Approve click that read the request before the start finished does not take the Stop button off the card', async () => {
    await bench.driver.command('/chaos', 'run cpu-stress-web --reason "stale card"', { user: ALICE, channel: CHANNEL });
    const card = await eventually(() => bench.slack.find((m) => m.channel === CHANNEL && !m.ephemeralTo && hasButton(m, 'chaos_approve')), 10_000);
    const id = valueOf(card, 'chaos_approve')!;
    const current = () => bench.slack.find((m) => m.ts === card.ts)!;

    // The first card update without buttons (the late click's, drawn from `starting`) waits until released.
    const staleArrived = deferred<void>();
    const release = deferred<void>();
    let held = false;
    bench.slack.script(
      'chat.update',
      async (args) => {
        if (held || args.ts !== card.ts || JSON.stringify(args.blocks ?? '').includes('chaos_')) return undefined;
        held = true;
        staleArrived.resolve();
        await release.promise;
        return undefined;
      },
      { times: Infinity },
    );
    await bench.driver.action(card, 'chaos_approve', { user: BOB, value: id }); // starts; StartExperiment waits
    await eventually(async () => (await bench.app.store.get('chaos-request', id))?.state === 'starting', 10_000);
    await bench.driver.action(card, 'chaos_approve', { user: BOB, value: id }); // reads `starting`
    await staleArrived.promise;
    startGate.resolve();
    await eventually(() => hasButton(current(), 'chaos_stop') && bench.slack.calls.some((c) => c.method === 'chat.postMessage' && /^Experiment \S+: pending/.test(String(c.args.text))), 10_000);
    release.resolve();
    // The stale update lands, then the click draws the card again from the request as stored.
    await eventually(() => bench.slack.calls.filter((c) => c.method === 'chat.update' && c.args.ts === card.ts && !JSON.stringify(c.args.blocks ?? '').includes('chaos_')).length > 0, 10_000);
    await eventually(() => hasButton(current(), 'chaos_stop'), 5_000).catch(() => {
      throw new Error(`the card of a running experiment lost its Stop button: ${textOf(current() as never).slice(0, 300)}`);
    });
  });
});
