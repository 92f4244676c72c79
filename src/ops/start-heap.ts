import { setFlagsFromString } from 'node:v8';

/**
 * RSS idle (docs/performance.md). Loading Lookout's modules allocates objects that live as long as the process;
 * V8 reads their survival as a reason to grow the young generation to its maximum (two 16 MiB semi-spaces), and an
 * idle Lookout then kept ~9 MiB more resident than a bare Bolt app for nothing. While modules load and Lookout
 * starts, the young generation keeps its initial size; once Lookout takes requests (or after a minute, whatever
 * happens) growth is allowed again, so under load V8 sizes it exactly as before. V8 reads
 * `--semi-space-growth-factor` each time it considers growing; 2 is its default.
 *
 * main.ts imports this module first, for this effect: it must run before the other modules load.
 */
const V8_DEFAULT_GROWTH_FACTOR = 2;
const RELEASE_AT_THE_LATEST_MS = 60_000;

let held = false;

/** Lets the young generation grow again (idempotent). */
export function releaseYoungGeneration(): void {
  if (!held) return;
  held = false;
  setFlagsFromString(`--semi-space-growth-factor=${V8_DEFAULT_GROWTH_FACTOR}`);
}

setFlagsFromString('--semi-space-growth-factor=1');
held = true;
setTimeout(releaseYoungGeneration, RELEASE_AT_THE_LATEST_MS).unref();
