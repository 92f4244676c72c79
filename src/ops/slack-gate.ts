import { sleepFor } from '../clock';
import { LookoutError } from '../errors';
import { MAX_RETRY_AFTER_MS, discardBody } from '../outbound';

/**
 * Slack limits posting per channel (about one message a second, bursts allowed) and answers 429 with Retry-After.
 * The WebClient's own answer to a 429 is to pause its whole queue, so one busy channel held every command's reply,
 * and a channel whose posts hang held a queue slot each for 20 s. This gate sits under the WebClient (its `fetch`,
 * with `rejectRateLimitedCalls: true` so the WebClient never pauses) and keeps each channel's trouble to itself:
 *
 * - a 429 is retried here after its Retry-After (at most `retries` times, never sooner, never past
 *   MAX_RETRY_AFTER_MS), and other posts to the same channel wait out the same Retry-After instead of asking again;
 * - at most `inFlight` posts per channel are with Slack at once and `waiting` more queue behind them; one more is
 *   refused at once (SlackPostDropped) and the person is told, rather than piling up behind a channel that does not
 *   answer.
 * Only a 429 is retried: Slack did not take that post, so a retry cannot post it twice (timeouts are never retried,
 * slackClientOptions in outbound.ts). Calls without a channel (auth.test, user look-ups…) only get the 429 handling.
 */
export interface SlackGateOptions {
  inFlight?: number;
  waiting?: number;
  retries?: number;
  now?: () => number;
  log?: { warn(obj: object, msg: string): void };
}

// 2 with Slack and 32 waiting: a burst of commands in one healthy channel queues rather than being refused, while
// a channel that does not answer holds at most 34 of the WebClient's request slots (main.ts raises those to 300).
export const SLACK_GATE_DEFAULTS = { inFlight: 2, waiting: 32, retries: 2 };

/** A post refused before it reached Slack: too many to that channel are already waiting. */
export class SlackPostDropped extends Error {
  readonly code = 'slack_post_dropped';
  constructor(readonly channel: string) {
    super(`too many posts to ${channel} are waiting for Slack`);
    this.name = 'SlackPostDropped';
  }
}

interface Lane {
  active: number;
  queue: (() => void)[];
  limitedUntil: number;
}

const CHANNEL_PARAM = /(?:^|&)channel(?:_id)?=([^&]+)/;

export function gateSlackCalls(inner: typeof fetch, o: SlackGateOptions = {}): typeof fetch {
  const { inFlight, waiting, retries } = { ...SLACK_GATE_DEFAULTS, ...o };
  const now = o.now ?? Date.now;
  const lanes = new Map<string, Lane>();
  let lastDropLog = -Infinity;
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const body = init?.body;
    const channel = typeof body === 'string' ? CHANNEL_PARAM.exec(body)?.[1] : undefined;
    const key = channel ? `channel:${decodeURIComponent(channel)}` : `method:${/\/([\w.]+)$/.exec(url)?.[1] ?? url}`;
    const lane = lanes.get(key) ?? { active: 0, queue: [], limitedUntil: 0 };
    lanes.set(key, lane);
    const signal = init?.signal ?? undefined;
    try {
      if (channel && lane.active >= inFlight) {
        if (lane.queue.length >= waiting) {
          // One line a second at most: a channel that does not answer would otherwise log every command.
          if (now() - lastDropLog >= 1000) {
            lastDropLog = now();
            o.log?.warn({ channel: key.slice(8), inFlight: lane.active, waiting: lane.queue.length }, 'Slack post dropped: too many posts to this channel are waiting for Slack');
          }
          throw new SlackPostDropped(key.slice(8));
        }
        await waitTurn(lane, signal); // the slot is handed over by the post that finished
      } else lane.active++;
      try {
        for (let attempt = 0; ; attempt++) {
          const wait = lane.limitedUntil - now();
          if (wait > 0) await sleepFor(wait, signal);
          const res = await inner(input, init);
          // A body that is not a string (a file's multipart form) cannot be sent again: its 429 goes up as it is.
          if (res.status !== 429 || attempt >= retries || (body !== undefined && typeof body !== 'string')) return res;
          const waitMs = retryAfterMs(res.headers.get('retry-after'));
          if (waitMs > MAX_RETRY_AFTER_MS) return res;
          lane.limitedUntil = Math.max(lane.limitedUntil, now() + waitMs);
          await discardBody(res);
        }
      } finally {
        const next = lane.queue.shift();
        if (next) next();
        else lane.active--;
      }
    } finally {
      if (lane.active === 0 && lane.queue.length === 0 && lane.limitedUntil <= now()) lanes.delete(key);
    }
  };
}

/** Slack sends whole seconds; a missing or unreadable header still waits a second (never a tight loop). */
function retryAfterMs(header: string | null): number {
  const secs = Number(header);
  return Number.isFinite(secs) && secs > 0 ? secs * 1000 : 1000;
}

function waitTurn(lane: Lane, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const turn = () => {
      signal?.removeEventListener('abort', aborted);
      resolve();
    };
    const aborted = () => {
      lane.queue.splice(lane.queue.indexOf(turn), 1);
      reject(signal?.reason);
    };
    if (signal?.aborted) return reject(signal.reason);
    signal?.addEventListener('abort', aborted, { once: true });
    lane.queue.push(turn);
  });
}

/**
 * A post Slack would not take in this channel (still rate-limited after the retries, or dropped by the gate) as the
 * message the person sees; undefined for any other failure.
 */
export function slackPostRefusal(err: unknown): LookoutError | undefined {
  const e = err as { code?: string; original?: { code?: string } };
  if (e?.code !== 'slack_webapi_rate_limited_error' && e?.original?.code !== 'slack_post_dropped') return undefined;
  return new LookoutError('rate_limited', 'Slack is limiting how fast I may post in this channel right now, so this answer was not posted.', {
    hint: 'Try again in a minute.',
    cause: err,
  });
}
