import { startSlackStandIn } from '../../../src/playground/slack-stand-in';
import type { SlackStandIn } from '../../../src/playground/slack-stand-in';
import { BOT_TOKEN, clientFor, postJson } from './stand-in-helpers';
import { eventually } from '../../helpers/fast-clock';

describe('Slack stand-in response URLs', () => {
  let standIn: SlackStandIn;
  let clock = 1_764_400_000_000;

  beforeAll(async () => {
    standIn = await startSlackStandIn({ botToken: BOT_TOKEN, now: () => clock });
  });
  afterEach(() => standIn.reset());
  afterAll(() => standIn.close());

  it('mints loopback URLs and posts ephemeral to the bound user by default', async () => {
    const url = standIn.responseUrl({ channel: 'C0GENERAL', user: 'U0ALICE01' });
    expect(url).toMatch(new RegExp(`^${standIn.baseUrl}response/\\w+$`));
    expect(await postJson(url, { text: 'Working…' })).toEqual({ status: 200, json: { ok: true } });
    expect(standIn.lastMessage('C0GENERAL')).toMatchObject({ text: 'Working…', ephemeralTo: 'U0ALICE01', user: standIn.bot.userId });
    expect(standIn.calls).toEqual([expect.objectContaining({ method: 'response_url', args: { text: 'Working…' }, status: 200 })]);
  });

  it('posts in the channel (or a thread) for response_type in_channel', async () => {
    const url = standIn.responseUrl({ channel: 'C0GENERAL', user: 'U0ALICE01' });
    await postJson(url, { response_type: 'in_channel', text: 'for everyone' });
    const top = standIn.lastMessage('C0GENERAL')!;
    expect(top.ephemeralTo).toBeUndefined();
    await postJson(url, { response_type: 'in_channel', text: 'details', thread_ts: top.ts, replace_original: false });
    expect(standIn.thread('C0GENERAL', top.ts).map((m) => m.text)).toEqual(['for everyone', 'details']);
  });

  it('replaces and deletes the message an action came from', async () => {
    const card = await clientFor(standIn).chat.postMessage({ channel: 'C0GENERAL', text: 'Approve?' });
    const url = standIn.responseUrl({ channel: 'C0GENERAL', user: 'U0BOB0001', messageTs: card.ts });
    await postJson(url, { replace_original: true, text: 'Approved by bob' });
    expect(standIn.messages('C0GENERAL')).toEqual([expect.objectContaining({ ts: card.ts, text: 'Approved by bob', edited: true })]);
    await postJson(url, { delete_original: true });
    expect(standIn.messages('C0GENERAL')).toEqual([]);
  });

  it("lets a command's later replace_original edit its first reply", async () => {
    const url = standIn.responseUrl({ channel: 'C0GENERAL', user: 'U0ALICE01' }, { awaitAck: true });
    // The follow-up arrives before the ack is settled; it must still land after (and replace) the ack.
    const followUp = postJson(url, { replace_original: true, text: 'Done' });
    await eventually(() => standIn.heldResponses(url) === 1);
    expect(standIn.messages('C0GENERAL')).toEqual([]);
    standIn.settleAck(url, { text: 'Working…' });
    expect((await followUp).status).toBe(200);
    expect(standIn.messages('C0GENERAL')).toEqual([expect.objectContaining({ text: 'Done', ephemeralTo: 'U0ALICE01' })]);
  });

  it('works five times, then answers 404; unknown and expired URLs are 404', async () => {
    const url = standIn.responseUrl({ channel: 'C0GENERAL', user: 'U0ALICE01' });
    for (let i = 1; i <= 5; i += 1) expect((await postJson(url, { text: `update ${i}` })).status).toBe(200);
    expect(await postJson(url, { text: 'sixth' })).toEqual({ status: 404, json: { ok: false, error: 'used_url' } });
    expect(standIn.messages('C0GENERAL')).toHaveLength(5);

    expect((await postJson(`${standIn.baseUrl}response/nope`, { text: 'x' })).status).toBe(404);
    const old = standIn.responseUrl({ channel: 'C0GENERAL', user: 'U0ALICE01' });
    clock += 31 * 60 * 1000;
    expect(await postJson(old, { text: 'late' })).toEqual({ status: 404, json: { ok: false, error: 'expired_url' } });
  });

  it('rejects invalid blocks with 400', async () => {
    const url = standIn.responseUrl({ channel: 'C0GENERAL', user: 'U0ALICE01' });
    const res = await postJson(url, { text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] });
    expect(res).toEqual({ status: 400, json: { ok: false, error: 'invalid_blocks' } });
  });
});
