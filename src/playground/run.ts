import { randomBytes } from 'node:crypto';
import { startLookout, type LookoutHandle } from '../main';
import { startSlackStandIn } from './slack-stand-in';
import { createSlackDriver } from './driver';
import { startPlayground } from './server';
import { PLAYGROUND_CHANNEL, PLAYGROUND_CONFIG, PLAYGROUND_USERS, sandboxPanel } from './world';

/**
 * `npm start` without SLACK_BOT_TOKEN (product.md §9): the real Lookout app, wired to the Slack Web API stand-in and
 * the sandbox AWS account, behind a channel-like page at http://localhost:PORT. Only the Slack and AWS ends are
 * simulated; every command takes the real path (signed requests, pipeline, store, Block Kit). The page listens on
 * `opts.host` (127.0.0.1 unless asked otherwise: the image asks for 0.0.0.0).
 */
export async function runPlayground(
  env: Record<string, string | undefined> = process.env,
  opts: { host?: string } = {},
): Promise<{ url: string; lookout: LookoutHandle; stop(): Promise<void> }> {
  const botToken = `xoxb-playground-${randomBytes(6).toString('hex')}`;
  const signingSecret = randomBytes(16).toString('hex');
  const slack = await startSlackStandIn({ botToken, users: PLAYGROUND_USERS.map((u) => ({ id: u.id, name: u.name })), channels: [{ id: PLAYGROUND_CHANNEL.id, name: PLAYGROUND_CHANNEL.name }] });
  const lookout = await startLookout({
    env: {
      ...env,
      SLACK_BOT_TOKEN: botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_APP_TOKEN: undefined,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      DATABASE_URL: env.DATABASE_URL ?? 'sqlite:./data/playground.db',
      AWS_REGION: env.AWS_REGION ?? 'us-east-1',
    },
    // The playground's own configuration unless LOOKOUT_CONFIG names one.
    readFile: (path, enc) => {
      if (path === './lookout.yml' && !env.LOOKOUT_CONFIG) return PLAYGROUND_CONFIG;
      return require('node:fs').readFileSync(path, enc);
    },
    sandbox: true,
  });
  await lookout.ready;
  const driver = createSlackDriver({ appUrl: `${lookout.url}/slack/events`, signingSecret, standIn: slack, defaultChannel: PLAYGROUND_CHANNEL.id, defaultUser: PLAYGROUND_USERS[0].id });
  const page = await startPlayground({ port: Number(env.PORT ?? 3000), host: opts.host, standIn: slack, driver, users: PLAYGROUND_USERS, channel: PLAYGROUND_CHANNEL, sandbox: sandboxPanel() });
  return {
    url: page.url,
    lookout,
    async stop() {
      await page.close();
      await lookout.stop();
      await slack.close();
    },
  };
}
