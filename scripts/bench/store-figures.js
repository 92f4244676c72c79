// Scheduler and store figures on SQLite (a temp file) and Postgres (a schema of its own on BENCH_DATABASE_URL,
// default postgres://127.0.0.1:5432/test, dropped afterwards).
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const { figure, watchHost, verdict, percentile, fmt } = require('./report');

function postgresBase() {
  const url = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test');
  if (!url.username) url.username = process.env.PGUSER || process.env.USER || 'postgres';
  return url;
}

/** A fresh database per figure: `{ label, url, drop }`, or null when Postgres is not reachable. */
async function databases() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lookout-bench-store-'));
  let n = 0;
  const sqlite = { label: 'SQLite', fresh: async () => ({ url: `sqlite:${path.join(dir, `b${n++}.db`)}`, drop: async () => undefined }), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
  const { Client } = require('pg');
  const admin = async (q) => {
    const c = new Client({ connectionString: postgresBase().toString(), connectionTimeoutMillis: 3000 });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  let postgres = null;
  try {
    await admin('select 1');
    postgres = {
      label: 'Postgres',
      async fresh() {
        const schema = `lookout_bench_${Date.now().toString(36)}_${n++}`;
        await admin(`create schema "${schema}"`);
        const url = postgresBase();
        url.searchParams.set('schema', schema);
        return { url: url.toString(), drop: () => admin(`drop schema if exists "${schema}" cascade`) };
      },
      cleanup: () => undefined,
    };
  } catch (err) {
    postgres = { label: 'Postgres', unavailable: err.message };
  }
  return [sqlite, postgres];
}

function reportData(at, now) {
  const d = new Date(at);
  return {
    channel: 'C0BENCH01', team: 'T0BENCH01', createdBy: 'U0BENCH01',
    cron: `${d.getUTCSeconds()} ${d.getUTCMinutes()} ${d.getUTCHours()} * * *`, tz: 'UTC', onChange: false, command: '/lookout help', source: 'slack', watch: false,
    nextRunAt: at, running: null, failures: 0, lastRunAt: null, lastResult: null, lastDigest: null, lastSummary: null, lastPostedAt: null, lastError: null,
    missedNote: null, pausedReason: null, createdAt: now, updatedBy: null,
  };
}

/** `n` reports due over `spreadMs`, two scheduler replicas (each its own Store) racing for them with the defaults. */
async function scheduler(dist, db, n, spreadMs) {
  const { openStore } = require(path.join(dist, 'store', 'index.js'));
  const { createScheduler } = require(path.join(dist, 'reports', 'scheduler.js'));
  const { systemClock } = require(path.join(dist, 'clock.js'));
  const { REPORT_KIND } = require(path.join(dist, 'reports', 'model.js'));
  const { url, drop } = await db.fresh();
  const stores = [await openStore(url), await openStore(url)];
  // Creation time, measured on a few, decides how far ahead the first report is due.
  const t0 = Date.now();
  for (let i = 0; i < 20; i++) await stores[0].create({ kind: 'bench-probe', id: `p${i}`, state: 'x', data: {} });
  const base = Math.ceil((Date.now() + 2000 + ((Date.now() - t0) / 20) * n * 1.5) / 1000) * 1000;
  for (let i = 0; i < n; i++) {
    const at = base + Math.floor((i * spreadMs) / n / 1000) * 1000;
    await stores[0].create({ kind: REPORT_KIND, id: `r${i}`, state: 'active', data: reportData(at, Date.now()), dueAt: at });
  }
  const runs = new Map();
  const lags = [];
  let allDone;
  const done = new Promise((r) => (allDone = r));
  const runReport = async (run) => {
    lags.push(Date.now() - run.occurrence);
    runs.set(run.report.id, (runs.get(run.report.id) ?? 0) + 1);
    if (runs.size >= n) allDone();
    return { digest: 'd', posted: false };
  };
  const busy = watchHost();
  const replicas = stores.map((store) => createScheduler({ store, clock: systemClock, runReport }));
  replicas.forEach((s) => s.start());
  let timer;
  await Promise.race([done, new Promise((r) => (timer = setTimeout(r, base - Date.now() + spreadMs + 60_000)))]);
  clearTimeout(timer);
  await Promise.all(replicas.map((s) => s.stop()));
  await Promise.all(stores.map((s) => s.close()));
  await drop();
  const duplicates = [...runs.values()].filter((c) => c > 1).length;
  const p99 = percentile(lags, 99);
  const ok = runs.size === n && duplicates === 0 && p99 < 1000;
  figure(
    `scheduler ${db.label}: ${n} due in ${spreadMs / 1000} s`,
    `claim lag p50 ${fmt(percentile(lags, 50), 0)} / p99 ${fmt(p99, 0)} ms; ran ${runs.size}/${n}, ${duplicates} duplicates`,
    'p99 < 1 s, 0 duplicates',
    p99 === null ? null : p99 / 1000,
    verdict(ok),
    '2 replicas; ratio p99 to budget',
    busy(),
  );
}

/** Audit inserts/s (one at a time, as commands finish) and approval compare-and-set/s (two callers per approval). */
async function store(dist, db, n) {
  const { openStore } = require(path.join(dist, 'store', 'index.js'));
  const { url, drop } = await db.fresh();
  const s = await openStore(url);
  const busy = watchHost();
  let t = performance.now();
  for (let i = 0; i < n; i++) {
    await s.appendAudit({ at: Date.now(), requestId: `req-${i}`, teamId: 'T0BENCH01', channelId: 'C0BENCH01', userId: 'U0BENCH01', kind: 'command', command: '/lookout help', outcome: 'ok', detail: 'help', awsRequestIds: [], durationMs: 3 });
  }
  const audits = n / ((performance.now() - t) / 1000);
  for (let i = 0; i < n; i++) await s.create({ kind: 'approval', id: `a${i}`, state: 'pending', data: { approvers: [] } });
  let winners = 0;
  t = performance.now();
  for (let i = 0; i < n; i++) {
    const race = await Promise.all([1, 2].map((by) => s.transition('approval', `a${i}`, { from: ['pending'], expectVersion: 1, to: 'approved', patch: { by } })));
    winners += race.filter(Boolean).length;
  }
  const cas = (2 * n) / ((performance.now() - t) / 1000);
  const wasBusy = busy();
  await s.close();
  await drop();
  figure(`store ${db.label}: audit inserts`, `${fmt(audits, 0)} /s (${n} sequential)`, '≥ 1,000/s', audits / 1000, verdict(audits >= 1000), 'ratio to budget', wasBusy);
  figure(`store ${db.label}: approval compare-and-set`, `${fmt(cas, 0)} /s (${n} approvals, 2 racing callers each, ${winners} winners)`, '≥ 500/s, 1 winner each', cas / 500, verdict(cas >= 500 && winners === n), 'ratio to budget', wasBusy);
}

async function all(dist, o, which = { scheduler: true, store: true }) {
  for (const db of await databases()) {
    if (db.unavailable) {
      for (const name of [`scheduler ${db.label}`, `store ${db.label}: audit inserts`, `store ${db.label}: approval compare-and-set`]) figure(name, `not measured: ${db.unavailable}`, '—', null, 'NO DB');
      continue;
    }
    try {
      if (which.scheduler) await scheduler(dist, db, o.reports, o.reportSpreadMs);
      if (which.store) await store(dist, db, o.storeOps);
    } finally {
      db.cleanup();
    }
  }
}

module.exports = { all };
