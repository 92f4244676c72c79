// A/B of Lookout builds, back to back in one rig: `node scripts/bench/ab.js <dir> [<dir>…]` where each <dir> is a checkout
// with dist/ built (this one, or a `git archive main` copy with node_modules linked). Alternating rounds (the order
// rotates) of each build's Lookout and of the answering peer (bare Bolt, from the first dir); prints throughput,
// p50/p99 and the app's CPU per request per round and the medians. Env: AB_CONNS (10,50), AB_ROUNDS (3), AB_MS
// (5000), AB_PROF=<dir> for a CPU profile of each app. CPU per request is the figure to compare on a busy machine.
const { fork } = require('node:child_process');
const path = require('node:path');

const { startRig } = require('./rig');
const [dirs, conns, rounds, ms] = [process.argv.slice(2).map((d) => path.resolve(d)), (process.env.AB_CONNS || '10,50').split(',').map(Number), Number(process.env.AB_ROUNDS || 3), Number(process.env.AB_MS || 5000)];
function start(rig, dir, kind, answerBytes) {
  const prof = process.env.AB_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.AB_PROF}`, `--cpu-prof-name=${path.basename(dir)}-${kind}.cpuprofile`] : [];
  const proc = fork(path.join(dir, 'scripts', 'bench-target.js'), [kind, rig.apiUrl, 'bench-signing-secret', 'xoxb-bench-0000', String(answerBytes), 'info', ''], {
    execArgv: ['--expose-gc', ...prof], stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'AKIDBENCH', AWS_SECRET_ACCESS_KEY: 'bench' },
  });
  return new Promise((res) => proc.once('message', (m) => res({ pid: proc.pid, port: m.port, kind: kind === 'lookout' ? `lookout@${path.basename(dir)}` : kind, exit: () => new Promise((r) => { proc.once('exit', r); proc.send({ cmd: 'exit' }); }) })));
}
(async () => {
  const rig = await startRig({ verbose: false });
  const apps = [];
  for (const d of dirs) apps.push(await start(rig, d, 'lookout', 0));
  for (const a of apps) await rig.round(a, { connections: 10, durationMs: 1000 });
  const answerBytes = (await rig.slack.ask({ cmd: 'stats' })).lastBodyBytes;
  apps.push(await start(rig, dirs[0], 'bare', answerBytes));
  await rig.round(apps.at(-1), { connections: 10, durationMs: 1000 });
  for (const c of conns) {
    const res = Object.fromEntries(apps.map((a) => [a.kind, []]));
    for (let i = 0; i < rounds; i++) {
      for (let j = 0; j < apps.length; j++) {
        const a = apps[(i + j) % apps.length];
        const r = await rig.round(a, { connections: c, durationMs: ms });
        res[a.kind].push(r);
        console.log(`${c}c r${i} ${a.kind.padEnd(24)} ${r.throughput.toFixed(0).padStart(5)} req/s p50 ${r.p50.toFixed(1)} p99 ${r.p99.toFixed(1)} cpu ${r.cpuMsPerRequest?.toFixed(3)} ms/req complete ${r.complete} idle ${Math.round(r.cpu.hostIdle*100)}%`);
      }
    }
    const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
    for (const [k, rs] of Object.entries(res)) console.log(`== ${c}c ${k.padEnd(24)} median ${med(rs.map((r) => r.throughput)).toFixed(0)} req/s, p99 ${med(rs.map((r) => r.p99)).toFixed(1)}, cpu ${med(rs.map((r) => r.cpuMsPerRequest)).toFixed(3)} ms/req`);
  }
  for (const a of apps) await a.exit();
  await rig.close();
})().catch((e) => { console.error(e); process.exit(1); });
