import { WebAPIPlatformError, WebAPIRateLimitedError } from '@slack/web-api';
import { startSlackStandIn } from '../../../src/playground/slack-stand-in';
import type { SlackStandIn } from '../../../src/playground/slack-stand-in';
import { BOT_TOKEN, clientFor, slackError } from './stand-in-helpers';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('Slack stand-in driven by the real WebClient', () => {
  let standIn: SlackStandIn;

  beforeAll(async () => {
    standIn = await startSlackStandIn({
      botToken: BOT_TOKEN,
      channels: [
        { id: 'C0OPS', name: 'ops' },
        { id: 'C0QUIET', name: 'quiet', isMember: false },
        { id: 'G0SECRET', name: 'secret', isPrivate: true, isMember: false },
        { id: 'C0OLD', name: 'old', isArchived: true },
      ],
      userGroups: { S0ONCALL: ['U0ALICE01', 'U0BOB0001'] },
    });
  });
  afterEach(() => standIn.reset());
  afterAll(() => standIn.close());

  it('listens on loopback and answers auth.test with the bot ids', async () => {
    expect(standIn.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const res = await clientFor(standIn).auth.test();
    expect(res).toMatchObject({ ok: true, team_id: standIn.team.id, user_id: standIn.bot.userId, bot_id: standIn.bot.botId });
    expect(res.user_id).toMatch(/^UBOT/);
    expect(res.bot_id).toMatch(/^BBOT/);
  });

  it('keeps posts, updates and thread replies in the message model', async () => {
    const client = clientFor(standIn);
    const posted = await client.chat.postMessage({ channel: 'C0OPS', text: 'checking', blocks: [section('*checking*')] });
    expect(posted).toMatchObject({ ok: true, channel: 'C0OPS', message: { text: 'checking', bot_id: standIn.bot.botId } });
    expect(standIn.callsTo('chat.postMessage')[0].args.blocks).toEqual([section('*checking*')]);
    expect(standIn.callsTo('chat.postMessage')[0].token).toBe(BOT_TOKEN);

    const updated = await client.chat.update({ channel: 'C0OPS', ts: posted.ts!, text: 'done', blocks: [section('*done*')] });
    expect(updated.ts).toBe(posted.ts);
    const reply = await client.chat.postMessage({ channel: 'C0OPS', thread_ts: posted.ts!, text: 'step 1 ok' });
    expect(Number(reply.ts)).toBeGreaterThan(Number(posted.ts));

    expect(standIn.messages('C0OPS')).toEqual([
      expect.objectContaining({ ts: posted.ts, text: 'done', blocks: [section('*done*')], edited: true, user: standIn.bot.userId }),
    ]);
    expect(standIn.thread('C0OPS', posted.ts!).map((m) => m.text)).toEqual(['done', 'step 1 ok']);
    expect(standIn.lastMessage('C0OPS')).toMatchObject({ text: 'step 1 ok', threadTs: posted.ts });
  });

  it('issues strictly increasing ts strings in Slack format', async () => {
    const client = clientFor(standIn);
    const ts: string[] = [];
    for (let i = 0; i < 5; i += 1) ts.push((await client.chat.postMessage({ channel: 'C0OPS', text: `n${i}` })).ts!);
    for (const t of ts) expect(t).toMatch(/^\d{10}\.\d{6}$/);
    for (let i = 1; i < ts.length; i += 1) expect(ts[i] > ts[i - 1]).toBe(true);
  });

  it('stores ephemeral messages for one user; chat.update cannot touch them', async () => {
    const client = clientFor(standIn);
    const res = await client.chat.postEphemeral({ channel: 'C0OPS', user: 'U0BOB0001', text: 'only for bob' });
    expect(res.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(standIn.lastMessage('C0OPS')).toMatchObject({ text: 'only for bob', ephemeralTo: 'U0BOB0001', ts: res.message_ts });
    expect(await slackError(client.chat.update({ channel: 'C0OPS', ts: res.message_ts!, text: 'x' }))).toBe('message_not_found');
  });

  it('answers not_in_channel until the bot joins, and refuses to join private channels', async () => {
    const client = clientFor(standIn);
    expect(await slackError(client.chat.postMessage({ channel: 'C0QUIET', text: 'hi' }))).toBe('not_in_channel');
    expect((await client.conversations.info({ channel: 'C0QUIET' })).channel).toMatchObject({ name: 'quiet', is_member: false, is_private: false });
    await client.conversations.join({ channel: 'C0QUIET' });
    expect((await client.conversations.info({ channel: 'C0QUIET' })).channel).toMatchObject({ is_member: true });
    await client.chat.postMessage({ channel: 'C0QUIET', text: 'hi' });
    expect(standIn.lastMessage('C0QUIET')?.text).toBe('hi');

    expect(await slackError(client.conversations.join({ channel: 'G0SECRET' }))).toBe('method_not_supported_for_channel_type');
    expect((await client.conversations.info({ channel: 'G0SECRET' })).channel).toMatchObject({ is_private: true, is_member: false });
    expect(await slackError(client.chat.postMessage({ channel: 'C0OLD', text: 'x' }))).toBe('is_archived');
    expect(await slackError(client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).toBe('channel_not_found');
    expect(await slackError(client.conversations.info({ channel: 'C0NOPE' }))).toBe('channel_not_found');
  });

  it('rejects a wrong token with invalid_auth and records the call', async () => {
    const err = await clientFor(standIn, 'xoxb-wrong').chat.postMessage({ channel: 'C0OPS', text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebAPIPlatformError);
    expect((err as WebAPIPlatformError).data.error).toBe('invalid_auth');
    expect(standIn.calls[0]).toMatchObject({ method: 'chat.postMessage', token: 'xoxb-wrong', reply: { ok: false, error: 'invalid_auth' } });
    expect(standIn.messages('C0OPS')).toEqual([]);
  });

  it('passes a scripted 429 with Retry-After to the client, once', async () => {
    standIn.script('chat.postMessage', { status: 429, retryAfter: 7 });
    const client = clientFor(standIn);
    const err = await client.chat.postMessage({ channel: 'C0OPS', text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebAPIRateLimitedError);
    expect((err as WebAPIRateLimitedError).retryAfter).toBe(7);
    await expect(client.chat.postMessage({ channel: 'C0OPS', text: 'y' })).resolves.toMatchObject({ ok: true });
  });

  it('scripts error bodies for several replies and computes replies from args', async () => {
    const client = clientFor(standIn);
    standIn.script('conversations.info', { ok: false, error: 'channel_not_found' }, { times: 2 });
    expect(await slackError(client.conversations.info({ channel: 'C0OPS' }))).toBe('channel_not_found');
    expect(await slackError(client.conversations.info({ channel: 'C0OPS' }))).toBe('channel_not_found');
    await expect(client.conversations.info({ channel: 'C0OPS' })).resolves.toMatchObject({ ok: true });

    standIn.script('users.info', async (args) => (args.user === 'U0GHOST' ? { ok: false, error: 'user_not_visible' } : undefined), { times: Infinity });
    expect(await slackError(client.users.info({ user: 'U0GHOST' }))).toBe('user_not_visible');
    expect((await client.users.info({ user: 'U0ALICE01' })).user).toMatchObject({ id: 'U0ALICE01', name: 'alice' });
  });

  it('round-trips files.uploadV2 bytes and shares the file into the channel thread', async () => {
    const client = clientFor(standIn);
    const parent = await client.chat.postMessage({ channel: 'C0OPS', text: 'metrics' });
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255, 254, 10, 13]);
    const res = await client.files.uploadV2({ channel_id: 'C0OPS', thread_ts: parent.ts!, file: bytes, filename: 'cpu.png', initial_comment: 'CPU, last hour' });
    expect(res.ok).toBe(true);
    expect(standIn.callsTo('file_upload')[0].args).toMatchObject({ filename: 'cpu.png', length: bytes.length });

    const shared = standIn.lastMessage('C0OPS')!;
    expect(shared).toMatchObject({ text: 'CPU, last hour', threadTs: parent.ts, user: standIn.bot.userId });
    expect(shared.files).toEqual([expect.objectContaining({ name: 'cpu.png', mimetype: 'image/png', size: bytes.length })]);
    const download = await fetch(shared.files![0].url_private);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
  });

  it('accepts a raw upload body and completes an upload without sharing it', async () => {
    const client = clientFor(standIn);
    const { upload_url, file_id } = await client.files.getUploadURLExternal({ filename: 'report.csv', length: 7 });
    expect(upload_url!.startsWith(standIn.baseUrl)).toBe(true);
    const put = await fetch(upload_url!, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: 'a,b\n1,2' });
    expect(await put.text()).toBe('OK - 7');
    const done = await client.files.completeUploadExternal({ files: [{ id: file_id!, title: 'Report' }] });
    expect(done.files).toEqual([expect.objectContaining({ id: file_id, title: 'Report', size: 7 })]);
    expect(standIn.allMessages()).toEqual([]);
    expect(await (await fetch((done.files as { url_private: string }[])[0].url_private)).text()).toBe('a,b\n1,2');
    expect(await slackError(client.files.completeUploadExternal({ files: [{ id: 'F0MISSING' }] }))).toBe('file_not_found');
  });

  it('lists user group members and rejects unknown groups', async () => {
    const client = clientFor(standIn);
    expect((await client.usergroups.users.list({ usergroup: 'S0ONCALL' })).users).toEqual(['U0ALICE01', 'U0BOB0001']);
    expect(await slackError(client.usergroups.users.list({ usergroup: 'S0NONE' }))).toBe('no_such_subteam');
  });

  it('answers unknown methods with unknown_method', async () => {
    expect(await slackError(clientFor(standIn).apiCall('chat.teleport', { channel: 'C0OPS' }))).toBe('unknown_method');
  });

  it('rejects blocks Slack would reject', async () => {
    const client = clientFor(standIn);
    const tooMany = Array.from({ length: 51 }, (_, i) => section(`row ${i}`));
    expect(await slackError(client.chat.postMessage({ channel: 'C0OPS', text: 'x', blocks: tooMany as any }))).toBe('invalid_blocks');
    expect(await slackError(client.chat.postMessage({ channel: 'C0OPS', text: 'x', blocks: [section('a'.repeat(3001))] as any }))).toBe('invalid_blocks');
    expect(await slackError(client.chat.postMessage({ channel: 'C0OPS', text: '' }))).toBe('no_text');
    expect(standIn.messages('C0OPS')).toEqual([]);
  });

  it('deletes messages and builds permalinks for existing ones only', async () => {
    const client = clientFor(standIn);
    const posted = await client.chat.postMessage({ channel: 'C0OPS', text: 'temp' });
    const link = await client.chat.getPermalink({ channel: 'C0OPS', message_ts: posted.ts! });
    expect(link.permalink).toBe(`${standIn.baseUrl}archives/C0OPS/p${posted.ts!.replace('.', '')}`);
    await client.chat.delete({ channel: 'C0OPS', ts: posted.ts! });
    expect(standIn.messages('C0OPS')).toEqual([]);
    expect(standIn.find((m) => m.ts === posted.ts)).toMatchObject({ deleted: true });
    expect(await slackError(client.chat.getPermalink({ channel: 'C0OPS', message_ts: posted.ts! }))).toBe('message_not_found');
    expect(await slackError(client.chat.update({ channel: 'C0OPS', ts: '1.000000', text: 'x' }))).toBe('message_not_found');
  });

  it('opens and updates views with single-use trigger ids', async () => {
    const client = clientFor(standIn);
    const trigger = standIn.issueTriggerId('U0ALICE01');
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Approve' }, blocks: [section('sure?')] };
    const opened = await client.views.open({ trigger_id: trigger, view });
    expect(opened.view).toMatchObject({ type: 'modal', title: view.title, root_view_id: opened.view!.id });
    expect(await slackError(client.views.open({ trigger_id: trigger, view }))).toBe('exchanged_trigger_id');
    expect(await slackError(client.views.open({ trigger_id: 'made-up', view }))).toBe('invalid_trigger_id');
    expect(await slackError(client.views.update({ view_id: opened.view!.id!, hash: 'stale', view }))).toBe('hash_conflict');
    await client.views.update({ view_id: opened.view!.id!, hash: opened.view!.hash!, view: { ...view, blocks: [section('updated')] } });
    expect(standIn.views()).toEqual([expect.objectContaining({ id: opened.view!.id, user: 'U0ALICE01', view: expect.objectContaining({ blocks: [section('updated')] }) })]);
  });

  it('waitFor resolves on a later call and rejects listing the calls seen', async () => {
    const client = clientFor(standIn);
    const waiting = standIn.waitFor((c) => c.method === 'chat.postMessage' && c.args.text === 'second');
    await client.chat.postMessage({ channel: 'C0OPS', text: 'first' });
    await client.chat.postMessage({ channel: 'C0OPS', text: 'second' });
    await expect(waiting).resolves.toMatchObject({ args: { text: 'second' } });
    await expect(standIn.waitFor('chat.update', 50)).rejects.toThrow(/waitFor\(chat\.update\) timed out after 50 ms; calls seen: chat\.postMessage\(C0OPS\) → 200; chat\.postMessage/);
    await expect(standIn.waitFor('chat.postMessage', { since: standIn.calls.length, timeoutMs: 50 })).rejects.toThrow(/timed out/);
  });

  it('announces model changes and forgets everything on reset', async () => {
    const changes: string[] = [];
    const listener = (c: { kind: string }) => changes.push(c.kind);
    standIn.on('change', listener);
    await clientFor(standIn).chat.postMessage({ channel: 'C0OPS', text: 'x' });
    standIn.reset();
    standIn.off('change', listener);
    expect(changes).toEqual(['message', 'reset']);
    expect(standIn.calls).toEqual([]);
    expect(standIn.messages('C0OPS')).toEqual([]);
  });
});

describe('Slack stand-in defaults', () => {
  it('lets any channel exist with the bot as a member, accepts any token, and refuses socket mode', async () => {
    const standIn = await startSlackStandIn();
    try {
      const client = clientFor(standIn, 'xoxb-anything');
      await client.chat.postMessage({ channel: 'C0ANYWHERE', text: 'hello' });
      expect(standIn.lastMessage('C0ANYWHERE')?.text).toBe('hello');
      expect(await slackError(client.apps.connections.open())).toBe('not_allowed_token_type');
      expect(await slackError(clientFor(standIn, '').auth.test())).toBe('not_authed');
    } finally {
      await standIn.close();
    }
  });
});
