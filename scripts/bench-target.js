// One benchmark target in its own process (forked with IPC by scripts/bench.js):
//   lookout  the real app (SQLite store, generous rate limits), optionally on the sandbox AWS backends;
//   bare     the fair peer: a minimal Bolt app (same Bolt, same HTTPReceiver, same log level) that acks and then
//            answers through response_url with a body of the same size as Lookout's `/lookout help` answer;
//   floor    a Bolt app that only acks: what the receiver alone costs.
// Sends {port, startMs} when it takes requests; answers {cmd:'mem'} with its memory after a full GC.
const path = require('node:path');
const os = require('node:os');
const fs = require('node:fs');
const [kind, apiUrl, secret, token, answerBytes, logLevel, sandbox] = process.argv.slice(2);
const bootAt = Number(process.env.BENCH_SPAWNED_AT || Date.now());

async function startLookout() {
  const { startLookout } = require(path.join(__dirname, '..', 'dist', 'lookout.js')); // the production bundle (scripts/bundle.js)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-bench-'));
  const app = await startLookout({
    sandbox: sandbox === 'sandbox',
    env: { SLACK_BOT_TOKEN: token, SLACK_SIGNING_SECRET: secret, SLACK_API_URL: apiUrl, PORT: '0', DATABASE_URL: `sqlite:${dir}/bench.db`, LOG_LEVEL: logLevel, AWS_REGION: 'us-east-1', LOOKOUT_CONFIG: writeConfig(dir) },
  });
  await app.ready;
  return { port: app.port, stop: () => app.stop().finally(() => fs.rmSync(dir, { recursive: true, force: true })) };
}

function writeConfig(dir) {
  // Generous limits so the benchmark measures the pipeline, not the rate limiter.
  const p = path.join(dir, 'lookout.yml');
  fs.writeFileSync(p, 'limits: { perUserPerMinute: 10000000, perChannelPerMinute: 10000000 }\nchannels:\n  default: { allow: ["*"] }\n');
  return p;
}

/** An ephemeral answer whose JSON body is `bytes` long, the size of Lookout's. */
function answerOfSize(bytes) {
  const base = { response_type: 'ephemeral', replace_original: false, text: '', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '`/lookout help`' } }] };
  return { ...base, text: 'x'.repeat(Math.max(0, bytes - JSON.stringify(base).length)) };
}

async function startBolt(answers) {
  const { App, HTTPReceiver, LogLevel } = require('@slack/bolt');
  const receiver = new HTTPReceiver({ signingSecret: secret, endpoints: '/slack/events' });
  const level = { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR }[logLevel] ?? LogLevel.ERROR;
  const app = new App({ token, receiver, logLevel: level, clientOptions: { slackApiUrl: apiUrl } });
  const answer = answerOfSize(Number(answerBytes));
  app.command('/lookout', async ({ ack, respond }) => {
    await ack();
    if (answers) await respond(answer);
  });
  const server = await app.start(0);
  return { port: server.address().port, stop: () => app.stop() };
}

(async () => {
  const target = kind === 'lookout' ? await startLookout() : await startBolt(kind === 'bare');
  process.send({ port: target.port, startMs: Date.now() - bootAt });
  process.on('disconnect', () => process.exit(0)); // the bench went away: so does the app under test
  process.on('message', async (m) => {
    if (m.cmd === 'mem') {
      global.gc?.();
      const mem = process.memoryUsage();
      process.send({ rss: mem.rss, heapUsed: mem.heapUsed });
    } else if (m.cmd === 'exit') {
      await target.stop();
      process.exit(0);
    }
  });
})().catch((err) => {
  process.stderr.write(String((err && err.stack) || err) + '\n');
  process.exit(1);
});
