import { LookoutError, type ErrorCode } from '../errors';
import type { PromEnvelope } from './prometheus-decode';
import { escapeText } from '../text';
import { formatBytes, type BodyTooLargeError } from '../outbound';
import { classifyFailure, classifyStatus, networkCode } from '../failures';
import { failureError } from './errors';

/**
 * Classifies failed Prometheus-compatible API calls (Prometheus, AMP, Thanos, Mimir…) into LookoutErrors whose
 * message says what happened and what to do. Backend text is escaped here: src/aws may not import views/text.
 */
export interface FailureContext {
  backend: string; // describe() of the adapter
  query?: string; // PromQL the person typed, for pointing at a parse error
  op?: string; // 'query', 'query_range', 'series', 'labels', …: lists and queries are narrowed differently
  timeoutMs: number;
  requestIds: string[];
  hints?: { accessDenied?: string; notFound?: string };
}

const PROMQL_DOCS = '<https://prometheus.io/docs/prometheus/latest/querying/basics/|PromQL basics>';
const REACH_HINT = 'Check that the metrics backend is running and reachable from Lookout, and its URL in the configuration.';
const SELECTOR_HINT = 'Narrow the selector with more label matchers (`{job="api", instance=~"web-.*"}`), or shorten `--range`.';
const NARROW_HINT =
  'Make it cheaper: add label matchers, aggregate (`sum by (label) (…)` or `topk(10, …)`), shorten `--range` or use a larger `--step`.';

export const escapeMrkdwn = escapeText;
// Backend text inside a ``` block: escaped, and unable to close the block early.
const block = (s: string): string => '```' + escapeMrkdwn(s.slice(0, 1500)).replace(/```/g, "'''") + '```';

/** True for answers worth one more try after a back-off: throttling and gateway trouble, never a query timeout. */
export function isRetryableStatus(status: number, body: PromEnvelope | undefined): boolean {
  if (status === 429 || status === 502 || status === 504) return true;
  return status === 503 && body?.errorType !== 'timeout' && body?.errorType !== 'canceled';
}

export function mapHttpFailure(status: number, body: PromEnvelope | undefined, text: string, ctx: FailureContext, errorType?: string): LookoutError {
  const message = (body?.error ?? (body as any)?.message ?? (body as any)?.Message ?? text).toString().trim();
  const make = (code: ErrorCode, userMessage: string, hint?: string) =>
    new LookoutError(code, userMessage, { hint, requestIds: ctx.requestIds, cause: { status, body: body ?? text } });
  const type = body?.errorType;
  // AMP documents "HTTP 422: query timeout"; Prometheus answers 503 with errorType timeout.
  if (type === 'timeout' || type === 'canceled' || ((status === 422 || status >= 500) && /time[d ]?out/i.test(message))) {
    return make('timeout', `The query timed out on ${escapeMrkdwn(ctx.backend)}.${message ? `\n${block(message)}` : ''}`, NARROW_HINT);
  }
  const detail = message ? `\n${block(message)}` : '';
  if (isTooExpensive(message)) {
    return make('quota', `The query is too expensive for ${escapeMrkdwn(ctx.backend)}:\n${block(message)}`, NARROW_HINT);
  }
  if (type === 'bad_data' || type === 'execution') return badQuery(message, ctx, make);
  const kind = expiredCredentials(errorType, message) ? 'expired' : classifyStatus(status);
  if (kind === 'invalid_input') return badQuery(message, ctx, make);
  // Refusals and server failures are not quoted: their text is the backend's internals (ARNs, stack traces), not
  // something the person can act on; the IAM action AWS names is the one useful part, and is kept.
  const action = /perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message)?.[1];
  return failureError(kind, {
    throttled: { message: `${escapeMrkdwn(ctx.backend)} is rate-limiting queries (HTTP 429).`, hint: 'Wait a minute and try again; frequent scheduled reports add to the load.' },
    expired: { message: `The AWS credentials Lookout signed with for ${escapeMrkdwn(ctx.backend)} have expired (HTTP ${status}).`, hint: EXPIRED_HINT },
    access_denied: {
      message: `${escapeMrkdwn(ctx.backend)} refused Lookout's credentials (HTTP ${status}).${action ? ` Lookout's role is missing \`${escapeMrkdwn(action)}\`.` : ''}`,
      hint: ctx.hints?.accessDenied,
    },
    not_found: { message: `No Prometheus API answered at ${escapeMrkdwn(ctx.backend)} (HTTP 404).`, hint: ctx.hints?.notFound, code: 'config' },
    fallback: { message: `${escapeMrkdwn(ctx.backend)} failed (HTTP ${status}).${status >= 500 ? '' : detail}`, hint: 'Try again in a moment; if it persists, check the backend’s health.' },
  }, { cause: { status, body: body ?? text }, requestIds: ctx.requestIds });
}

const EXPIRED_HINT = 'Run the command again: Lookout fetches fresh credentials. If it persists, check the server clock and the role’s maximum session duration.';

// AMP (SigV4) says so in its x-amzn-ErrorType header and message; a 403 for expired credentials is not a missing permission.
function expiredCredentials(errorType: string | undefined, message: string): boolean {
  return /^(ExpiredToken|ExpiredTokenException|RequestExpired)\b/.test(errorType ?? '') || /security token included in the request is expired/i.test(message);
}

// AMP's samples-processed threshold and quotas, Prometheus's --query.max-samples, Mimir/Thanos series limits.
function isTooExpensive(message: string): boolean {
  const samples = /samples/i.test(message) && /(limit|threshold|too many|exceed|maximum)/i.test(message);
  const series = /series/i.test(message) && /(limit|too many|exceed)/i.test(message);
  return (samples || series) && !/parse error|resolution/i.test(message);
}

function badQuery(message: string, ctx: FailureContext, make: (c: ErrorCode, m: string, h?: string) => LookoutError): LookoutError {
  const own = message.replace(/^invalid parameter "(query|match\[\])": /, '');
  const pos = /^(\d+):(\d+): parse error/.exec(own);
  if (pos && ctx.query !== undefined) {
    const pointer = pointAt(ctx.query, Number(pos[1]), Number(pos[2]));
    return make('invalid_input', `PromQL error: ${block(`${own}\n\n${pointer}`)}`, `Fix the query at the marked position (${PROMQL_DOCS}).`);
  }
  if (/resolution of 11,000 points/i.test(own)) {
    return make('invalid_input', `Too many points per series:\n${block(own)}`, 'Use a larger `--step` or a shorter `--range`.');
  }
  return make('invalid_input', `${escapeMrkdwn(ctx.backend)} rejected the query:\n${block(own)}`, `Check the query (${PROMQL_DOCS}).`);
}

/** The query line the position points into, with a caret under the column (windowed for long lines). */
export function pointAt(query: string, line: number, col: number): string {
  const text = query.split('\n')[line - 1] ?? query;
  const at = Math.max(0, Math.min(col - 1, text.length));
  const from = Math.max(0, at - 60);
  const to = Math.min(text.length, at + 40);
  const shown = `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
  return `${shown}\n${' '.repeat(at - from + (from > 0 ? 1 : 0))}^`;
}

/** Worth one more try after a back-off: the connection dropped (every Prometheus API call is a read). */
export function isRetryableNetworkError(err: unknown): boolean {
  return classifyFailure(err) === 'reset';
}

/** fetch() failures: our own timeout, an unreachable host, a dropped connection, an answer over the byte limit. */
export function mapNetworkFailure(err: unknown, timedOut: boolean, ctx: FailureContext): LookoutError {
  const code = networkCode(err) ?? 'network error';
  const options = { cause: err, requestIds: ctx.requestIds };
  const backend = escapeMrkdwn(ctx.backend);
  return failureError(timedOut ? 'timeout' : classifyFailure(err), {
    timeout: { message: `No answer from ${backend} within ${Math.round(ctx.timeoutMs / 1000)} s.`, hint: NARROW_HINT },
    oversized: {
      message: `The answer from ${backend} is larger than ${formatBytes((err as BodyTooLargeError).limitBytes ?? 0)}, so Lookout stopped reading it.`,
      hint: ctx.op?.startsWith('query') ? NARROW_HINT : SELECTOR_HINT,
    },
    unreachable: { message: `Cannot reach ${backend}: cannot connect (${escapeMrkdwn(code)}).`, hint: REACH_HINT },
    fallback: { message: `Cannot reach ${backend}: the connection failed (${escapeMrkdwn(code)}).`, hint: REACH_HINT },
  }, options);
}

/** More series or label values than Lookout lists: refused before any sorting or rendering. */
export function tooManyItems(what: string, max: number, ctx: FailureContext): LookoutError {
  return new LookoutError('quota', `More than ${max.toLocaleString('en-US')} ${what} match on ${escapeMrkdwn(ctx.backend)}; Lookout lists at most that many.`, {
    hint: ctx.op?.startsWith('query') ? NARROW_HINT : SELECTOR_HINT,
    requestIds: ctx.requestIds,
  });
}
