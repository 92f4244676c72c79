import { getHeapSpaceStatistics } from 'node:v8';
import { runAsChild } from './child-main';
import { startBench } from './app';

/**
 * Run in a child process by test/e2e/startup-footprint.test.ts (its heap is Lookout's alone): starts the real app,
 * prints the young generation's size once it takes requests, then allocates objects that survive a few scavenges
 * (what load does) and prints the size again. One JSON line: { atReady, afterChurn } in bytes.
 */
const youngGeneration = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;

async function main(): Promise<void> {
  const bench = await startBench();
  try {
    (globalThis as { gc?: () => void }).gc?.();
    const atReady = youngGeneration();
    let kept: unknown[] = [];
    for (let i = 0; i < 400_000; i++) {
      kept.push({ i, s: `object ${i}` });
      if (kept.length > 100_000) kept = [];
    }
    process.stdout.write(`${JSON.stringify({ atReady, afterChurn: youngGeneration(), kept: kept.length })}\n`);
  } finally {
    await bench.stop();
  }
}

runAsChild(main);
