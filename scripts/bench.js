#!/usr/bin/env node
// `npm run bench`: the same signed slash-command load against Lookout and against a bare Bolt app, each in its own
// process, with the Slack stand-in in this process. Reports ack latency, time to the reply, throughput and memory,
// and Lookout/bare ratios. Everything stays on loopback; the load is bounded.
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');
require('./ensure-built')();
const dist = path.join(__dirname, '..', 'dist', 'src');
const { startSlackStandIn } = require(path.join(dist, 'playground', 'slack-stand-in.js'));
const { createSlackDriver } = require(path.join(dist, 'playground', 'driver.js'));

const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench-0000';
const REQUESTS = Number(process.env.BENCH_REQUESTS || 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 8);

function startTarget(kind, apiUrl) {
  const child = spawn(process.execPath, ['--expose-gc', path.join(__dirname, 'bench-target.js'), kind, apiUrl, SECRET, TOKEN], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } });
  const lines = readline.createInterface({ input: child.stdout });
  const queue = [];
  const waiters = [];
  lines.on('line', (l) => (waiters.length ? waiters.shift()(JSON.parse(l)) : queue.push(JSON.parse(l))));
  const next = () => new Promise((r) => (queue.length ? r(queue.shift()) : waiters.push(r)));
  return { child, next, send: (s) => child.stdin.write(s + '\n') };
}

const pct = (xs, p) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function run(kind, slack) {
  const t = startTarget(kind, slack.apiUrl);
  const { port } = await t.next();
  const driver = createSlackDriver({ appUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SECRET, standIn: slack });
  const one = async () => {
    const before = slack.callsTo('response_url').length;
    const t0 = process.hrtime.bigint();
    const res = await driver.command('/lookout', 'help', { user: 'U0BENCH01', channel: 'C0BENCH01' });
    const ack = Number(process.hrtime.bigint() - t0) / 1e6;
    if (res.status !== 200) throw new Error(`${kind}: HTTP ${res.status}`);
    return { ack, before };
  };
  for (let i = 0; i < 30; i++) await one(); // warm-up
  const acks = [];
  const t0 = process.hrtime.bigint();
  let sent = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (sent < REQUESTS) {
        sent++;
        acks.push((await one()).ack);
      }
    }),
  );
  const expected = REQUESTS + 30;
  const deadline = Date.now() + 30_000;
  while (slack.callsTo('response_url').length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const replies = slack.callsTo('response_url').length;
  t.send('mem');
  const mem = await t.next();
  t.send('exit');
  await new Promise((r) => t.child.once('exit', r));
  slack.reset();
  acks.sort((a, b) => a - b);
  return { kind, p50: pct(acks, 50), p95: pct(acks, 95), p99: pct(acks, 99), throughput: REQUESTS / seconds, replies, expected, rssMiB: mem.rss / 2 ** 20, heapMiB: mem.heapUsed / 2 ** 20 };
}

(async () => {
  const slack = await startSlackStandIn({ botToken: TOKEN });
  const bare = await run('bare', slack);
  const lookout = await run('lookout', slack);
  await slack.close();
  const f = (x) => x.toFixed(2);
  console.log(`Slash command /lookout help, ${REQUESTS} requests, ${CONCURRENCY} concurrent, loopback, node ${process.version}\n`);
  console.log('metric                      bare Bolt    Lookout    ratio (Lookout/bare)');
  const row = (name, a, b) => console.log(`${name.padEnd(28)}${f(a).padStart(9)}  ${f(b).padStart(9)}    ${f(b / a)}`);
  row('ack p50 (ms)', bare.p50, lookout.p50);
  row('ack p95 (ms)', bare.p95, lookout.p95);
  row('ack p99 (ms)', bare.p99, lookout.p99);
  row('throughput (req/s)', bare.throughput, lookout.throughput);
  row('RSS after load (MiB)', bare.rssMiB, lookout.rssMiB);
  row('heap used after GC (MiB)', bare.heapMiB, lookout.heapMiB);
  console.log(`\nreplies delivered: bare ${bare.replies}/${bare.expected}, Lookout ${lookout.replies}/${lookout.expected}`);
  for (const extra of ['charts/bench.js']) {
    try {
      const { benchChart } = require(path.join(dist, extra));
      const r = await benchChart();
      console.log(`chart render, 10 series × 720 points: median ${f(r.medianMs)} ms`);
    } catch (err) {
      if (err.code !== 'MODULE_NOT_FOUND') throw err;
    }
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
