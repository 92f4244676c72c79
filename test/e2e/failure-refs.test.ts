import { startBench, textOf, type Bench } from '../helpers/app';
import { eventually, fastClock } from '../helpers/fast-clock';
import { createSandboxFis } from '../../src/sandbox/fis';

const CHANNEL = 'C0FAILREF1';
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';
const yaml = `
channels:
  default: { allow: ["*"], approvers: [${BOB}], minApprovals: 1 }
`;

// product.md §2: a failure of something already visible in the channel is shown there with a reference id.
describe('e2e: a chaos request that cannot start shows a reference id on its card', () => {
  let bench: Bench;
  beforeAll(async () => {
    const clock = fastClock(200);
    // No experiment may be active in this sandbox account: every StartExperiment fails with a quota error.
    bench = await startBench({ yaml, start: { sandbox: true, clock, sandboxFis: createSandboxFis({ clock, maxActive: 0, seedHistory: false }) } });
  });
  afterAll(() => bench.stop());

  it('approve → StartExperiment fails → the card says so with the click’s reference id, which is its audit row’s', async () => {
    await bench.driver.command('/chaos', 'run cpu-stress-web --reason "quota test"', { user: ALICE, channel: CHANNEL });
    const card = await eventually(() => bench.slack.find((m) => m.channel === CHANNEL && !m.threadTs && /quota test/.test(textOf(m as never))));
    await bench.driver.action(card, 'chaos_approve', { user: BOB });
    const failed = await eventually(() => {
      const c = bench.slack.find((m) => m.ts === card.ts);
      return c && /Could not start/.test(textOf(c as never)) ? c : undefined;
    });
    const ref = /Reference `([^`]+)`/.exec(textOf(failed as never))?.[1];
    expect(ref).toBeDefined();
    const row = await eventually(async () => (await bench.app.store.listAudit({ channelId: CHANNEL, limit: 20 })).find((a) => a.kind === 'action' && a.command.startsWith('chaos approve')));
    expect(row.requestId).toBe(ref);
  });
});
