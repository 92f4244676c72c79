import { VERBS } from '../config/schema';
import type { LookoutConfig, Verb } from '../config/types';

/** What a channel's configuration grants (product.md §8), before asking who is asking. Pure. */
export interface ChannelPolicy {
  /** false when no configuration entry applies (no file, or neither the channel nor `default` listed). */
  configured: boolean;
  verbs: Set<Verb>;
  account?: string;
  /** What `--account` may pick; the channel's `account` alone when it has no `accounts`. */
  accounts: string[];
  approvers: string[];
  minApprovals: number;
}

/** Raw grants → verbs (product.md §8): bare prefixes expand, `*` is everything but admin, stop follows read/run. */
export function expandGrants(allow: string[]): Set<Verb> {
  const verbs = new Set<Verb>();
  for (const grant of allow) {
    if (grant === 'admin') continue; // only `admins` have it, whatever a channel says
    for (const v of VERBS) {
      if (v === 'admin') continue;
      if (grant === '*' || v === grant || v.startsWith(`${grant}:`)) verbs.add(v);
    }
  }
  // Stopping is never harder than starting or watching.
  if (verbs.has('chaos:read') || verbs.has('chaos:run')) verbs.add('chaos:stop');
  return verbs;
}

/** The channel's effective settings: its own keys, each falling back to `default`'s. */
export function channelPolicy(cfg: LookoutConfig, channelId: string): ChannelPolicy {
  if (!cfg.present) {
    const verbs = new Set(VERBS.filter((v) => v !== 'chaos:run' && v !== 'admin'));
    return { configured: false, verbs, accounts: [], approvers: [], minApprovals: 1 };
  }
  const listed = cfg.channels[channelId];
  const fallback = cfg.channels.default;
  const own = listed ?? fallback;
  if (!own) return { configured: false, verbs: new Set(), accounts: [], approvers: [], minApprovals: 1 };
  const base = listed ? fallback : undefined;
  const account = own.account ?? base?.account;
  return {
    configured: true,
    verbs: expandGrants(own.allow),
    account,
    accounts: own.accounts ?? base?.accounts ?? (account ? [account] : []),
    approvers: own.approvers ?? base?.approvers ?? [],
    minApprovals: own.minApprovals ?? base?.minApprovals ?? 1,
  };
}
