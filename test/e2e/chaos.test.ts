import { startBench, textOf, type Bench } from '../helpers/app';
import { eventually, fastClock } from '../helpers/fast-clock';
import { createSandboxFis } from '../../src/sandbox/fis';
import type { StoredMessage } from '../../src/playground/slack-stand-in';
import { chaosYaml, hasButton, valueOf } from '../helpers/chaos-card';

const CHANNEL = 'C0CHAOS001';
const ALICE = 'U0ALICE01'; // requester
const BOB = 'U0BOB0001'; // approver
const yaml = chaosYaml(BOB);

describe('e2e /chaos on the sandbox account: approval, watching, stop, deny, expiry, restart', () => {
  let bench: Bench;
  beforeAll(async () => {
    const clock = fastClock(200); // 3-minute experiments take about a second
    bench = await startBench({ yaml, start: { sandbox: true, clock, sandboxFis: createSandboxFis({ clock }) } });
  });
  afterAll(() => bench.stop());

  async function requestRun(template: string, reason: string): Promise<StoredMessage> {
    const res = await bench.driver.command('/chaos', `run ${template} --reason "${reason}"`, { user: ALICE, channel: CHANNEL });
    expect(res.status).toBe(200);
    const shown = reason.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return eventually(() => bench.slack.find((m) => m.channel === CHANNEL && !m.threadTs && textOf(m as never).includes(shown) && hasButton(m, 'chaos_approve')));
  }

  it('run → card → self-approval refused → approver approves → runs → card completed, summary in the thread', async () => {
    const card = await requestRun('cpu-stress-web', 'game day <!channel>');
    const cardText = textOf(card as never);
    expect(cardText).toContain(`<@${BOB}>`); // approvers are mentioned so they are notified
    expect(cardText).toContain('game day &lt;!channel&gt;'); // the reason is escaped
    expect(cardText).toMatch(/stop condition/i);

    const since = bench.slack.calls.length;
    await bench.driver.action(card, 'chaos_approve', { user: ALICE, value: valueOf(card, 'chaos_approve') });
    const refusal = await bench.slack.waitFor((c) => c.method === 'response_url', { timeoutMs: 10_000, since });
    expect(textOf(refusal.args)).toMatch(/own request|self/i);

    await bench.driver.action(card, 'chaos_approve', { user: BOB, value: valueOf(card, 'chaos_approve') });
    await eventually(() => bench.slack.thread(CHANNEL, card.ts).some((m) => /has started/.test(textOf(m as never))));
    const summary = await eventually(() => bench.slack.thread(CHANNEL, card.ts).find((m) => /completed/i.test(textOf(m as never)) && /took|duration/i.test(textOf(m as never))), 30_000);
    expect(summary).toBeDefined();
    const finalCard = await eventually(() => {
      const c = bench.slack.find((m) => m.ts === card.ts);
      return c && /completed/i.test(textOf(c as never)) && !hasButton(c, 'chaos_stop') ? c : undefined;
    });
    expect(hasButton(finalCard, 'chaos_approve')).toBe(false);
    // Audit rows are written after each reply: wait for them.
    const wanted = ['command:/chaos run:ok', 'action:chaos approve:denied', 'action:chaos approve:ok'];
    const rows = await eventually(async () => {
      const got = (await bench.app.store.listAudit({ channelId: CHANNEL, limit: 50 })).map((a) => `${a.kind}:${a.command.split(' ').slice(0, 2).join(' ')}:${a.outcome}`);
      return wanted.every((w) => got.includes(w)) ? got : undefined;
    });
    expect(rows).toEqual(expect.arrayContaining(wanted));
  });

  it('a successful start’s audit row carries its AWS request id', async () => {
    const card = await requestRun('cpu-stress-web', 'audit ids');
    const requestId = valueOf(card, 'chaos_approve');
    await bench.driver.action(card, 'chaos_approve', { user: BOB, value: requestId });
    const approved = await eventually(async () =>
      (await bench.app.store.listAudit({ channelId: CHANNEL, limit: 50 })).find((a) => a.command === `chaos approve ${requestId}` && a.outcome === 'ok'),
    );
    expect(approved.awsRequestIds).toEqual([expect.stringMatching(/^sandbox-[0-9a-f-]{36}$/)]);
  });

  it('deny closes the request: the card says so, its buttons are gone, nothing starts', async () => {
    const card = await requestRun('cpu-stress-web', 'deny test');
    await bench.driver.action(card, 'chaos_deny', { user: BOB, value: valueOf(card, 'chaos_deny') });
    const denied = await eventually(() => {
      const c = bench.slack.find((m) => m.ts === card.ts);
      return c && /denied/i.test(textOf(c as never)) ? c : undefined;
    });
    expect(hasButton(denied, 'chaos_approve')).toBe(false);
    const requests = await bench.app.store.list<{ reason?: string; experimentId?: string }>('chaos-request', { states: ['denied'] });
    const mine = requests.find((r) => r.data.reason === 'deny test');
    expect(mine).toBeDefined();
    expect(mine!.data.experimentId).toBeUndefined();
  });

  it('an unanswered request expires: the card says so and the requester is told', async () => {
    const card = await requestRun('cpu-stress-web', 'expiry test');
    // 30 minutes of fast clock ≈ 9 s.
    const expired = await eventually(() => {
      const c = bench.slack.find((m) => m.ts === card.ts);
      return c && /expired/i.test(textOf(c as never)) ? c : undefined;
    }, 30_000);
    expect(hasButton(expired, 'chaos_approve')).toBe(false);
    await eventually(() => bench.slack.thread(CHANNEL, card.ts).find((m) => /expired/i.test(textOf(m as never)) && textOf(m as never).includes('nothing was started')));
  });

  it('a restart while an experiment runs still ends with the summary posted', async () => {
    const card = await requestRun('cpu-stress-web', 'restart test');
    await bench.driver.action(card, 'chaos_approve', { user: BOB, value: valueOf(card, 'chaos_approve') });
    await eventually(() => bench.slack.thread(CHANNEL, card.ts).some((m) => /has started/.test(textOf(m as never))));
    await bench.restart();
    const summary = await eventually(() => bench.slack.thread(CHANNEL, card.ts).find((m) => /completed/i.test(textOf(m as never)) && /took|duration/i.test(textOf(m as never))), 40_000);
    expect(summary).toBeDefined();
  });
});
