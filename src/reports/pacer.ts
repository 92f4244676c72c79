/**
 * Polite posting of scheduled reports (product.md §7): about one message per second per channel, and when Slack
 * answers 429 the pacer waits the `Retry-After` it was given before anything else goes out (WebClient, too, pauses
 * its whole queue on a 429: slack-platform.md §5.5). A failed post is retried with the message already built, so
 * the command behind it never runs twice. Replies to commands do not go through here.
 */
import type { Clock } from '../ports/clock';
import { silentLogger, type ReportLogger } from './types';

export interface PacerDeps {
  clock: Clock;
  logger?: ReportLogger;
  /** Gap between two posts to one channel; default 1,100 ms (Slack: about 1 per second per channel). */
  minGapMs?: number;
  /** Attempts per post, rate-limited or failed; default 5. */
  maxAttempts?: number;
  /** Back-off after a failure that is not a 429; doubles per attempt. Default 1 s. */
  backoffMs?: number;
}

export interface Pacer {
  /** Runs `post` for `channel` when its turn comes, retrying it (and only it) on 429 and transient failures. */
  send<T>(channel: string, post: () => Promise<T>): Promise<T>;
  /** Posts waiting or under way. */
  readonly pending: number;
}

/** Slack errors that retrying cannot fix (https://api.slack.com/methods/chat.postMessage#errors). */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'msg_too_long',
  'no_text',
  'invalid_blocks',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'restricted_action',
  'msg_blocks_too_long',
]);

/**
 * The wait a rate-limited error asks for, in ms, or null when it is not one. Accepts @slack/web-api's
 * WebAPIRateLimitedError (`retryAfter` in seconds), `{ retryAfterMs }`, and `data.retryAfter` (seconds).
 */
export function retryAfterOf(err: unknown): number | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as { retryAfterMs?: unknown; retryAfter?: unknown; code?: unknown; data?: { retryAfter?: unknown } };
  if (typeof e.retryAfterMs === 'number' && e.retryAfterMs >= 0) return e.retryAfterMs;
  if (typeof e.retryAfter === 'number' && e.retryAfter >= 0) return e.retryAfter * 1000;
  if (typeof e.data?.retryAfter === 'number' && e.data.retryAfter >= 0) return e.data.retryAfter * 1000;
  if (e.code === 'slack_webapi_rate_limited_error') return 1000;
  return null;
}

function isPermanent(err: unknown): boolean {
  const e = err as { code?: unknown; data?: { error?: unknown } } | null;
  return typeof e?.data?.error === 'string' && PERMANENT.has(e.data.error);
}

export function createPacer(deps: PacerDeps): Pacer {
  const log = deps.logger ?? silentLogger;
  const gap = deps.minGapMs ?? 1100;
  const maxAttempts = Math.max(1, deps.maxAttempts ?? 5);
  const backoff = deps.backoffMs ?? 1000;
  const tails = new Map<string, Promise<unknown>>();
  const lastSent = new Map<string, number>();
  let holdUntil = 0; // a 429 holds every channel: the limit is the app's, not only this channel's
  let pending = 0;

  async function waitUntil(at: number): Promise<void> {
    for (let now = deps.clock.now(); now < at; now = deps.clock.now()) await deps.clock.sleep(at - now);
  }

  async function attempt<T>(channel: string, post: () => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      await waitUntil(Math.max(holdUntil, (lastSent.get(channel) ?? -Infinity) + gap));
      lastSent.set(channel, deps.clock.now());
      try {
        return await post();
      } catch (err) {
        const retryAfter = retryAfterOf(err);
        if (n >= maxAttempts || (retryAfter === null && isPermanent(err))) throw err;
        if (retryAfter !== null) {
          holdUntil = Math.max(holdUntil, deps.clock.now() + retryAfter);
          log.warn({ channel, retryAfterMs: retryAfter, attempt: n }, 'report post rate limited; waiting Retry-After');
        } else {
          const wait = backoff * 2 ** (n - 1);
          log.warn({ err, channel, attempt: n, waitMs: wait }, 'report post failed; retrying');
          await waitUntil(deps.clock.now() + wait);
        }
      }
    }
  }

  return {
    send<T>(channel: string, post: () => Promise<T>): Promise<T> {
      pending++;
      const previous = tails.get(channel) ?? Promise.resolve();
      const mine = previous.then(() => attempt(channel, post));
      const tail = mine.catch(() => undefined).finally(() => {
        pending--;
        if (tails.get(channel) === tail) tails.delete(channel);
      });
      tails.set(channel, tail);
      return mine;
    },
    get pending() {
      return pending;
    },
  };
}
