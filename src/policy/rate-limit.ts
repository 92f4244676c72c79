import type { LookoutConfig } from '../config/types';
import type { Clock } from '../ports/clock';

export type RateDecision = { ok: true } | { ok: false; scope: 'user' | 'channel'; retryAfterMs: number };

export interface RateLimiter {
  /** Counts the call when it is allowed; a refused call uses no budget, so retrying later works. */
  check(userId: string, channelId: string): RateDecision;
  /** Users and channels currently remembered: stays proportional to the last minute's traffic. */
  readonly trackedKeys: number;
}

const WINDOW_MS = 60_000;

/**
 * Per-user and per-channel sliding 60-second windows (product.md §2: stop a loop or a script from running
 * up AWS costs). Each key keeps at most `limit` timestamps, and keys idle for a window are forgotten, so
 * memory follows recent traffic only.
 */
export function createRateLimiter(limits: LookoutConfig['limits'], clock: Pick<Clock, 'now'>): RateLimiter {
  const users = new Map<string, number[]>();
  const channels = new Map<string, number[]>();
  let lastSweep = clock.now();

  const recentHits = (map: Map<string, number[]>, key: string, now: number): number[] => {
    const hits = map.get(key) ?? [];
    while (hits.length > 0 && hits[0] <= now - WINDOW_MS) hits.shift();
    return hits;
  };
  const refusal = (hits: number[], limit: number, now: number): number | null =>
    hits.length < limit ? null : Math.max(1, hits[hits.length - limit] + WINDOW_MS - now);
  const sweep = (now: number) => {
    if (now - lastSweep < WINDOW_MS) return;
    lastSweep = now;
    for (const map of [users, channels]) {
      for (const [key, hits] of map) if (hits.length === 0 || hits[hits.length - 1] <= now - WINDOW_MS) map.delete(key);
    }
  };

  return {
    check(userId, channelId) {
      const now = clock.now();
      sweep(now);
      const userHits = recentHits(users, userId, now);
      const channelHits = recentHits(channels, channelId, now);
      const userWait = refusal(userHits, limits.perUserPerMinute, now);
      if (userWait !== null) return { ok: false, scope: 'user', retryAfterMs: userWait };
      const channelWait = refusal(channelHits, limits.perChannelPerMinute, now);
      if (channelWait !== null) return { ok: false, scope: 'channel', retryAfterMs: channelWait };
      userHits.push(now);
      channelHits.push(now);
      users.set(userId, userHits);
      channels.set(channelId, channelHits);
      return { ok: true };
    },
    get trackedKeys() {
      return users.size + channels.size;
    },
  };
}
