import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { startLookout } from '../../src/main';
import { startSlackStandIn } from '../../src/playground/slack-stand-in';
import { BOT_TOKEN as BOT, textOf } from '../helpers/app';
import { eventually } from '../helpers/fast-clock';
import { CANARY, registerForScan, scannedLogger } from '../helpers/canaries';

// Canaries: the end-of-file scan (test/helpers/secret-scan-setup.ts) looks for both tokens.
const APP = CANARY.SLACK_APP_TOKEN;

describe('Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('connects with the app token, acks envelopes by id, and answers through the same pipeline', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    const port = (wss.address() as AddressInfo).port;
    const sockets: WebSocket[] = [];
    const received: Record<string, unknown>[] = [];
    wss.on('connection', (ws) => {
      sockets.push(ws);
      ws.on('message', (data) => received.push(JSON.parse(String(data))));
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'test' }, connection_info: { app_id: 'A0LOOKOUT' } }));
    });
    const slack = await startSlackStandIn({ botToken: BOT, appToken: APP, socketModeUrl: `ws://127.0.0.1:${port}/link` });
    const app = await startLookout({
      env: { SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, SLACK_API_URL: slack.apiUrl, PORT: '0', DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent', AWS_REGION: 'us-east-1' },
      readFile: () => {
        throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      },
      logger: scannedLogger(),
    });
    const scan = registerForScan({ url: () => app.url, listAudit: () => app.store.listAudit({ limit: 1000 }), slackCalls: () => slack.calls as never, slackMessages: () => slack.allMessages() });
    try {
      await app.ready;
      expect(slack.callsTo('apps.connections.open')[0]?.token).toBe(APP);
      await waitUntil(() => sockets.length > 0);
      // No HTTP endpoint for Slack in Socket Mode; health endpoints still answer.
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${app.url}/slack/events`, { method: 'POST' })).status).toBe(503);
      const responseUrl = slack.responseUrl({ channel: 'C0SOCKET01', user: 'U0ALICE01' });
      sockets[0].send(
        JSON.stringify({
          envelope_id: 'env-1',
          type: 'slash_commands',
          accepts_response_payload: true,
          payload: { command: '/lookout', text: 'help', user_id: 'U0ALICE01', user_name: 'alice', channel_id: 'C0SOCKET01', team_id: 'T0LOOKOUT', response_url: responseUrl, trigger_id: 't1', api_app_id: 'A0LOOKOUT' },
        }),
      );
      await waitUntil(() => received.some((m) => m.envelope_id === 'env-1'));
      const reply = await slack.waitFor('response_url', 10_000);
      expect(textOf(reply.args)).toContain('/lookout whoami');
      // The audit row is written after the reply is delivered: wait for it, not for time.
      const audit = await eventually(async () => (await app.store.listAudit({ limit: 5 })).find((e) => e.command === '/lookout help'));
      expect(audit).toMatchObject({ command: '/lookout help', outcome: 'ok', channelId: 'C0SOCKET01' });
    } finally {
      await scan();
      await app.stop();
      await slack.close();
      for (const s of sockets) s.terminate();
      await new Promise((r) => wss.close(r));
    }
  });
});

async function waitUntil(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
