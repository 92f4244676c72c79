import { startBench, textOf, type Bench } from '../helpers/app';
import { eventually, fastClock } from '../helpers/fast-clock';
import { createSandboxFis } from '../../src/sandbox/fis';
import type { StoredMessage } from '../../src/playground/slack-stand-in';
import { chaosYaml, hasButton, valueOf } from '../helpers/chaos-card';

const CHANNEL = 'C0CHAOS002';
const ALICE = 'U0ALICE01'; // requester
const BOB = 'U0BOB0001'; // approver

// Stopping needs the experiment still running when the click lands: a clock 10× real time gives the 2-minute
// sandbox experiment 12 s, far more than the clicks take even on a loaded machine (at 200× it ended first).
describe('e2e /chaos stop on the sandbox account', () => {
  let bench: Bench;
  beforeAll(async () => {
    const clock = fastClock(10);
    bench = await startBench({ yaml: chaosYaml(BOB), start: { sandbox: true, clock, sandboxFis: createSandboxFis({ clock }) } });
  });
  afterAll(() => bench.stop());

  async function requestRun(template: string, reason: string): Promise<StoredMessage> {
    await bench.driver.command('/chaos', `run ${template} --reason "${reason}"`, { user: ALICE, channel: CHANNEL });
    return eventually(() => bench.slack.find((m) => m.channel === CHANNEL && !m.ephemeralTo && textOf(m as never).includes(reason) && hasButton(m, 'chaos_approve')));
  }

  it('the Stop button stops a running experiment without any approval', async () => {
    const card = await requestRun('stop-api-tasks', 'stop test');
    await bench.driver.action(card, 'chaos_approve', { user: BOB, value: valueOf(card, 'chaos_approve') });
    const running = await eventually(() => {
      const c = bench.slack.find((m) => m.ts === card.ts);
      return c && hasButton(c, 'chaos_stop') ? c : undefined;
    });
    // Alice (the requester, not an approver) may stop it: stopping is never harder than starting.
    await bench.driver.action(running, 'chaos_stop', { user: ALICE, value: valueOf(running, 'chaos_stop') });
    await eventually(() => bench.slack.thread(CHANNEL, card.ts).find((m) => /stopped/i.test(textOf(m as never))), 30_000);
    await eventually(() => {
      const c = bench.slack.find((m) => m.ts === card.ts);
      return c && /stopped/i.test(textOf(c as never)) && !hasButton(c, 'chaos_stop') ? c : undefined;
    }, 30_000);
  });

  it('/chaos stop --all asks, and its confirm button stops every running experiment (no `accounts` configured)', async () => {
    const card = await requestRun('stop-api-tasks', 'stop-all test');
    await bench.driver.action(card, 'chaos_approve', { user: BOB, value: valueOf(card, 'chaos_approve') });
    await eventually(() => hasButton(bench.slack.find((m) => m.ts === card.ts), 'chaos_stop'));
    await bench.driver.command('/chaos', 'stop --all', { user: ALICE, channel: CHANNEL });
    const ask = await eventually(() => bench.slack.find((m) => m.channel === CHANNEL && m.ephemeralTo === ALICE && hasButton(m, 'chaos_confirm_stop_all')));
    await bench.driver.action(ask, 'chaos_confirm_stop_all', { user: ALICE, value: valueOf(ask, 'chaos_confirm_stop_all') });
    const done = await eventually(() => bench.slack.find((m) => m.channel === CHANNEL && !m.ephemeralTo && /stopped/i.test(textOf(m as never)) && /<@U0ALICE01>/.test(textOf(m as never))), 30_000);
    expect(textOf(done as never)).not.toMatch(/no AWS accounts to choose from/);
    await eventually(() => {
      const c = bench.slack.find((m) => m.ts === card.ts);
      return c && /stopped/i.test(textOf(c as never)) && !hasButton(c, 'chaos_stop') ? c : undefined;
    }, 30_000);
  });
});
