import type { Verb } from '../config/types';

/**
 * The verbs `/chaos run` needs (product.md §4): `chaos:run`, and `metrics` as well when the run brings its own
 * `--guard`, because that runs the requester's PromQL against the channel's metrics backend every interval.
 */
export function runVerbs(run: { guard?: unknown }): Verb[] {
  return run.guard === undefined ? ['chaos:run'] : ['chaos:run', 'metrics'];
}

/** Null when `granted` (allowedVerbs for the person here) covers what the run needs, else why not. */
export function runVerbRefusal(run: { guard?: unknown }, granted: ReadonlySet<Verb>): string | null {
  const missing = runVerbs(run).filter((v) => !granted.has(v));
  if (missing.length === 0) return null;
  if (missing.includes('chaos:run')) return 'You may not run chaos experiments in this channel (`chaos:run`).';
  return 'An ad-hoc `--guard` runs PromQL, so it needs the `metrics` permission here as well as `chaos:run`. Run without `--guard`, or ask an admin to allow `metrics` in this channel.';
}

/**
 * A button naming a request acts only from that request's own card, in its workspace: a value copied onto another
 * request's card, another channel, another team or a message Lookout did not post is refused before anything is
 * approved, denied or stopped (the approvers list alone would let an approver act from anywhere).
 */
export function clickedOnItsCard(
  request: { teamId: string; channelId: string; message?: { channel: string; ts: string } } | null | undefined,
  click: { teamId: string; channelId: string; clicked?: { channel: string; ts: string } },
): boolean {
  const card = request?.message;
  return !!request && request.teamId === click.teamId && request.channelId === click.channelId && (!card || (card.channel === click.clicked?.channel && card.ts === click.clicked?.ts));
}
