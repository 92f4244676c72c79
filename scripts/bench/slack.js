// The bench's Slack in its own process: the Web API methods the apps call (auth.test answers, every other method
// answers ok) and response URLs `/r/<id>`. It counts every arrival per response URL (first arrival time, attempts,
// the shortest gap between attempts), so the parent can check that every answer arrived, measure command → answer
// time and see retries. `mode` makes it fail the way Slack does: 404, 429 with Retry-After, or no answer at all.
// Kept minimal on purpose (no message model, unlike src/playground's stand-in) so it cannot set the pace.
const http = require('node:http');

const TEAM = { ok: true, url: 'https://bench.slack.test/', team: 'Bench', user: 'lookout', team_id: 'T0BENCH01', user_id: 'U0BOTBENCH', bot_id: 'B0BOTBENCH' };
let mode = { responseUrl: 'ok', api: 'ok', retryAfterS: 1, holdMs: 10_000 };
let urls = new Map(); // id → { n, first, last, minGap }
let apiCalls = new Map(); // method → { n, minGap, last }
const held = new Set();
let bytes = 0;
let everything = 0; // every request ever, never reset: the rig waits for it to stand still

function fail(res, req, how) {
  if (how === '404') return res.writeHead(404, { 'content-type': 'text/plain' }).end('expired_url');
  if (how === '429') return res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': String(mode.retryAfterS) }).end('rate_limited');
  // 'timeout': never answer; the socket is dropped after holdMs (or at reset).
  const t = setTimeout(() => req.socket.destroy(), mode.holdMs);
  const entry = { t, req };
  held.add(entry);
  req.socket.once('close', () => {
    clearTimeout(t);
    held.delete(entry);
  });
}

function note(map, key) {
  const at = process.hrtime.bigint();
  const e = map.get(key);
  if (!e) return map.set(key, { n: 1, first: at, last: at, minGap: Infinity }).get(key);
  e.minGap = Math.min(e.minGap, Number(at - e.last) / 1e6);
  e.last = at;
  e.n++;
  return e;
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    everything++;
    const body = Buffer.concat(chunks);
    if (req.url.startsWith('/r/')) {
      note(urls, req.url.slice(3));
      bytes = body.length;
      if (mode.responseUrl !== 'ok') return fail(res, req, mode.responseUrl);
      return res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    }
    const method = req.url.replace(/^\/api\//, '');
    note(apiCalls, method);
    if (method === 'auth.test') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(TEAM));
    if (mode.api !== 'ok' && method.startsWith('chat.')) return fail(res, req, mode.api);
    const ts = `${(Date.now() / 1000).toFixed(6)}`;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, channel: 'C0BENCH01', ts }));
  });
});
server.keepAliveTimeout = 60_000;

function summary(withTimes) {
  let attempts = 0;
  let retried = 0;
  let minGap = Infinity;
  const times = withTimes ? {} : undefined;
  for (const [id, e] of urls) {
    attempts += e.n;
    if (e.n > 1) retried++;
    minGap = Math.min(minGap, e.minGap);
    if (times) times[id] = String(e.first);
  }
  const api = {};
  for (const [m, e] of apiCalls) api[m] = e.n;
  return { everything, answered: urls.size, attempts, retried, minRetryGapMs: Number.isFinite(minGap) ? minGap : null, lastBodyBytes: bytes, api, times };
}

process.on('message', (m) => {
  if (m.cmd === 'mode') {
    mode = { ...mode, ...m.mode };
    process.send({ ok: true });
  } else if (m.cmd === 'stats') {
    process.send(summary(m.times));
  } else if (m.cmd === 'reset') {
    for (const h of held) h.req.socket.destroy();
    urls = new Map();
    apiCalls = new Map();
    process.send({ ok: true });
  } else if (m.cmd === 'exit') {
    process.exit(0);
  }
});

process.on('disconnect', () => process.exit(0)); // the bench went away: so does its stand-in
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
