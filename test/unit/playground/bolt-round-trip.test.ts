import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { createSlackDriver } from '../../../src/playground/driver';
import type { SlackDriver } from '../../../src/playground/driver';
import { startSlackStandIn } from '../../../src/playground/slack-stand-in';
import type { SlackStandIn } from '../../../src/playground/slack-stand-in';
import { BOT_TOKEN } from './stand-in-helpers';

const SECRET = 'round-trip-secret';

/** The stand-in and the driver around a real Bolt app: what every e2e test builds on. */
describe('stand-in + driver around a real Bolt app', () => {
  let standIn: SlackStandIn;
  let app: App;
  let driver: SlackDriver;

  beforeAll(async () => {
    standIn = await startSlackStandIn({ botToken: BOT_TOKEN });
    app = new App({
      token: BOT_TOKEN,
      signingSecret: SECRET,
      botId: standIn.bot.botId,
      botUserId: standIn.bot.userId,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: standIn.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/lookout', async ({ ack, respond, command }) => {
      await ack({ text: 'Working…' });
      await respond({ replace_original: true, text: `Done: ${command.text}` });
    });
    app.command('/card', async ({ ack, client, command }) => {
      await ack();
      await client.chat.postMessage({
        channel: command.channel_id,
        text: 'Approve?',
        blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'approve', value: 'x1', text: { type: 'plain_text', text: 'Approve' } }] }],
      });
    });
    app.action('approve', async ({ ack, body, client, action }) => {
      await ack();
      const b = body as { channel: { id: string }; message: { ts: string }; user: { id: string } };
      await client.chat.update({ channel: b.channel.id, ts: b.message.ts, text: `Approved ${(action as { value: string }).value} by <@${b.user.id}>`, blocks: [] });
    });
    app.event('app_mention', async ({ event, say }) => {
      await say({ text: `You said: ${event.text}`, thread_ts: event.ts });
    });
    const server = (await app.start(0)) as Server;
    const port = (server.address() as AddressInfo).port;
    driver = createSlackDriver({ appUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SECRET, standIn });
  });
  afterEach(() => standIn.reset());
  afterAll(async () => {
    await app.stop();
    await standIn.close();
  });

  it('shows the ack, then the respond() that replaces it', async () => {
    const res = await driver.command('/lookout', 'status');
    expect(res.status).toBe(200);
    await standIn.waitFor('response_url');
    expect(standIn.messages(standIn.defaultChannel)).toEqual([
      expect.objectContaining({ text: 'Done: status', ephemeralTo: standIn.defaultUser, edited: true }),
    ]);
  });

  it('posts a card, then the button click updates it', async () => {
    await driver.command('/card', '');
    await standIn.waitFor('chat.postMessage');
    const card = standIn.lastMessage(standIn.defaultChannel)!;
    expect((await driver.action(card, 'approve', { user: 'U0BOB0001' })).status).toBe(200);
    await standIn.waitFor('chat.update');
    expect(standIn.messages(standIn.defaultChannel)).toEqual([expect.objectContaining({ ts: card.ts, text: 'Approved x1 by <@U0BOB0001>' })]);
  });

  it('answers a mention in its thread', async () => {
    const { ts } = await driver.mention('hello <there>');
    await standIn.waitFor('chat.postMessage');
    expect(standIn.thread(standIn.defaultChannel, ts).map((m) => m.text)).toEqual([
      `<@${standIn.bot.userId}> hello &lt;there&gt;`,
      `You said: <@${standIn.bot.userId}> hello &lt;there&gt;`,
    ]);
  });

  it('gets 401 for a forged request', async () => {
    const res = await driver.raw('command=%2Flookout&text=x', { contentType: 'application/x-www-form-urlencoded', secret: 'forged' });
    expect(res.status).toBe(401);
    expect(standIn.calls).toEqual([]);
  });
});
