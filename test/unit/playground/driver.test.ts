import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySlackRequest } from '@slack/bolt';
import { createSlackDriver, signSlackRequest } from '../../../src/playground/driver';
import type { SlackDriver } from '../../../src/playground/driver';
import { startSlackStandIn } from '../../../src/playground/slack-stand-in';
import type { SlackStandIn } from '../../../src/playground/slack-stand-in';
import { clientFor, postJson } from './stand-in-helpers';

const SECRET = 'test-signing-secret';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  verifyError?: string;
}

/** A stand-in for the app: records each request and checks its signature with Bolt's own verifier. */
async function startFakeApp(reply: () => { status: number; body: string; type?: string }) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verifyError: string | undefined;
      try {
        verifySlackRequest({
          signingSecret: SECRET,
          body,
          headers: {
            'x-slack-signature': String(req.headers['x-slack-signature'] ?? ''),
            'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
          },
        });
      } catch (err) {
        verifyError = (err as Error).message;
      }
      received.push({ headers: req.headers, body, verifyError });
      const r = reply();
      res.writeHead(verifyError ? 401 : r.status, { 'content-type': r.type ?? 'application/json' });
      res.end(verifyError ? '' : r.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  return { url, received, close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('signed-request driver', () => {
  let standIn: SlackStandIn;
  let app: Awaited<ReturnType<typeof startFakeApp>>;
  let driver: SlackDriver;
  let ackBody = '';

  beforeAll(async () => {
    standIn = await startSlackStandIn({ channels: [{ id: 'C0OPS', name: 'ops' }] });
    app = await startFakeApp(() => ({ status: 200, body: ackBody }));
    driver = createSlackDriver({ appUrl: app.url, signingSecret: SECRET, standIn });
  });
  afterEach(() => {
    standIn.reset();
    app.received.length = 0;
    ackBody = '';
  });
  afterAll(async () => {
    await app.close();
    await standIn.close();
  });

  it('sends a slash command as an exactly form-encoded, correctly signed body with Slack fields', async () => {
    const res = await driver.command('/reach', 'web-1 -> db-1:5432', { user: 'U0BOB0001' });
    expect(res.status).toBe(200);
    const [req] = app.received;
    expect(req.verifyError).toBeUndefined();
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const fields = Object.fromEntries(new URLSearchParams(req.body));
    expect(fields).toMatchObject({
      command: '/reach',
      text: 'web-1 -> db-1:5432',
      user_id: 'U0BOB0001',
      user_name: 'bob',
      channel_id: 'C0OPS',
      channel_name: 'ops',
      team_id: standIn.team.id,
      team_domain: standIn.team.domain,
      api_app_id: standIn.bot.appId,
      response_url: res.responseUrl,
      trigger_id: res.triggerId,
    });
    expect(fields.token).toBeTruthy();
    // The response_url is live and bound to the invoking user.
    await postJson(fields.response_url, { text: 'result' });
    expect(standIn.lastMessage('C0OPS')).toMatchObject({ text: 'result', ephemeralTo: 'U0BOB0001' });
  });

  it("shows a command's JSON ack body the way Slack does", async () => {
    ackBody = JSON.stringify({ response_type: 'ephemeral', text: 'Working…' });
    const res = await driver.command('/reach', 'x');
    expect(res.json).toEqual({ response_type: 'ephemeral', text: 'Working…' });
    expect(standIn.lastMessage('C0OPS')).toMatchObject({ text: 'Working…', ephemeralTo: standIn.defaultUser });
  });

  it('clicks a button in a stand-in message with a block_actions payload bound to that message', async () => {
    const card = await clientFor(standIn).chat.postMessage({
      channel: 'C0OPS',
      text: 'Approve?',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'Approve?' } },
        {
          type: 'actions',
          block_id: 'approval',
          elements: [
            { type: 'button', action_id: 'approve', value: 'exp-42', text: { type: 'plain_text', text: 'Approve' }, style: 'primary' },
            { type: 'button', action_id: 'deny', value: 'exp-42', text: { type: 'plain_text', text: 'Deny' } },
          ],
        },
      ],
    });
    const message = standIn.find((m) => m.ts === card.ts)!;
    const res = await driver.action(message, 'deny', { user: 'U0BOB0001' });
    const [req] = app.received;
    expect(req.verifyError).toBeUndefined();
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const payload = JSON.parse(new URLSearchParams(req.body).get('payload')!);
    expect(payload).toEqual(res.payload);
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0BOB0001', username: 'bob' },
      team: { id: standIn.team.id },
      container: { type: 'message', message_ts: card.ts, channel_id: 'C0OPS', is_ephemeral: false },
      channel: { id: 'C0OPS', name: 'ops' },
      message: { ts: card.ts, text: 'Approve?', bot_id: standIn.bot.botId },
      actions: [{ type: 'button', action_id: 'deny', block_id: 'approval', value: 'exp-42' }],
    });
    expect(payload.actions[0].action_ts).toMatch(/^\d+\.\d{6}$/);
    expect(payload.trigger_id).toBe(res.payload.trigger_id);

    await postJson(payload.response_url, { replace_original: true, text: 'Denied by bob' });
    expect(standIn.messages('C0OPS')).toEqual([expect.objectContaining({ ts: card.ts, text: 'Denied by bob' })]);
  });

  it('says which action ids exist when the button is not in the message', async () => {
    await clientFor(standIn).chat.postMessage({
      channel: 'C0OPS',
      text: 'x',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x' }, accessory: { type: 'button', action_id: 'stop', text: { type: 'plain_text', text: 'Stop' } } }],
    });
    await expect(driver.action(standIn.lastMessage('C0OPS')!, 'approve')).rejects.toThrow(/action_id "approve".*it has: stop/);
    expect(app.received).toEqual([]);
  });

  it('sends a mention as an event_callback envelope with escaped text, recorded as the human message', async () => {
    const res = await driver.mention('reach a -> b & <!channel>', { user: 'U0ALICE01' });
    const [req] = app.received;
    expect(req.verifyError).toBeUndefined();
    expect(req.headers['content-type']).toBe('application/json');
    const envelope = JSON.parse(req.body);
    const text = `<@${standIn.bot.userId}> reach a -&gt; b &amp; &lt;!channel&gt;`;
    expect(envelope).toMatchObject({
      type: 'event_callback',
      event_id: res.eventId,
      team_id: standIn.team.id,
      authorizations: [{ user_id: standIn.bot.userId, is_bot: true }],
      event: { type: 'app_mention', user: 'U0ALICE01', text, ts: res.ts, channel: 'C0OPS' },
    });
    expect(envelope.event.thread_ts).toBeUndefined();
    expect(typeof envelope.event_time).toBe('number');
    expect(standIn.lastMessage('C0OPS')).toMatchObject({ ts: res.ts, user: 'U0ALICE01', text });

    const again = await driver.mention(`<@${standIn.bot.userId}> status`, { threadTs: res.ts, eventId: 'Ev-fixed' });
    const second = JSON.parse(app.received[1].body);
    expect(second.event).toMatchObject({ text: `<@${standIn.bot.userId}> status`, thread_ts: res.ts });
    expect(second.event_id).toBe('Ev-fixed');
    expect(standIn.thread('C0OPS', res.ts).map((m) => m.ts)).toEqual([res.ts, again.ts]);
  });

  it('sends raw bodies that fail verification when forged or stale, and pass when in the future', async () => {
    const body = 'command=%2Freach&text=x';
    const form = 'application/x-www-form-urlencoded';
    expect((await driver.raw(body, { contentType: form, secret: 'wrong-secret' })).status).toBe(401);
    expect(app.received[0].verifyError).toMatch(/signature mismatch/);

    const stale = Math.floor(Date.now() / 1000) - 301;
    expect((await driver.raw(body, { contentType: form, timestamp: stale })).status).toBe(401);
    expect(app.received[1].verifyError).toMatch(/stale/);

    // Bolt only checks the past (slack-platform.md §3.1).
    expect((await driver.raw(body, { contentType: form, timestamp: Math.floor(Date.now() / 1000) + 3600 })).status).toBe(200);
    const ts = Math.floor(Date.now() / 1000);
    const res = await driver.raw(body, { contentType: form, timestamp: ts, signature: signSlackRequest(SECRET, body, ts) });
    expect(res.status).toBe(200);
    expect((await driver.raw(body, { contentType: form, signature: null })).status).toBe(401);
  });

  it('refuses to send anywhere but loopback', () => {
    expect(() => createSlackDriver({ appUrl: 'https://example.com/slack/events', signingSecret: SECRET, standIn })).toThrow(/loopback/);
  });
});
