import { LookoutError, type ErrorCode } from '../errors';
import type { PromEnvelope } from './prometheus-decode';
import { escapeText } from '../text';

/**
 * Classifies failed Prometheus-compatible API calls (Prometheus, AMP, Thanos, Mimir…) into LookoutErrors whose
 * message says what happened and what to do. Backend text is escaped here: src/aws may not import views/text.
 */
export interface FailureContext {
  backend: string; // describe() of the adapter
  query?: string; // PromQL the person typed, for pointing at a parse error
  timeoutMs: number;
  requestIds: string[];
  hints?: { accessDenied?: string; notFound?: string };
}

const PROMQL_DOCS = '<https://prometheus.io/docs/prometheus/latest/querying/basics/|PromQL basics>';
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

export function mapHttpFailure(status: number, body: PromEnvelope | undefined, text: string, ctx: FailureContext): LookoutError {
  const message = (body?.error ?? (body as any)?.message ?? (body as any)?.Message ?? text).toString().trim();
  const make = (code: ErrorCode, userMessage: string, hint?: string) =>
    new LookoutError(code, userMessage, { hint, requestIds: ctx.requestIds, cause: { status, body: body ?? text } });
  const type = body?.errorType;
  // AMP documents "HTTP 422: query timeout"; Prometheus answers 503 with errorType timeout.
  if (type === 'timeout' || type === 'canceled' || ((status === 422 || status >= 500) && /time[d ]?out/i.test(message))) {
    return make('timeout', `The query timed out on ${escapeMrkdwn(ctx.backend)}.${message ? `\n${block(message)}` : ''}`, NARROW_HINT);
  }
  if (status === 429) {
    return make('throttled', `${escapeMrkdwn(ctx.backend)} is rate-limiting queries (HTTP 429).`, 'Wait a minute and try again; frequent scheduled reports add to the load.');
  }
  if (status === 401 || status === 403) {
    const detail = message ? `\n${block(message)}` : '';
    return make('access_denied', `${escapeMrkdwn(ctx.backend)} refused Lookout's credentials (HTTP ${status}).${detail}`, ctx.hints?.accessDenied);
  }
  if (isTooExpensive(message)) {
    return make('quota', `The query is too expensive for ${escapeMrkdwn(ctx.backend)}:\n${block(message)}`, NARROW_HINT);
  }
  if (type === 'bad_data' || type === 'execution' || status === 400 || status === 422) {
    return badQuery(message, ctx, make);
  }
  if (status === 404) {
    return make('config', `No Prometheus API answered at ${escapeMrkdwn(ctx.backend)} (HTTP 404).`, ctx.hints?.notFound);
  }
  const detail = message ? `\n${block(message)}` : '';
  return make('upstream', `${escapeMrkdwn(ctx.backend)} failed (HTTP ${status}).${detail}`, 'Try again in a moment; if it persists, check the backend’s health.');
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

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ETIMEDOUT']);

export function networkCode(err: unknown): string | undefined {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.cause?.code ?? e?.code;
}

export function isRetryableNetworkError(err: unknown): boolean {
  return RESET.has(networkCode(err) ?? '');
}

/** fetch() failures: our own timeout, an unreachable host, a dropped connection. */
export function mapNetworkFailure(err: unknown, timedOut: boolean, ctx: FailureContext): LookoutError {
  const options = { cause: err, requestIds: ctx.requestIds };
  if (timedOut) {
    return new LookoutError('timeout', `No answer from ${escapeMrkdwn(ctx.backend)} within ${Math.round(ctx.timeoutMs / 1000)} s.`, {
      ...options,
      hint: NARROW_HINT,
    });
  }
  const code = networkCode(err);
  const why = code && UNREACHABLE.has(code) ? `cannot connect (${code})` : `the connection failed (${code ?? 'network error'})`;
  return new LookoutError('upstream', `Cannot reach ${escapeMrkdwn(ctx.backend)}: ${why}.`, {
    ...options,
    hint: 'Check that the metrics backend is running and reachable from Lookout, and its URL in the configuration.',
  });
}
