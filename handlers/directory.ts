import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Clock } from '../src/ports/clock';
import type { LookoutConfig } from '../src/config/types';
import type { Directory } from './types';

/**
 * User-group membership from usergroups.users.list (Tier 2: cached for `ttlMs`). A group that cannot be read
 * counts as not containing the user: refusing is the safe side for approvals and admin.
 */
export function createSlackDirectory(client: WebClient, clock: Clock, logger: Logger, ttlMs = 5 * 60_000): Directory {
  const cache = new Map<string, { at: number; members: Promise<Set<string>> }>();
  const membersOf = (groupId: string): Promise<Set<string>> => {
    const hit = cache.get(groupId);
    if (hit && clock.now() - hit.at < ttlMs) return hit.members;
    const members = client.usergroups.users
      .list({ usergroup: groupId })
      .then((r) => new Set((r.users as string[] | undefined) ?? []))
      .catch((err) => {
        logger.warn({ err, groupId }, 'could not read user group members');
        cache.delete(groupId);
        return new Set<string>();
      });
    cache.set(groupId, { at: clock.now(), members });
    return members;
  };
  return {
    async groupsOf(userId, candidates) {
      const found = await Promise.all(candidates.map(async (g) => ((await membersOf(g)).has(userId) ? g : null)));
      return found.filter((g): g is string => g !== null);
    },
  };
}

/** User-group ids named anywhere in the configuration: the only groups whose membership matters. */
export function configuredGroupIds(cfg: LookoutConfig): string[] {
  const ids = [...cfg.admins, ...Object.values(cfg.channels).flatMap((c) => c.approvers ?? [])];
  return [...new Set(ids.filter((id) => id.startsWith('S')))];
}
