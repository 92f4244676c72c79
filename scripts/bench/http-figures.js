// Figures measured over HTTP through the rig: ack path, answer path, degraded Slack, start time and memory.
const { figure, watchHost, verdict, median, percentile, fmt } = require('./report');

/** Rounds that count: every answer arrived and neither the rig nor the host was saturated. */
const counts = (r) => r.complete && !r.saturated;
/** The rounds that count, or (for showing values only, never ratios) all of them when none does. */
const valid = (rounds) => rounds.filter(counts);
const shown = (rounds) => (valid(rounds).length ? valid(rounds) : rounds);
const why = (rounds) => [...new Set(rounds.filter((r) => !r.complete || r.saturated).map((r) => (!r.complete ? `answers missing ${r.slack.answered}/${r.ok}` : r.saturated)))].join('; ');

/** Alternating rounds against several apps (the order rotates each round), same load each time. */
async function alternate(rig, apps, rounds, opts, answersOf) {
  const out = Object.fromEntries(apps.map((a) => [a.kind, []]));
  for (let i = 0; i < rounds; i++) {
    const order = apps.map((_, j) => apps[(i + j) % apps.length]);
    for (const app of order) out[app.kind].push(await rig.round(app, opts, { answers: answersOf(app) }));
  }
  return out;
}

/** Median over rounds of the per-round ratio app/peer, using only rounds where both counted. */
function pairedRatio(a, b, key) {
  const ratios = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (counts(a[i]) && counts(b[i])) ratios.push(a[i][key] / b[i][key]);
  }
  return median(ratios);
}

/** Returns Lookout's rounds at 10 connections: the healthy figure degraded Slack is compared with. */
async function ackPath(rig, apps, o) {
  let healthy = [];
  for (const connections of [10, 50]) {
    const res = await alternate(rig, [apps.lookout, apps.bare, apps.floor], o.rounds, { connections, durationMs: o.roundMs }, (a) => a.kind !== 'floor');
    const m = (kind, key) => median(shown(res[kind]).map((r) => r[key]));
    const busy = why([...res.lookout, ...res.bare]);
    const tput = pairedRatio(res.lookout, res.bare, 'throughput');
    const p99 = pairedRatio(res.lookout, res.bare, 'p99');
    const counted = `${valid(res.lookout).length}/${res.lookout.length} rounds counted`;
    figure(
      `ack path ${connections} conns: throughput`,
      `${fmt(m('lookout', 'throughput'), 0)} req/s (peer ${fmt(m('bare', 'throughput'), 0)}, ack-only floor ${fmt(m('floor', 'throughput'), 0)})`,
      '≥ 0.90× peer',
      tput,
      tput === null ? 'BUSY' : verdict(tput >= 0.9),
      tput === null ? busy : counted,
    );
    figure(
      `ack path ${connections} conns: latency`,
      `p50 ${fmt(m('lookout', 'p50'))} / p99 ${fmt(m('lookout', 'p99'))} ms (peer ${fmt(m('bare', 'p50'))} / ${fmt(m('bare', 'p99'))})`,
      'p99 ≤ 1.20× peer',
      p99,
      p99 === null ? 'BUSY' : verdict(p99 <= 1.2),
      p99 === null ? busy : counted,
    );
    if (connections === 10) healthy = res.lookout;
  }
  return healthy;
}

/** Command → answer at the stand-in, open loop at 50 commands/s, on the sandbox backends. */
async function answerPath(rig, app, o) {
  const rounds = [];
  for (let i = 0; i < o.rounds; i++) rounds.push(await rig.round(app, { connections: 10, rate: 50, durationMs: o.answerMs, recordTimes: true }, { times: true }));
  const delays = shown(rounds).flatMap((r) => Object.entries(r.sendTimes).filter(([id]) => r.slack.times[id]).map(([id, t0]) => Number(BigInt(r.slack.times[id]) - BigInt(t0)) / 1e6));
  const p50 = percentile(delays, 50);
  const p99 = percentile(delays, 99);
  figure(
    'answer path 50 cmd/s: command → answer',
    `p50 ${fmt(p50)} / p99 ${fmt(p99)} ms over ${delays.length} commands (/lookout help: no AWS time)`,
    'p99 < 50 ms beyond AWS',
    valid(rounds).length ? p99 / 50 : null,
    valid(rounds).length ? verdict(p99 < 50) : 'BUSY',
    valid(rounds).length ? 'ratio to budget' : why(rounds),
  );
}

const FAILURES = [
  ['404', { how: '404' }],
  ['429 Retry-After 1', { how: '429', retryAfterS: 1 }],
  ['no answer (held 2 s)', { how: 'timeout', holdMs: 2000 }],
];

/**
 * Slack saying no: throughput against healthy rounds of the same command, and repeat posts counted at the
 * stand-in. response_url: `/lookout help` (its answer goes there); chat.postMessage: `/chaos history` on the
 * sandbox (its answer is posted in the channel).
 */
async function degraded(rig, apps, healthyRounds, o) {
  const chat = { command: '/chaos', text: 'history' };
  const healthyChat = [];
  for (let i = 0; i < o.rounds; i++) healthyChat.push(await rig.round(apps.sandboxed, { connections: 10, durationMs: o.roundMs, ...chat }, { answers: false }));
  for (const [target, app, load, healthyOf] of [
    ['response_url', apps.lookout, {}, healthyRounds],
    ['chat.postMessage', apps.sandboxed, chat, healthyChat],
  ]) {
    const healthyValid = median(valid(healthyOf).map((r) => r.throughput));
    const healthy = median(shown(healthyOf).map((r) => r.throughput));
    for (const [label, f] of FAILURES) {
      const mode = target === 'response_url' ? { responseUrl: f.how } : { api: f.how };
      await rig.slack.ask({ cmd: 'mode', mode: { ...mode, retryAfterS: f.retryAfterS ?? 1, holdMs: f.holdMs ?? 10_000 } });
      const rounds = [];
      for (let i = 0; i < o.rounds; i++) {
        const round = await rig.round(app, { connections: 10, durationMs: o.roundMs, ...load }, { answers: target === 'response_url' });
        await rig.settle(o.settleMs);
        // Repeat posts arriving after the round (retries with back-off) count too.
        const late = await rig.slack.ask({ cmd: 'stats' });
        rounds.push({ ...round, slack: late });
      }
      await rig.slack.ask({ cmd: 'mode', mode: { responseUrl: 'ok', api: 'ok' } });
      const tput = median(shown(rounds).map((r) => r.throughput));
      const commands = rounds.reduce((n, r) => n + r.ok, 0);
      const attempts = rounds.reduce((n, r) => n + (target === 'response_url' ? r.slack.attempts : r.slack.api['chat.postMessage'] ?? 0), 0);
      const repeats = Math.max(0, attempts - commands);
      const gaps = target === 'response_url' ? rounds.map((r) => r.slack.minRetryGapMs).filter((g) => g !== null) : [];
      const minGap = gaps.length ? Math.min(...gaps) : null;
      // A repeat sooner than 1 s (or than Retry-After) after the previous attempt at the same URL is a tight loop.
      const tight = minGap !== null && minGap < 1000 * (f.retryAfterS ?? 1);
      const ratio = valid(rounds).length && healthyValid !== null ? tput / healthyValid : null;
      figure(
        `degraded Slack: ${target} ${label}`,
        `${fmt(tput, 0)} req/s (healthy ${fmt(healthy, 0)}); ${attempts} posts for ${commands} commands (${repeats} repeats)${minGap === null ? '' : `, closest ${fmt(minGap, 0)} ms apart`}`,
        '≥ 0.70× healthy, no tight retry',
        ratio,
        ratio === null ? 'BUSY' : verdict(ratio >= 0.7 && !tight),
        ratio === null ? why([...rounds, ...healthyOf]) : tight ? 'repeat posts to a failing URL within a second' : '',
      );
    }
  }
}

/** Start time, RSS idle and after N commands, three runs on the same process: growth means a leak. */
async function memory(rig, start, o) {
  const out = {};
  const starting = [];
  for (const kind of ['lookout', 'bare']) {
    const busy = watchHost();
    const app = await start(kind);
    starting.push(busy());
    const idle = await app.mem();
    const after = [];
    for (let run = 0; run < 3; run++) {
      await rig.round(app, { connections: 10, total: o.commands }, { answers: true });
      after.push(await app.mem());
    }
    await app.exit();
    out[kind] = { startMs: app.startMs, idle, after };
  }
  const l = out.lookout;
  const b = out.bare;
  const mib = (x) => x / 2 ** 20;
  const startRatio = l.startMs / b.startMs;
  figure('start time (spawn → ready)', `${fmt(l.startMs, 0)} ms (peer ${fmt(b.startMs, 0)})`, '≤ 1.25× peer', startRatio, verdict(startRatio <= 1.25), '', starting.filter(Boolean).join('; ') || null);
  const idleRatio = l.idle.rss / b.idle.rss;
  figure('RSS idle', `${fmt(mib(l.idle.rss))} MiB (peer ${fmt(mib(b.idle.rss))})`, '≤ 1.25× peer', idleRatio, verdict(idleRatio <= 1.25));
  const lastRatio = l.after[2].rss / b.after[2].rss;
  figure(`RSS after ${o.commands} commands ×3`, `${l.after.map((m) => fmt(mib(m.rss), 0)).join(' → ')} MiB (peer ${b.after.map((m) => fmt(mib(m.rss), 0)).join(' → ')})`, '≤ 1.25× peer', lastRatio, verdict(lastRatio <= 1.25));
  const heap = l.after.map((m) => mib(m.heapUsed));
  const growth = heap[2] - heap[0];
  figure('leak check: heap after GC, runs 1 → 3', `${heap.map((h) => fmt(h)).join(' → ')} MiB (peer ${b.after.map((m) => fmt(mib(m.heapUsed))).join(' → ')})`, 'growth ≤ 1 MiB', heap[2] / heap[0], verdict(growth <= 1));
}

module.exports = { ackPath, answerPath, degraded, memory };
