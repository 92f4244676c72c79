// The rig's processes: Slack stand-in, load generator and the apps under test, each forked with an IPC channel.
// A round is one load run against one app with the CPU of the rig and the host's idle time measured around it.
const { fork } = require('node:child_process');
const path = require('node:path');
const { cpuWindow } = require('./cpu');

const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench-0000';

const { RIG_MAX_CORE_SHARE, HOST_MIN_IDLE } = require('./thresholds');

function child(file, args = [], env = {}, execArgv = []) {
  const proc = fork(file, args, {
    execArgv: ['--expose-gc', ...execArgv],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'AKIDBENCH', AWS_SECRET_ACCESS_KEY: 'bench', BENCH_SPAWNED_AT: String(Date.now()), ...env },
  });
  const queue = [];
  const waiters = [];
  proc.on('message', (m) => (waiters.length ? waiters.shift().resolve(m) : queue.push(m)));
  proc.on('exit', (code) => {
    for (const w of waiters.splice(0)) w.reject(new Error(`${path.basename(file)} ${args[0] ?? ''} exited (${code}) before answering`));
  });
  const next = () => new Promise((resolve, reject) => (queue.length ? resolve(queue.shift()) : waiters.push({ resolve, reject })));
  return {
    pid: proc.pid,
    next,
    ask: (msg) => (proc.send(msg), next()),
    async exit() {
      if (proc.exitCode !== null) return;
      const gone = new Promise((r) => proc.once('exit', r));
      proc.send({ cmd: 'exit' });
      await gone;
    },
  };
}

async function startRig({ verbose = false } = {}) {
  const slack = child(path.join(__dirname, 'slack.js'));
  const load = child(path.join(__dirname, 'load.js'));
  const { port } = await slack.next();
  await load.next();
  const apiUrl = `http://127.0.0.1:${port}/api/`;
  const responseBase = `http://127.0.0.1:${port}/`;
  return {
    slack,
    load,
    apiUrl,
    /** Starts an app under test: {kind, answerBytes, logLevel, sandbox}. */
    async startApp(o) {
      // BENCH_PROFILE_DIR: each app writes a CPU profile there when it exits (node --cpu-prof).
      const prof = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`, `--cpu-prof-name=${o.kind}${o.sandbox ? '-sandbox' : ''}-${Date.now()}.cpuprofile`] : [];
      const app = child(path.join(__dirname, '..', 'bench-target.js'), [o.kind, apiUrl, SECRET, TOKEN, String(o.answerBytes ?? 0), o.logLevel ?? 'info', o.sandbox ? 'sandbox' : ''], {}, prof);
      const ready = await app.next();
      return { ...app, kind: o.kind, port: ready.port, startMs: ready.startMs, mem: () => app.ask({ cmd: 'mem' }) };
    },
    /**
     * One round: load against `app`, then waits (up to 15 s) for every answer at the stand-in. `saturated` names
     * what was over its threshold while the load ran, or is null.
     */
    async round(app, opts, { answers = true, times = false } = {}) {
      await slack.ask({ cmd: 'reset' });
      const cpu = cpuWindow({ load: load.pid, slack: slack.pid, app: app.pid });
      const r = await load.ask({ cmd: 'run', opts: { port: app.port, secret: SECRET, responseBase, text: 'help', prefix: `${app.kind}-${Date.now()}-`, recordTimes: times, ...opts } });
      if (r.error) throw new Error(r.error);
      const c = cpu.end();
      let s = await slack.ask({ cmd: 'stats', times });
      for (const until = Date.now() + 15_000; answers && s.answered < r.ok && Date.now() < until; ) {
        await new Promise((res) => setTimeout(res, 50));
        s = await slack.ask({ cmd: 'stats', times });
      }
      const over = [];
      if (c.share.load !== null && c.share.load > RIG_MAX_CORE_SHARE) over.push(`load generator ${pct(c.share.load)} of a core`);
      if (c.share.slack !== null && c.share.slack > RIG_MAX_CORE_SHARE) over.push(`Slack stand-in ${pct(c.share.slack)} of a core`);
      if (c.hostIdle !== null && c.hostIdle < HOST_MIN_IDLE) over.push(`host ${pct(c.hostIdle)} idle`);
      const complete = !answers || s.answered >= r.ok;
      if (verbose) {
        const share = Object.entries(c.share).map(([k, v]) => `${k} ${v === null ? '?' : pct(v)}`).join(', ');
        process.stderr.write(`  round ${app.kind} ${JSON.stringify(opts)}: ${r.ok} ok, ${r.throughput.toFixed(0)} req/s, p50 ${r.p50?.toFixed(1)} p99 ${r.p99?.toFixed(1)} ms; app CPU ${c.share.app === null || !r.ok ? '?' : ((c.share.app * c.wall * 1000) / r.ok).toFixed(2)} ms/request; answers ${s.answered}/${r.ok}; cpu ${share}, host idle ${c.hostIdle === null ? '?' : pct(c.hostIdle)}\n`);
      }
      const cpuMsPerRequest = c.share.app === null || !r.ok ? null : (c.share.app * c.wall * 1000) / r.ok;
      return { ...r, cpuMsPerRequest, slack: s, cpu: c, saturated: over.length ? over.join(', ') : null, complete };
    },
    /** Waits until nothing reaches the stand-in for `quietMs` (retries of a degraded round die out), at most 30 s. */
    async settle(quietMs = 1000) {
      let last = -1;
      for (const until = Date.now() + 30_000; Date.now() < until; ) {
        const { everything } = await slack.ask({ cmd: 'stats' });
        if (everything === last) return;
        last = everything;
        await new Promise((r) => setTimeout(r, quietMs));
      }
    },
    async close() {
      await Promise.all([slack.exit(), load.exit()]);
    },
  };
}

const pct = (x) => `${Math.round(x * 100)}%`;

module.exports = { startRig };
