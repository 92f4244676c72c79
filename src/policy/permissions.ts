import { VERBS } from '../config/schema';
import type { LookoutConfig, Verb } from '../config/types';
import { channelPolicy } from './channel-policy';
import { adminRefusal, channelAllows, channelRefusal, noConfigChaosRefusal } from './refusals';

export { channelPolicy, expandGrants, type ChannelPolicy } from './channel-policy';
export { resolveAccount, type ResolvedAccount } from './accounts';

/** Who is asking, and where. `userGroupIds` are the Slack user groups (S…) the user belongs to. */
export interface Asker {
  channelId: string;
  userId: string;
  userGroupIds: string[];
}

export type Authorization = { allowed: true } | { allowed: false; message: string };

/** Admin goes by person or user group, never by channel. */
export function isAdmin(cfg: LookoutConfig, userId: string, userGroupIds: string[]): boolean {
  return cfg.admins.includes(userId) || userGroupIds.some((g) => cfg.admins.includes(g));
}

/** Approving is not a verb: it is membership of the channel's `approvers` (by user id or user group). */
export function isApprover(cfg: LookoutConfig, channelId: string, userId: string, userGroupIds: string[]): boolean {
  const { approvers } = channelPolicy(cfg, channelId);
  return approvers.includes(userId) || userGroupIds.some((g) => approvers.includes(g));
}

/** May this person use `verb` here? A refusal says what happened and who can change it. */
export function authorize(cfg: LookoutConfig, who: Asker, verb: Verb): Authorization {
  const message = findRefusal(cfg, who, verb);
  return message === null ? { allowed: true } : { allowed: false, message };
}

/**
 * Everything the person may do in this channel (help filtering, whoami); agrees with authorize, decided the same
 * way as findRefusal but with the channel's policy worked out once and no refusal written (every command asks:
 * one refusal message per verb it may not use cost ~12 µs of each `/lookout help`).
 */
export function allowedVerbs(cfg: LookoutConfig, who: Asker): Set<Verb> {
  const policy = cfg.present ? channelPolicy(cfg, who.channelId) : undefined;
  const admin = isAdmin(cfg, who.userId, who.userGroupIds);
  return new Set(VERBS.filter((v) => (v === 'admin' ? admin : policy ? channelAllows(policy, v) : v !== 'chaos:run')));
}

function findRefusal(cfg: LookoutConfig, who: Asker, verb: Verb): string | null {
  if (verb === 'admin') return isAdmin(cfg, who.userId, who.userGroupIds) ? null : adminRefusal(cfg);
  if (!cfg.present) return verb === 'chaos:run' ? noConfigChaosRefusal(who.channelId) : null;
  const policy = channelPolicy(cfg, who.channelId);
  return channelRefusal(cfg, who.channelId, policy, verb);
}
