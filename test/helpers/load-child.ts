import { performance } from 'node:perf_hooks';
import { runAsChild } from './child-main';
import { startBench } from './app';
import { eventually } from './fast-clock';
import { appendChildScan } from './child-log';

/**
 * Run in a child process by test/reliability/load.test.ts: boots the real app on the sandbox backends against the
 * Slack stand-in, then sends two bursts of LOAD_N `/metrics up` commands spread evenly over LOAD_SECONDS (from
 * many users and channels, so the per-person limits do not apply): a warm-up, then the measured one. For each
 * burst it prints the slowest acknowledgement, the answers the stand-in received, and the process's RSS after a
 * GC once every answer is in. The load generator runs here too (a constant few MB).
 */
const N = Number(process.env.LOAD_N ?? 500);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 6);

async function main(): Promise<void> {
  const bench = await startBench({
    yaml: 'limits: { perUserPerMinute: 100000, perChannelPerMinute: 100000 }\nchannels:\n  default: { allow: ["*"] }\n',
    start: { sandbox: true },
  });
  let answers = 0;
  bench.slack.on('call', (c) => {
    if (c.method === 'chat.postMessage' && c.args.text === 'Metrics: up') answers++;
  });
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const burst = async () => {
    answers = 0;
    const acks: number[] = [];
    const t0 = performance.now();
    const sent: Promise<void>[] = [];
    for (let i = 0; i < N; i++) {
      const due = t0 + (i * SECONDS * 1000) / N;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const start = performance.now();
      sent.push(
        bench.driver.command('/metrics', 'up', { user: `U0LOAD${String(i % 200).padStart(4, '0')}`, channel: `C0LOAD${String(i % 40).padStart(4, '0')}` }).then((res) => {
          if (res.status !== 200) throw new Error(`ack ${res.status}`);
          acks.push(performance.now() - start);
        }),
      );
    }
    await Promise.all(sent);
    await eventually(() => answers >= N, 120_000);
    const seconds = (performance.now() - t0) / 1000;
    appendChildScan({ calls: bench.slack.calls as unknown as Array<Record<string, unknown>>, messages: bench.slack.allMessages() }); // scanned by the parent
    bench.slack.reset(); // the stand-in keeps every call and message: drop them so its memory is not counted
    gc();
    acks.sort((a, b) => a - b);
    return { answers, maxAckMs: Math.round(acks.at(-1)!), p99AckMs: Math.round(acks[Math.floor(acks.length * 0.99)]), seconds: Math.round(seconds * 10) / 10, rss: process.memoryUsage().rss };
  };
  try {
    const warm = await burst();
    const measured = await burst();
    process.stdout.write(`${JSON.stringify({ n: N, warm, measured })}\n`);
  } finally {
    await bench.stop();
  }
}

runAsChild(main);
