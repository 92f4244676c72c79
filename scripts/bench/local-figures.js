// Figures measured in this process against the built modules: freshness (virtual time), charts, scheduler and
// store (SQLite and Postgres).
const path = require('node:path');
const { figure, watchHost, verdict, percentile, fmt } = require('./report');

/** Deterministic spread of `n` stand-in work durations over [5 s, 10 min]. */
function durations(n) {
  let seed = 7;
  const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  return Array.from({ length: n }, () => 5000 + rnd() * (600_000 - 5000));
}

function freshnessFigure(name, delays, maxRate) {
  const p50 = percentile(delays, 50);
  const p99 = percentile(delays, 99);
  const ok = p50 <= 1000 && p99 <= 3000 && maxRate <= 1;
  figure(name, `p50 ${fmt(p50 / 1000, 2)} s / p99 ${fmt(p99 / 1000, 2)} s; ≤ ${fmt(maxRate, 2)} describe calls/s per item`, 'p50 ≤ 1 s, p99 ≤ 3 s, ≤ 1 call/s', p99 / 3000, verdict(ok), 'virtual clock; ratio p99 to budget');
}

/**
 * The tests' manual clock (test/helpers/manual-clock.ts), transpiled here: a test double stays out of src/, and the
 * bench drives the same one the tests do rather than a copy.
 */
function loadManualClock() {
  const ts = require('typescript');
  const file = path.join(__dirname, '..', '..', 'test', 'helpers', 'manual-clock.ts');
  const js = ts.transpileModule(require('node:fs').readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const mod = { exports: {} };
  new Function('exports', 'require', 'module', js)(mod.exports, require, mod);
  return mod.exports.ManualClock;
}

/**
 * Virtual time passes only while the loop under test waits on the clock: advancing it while the loop is still at
 * work (a store write, a first-call warm-up that needs a macrotask) would count the bench's own speed as delay.
 */
async function runUntil(clock, done) {
  while (!done()) {
    for (let spins = 0; clock.pending === 0 && !done() && spins < 10_000; spins++) await new Promise((r) => setImmediate(r));
    if (!done()) await clock.advance(250);
  }
}

/** Reachability: the real poll loop against an analysis that finishes after T, on a manual clock. */
async function reachFreshness(dist, n) {
  const ManualClock = loadManualClock();
  const { pollAnalysis, POLL_DEFAULTS } = require(path.join(dist, 'reach', 'poll.js'));
  const delays = [];
  let maxRate = 0;
  for (const work of durations(n)) {
    const clock = new ManualClock();
    const doneAt = clock.now() + work;
    let calls = 0;
    const port = { getAnalysis: async (id) => (calls++, { id, status: clock.now() >= doneAt ? 'succeeded' : 'running' }) };
    let shownAt = null;
    const p = pollAnalysis(port, { id: 'nia-1', status: 'running' }, { clock, deadlineMs: POLL_DEFAULTS.deadlineMs }).then((r) => (shownAt = r ? clock.now() : Infinity));
    await runUntil(clock, () => shownAt !== null);
    await p;
    delays.push(shownAt - doneAt);
    maxRate = Math.max(maxRate, calls / (work / 1000));
  }
  freshnessFigure('freshness: reachability analysis', delays, maxRate);
}

/** Chaos: the real experiment watcher (store in memory) against an FIS whose state changes after T. */
async function chaosFreshness(dist, n) {
  const ManualClock = loadManualClock();
  const { openStore } = require(path.join(dist, 'store', 'index.js'));
  const { createExperimentWatcher } = require(path.join(dist, 'chaos', 'watcher.js'));
  const { DEFAULT_CHAOS_OPTIONS } = require(path.join(dist, 'chaos', 'context.js'));
  const { EXPERIMENT_KIND } = require(path.join(dist, 'chaos', 'records.js'));
  const store = await openStore('sqlite::memory:');
  const delays = [];
  let maxRate = 0;
  let i = 0;
  for (const work of durations(n)) {
    const clock = new ManualClock();
    const id = `EXP${i++}`;
    const changeAt = clock.now() + work;
    let calls = 0;
    const experiment = () => ({ id, templateId: 'EXT1', status: clock.now() >= changeAt ? 'completed' : 'running', tags: {}, actions: [{ name: 'a', actionId: 'aws:ec2:stop-instances', status: clock.now() >= changeAt ? 'completed' : 'running', parameters: {} }] });
    const fis = { get: async () => (calls++, experiment()), resolvedTargets: async () => [] };
    const data = { experimentId: id, teamId: 'T1', channelId: 'C1', account: { name: 'default', region: 'us-east-1' }, actor: { userId: 'U1' }, templateId: 'EXT1', watchedSince: clock.now(), snapshot: { status: 'running', actions: { a: 'running' } } };
    await store.create({ kind: EXPERIMENT_KIND, id, state: 'running', data });
    let shownAt = null;
    const watcher = createExperimentWatcher({ store, clock, pollMs: DEFAULT_CHAOS_OPTIONS.pollMs, log: { warn: () => undefined }, experimentsFor: async () => fis, onEvent: () => (shownAt ??= clock.now()) });
    watcher.watch(id);
    await runUntil(clock, () => shownAt !== null);
    await watcher.close();
    delays.push(shownAt - changeAt);
    maxRate = Math.max(maxRate, calls / (work / 1000));
  }
  await store.close();
  freshnessFigure('freshness: chaos experiment state', delays, maxRate);
}

async function charts(dist, runs) {
  const { benchChart } = require(path.join(dist, 'charts', 'bench.js'));
  const busy = watchHost();
  const r = await benchChart(runs);
  figure('chart PNG, 10 series × 720 points', `median ${fmt(r.medianMs, 0)} / p99 ${fmt(r.p99Ms, 0)} ms (CPU median ${fmt(r.medianCpuMs, 0)} ms), ${runs} renders`, 'median ≤ 100 ms', r.medianMs / 100, verdict(r.medianMs <= 100), 'ratio median to budget', busy());
}

async function all(dist, o) {
  await reachFreshness(dist, o.freshnessSamples);
  await chaosFreshness(dist, o.freshnessSamples);
  await charts(dist, o.chartRuns);
  const stores = require('./store-figures');
  await stores.all(dist, o);
}

module.exports = { all };
