import net from 'node:net';
import path from 'node:path';
import { startBench, textOf } from '../helpers/app';
import { openStore } from '../../src/store';
import { startLookout } from '../../src/main';
import { startSlackStandIn } from '../../src/playground/slack-stand-in';
import { BOT_TOKEN, SIGNING_SECRET } from '../helpers/app';

describe('lifecycle', () => {
  it('on stop, refuses new work but finishes work already acknowledged, audit row included, then closes the store', async () => {
    const bench = await startBench();
    // /lookout status calls auth.test; hold Slack's answer until we have asked Lookout to stop, so the work is
    // still running then by construction (no timing involved).
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let asked!: () => void;
    const authAsked = new Promise<void>((r) => (asked = r));
    bench.slack.script('auth.test', async () => {
      asked();
      await held;
      return { ok: true, user: 'lookout', user_id: 'UBOT', team: 'Test', team_id: 'T0TEAM' };
    });
    const res = await bench.driver.command('/lookout', 'status', { user: 'U0ALICE01', channel: 'C0123ABCDEF' });
    expect(res.status).toBe(200);
    await authAsked;
    const stopping = bench.app.stop();
    const late = await fetch(`${bench.app.url}/slack/events`, { method: 'POST', body: '' }).catch(() => null);
    if (late) expect(late.status).toBe(503); // or the connection is already refused: both mean "not taken"
    release();
    await stopping;
    const reply = bench.slack.callsTo('response_url')[0];
    expect(reply).toBeDefined();
    expect(textOf(reply.args)).toContain('Lookout status');
    const store = await openStore(`sqlite:${path.join(bench.dir, 'lookout.db')}`);
    const audit = await store.listAudit({ limit: 10 });
    expect(audit.map((a) => `${a.command}:${a.outcome}`)).toContain('/lookout status:ok');
    await store.close();
    await bench.slack.close();
  });

  it('answers 503 on /readyz while Slack is unreachable, retries auth.test, and becomes ready when Slack answers', async () => {
    const port = await freePort();
    const app = await startLookout({
      env: {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
        PORT: '0',
        DATABASE_URL: 'sqlite::memory:',
        LOG_LEVEL: 'silent',
        AWS_REGION: 'us-east-1',
      },
      readFile: () => {
        throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      },
    });
    try {
      const before = await fetch(`${app.url}/readyz`);
      expect(before.status).toBe(503);
      expect(await before.json()).toMatchObject({ ready: false, slack: 'connecting' });
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      const slack = await startSlackStandIn({ botToken: BOT_TOKEN, port });
      try {
        await app.ready;
        expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
        expect(slack.callsTo('auth.test').length).toBeGreaterThanOrEqual(1);
      } finally {
        await app.stop();
        await slack.close();
      }
    } finally {
      await app.stop();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
