#!/usr/bin/env node
// `npm run bench [-- --quick]`: every performance figure of docs/performance.md with its budget, PASS/MISS and
// ratio. Load generator, Slack stand-in and each app under test run in their own processes (scripts/bench/);
// rounds in which the rig or the host was saturated are discarded, and a figure with no round left prints BUSY
// instead of a ratio. --quick: short rounds and small counts, for CI (it only has to complete).
const path = require('node:path');
require('./ensure-built')({ modules: true }); // the bundle for the apps, tsc's tree for the local figures
const { startRig } = require('./bench/rig');
const http = require('./bench/http-figures');
const local = require('./bench/local-figures');
const { lines } = require('./bench/report');

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const o = quick
  ? { rounds: 1, roundMs: 1000, answerMs: 1500, commands: 200, chartRuns: 3, reports: 100, reportSpreadMs: 1000, storeOps: 150, freshnessSamples: 10, settleMs: 400 }
  : { rounds: 3, roundMs: 6000, answerMs: 10_000, commands: 20_000, chartRuns: 30, reports: 10_000, reportSpreadMs: 60_000, storeOps: 5000, freshnessSamples: 200, settleMs: 1000 };
const want = (s) => !only || only.includes(s);

(async () => {
  console.log(`Lookout bench${quick ? ' --quick' : ''}: node ${process.version}, ${require('node:os').cpus().length} cores; ${o.rounds} alternating round(s) per figure\n`);
  // --only=scheduler / --only=store: the in-process store figures alone, without the rig.
  const rigWanted = want('http') || want('memory');
  const rig = rigWanted ? await startRig({ verbose: process.argv.includes('--verbose') }) : null;
  if (rig) try {
    // Lookout starts first: its `/lookout help` answer size is what the peer answers with.
    const lookout = await rig.startApp({ kind: 'lookout' });
    await warm(rig, [lookout]);
    const answerBytes = (await rig.slack.ask({ cmd: 'stats' })).lastBodyBytes;
    const start = (kind, extra = {}) => rig.startApp({ kind, answerBytes, ...extra });
    if (want('http')) {
      const [bare, floor, sandboxed] = await Promise.all([start('bare'), start('floor'), start('lookout', { sandbox: true })]);
      const apps = { lookout, bare, floor, sandboxed };
      await warm(rig, [bare, floor, sandboxed]);
      const healthy = await http.ackPath(rig, apps, o);
      await Promise.all([bare.exit(), floor.exit()]);
      await http.answerPath(rig, sandboxed, o);
      await http.degraded(rig, apps, healthy, o);
      await sandboxed.exit();
    }
    await lookout.exit();
    if (want('memory')) await http.memory(rig, start, o);
  } finally {
    await rig.close();
  }
  const dist = path.join(__dirname, '..', 'dist', 'src');
  if (want('local')) await local.all(dist, o);
  else if (want('scheduler') || want('store')) await require('./bench/store-figures').all(dist, o, { scheduler: want('scheduler'), store: want('store') });
  console.log(`\n${lines.length} figures: ${lines.filter((l) => l.verdict === 'PASS').length} PASS, ${lines.filter((l) => l.verdict === 'MISS').length} MISS, ${lines.filter((l) => l.verdict === 'BUSY').length} BUSY (rig or host saturated: no ratio).`);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});

async function warm(rig, apps) {
  for (const app of apps) await rig.round(app, { connections: 10, durationMs: 500 }, { answers: app.kind !== 'floor' });
}
