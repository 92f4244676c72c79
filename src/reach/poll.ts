/**
 * Polls an analysis until it leaves 'running'. There is no SDK waiter for analyses and they "can take a few
 * minutes" (aws-apis.md §1.6): start quickly, back off, give up at an overall deadline.
 */
import type { Clock } from '../ports/clock';
import type { Reachability } from '../ports/reachability';
import type { Analysis } from './model';

export interface PollOptions {
  clock: Clock;
  deadlineMs: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Called before every wait with the time since `startedAt`; failures are ignored (progress is best-effort). */
  onProgress?: (elapsedMs: number) => void | Promise<void>;
  /** When the run started (a joined run started before we arrived). Defaults to now. */
  startedAt?: number;
}

/**
 * Freshness budget (issue 15, docs/performance.md): the channel shows a finished analysis within 1 s at the median
 * and 3 s at p99, at most one describe call per second. A 15 s back-off cap left p50 at ~6 s; 1 → 1.5 s meets it
 * at ≤ 0.67 calls/s (DescribeNetworkInsightsAnalyses shares EC2's describe rate bucket, ~20/s refill per account).
 */
export const POLL_DEFAULTS = { deadlineMs: 10 * 60_000, initialDelayMs: 1_000, maxDelayMs: 1_500, factor: 1.5 } as const;

/** The finished analysis, or null when the deadline passed first (the analysis may still finish at AWS). */
export async function pollAnalysis(port: Reachability, first: Analysis, opts: PollOptions): Promise<Analysis | null> {
  const { clock } = opts;
  const start = opts.startedAt ?? clock.now();
  let delay = opts.initialDelayMs ?? POLL_DEFAULTS.initialDelayMs;
  const maxDelay = opts.maxDelayMs ?? POLL_DEFAULTS.maxDelayMs;
  let current = first;
  while (current.status === 'running') {
    const elapsed = clock.now() - start;
    if (elapsed >= opts.deadlineMs) return null;
    try {
      await opts.onProgress?.(elapsed);
    } catch {
      // A failed message update must not abandon an analysis that is being paid for.
    }
    await clock.sleep(Math.min(delay, opts.deadlineMs - elapsed));
    delay = Math.min(delay * POLL_DEFAULTS.factor, maxDelay);
    current = await port.getAnalysis(current.id);
  }
  return current;
}
