// The bench's load generator in its own process: signed `/lookout help` slash commands over raw keep-alive
// sockets (no HTTP client library, so it stays cheap per request). Each request is signed in this process just
// before it is written; the clock for its latency starts after signing, so signing is not measured.
// Closed loop (`connections` each send, wait for the ack, send again) or open loop (`rate` commands/s, latency
// counted from the scheduled send time so a slow app cannot hide its queue).
const net = require('node:net');
const { createHmac } = require('node:crypto');

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function makeRequest(o, id) {
  const body =
    `token=bench&team_id=T0BENCH01&team_domain=bench&channel_id=C0BENCH01&channel_name=bench&user_id=U0BENCH01&user_name=bench` +
    `&command=${encodeURIComponent(o.command ?? '/lookout')}&text=${encodeURIComponent(o.text)}&api_app_id=A0BENCH01&is_enterprise_install=false` +
    `&response_url=${encodeURIComponent(`${o.responseBase}r/${id}`)}&trigger_id=${id}`;
  const ts = Math.floor(Date.now() / 1000);
  const sig = 'v0=' + createHmac('sha256', o.secret).update(`v0:${ts}:${body}`).digest('hex');
  return (
    `POST /slack/events HTTP/1.1\r\nhost: 127.0.0.1:${o.port}\r\ncontent-type: application/x-www-form-urlencoded\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\nx-slack-request-timestamp: ${ts}\r\nx-slack-signature: ${sig}\r\n\r\n${body}`
  );
}

/**
 * One keep-alive connection; `send` resolves with the response status once the whole response has arrived (0 when
 * the connection failed). A connection the server closed while idle (keepAliveTimeout) is reopened on next use.
 */
function connection(port) {
  let socket = null;
  let buf = '';
  let pending = null;
  const settle = (v) => {
    const p = pending;
    pending = null;
    buf = '';
    p?.(v);
  };
  const onData = (d) => {
    buf += d;
    const head = buf.indexOf('\r\n\r\n');
    if (head === -1) return;
    const status = Number(buf.slice(9, 12));
    const headers = buf.slice(0, head).toLowerCase();
    const len = /\r\ncontent-length: *(\d+)/.exec(headers);
    if (len) {
      if (buf.length - head - 4 >= Number(len[1])) settle(status);
    } else if (headers.includes('transfer-encoding: chunked')) {
      if (buf.endsWith('0\r\n\r\n')) settle(status);
    } else settle(status);
  };
  const open = () =>
    new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.setNoDelay(true);
      s.setEncoding('latin1');
      s.on('data', onData);
      s.on('error', () => settle(0));
      s.on('close', () => {
        if (socket === s) socket = null;
        settle(0);
      });
      s.once('connect', () => resolve((socket = s)));
      s.once('error', () => resolve(null));
    });
  return {
    open,
    async send(text) {
      const s = socket ?? (await open());
      if (!s) return 0;
      return new Promise((resolve) => {
        pending = resolve;
        s.write(text, 'latin1');
      });
    },
    destroy: () => socket?.destroy(),
  };
}

async function run(o) {
  let counter = 0;
  const lat = [];
  const statuses = {};
  const sendTimes = o.recordTimes ? {} : undefined;
  const conns = Array.from({ length: o.connections }, () => connection(o.port));
  await Promise.all(conns.map((c) => c.open()));
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round((o.durationMs ?? 1e12) * 1e6));
  const more = () => (o.total === undefined || counter < o.total) && process.hrtime.bigint() < deadline;

  const one = async (c, scheduledAt) => {
    const id = `${o.prefix}${counter++}`;
    const text = makeRequest(o, id);
    const t0 = scheduledAt ?? process.hrtime.bigint();
    if (sendTimes) sendTimes[id] = String(t0);
    const status = await c.send(text);
    lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
    statuses[status] = (statuses[status] || 0) + 1;
  };

  if (!o.rate) {
    await Promise.all(conns.map(async (c) => {
      while (more()) await one(c);
    }));
  } else {
    // Open loop: sends on schedule; an idle connection takes the next command, or it waits in line.
    const idle = [...conns];
    const queue = [];
    const inFlight = new Set();
    const gapNs = BigInt(Math.round(1e9 / o.rate));
    let next = started;
    const pump = () => {
      while (idle.length && queue.length) {
        const c = idle.pop();
        const at = queue.shift();
        const p = one(c, at).then(() => {
          inFlight.delete(p);
          idle.push(c);
          pump();
        });
        inFlight.add(p);
      }
    };
    while (more()) {
      const now = process.hrtime.bigint();
      while (next <= now && more()) {
        queue.push(next);
        next += gapNs;
      }
      pump();
      await new Promise((r) => setTimeout(r, Math.max(0, Number(next - process.hrtime.bigint()) / 1e6)));
    }
    while (queue.length || inFlight.size) {
      pump();
      await Promise.race([...inFlight]);
    }
  }
  const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
  for (const c of conns) c.destroy();
  lat.sort((a, b) => a - b);
  return { sent: counter, ok: statuses[200] || 0, statuses, elapsedS, throughput: (statuses[200] || 0) / elapsedS, p50: percentile(lat, 50), p99: percentile(lat, 99), sendTimes };
}

process.on('message', (m) => {
  if (m.cmd === 'run') run(m.opts).then((r) => process.send(r), (err) => process.send({ error: String(err && err.stack) }));
  else if (m.cmd === 'exit') process.exit(0);
});
process.on('disconnect', () => process.exit(0)); // the bench went away: so does its load generator
process.send({ ready: true });
