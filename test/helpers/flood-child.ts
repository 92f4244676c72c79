import { runAsChild } from './child-main';
import { startBench, textOf } from './app';

/**
 * Run in a child process by test/e2e/outbound.test.ts: boots the real app against the Slack stand-in with a
 * Prometheus at FLOOD_URL, asks `/metrics series {job="flood"}`, and prints the reply and this process's RSS once
 * the answer is in. Only Lookout (and the Slack stand-in) live here; the 1M-series stand-in runs in the parent.
 */
async function main(): Promise<void> {
  const before = process.memoryUsage().rss;
  const bench = await startBench({ yaml: `metrics:\n  prometheus: { url: "${process.env.FLOOD_URL}" }\nchannels:\n  default: { allow: ["*"] }\n` });
  try {
    await bench.driver.command('/metrics', 'series {job="flood"}', { user: 'U0ALICE01', channel: 'C0OUTBOUND' });
    // The refusal, or (without the byte limit) the list itself, whose first series is host-0000000.
    const reply = await bench.slack.waitFor((c) => /larger than|More than|host-0000000/.test(textOf(c.args)), 120_000);
    process.stdout.write(`${JSON.stringify({ text: textOf(reply.args), rss: process.memoryUsage().rss, before })}\n`);
  } finally {
    await bench.stop();
  }
}

runAsChild(main);
