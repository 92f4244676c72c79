// One benchmark target in its own process: `lookout` (the real app) or `bare` (a minimal Bolt app answering the
// same command). Prints {"port":N} when ready; answers "mem" on stdin with its memory use; exits on "exit".
const path = require('node:path');
const os = require('node:os');
const fs = require('node:fs');
const readline = require('node:readline');
const [kind, apiUrl, secret, token] = process.argv.slice(2);

async function startLookout() {
  const { startLookout } = require(path.join(__dirname, '..', 'dist', 'src', 'main.js'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-bench-'));
  const app = await startLookout({
    env: { SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: secret, SLACK_API_URL: apiUrl, PORT: '0', DATABASE_URL: `sqlite:${dir}/bench.db`, LOG_LEVEL: 'silent', AWS_REGION: 'us-east-1', LOOKOUT_CONFIG: writeConfig(dir) },
  });
  await app.ready;
  return { port: app.port, stop: () => app.stop() };
}

function writeConfig(dir) {
  // Generous limits so the benchmark measures the pipeline, not the rate limiter.
  const p = path.join(dir, 'lookout.yml');
  fs.writeFileSync(p, 'limits: { perUserPerMinute: 100000, perChannelPerMinute: 100000 }\nchannels:\n  default: { allow: ["*"] }\n');
  return p;
}

async function startBare() {
  const { App, HTTPReceiver, LogLevel } = require('@slack/bolt');
  const receiver = new HTTPReceiver({ signingSecret: secret, endpoints: '/slack/events' });
  const app = new App({ token, botId: 'BBOT', botUserId: 'UBOT', receiver, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: apiUrl, retryConfig: { retries: 0 } } });
  app.command('/lookout', async ({ ack, respond }) => {
    await ack();
    await respond({ response_type: 'ephemeral', text: 'Lookout help', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '`/lookout help` — what you can run' } }] });
  });
  const server = await app.start(0);
  return { port: server.address().port, stop: () => app.stop() };
}

(async () => {
  const target = kind === 'lookout' ? await startLookout() : await startBare();
  process.stdout.write(JSON.stringify({ port: target.port }) + '\n');
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', async (line) => {
    if (line === 'mem') {
      global.gc?.();
      const m = process.memoryUsage();
      process.stdout.write(JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed }) + '\n');
    } else if (line === 'exit') {
      await target.stop();
      process.exit(0);
    }
  });
})().catch((err) => {
  process.stderr.write(String(err && err.stack || err) + '\n');
  process.exit(1);
});
