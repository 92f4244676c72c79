import fs from 'node:fs';
import path from 'node:path';
import { startBench, textOf, type Bench } from '../helpers/app';
import { eventually, fastClock } from '../helpers/fast-clock';
import { createSandboxFis } from '../../src/sandbox/fis';
import { LOOKOUT_TAGS } from '../../src/chaos/model';
import { localDay } from '../../src/policy/freeze';
import type { StoredMessage } from '../../src/playground/slack-stand-in';
import { hasButton, valueOf } from '../helpers/chaos-card';

const CHANNEL = 'C0POLICY01';
const ALICE = 'U0ALICE01'; // requester
const BOB = 'U0BOB0001'; // approver
const yaml = (chaos: string) => `
chaos: { approvalTtl: 30m, maxRunning: 1${chaos} }
channels:
  default: { allow: ["*"], approvers: [${BOB}], minApprovals: 1 }
`;

/** Issue 12 item 1: the policy is checked again on the click that completes the quorum, atomically with the start. */
describe('e2e: policy at approval (maxRunning slots, freeze) on the sandbox account', () => {
  let bench: Bench;
  const clock = fastClock(5); // a 3-minute experiment lasts 36 s: it is still running when the next card is approved
  const sandbox = createSandboxFis({ clock, seedHistory: false });
  beforeAll(async () => {
    bench = await startBench({ yaml: yaml(''), start: { sandbox: true, clock, sandboxFis: sandbox } });
  });
  afterAll(() => bench.stop());

  /** The card and its request id (read now: the stand-in updates the stored message in place). */
  async function requestRun(reason: string): Promise<{ card: StoredMessage; id: string }> {
    await bench.driver.command('/chaos', `run cpu-stress-web --reason "${reason}"`, { user: ALICE, channel: CHANNEL });
    const card = await eventually(() => bench.slack.find((m) => m.channel === CHANNEL && !m.threadTs && textOf(m as never).includes(reason) && hasButton(m, 'chaos_approve')));
    return { card, id: valueOf(card, 'chaos_approve')! };
  }
  const approve = (r: { card: StoredMessage; id: string }) => bench.driver.action(r.card, 'chaos_approve', { user: BOB, value: r.id });
  const stop = (r: { card: StoredMessage; id: string }) => bench.driver.action(r.card, 'chaos_stop', { user: BOB, value: r.id });
  const cardWhen = (card: StoredMessage, pattern: RegExp) =>
    eventually(() => {
      const c = bench.slack.find((m) => m.ts === card.ts);
      return c && pattern.test(textOf(c as never)) ? c : undefined;
    }, 30_000);
  const started = async () => (await sandbox.experiments.list()).filter((e) => e.tags[LOOKOUT_TAGS.request] && e.tags[LOOKOUT_TAGS.preview] !== 'true');

  it('maxRunning 1: two cards approved one after the other start one experiment; the second card says why, and the slot comes back when the first ends', async () => {
    const first = await requestRun('first of two');
    const second = await requestRun('second of two');
    await approve(first);
    const running = await cardWhen(first.card, /Running/);
    expect(hasButton(running, 'chaos_stop')).toBe(true);

    await approve(second);
    const refused = await cardWhen(second.card, /Refused at approval/);
    expect(textOf(refused as never)).toMatch(/At most 1 experiment may run at once in account default, and 1 already runs or starts \(`chq-/);
    expect(hasButton(refused, 'chaos_approve')).toBe(false);
    expect(hasButton(refused, 'chaos_deny')).toBe(false);
    expect(await bench.app.store.get('chaos-request', second.id)).toMatchObject({ state: 'refused' });
    await eventually(() => bench.slack.thread(CHANNEL, second.card.ts).some((m) => /policy at approval refused it/.test(textOf(m as never))));
    expect(await started()).toHaveLength(1);

    // The first one stopped, its slot is free again: the next approval starts.
    await stop(first);
    await cardWhen(first.card, /stopped/i);
    const [firstExperiment] = await started();
    expect(firstExperiment.tags[LOOKOUT_TAGS.stoppedBy]).toBe(`user:${BOB}`); // people's stops are tagged too
    const third = await requestRun('after the first ended');
    await approve(third);
    await cardWhen(third.card, /Running/);
    expect(await started()).toHaveLength(2);
    await stop(third);
    await cardWhen(third.card, /stopped/i);
  }, 90_000);

  it('a card posted before a freeze window began, approved inside it (Lookout restarted with the new lookout.yml), starts nothing', async () => {
    const card = await requestRun('approved in a freeze');
    const today = localDay(clock.now(), 'UTC').date;
    fs.writeFileSync(path.join(bench.dir, 'lookout.yml'), yaml(`, freeze: [ { from: ${today}, to: ${today}, reason: "Release freeze" } ]`));
    await bench.restart();
    const before = (await started()).length;
    await approve(card);
    const refused = await cardWhen(card.card, /Refused at approval/);
    expect(textOf(refused as never)).toMatch(/Chaos experiments are frozen right now: Release freeze/);
    expect(hasButton(refused, 'chaos_approve')).toBe(false);
    expect(await bench.app.store.get('chaos-request', card.id)).toMatchObject({ state: 'refused' });
    expect(await started()).toHaveLength(before);
  }, 60_000);
});
