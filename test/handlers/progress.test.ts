import { createProgressMessage } from '../../handlers/progress';
import type { MessageRef, Replier } from '../../handlers/types';
import { ManualClock } from '../helpers/manual-clock';
import { message, type SlackMessage } from '../../src/views/message';

const msg = (text: string): SlackMessage => message([], text);

function recordingReplier(clock: ManualClock) {
  const writes: { at: number; kind: 'post' | 'update'; text: string }[] = [];
  const ref: MessageRef = { channel: 'C1', ts: '1.0' };
  const reply: Replier = {
    async post(m) {
      writes.push({ at: clock.now(), kind: 'post', text: m.text });
      return ref;
    },
    async update(_r, m) {
      writes.push({ at: clock.now(), kind: 'update', text: m.text });
    },
    async ephemeral() {},
    async upload() {},
  };
  return { reply, writes };
}

describe('progress message (chat.update at most every ~5 s)', () => {
  it('posts once, then coalesces updates so the message changes at most every 5 s and shows the latest state', async () => {
    const clock = new ManualClock();
    const { reply, writes } = recordingReplier(clock);
    const p = createProgressMessage(reply, clock);
    await p.show(msg('0 s'));
    for (let s = 1; s <= 12; s++) {
      await clock.advance(1000);
      await p.show(msg(`${s} s`));
    }
    await clock.advance(5000);
    // 13 states over 12 s: one post and three updates (at 5, 10 and 15 s), never two within 5 s.
    expect(writes.map((w) => w.kind)).toEqual(['post', 'update', 'update', 'update']);
    for (let i = 1; i < writes.length; i++) expect(writes[i].at - writes[i - 1].at).toBeGreaterThanOrEqual(5000);
    // Each coalesced update shows the newest state when it is written, and the last state is not lost.
    for (const w of writes.slice(1)) expect(Number.parseInt(w.text, 10)).toBeGreaterThanOrEqual(Math.min(12, Math.floor((w.at - writes[0].at) / 1000) - 1));
    expect(writes.at(-1)?.text).toBe('12 s');
  });

  it('finish() writes the final answer at once and drops any pending interim update', async () => {
    const clock = new ManualClock();
    const { reply, writes } = recordingReplier(clock);
    const p = createProgressMessage(reply, clock);
    await p.show(msg('analyzing'));
    await clock.advance(1000);
    await p.show(msg('still analyzing'));
    const ref = await p.finish(msg('done'));
    await clock.advance(10_000);
    expect(writes.map((w) => `${w.kind}:${w.text}`)).toEqual(['post:analyzing', 'update:done']);
    expect(ref).toEqual({ channel: 'C1', ts: '1.0' });
    expect(clock.pending).toBe(0);
  });

  it('finish() without any progress posts the answer (cached answers show no "Analyzing…" at all)', async () => {
    const clock = new ManualClock();
    const { reply, writes } = recordingReplier(clock);
    await createProgressMessage(reply, clock).finish(msg('cached answer'));
    expect(writes.map((w) => `${w.kind}:${w.text}`)).toEqual(['post:cached answer']);
  });

  it('updates an existing message (a Re-run button) instead of posting a new one', async () => {
    const clock = new ManualClock();
    const { reply, writes } = recordingReplier(clock);
    const p = createProgressMessage(reply, clock, { ref: { channel: 'C1', ts: '9.9' } });
    await p.show(msg('analyzing again'));
    await p.finish(msg('fresh answer'));
    expect(writes.map((w) => w.kind)).toEqual(['update', 'update']);
  });
});
