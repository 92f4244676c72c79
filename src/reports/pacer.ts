/**
 * Polite posting of scheduled reports (product.md §7): about one message per second per channel, and when Slack
 * answers 429 the pacer waits the `Retry-After` it was given before anything else goes out (WebClient, too, pauses
 * its whole queue on a 429: slack-platform.md §5.5). A post is retried (with the message already built, so the
 * command behind it never runs twice) only after an error that proves nothing was posted: a 429, or a connection
 * that was never made. Replies to commands do not go through here.
 */
import { LookoutError } from '../errors';
import type { Clock } from '../ports/clock';
import { silentLogger, type ReportLogger } from './model';

export interface PacerDeps {
  clock: Clock;
  logger?: ReportLogger;
  /** Gap between two posts to one channel; default 1,100 ms (Slack: about 1 per second per channel). */
  minGapMs?: number;
  /** Attempts per post (rate-limited, or the connection never made); default 5. */
  maxAttempts?: number;
  /** Back-off after a connection that could not be made; doubles per attempt. Default 1 s. */
  backoffMs?: number;
}

export interface Pacer {
  /** Runs `post` for `channel` when its turn comes, retrying it (and only it) when Slack surely did not post it. */
  send<T>(channel: string, post: () => Promise<T>): Promise<T>;
  /** Posts waiting or under way. */
  readonly pending: number;
}

/**
 * Errors that prove the request never reached Slack (nothing can have been posted): retried. A timeout, a reset or
 * a 5xx may come after Slack posted the message, so they are never retried (issue 10: no duplicate reports).
 */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
// Slack's own words for "something went wrong on our side; part of it may have happened" (chat.postMessage docs).
const MAYBE_DONE = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/**
 * The wait a rate-limited error asks for, in ms, or null when it is not one. Accepts @slack/web-api's
 * WebAPIRateLimitedError (`retryAfter` in seconds), `{ retryAfterMs }`, and `data.retryAfter` (seconds).
 */
export function retryAfterOf(err: unknown, depth = 0): number | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as { retryAfterMs?: unknown; retryAfter?: unknown; code?: unknown; data?: { retryAfter?: unknown }; cause?: unknown };
  if (typeof e.retryAfterMs === 'number' && e.retryAfterMs >= 0) return e.retryAfterMs;
  if (typeof e.retryAfter === 'number' && e.retryAfter >= 0) return e.retryAfter * 1000;
  if (typeof e.data?.retryAfter === 'number' && e.data.retryAfter >= 0) return e.data.retryAfter * 1000;
  if (e.code === 'slack_webapi_rate_limited_error') return 1000;
  // The replier turns Slack's 429 into the message a person reads (src/ops/slack-gate.ts); Slack's error is its cause.
  return depth < 2 ? retryAfterOf(e.cause, depth + 1) : null;
}

function neverSent(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown }; original?: { code?: unknown; cause?: { code?: unknown } } } | null;
  return [e?.code, e?.cause?.code, e?.original?.code, e?.original?.cause?.code].some((c) => typeof c === 'string' && NEVER_SENT.has(c));
}

/**
 * Slack answered "not done" (ok: false with an error code it does not hedge): nothing was posted. The replier may
 * have turned the answer into a clear LookoutError (an archived channel); Slack's answer is then its cause.
 */
function refused(err: unknown): boolean {
  const e = err as { data?: { error?: unknown }; cause?: { data?: { error?: unknown } } } | null;
  const code = e?.data?.error ?? e?.cause?.data?.error;
  return typeof code === 'string' && !MAYBE_DONE.has(code);
}

/** A failure after which the post may or may not be in the channel: said so, and never sent again. */
export class PostOutcomeUnknownError extends LookoutError {
  constructor(cause: unknown) {
    super('upstream', 'posted: unknown. Slack did not confirm the post (no answer, or an error after sending), so it may be in the channel; it was not sent again.', { cause });
  }
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
        if (retryAfter === null && !neverSent(err)) throw refused(err) ? err : new PostOutcomeUnknownError(err);
        if (n >= maxAttempts) throw err;
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
