#!/usr/bin/env node
// `npm run bench [-- --quick]`: every performance figure of docs/performance.md with its budget, PASS/MISS and
// ratio. Load generator, Slack stand-in and each app under test run in their own processes (scripts/bench/);
// rounds in which the rig or the host was saturated are discarded, and a figure with no round left prints BUSY
// instead of a ratio. --quick: short rounds and small counts, for CI (it only has to complete).
const path = require('node:path');
require('./ensure-built')();
const { startRig } = require('./bench/rig');
const http = require('./bench/http-figures');
const local = require('./bench/local-figures');
const { lines } = require('./bench/report');

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const o = quick
  ? { rounds: 1, roundMs: 1000, answerMs: 2000, commands: 300, chartRuns: 5, reports: 200, reportSpreadMs: 2000, storeOps: 200, freshnessSamples: 10 }
  : { rounds: 3, roundMs: 6000, answerMs: 10_000, commands: 20_000, chartRuns: 30, reports: 10_000, reportSpreadMs: 60_000, storeOps: 5000, freshnessSamples: 200 };
const want = (s) => !only || only.includes(s);

(async () => {
  console.log(`Lookout bench${quick ? ' --quick' : ''}: node ${process.version}, ${require('node:os').cpus().length} cores; ${o.rounds} alternating round(s) per figure\n`);
  const rig = await startRig({ verbose: process.argv.includes('--verbose') });
  try {
    // Lookout's `/lookout help` answer size, so the peer answers with a body of the same size.
    const probe = await rig.startApp({ kind: 'lookout' });
    await rig.round(probe, { connections: 1, total: 1 });
    const answerBytes = (await rig.slack.ask({ cmd: 'stats' })).lastBodyBytes;
    await probe.exit();
    const start = (kind, extra = {}) => rig.startApp({ kind, answerBytes, ...extra });
    if (want('http')) {
      const apps = { lookout: await start('lookout'), bare: await start('bare'), floor: await start('floor') };
      await warm(rig, Object.values(apps));
      const healthy = await http.ackPath(rig, apps, o);
      await Promise.all([apps.bare.exit(), apps.floor.exit()]);
      apps.sandboxed = await start('lookout', { sandbox: true });
      await warm(rig, [apps.sandboxed]);
      await http.answerPath(rig, apps.sandboxed, o);
      await http.degraded(rig, apps, healthy, o);
      await Promise.all([apps.lookout.exit(), apps.sandboxed.exit()]);
    }
    if (want('memory')) await http.memory(rig, start, o);
  } finally {
    await rig.close();
  }
  if (want('local')) await local.all(path.join(__dirname, '..', 'dist', 'src'), o);
  console.log(`\n${lines.length} figures: ${lines.filter((l) => l.verdict === 'PASS').length} PASS, ${lines.filter((l) => l.verdict === 'MISS').length} MISS, ${lines.filter((l) => l.verdict === 'BUSY').length} BUSY (rig or host saturated: no ratio).`);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});

async function warm(rig, apps) {
  for (const app of apps) await rig.round(app, { connections: 10, durationMs: 500 }, { answers: app.kind !== 'floor' });
}
