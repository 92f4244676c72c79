import { LookoutError } from '../errors';
import type { Actor } from '../ports/aws';
import type { Experiment } from './model';
import type { Entity, Store } from '../ports/store';
import { asLookoutError, type ChaosContext } from './context';
import { stopAll } from './stop';

/**
 * `/chaos halt` and `/chaos resume` (product.md §4 "Halt"): one record in the store, so every replica refuses runs
 * while it says `halted`. Recording comes first, then the stops: a run requested meanwhile is already refused.
 */
export const HALT_KIND = 'chaos-halt';
const HALT_ID = 'all';

export interface HaltState {
  by: string; // Slack user id
  reason?: string;
  at: number; // epoch ms
}

interface HaltData extends Partial<HaltState> {
  resumedBy?: string;
  resumedAt?: number;
}

/** An account to stop experiments in, as lookout.yml names it (policy/accounts `configuredAccounts`). */
export interface HaltAccount {
  name: string;
  id?: string;
  region: string;
}

export interface HaltResult {
  halt: HaltState;
  /** False when chaos was already halted (the first halt's who and why are kept; experiments are stopped again anyway). */
  newly: boolean;
  stopped: { account: string; experiment: Experiment }[];
  failed: { account: string; experimentId?: string; error: LookoutError }[];
}

/** "2026-12-03 06:15": when a halt was set, as refusals and `/lookout status` show it (UTC). */
export function haltTime(at: number): string {
  return new Date(at).toISOString().slice(0, 16).replace('T', ' ');
}

/** The halt in force, or null. */
export async function currentHalt(store: Store): Promise<HaltState | null> {
  return haltOf(await store.get<HaltData>(HALT_KIND, HALT_ID));
}

function haltOf(e: Entity<HaltData> | null): HaltState | null {
  if (e?.state !== 'halted' || !e.data.by || e.data.at === undefined) return null;
  return { by: e.data.by, at: e.data.at, ...(e.data.reason ? { reason: e.data.reason } : {}) };
}

/** Records the halt (compare-and-set: concurrent halts agree on one), then stops every unfinished experiment in every account. */
export async function haltAll(ctx: ChaosContext, input: { actor: Actor; reason?: string; accounts: HaltAccount[] }): Promise<HaltResult> {
  const wanted: HaltState = { by: input.actor.userId, at: ctx.clock.now(), ...(input.reason ? { reason: input.reason } : {}) };
  const newly = await recordHalt(ctx.store, wanted);
  const halt = (await currentHalt(ctx.store)) ?? wanted;
  const result: HaltResult = { halt, newly, stopped: [], failed: [] };
  for (const account of input.accounts) {
    try {
      const target = await ctx.resolveTarget({ accountName: account.name, accountId: account.id, region: account.region, actor: input.actor });
      const done = await stopAll(ctx, target, input.actor);
      result.stopped.push(...done.stopped.map((experiment) => ({ account: account.name, experiment })));
      result.failed.push(...done.failed.map((f) => ({ account: account.name, ...f })));
    } catch (err) {
      result.failed.push({ account: account.name, error: asLookoutError(err, 'Listing or stopping experiments failed.') });
    }
  }
  return result;
}

/** Lifts the halt; returns the halt that was in force, or null when there was none (or another resume won). */
export async function resumeRuns(ctx: ChaosContext, actor: Actor): Promise<HaltState | null> {
  const halt = await currentHalt(ctx.store);
  if (!halt) return null;
  const patch: Partial<HaltData> = { resumedBy: actor.userId, resumedAt: ctx.clock.now() };
  const moved = await ctx.store.transition<HaltData>(HALT_KIND, HALT_ID, { from: ['halted'], to: 'resumed', patch });
  return moved ? halt : null;
}

async function recordHalt(store: Store, halt: HaltState): Promise<boolean> {
  const data: HaltData = { ...halt, reason: halt.reason };
  if (await store.create<HaltData>({ kind: HALT_KIND, id: HALT_ID, state: 'halted', data })) return true;
  // Exists: halted already (keep the first), or resumed earlier (halt again, fresh who and why).
  const moved = await store.transition<HaltData>(HALT_KIND, HALT_ID, { from: ['resumed'], to: 'halted', patch: { ...data, resumedBy: undefined, resumedAt: undefined } });
  return moved !== null;
}
