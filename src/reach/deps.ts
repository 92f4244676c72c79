/** What the reach service needs, and the defaults product.md §3 sets. */
import type { AwsTarget } from '../ports/aws';
import type { Clock } from '../ports/clock';
import type { Reachability } from '../ports/reachability';
import type { Store } from '../ports/store';
import { POLL_DEFAULTS } from './poll';

export interface ReachDeps {
  /** The port bound to one account and region (the SDK adapter, or the sandbox). */
  reachability: (target: AwsTarget) => Reachability;
  store: Store;
  clock: Clock;
  /** The target a stored path runs with, for the sweep (which has no person or channel behind it). */
  targets?: (ref: { accountName: string; accountId?: string; region: string }) => Promise<AwsTarget>;
  /** config.reach.minWatchIntervalMs; default 15 min. */
  minWatchIntervalMs?: number;
  /** The same question within this long is answered from the last result; default 10 min. */
  cacheTtlMs?: number;
  /** Overall deadline for one analysis; default 10 min. */
  deadlineMs?: number;
  pollInitialDelayMs?: number;
  pollMaxDelayMs?: number;
}

export type ResolvedDeps = Required<Omit<ReachDeps, 'targets'>> & Pick<ReachDeps, 'targets'>;

export function resolveDeps(deps: ReachDeps): ResolvedDeps {
  return {
    ...deps,
    minWatchIntervalMs: deps.minWatchIntervalMs ?? 15 * 60_000,
    cacheTtlMs: deps.cacheTtlMs ?? 10 * 60_000,
    deadlineMs: deps.deadlineMs ?? POLL_DEFAULTS.deadlineMs,
    pollInitialDelayMs: deps.pollInitialDelayMs ?? POLL_DEFAULTS.initialDelayMs,
    pollMaxDelayMs: deps.pollMaxDelayMs ?? POLL_DEFAULTS.maxDelayMs,
  };
}
