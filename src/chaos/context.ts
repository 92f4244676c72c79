import { hostname } from 'node:os';
import type { LookoutConfig } from '../config/types';
import { LookoutError, isLookoutError } from '../errors';
import type { Actor, AwsTarget } from '../ports/aws';
import type { Clock } from '../ports/clock';
import type { Experiments } from '../ports/experiments';
import type { PromQuery } from '../ports/prom-query';
import type { Entity, Store } from '../ports/store';
import type { GroupMembership } from './membership';

/** How to reach AWS again for a stored request or experiment: its account and region, acting as `actor`. */
export interface TargetRef {
  accountName: string;
  accountId?: string;
  region: string;
  actor: Actor;
}

export interface ChaosLogger {
  warn(obj: object, msg: string): void;
  info?(obj: object, msg: string): void;
}

export interface ChaosOptions {
  /**
   * GetExperiment polling while watching. aws-apis.md §2.3 suggests 5–10 s; the freshness budget (issue 15: a state
   * change in the channel within 1 s median, 3 s p99, ≤ 1 call/s per experiment) needs 1.5 s.
   */
  pollMs: number;
  /** Run a skip-all target preview for `show` and for approval cards; off means "preview unavailable". */
  dryRunPreview: boolean;
  previewPollMs: number;
  previewTimeoutMs: number;
  /** The reminder goes to the thread this long before a request expires. */
  remindBeforeMs: number;
  /** Templates read in full (GetExperimentTemplate) for `/chaos list`; the rest are listed by name only. */
  listDetailLimit: number;
  /**
   * This replica's name on start leases. A restarted process with the same name (a container restarted in its pod
   * keeps its hostname) finishes its own interrupted starts at once instead of waiting for the lease to lapse.
   */
  replicaId: string;
  /** How long a start in flight belongs to the replica that began it: longer than StartExperiment with its retries. */
  startLeaseMs: number;
  /** How often a live replica sweeps for reminders, expiries and starts left behind by a replica that died. */
  sweepMs: number;
}

export const DEFAULT_CHAOS_OPTIONS: ChaosOptions = {
  pollMs: 1500,
  dryRunPreview: true,
  previewPollMs: 2000,
  previewTimeoutMs: 60_000,
  remindBeforeMs: 5 * 60_000,
  listDetailLimit: 20,
  replicaId: hostname(),
  startLeaseMs: 2 * 60_000,
  // A stuck start is picked up at most this long after its lease lapses; a sweep costs one indexed store read.
  sweepMs: 15_000,
};

/** What every chaos use case needs; built once by createChaosService. */
export interface ChaosContext {
  store: Store;
  clock: Clock;
  config: LookoutConfig;
  /** The FIS port for one account and region (src/aws/fis.ts `fisExperiments()`, or the sandbox). */
  experiments: (target: AwsTarget) => Experiments;
  /** Rebuilds a target for a stored request or watched experiment, acting as the given person. */
  resolveTarget: (ref: TargetRef) => Promise<AwsTarget>;
  /** User-group membership for approvers listed as `S…` (usergroups.users.list, cached briefly). */
  membership?: GroupMembership;
  newId: () => string;
  log: ChaosLogger;
  options: ChaosOptions;
  /**
   * The PromQL backend guards run against for an account, without retries (the next interval is the retry); absent
   * when no metrics backend is configured (a run with guards is then refused: its brake could not be read).
   */
  guardQuery?: (account: { name: string; region: string }, teamId: string) => Promise<PromQuery>;
}

/** The port for a stored account, acting as `actor` (the person whose click causes the call). */
export async function experimentsAs(ctx: ChaosContext, account: { name: string; id?: string; region: string }, actor: Actor): Promise<Experiments> {
  const target = await ctx.resolveTarget({ accountName: account.name, accountId: account.id, region: account.region, actor });
  return ctx.experiments(target);
}

/** Unexpected failures become an upstream error with a safe message; LookoutErrors pass through. */
export function asLookoutError(err: unknown, what: string): LookoutError {
  return isLookoutError(err) ? err : new LookoutError('upstream', what, { cause: err });
}

/** Merges `patch` into an entity's data without changing its state (store.update), only while the state is one of `states` (any when omitted). */
export async function patchEntity<D>(store: Store, kind: string, id: string, patch: Partial<D>, states?: string[]): Promise<Entity<D> | null> {
  const inState = (e: Entity<D>) => !states || states.includes(e.state);
  const updated = await store.update<D>(kind, id, (e) => (inState(e) ? { data: { ...e.data, ...patch } } : undefined));
  return updated && inState(updated.entity) ? updated.entity : null;
}
