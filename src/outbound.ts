import { classifyFailure } from './failures';

/**
 * The one outbound-call policy (issue 10): every call Lookout makes to AWS, a metrics backend, Grafana or Slack has
 * a timeout, every body it reads has a byte limit, and retries happen only where they cannot repeat an effect.
 * Adapters take these defaults and accept overrides (tests shorten them); the numbers and why:
 *
 * - AWS SDK calls: 3 s to connect, 15 s per attempt. Every AWS API Lookout calls answers in well under a second
 *   when healthy; 15 s is past any healthy tail, and with the SDK's 3–5 attempts a command still ends in ~1 min.
 * - Prometheus queries: 30 s per attempt (the server is told 29 s so a slow query ends with its own message).
 * - Grafana HTTP: 15 s per attempt (dashboard JSON and search are small, cheap reads).
 * - Slack Web API: 20 s (files.uploadV2 sends a chart of a few hundred KB); response_url: 10 s (one small POST).
 * - Bodies: a Prometheus range answer at the 11,000-point cap for a few dozen series is ~16 MB of JSON, so 32 MiB;
 *   instant answers 16 MiB; series/label lists 8 MiB (≈ 80,000 series); Grafana dashboard JSON 8 MiB (the largest
 *   real dashboards are ~2 MB), search 4 MiB; error bodies 64 KiB (only the first lines are ever shown).
 * - Counts: at most 10,000 series, label names or label values per answer, sent as Prometheus's own `limit` (lists
 *   from 2.50, queries from 3.x); the 500-series chart cap and the 50-row lists of the metrics service come after.
 */
export interface OutboundPolicy {
  aws: { connectMs: number; requestMs: number };
  prometheus: { requestMs: number };
  grafana: { requestMs: number };
  slack: { requestMs: number; responseUrlMs: number };
  maxBytes: { range: number; instant: number; list: number; dashboard: number; search: number; error: number };
  /** Series, label names or label values accepted in one answer. */
  maxListItems: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_OUTBOUND: OutboundPolicy = {
  aws: { connectMs: 3_000, requestMs: 15_000 },
  prometheus: { requestMs: 30_000 },
  grafana: { requestMs: 15_000 },
  slack: { requestMs: 20_000, responseUrlMs: 10_000 },
  maxBytes: { range: 32 * MiB, instant: 16 * MiB, list: 8 * MiB, dashboard: 8 * MiB, search: 4 * MiB, error: 64 * 1024 },
  maxListItems: 10_000,
};

/** The body was longer than the caller accepts; reading stopped there and the connection was dropped. */
export class BodyTooLargeError extends Error {
  readonly code = 'BODY_TOO_LARGE';
  constructor(readonly limitBytes: number) {
    super(`the answer is larger than ${formatBytes(limitBytes)}`);
    this.name = 'BodyTooLargeError';
  }
}

export function formatBytes(n: number): string {
  return n >= MiB ? `${Math.round(n / MiB)} MiB` : `${Math.round(n / 1024)} KiB`;
}

/**
 * Reads a fetch() body as UTF-8 text, at most `maxBytes` of it: a larger body (declared or actual) cancels the
 * stream, which closes the connection, and throws BodyTooLargeError. Never `res.text()` on a body from elsewhere.
 */
export async function readBounded(res: Response, maxBytes: number): Promise<string> {
  const { text, truncated } = await readUpTo(res, maxBytes, true);
  if (truncated) throw new BodyTooLargeError(maxBytes);
  return text;
}

/** The first `maxBytes` of a body (an error page, of which only the first lines are shown); the rest is dropped. */
export async function readPrefix(res: Response, maxBytes: number): Promise<string> {
  return (await readUpTo(res, maxBytes, false)).text;
}

async function readUpTo(res: Response, maxBytes: number, refuseDeclared: boolean): Promise<{ text: string; truncated: boolean }> {
  const body = res.body;
  if (!body) return { text: '', truncated: false };
  if (refuseDeclared && Number(res.headers.get('content-length') ?? NaN) > maxBytes) {
    await body.cancel().catch(() => undefined);
    return { text: '', truncated: true };
  }
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - total;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      total += room;
      truncated = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    total += value.byteLength;
  }
  return { text: Buffer.concat(chunks, total).toString('utf8'), truncated };
}

/** Drops a body nobody will read, so the connection is freed instead of buffering it. */
export async function discardBody(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => undefined);
}

/** The longest wait Lookout accepts before a retry; a server asking for longer gets no retry (Prometheus) or this. */
export const MAX_RETRY_AFTER_MS = 10_000;

/**
 * How long to wait before retry `attempt` of an idempotent read: the server's Retry-After (seconds or an HTTP date)
 * when it sent one, else exponential back-off with full jitter from 200 ms (aws-apis.md §6.1).
 */
export function retryDelayMs(attempt: number, retryAfter: string | null, random: () => number = Math.random, now = Date.now()): number {
  if (retryAfter) {
    const secs = Number(retryAfter);
    const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(retryAfter) - now;
    if (Number.isFinite(ms)) return Math.max(0, ms);
  }
  return Math.round(random() * Math.min(5_000, 200 * 2 ** (attempt - 1)));
}

/**
 * Timeout and p-retry options for Slack's WebClient. Its default retries every failed request, including one that timed out
 * or lost its connection after sending, which for chat.postMessage or a file upload can post twice. Those are not
 * retried; refused connections, Slack 5xx answers and rate limits (handled by the WebClient itself) still are.
 */
export function slackClientOptions(retry: { retries: number; factor?: number; minTimeout?: number }, policy: OutboundPolicy = DEFAULT_OUTBOUND) {
  return {
    timeout: policy.slack.requestMs,
    retryConfig: {
      ...retry,
      // p-retry (under the WebClient) gives up at once when onFailedAttempt throws.
      onFailedAttempt: (err: unknown) => {
        if (mayHaveTakenEffect(err) || isHttpRefusal(err) || wasDropped(err)) throw err;
      },
    },
  };
}

/**
 * A 4xx other than 429 (a channel or method that is gone): asking again gets the same answer and only holds a slot
 * in the client's queue. 429s never reach the retry rule: the WebClient waits for Retry-After itself.
 */
function isHttpRefusal(err: unknown): boolean {
  const e = err as { code?: string; statusCode?: number };
  return e.code === 'slack_webapi_http_error' && e.statusCode !== undefined && e.statusCode < 500;
}

/** Refused by the per-channel gate (ops/slack-gate.ts) before reaching Slack: asking again at once is what it refuses. */
function wasDropped(err: unknown): boolean {
  return (err as { original?: { code?: string } })?.original?.code === 'slack_post_dropped';
}

function mayHaveTakenEffect(err: unknown): boolean {
  const original = (err as { original?: { name?: string; message?: string; code?: string; cause?: { code?: string } } })?.original;
  if (!original) return false;
  // The WebClient re-wraps a DOMException from another realm as `new Error(String(e))`: the name is then in the message.
  const name = /^(TimeoutError|AbortError)\b/.exec(original.message ?? '')?.[1] ?? original.name;
  const kind = classifyFailure({ name, code: original.code, cause: original.cause });
  return kind === 'timeout' || kind === 'reset';
}
