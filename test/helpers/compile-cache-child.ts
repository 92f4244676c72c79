import fs from 'node:fs';
import path from 'node:path';
import { runAsChild } from './child-main';
import { startBench } from './app';
import { compileCacheDir } from '../../src/ops/compile-cache';

/**
 * Run in a child process by test/e2e/compile-cache.test.ts: starts the real app and, while it still runs (so what
 * is counted was written at ready, not at exit), prints one JSON line: { dir, files } — where the compile cache
 * lives (null when off) and how many entries it holds.
 */
const entries = (dir: string | null): number => (dir && fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).filter((f) => fs.statSync(path.join(dir, String(f))).isFile()).length : 0);

async function main(): Promise<void> {
  const bench = await startBench();
  try {
    // Written right after ready: wait for it with a wall-time bound, not a count of turns.
    for (const until = Date.now() + 5000; compileCacheDir && entries(compileCacheDir) < 100 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
    process.stdout.write(`${JSON.stringify({ dir: compileCacheDir, files: entries(compileCacheDir) })}\n`);
  } finally {
    await bench.stop();
  }
}

runAsChild(main);
