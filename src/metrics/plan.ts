import { LookoutError } from '../errors';
import type { MetricsLimits } from './model';

/** Steps a person would choose, so automatic steps read well in the answer and in Grafana. */
export const NICE_STEPS_MS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800,
].map((s) => s * 1000);

export interface RangePlan {
  start: number;
  end: number;
  stepMs: number;
  stepChosen: boolean;
}

/** Prometheus-style short duration: 90000 → `1m30s`, 21600000 → `6h`. */
export function formatPromDuration(ms: number): string {
  const units: [string, number][] = [['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];
  let rest = Math.round(ms);
  let out = '';
  for (const [unit, size] of units) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out || '0s';
}

/** Points Prometheus evaluates for a range query: start, start+step, … ≤ end. */
export function pointsFor(rangeMs: number, stepMs: number): number {
  return Math.floor(rangeMs / stepMs) + 1;
}

/** The smallest nice step at or above `minMs` (the largest one when none is). */
export function niceStepAtLeast(minMs: number): number {
  return NICE_STEPS_MS.find((s) => s >= minMs) ?? Math.ceil(minMs / 86_400_000) * 86_400_000;
}

/**
 * Turns `--range/--step/--at` into the query window, enforcing the cost caps of product.md §5: at most
 * `maxPointsPerSeries` points a series and `maxRangeMs` of history. Without --step, aims at `targetPoints`.
 */
export function planRange(r: { rangeMs: number; stepMs?: number; end?: number }, now: number, limits: MetricsLimits): RangePlan {
  const range = formatPromDuration(r.rangeMs);
  if (r.rangeMs > limits.maxRangeMs) {
    throw new LookoutError('invalid_input', `\`--range ${range}\` is longer than Lookout allows (${formatPromDuration(limits.maxRangeMs)}).`, {
      hint: `Use a shorter \`--range\`, or \`--at\` to look at an older window.`,
    });
  }
  const end = r.end ?? now;
  assertNotFuture(end, now, limits);
  if (r.stepMs !== undefined) {
    if (r.stepMs > r.rangeMs) throw new LookoutError('invalid_input', '`--step` must be shorter than `--range`.');
    const points = pointsFor(r.rangeMs, r.stepMs);
    if (points > limits.maxPointsPerSeries) {
      const fits = niceStepAtLeast(Math.max(limits.minStepMs, r.rangeMs / (limits.maxPointsPerSeries - 1)));
      throw new LookoutError(
        'invalid_input',
        `\`--range ${range} --step ${formatPromDuration(r.stepMs)}\` would be ${points.toLocaleString('en-US')} points a series; ` +
          `the limit is ${limits.maxPointsPerSeries.toLocaleString('en-US')}.`,
        { hint: `Use \`--step ${formatPromDuration(fits)}\` or more, or leave \`--step\` out and Lookout picks one.` },
      );
    }
    return { start: end - r.rangeMs, end, stepMs: r.stepMs, stepChosen: false };
  }
  const stepMs = niceStepAtLeast(Math.max(limits.minStepMs, r.rangeMs / limits.targetPoints));
  return { start: end - r.rangeMs, end, stepMs, stepChosen: true };
}

export function assertNotFuture(at: number, now: number, limits: MetricsLimits): void {
  if (at > now + limits.maxFutureMs) {
    throw new LookoutError('invalid_input', '`--at` is in the future: there is no data there yet.', {
      hint: 'Leave `--at` out to query now.',
    });
  }
}
