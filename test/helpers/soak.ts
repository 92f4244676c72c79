/**
 * The reliability suites' one sizing switch: CI size in `npm test`, full size with LOOKOUT_SOAK=1
 * (docs/reliability.md). `size(ci, full)` picks the count for the run.
 */
export const SOAK = process.env.LOOKOUT_SOAK === '1';

export const size = (ci: number, full: number): number => (SOAK ? full : ci);

/** Soak runs take minutes; a jest timeout that fits the run's size. */
export const timeoutFor = (ciMs: number, fullMs: number): number => size(ciMs, fullMs);
