import { LookoutError } from '../errors';
import { systemClock } from '../clock';
import type { Clock } from '../ports/clock';
import type { PromQuery } from '../ports/prom-query';
import { DEFAULT_OUTBOUND, MAX_RETRY_AFTER_MS, readBounded, readPrefix, retryDelayMs, type OutboundPolicy } from '../outbound';
import { decodeInstant, decodeRange, decodeSeries, decodeStrings, type PromEnvelope } from './prometheus-decode';
import {
  escapeMrkdwn,
  isRetryableNetworkError,
  isRetryableStatus,
  mapHttpFailure,
  mapNetworkFailure,
  tooManyItems,
  type FailureContext,
} from './prometheus-errors';

/**
 * PromQuery over the Prometheus HTTP API (https://prometheus.io/docs/prometheus/latest/querying/api/), for any
 * compatible backend. Credentials are a pluggable `auth` step (bearer, basic, SigV4 for AMP) run on every attempt.
 */
export interface PromHttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** Adds credentials to a request just before it is sent; called again for each retry (signatures expire). */
export type RequestAuth = (req: PromHttpRequest) => Promise<PromHttpRequest>;

export interface PrometheusClientOptions {
  baseUrl: string; // the server's base URL; a trailing /api/v1 is tolerated
  label: string; // describe(): 'Prometheus https://…', 'AMP ws-0123 (us-east-1)'
  auth?: RequestAuth;
  timeoutMs?: number; // per attempt; default outbound.prometheus.requestMs
  maxAttempts?: number; // default 3 (429, gateway errors and dropped connections: every call is a read)
  /** Timeouts, byte limits and the item cap (defaults: DEFAULT_OUTBOUND). */
  outbound?: OutboundPolicy;
  /** Sent with query and query_range, e.g. AMP's max_samples_processed_error_threshold. */
  queryParams?: Record<string, string>;
  hints?: FailureContext['hints'];
  clock?: Clock;
  fetch?: typeof fetch;
}

type Params = [string, string][];
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function createPrometheusClient(options: PrometheusClientOptions): PromQuery {
  const base = normaliseBaseUrl(options.baseUrl);
  const policy = options.outbound ?? DEFAULT_OUTBOUND;
  const timeoutMs = options.timeoutMs ?? policy.prometheus.requestMs;
  const { maxBytes, maxListItems } = policy;
  const extra = Object.entries(options.queryParams ?? {});
  // Ask the server to stop a little before we do, so a slow query ends with its own timeout message.
  const serverTimeout: Params = [['timeout', `${Math.max(1, Math.floor(timeoutMs / 1000) - 1)}s`], ['stats', 'all']];
  const call = (op: string, params: Params, limitBytes: number, query?: string, signal?: AbortSignal, method: 'GET' | 'POST' = 'POST') =>
    callApi({ ...options, timeoutMs, base, errorBytes: maxBytes.error }, op, params, { query, signal, method, limitBytes });
  // Every call asks the server for one more series than Lookout accepts (Prometheus honours `limit` on lists from
  // 2.50 and on queries from 3.x; older servers and AMP ignore it and the byte limit stops them), so "more than the
  // cap" is known without reading everything.
  const limit: Params = [['limit', String(maxListItems + 1)]];
  const capped = <T>(items: T[], what: string, op: string): T[] => {
    if (items.length > maxListItems) throw tooManyItems(what, maxListItems, { backend: options.label, op, timeoutMs, requestIds: [] });
    return items;
  };
  const secs = (ms: number) => String(ms / 1000);
  const match = (metric?: string): Params => (metric ? [['match[]', `{__name__=${JSON.stringify(metric)}}`]] : []);

  return {
    describe: () => options.label,
    async instant(query, at, signal) {
      const params: Params = [['query', query], ...(at === undefined ? [] : [['time', secs(at)] as [string, string]])];
      const answer = decodeInstant(await call('query', [...params, ...serverTimeout, ...limit, ...extra], maxBytes.instant, query, signal));
      const { result } = answer;
      if (result.type === 'vector') capped(result.samples, 'series', 'query');
      if (result.type === 'matrix') capped(result.series, 'series', 'query');
      return answer;
    },
    async range(query, r, signal) {
      const params: Params = [['query', query], ['start', secs(r.start)], ['end', secs(r.end)], ['step', secs(r.stepMs)]];
      const answer = decodeRange(await call('query_range', [...params, ...serverTimeout, ...limit, ...extra], maxBytes.range, query, signal));
      capped(answer.series, 'series', 'query_range');
      return answer;
    },
    async series(selector, r) {
      const window: Params = r ? [['start', secs(r.start)], ['end', secs(r.end)]] : [];
      const found = decodeSeries(await call('series', [['match[]', selector], ...window, ...limit], maxBytes.list, selector));
      return capped(found, 'series', 'series').map((labels) => ({ labels }));
    },
    async labels(metric) {
      return capped(decodeStrings(await call('labels', [...match(metric), ...limit], maxBytes.list)), 'label names', 'labels');
    },
    async labelValues(label, metric) {
      if (!LABEL_NAME.test(label)) throw new LookoutError('invalid_input', `\`${escapeMrkdwn(label).slice(0, 100)}\` is not a label name.`);
      // AMP serves label values over GET only (aws-apis.md §3.2).
      const values = decodeStrings(await call(`label/${label}/values`, [...match(metric), ...limit], maxBytes.list, undefined, undefined, 'GET'));
      return capped(values, `values of \`${escapeMrkdwn(label)}\``, 'label values');
    },
  };
}

/** Drops trailing slashes and a trailing /api/v1 so both spellings of a base URL work. */
export function normaliseBaseUrl(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
}

interface CallOptions {
  query?: string;
  signal?: AbortSignal;
  method: 'GET' | 'POST';
  limitBytes: number;
}

async function callApi(
  o: PrometheusClientOptions & { timeoutMs: number; base: string; errorBytes: number },
  op: string,
  params: Params,
  call: CallOptions,
): Promise<PromEnvelope> {
  const clock = o.clock ?? systemClock;
  const doFetch = o.fetch ?? fetch;
  const maxAttempts = o.maxAttempts ?? 3;
  const ctx: FailureContext = { backend: o.label, query: call.query, op, timeoutMs: o.timeoutMs, requestIds: [], hints: o.hints };
  const encoded = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  for (let attempt = 1; ; attempt++) {
    const url = new URL(`${o.base}/api/v1/${op}`);
    if (call.method === 'GET' && encoded) url.search = encoded;
    const unsigned: PromHttpRequest =
      call.method === 'POST'
        ? { method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: encoded }
        : { method: 'GET', url, headers: {} };
    const req = o.auth ? await o.auth(unsigned) : unsigned;
    const timeout = AbortSignal.timeout(o.timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    let status: number;
    let text: string;
    let retryAfter: string | null;
    let errorType: string | undefined;
    try {
      const res = await doFetch(req.url, { method: req.method, headers: { accept: 'application/json', ...req.headers }, body: req.body, signal });
      status = res.status;
      retryAfter = res.headers.get('retry-after');
      errorType = res.headers.get('x-amzn-errortype') ?? undefined;
      const requestId = res.headers.get('x-amzn-requestid');
      if (requestId) ctx.requestIds.push(requestId);
      // Success bodies are read up to the call's limit (over it: refused); error bodies only far enough to quote.
      text = status >= 200 && status < 300 ? await readBounded(res, call.limitBytes) : await readPrefix(res, o.errorBytes);
    } catch (err) {
      if (call.signal?.aborted) throw call.signal.reason;
      if (attempt < maxAttempts && !timeout.aborted && isRetryableNetworkError(err)) {
        await clock.sleep(retryDelayMs(attempt, null), call.signal);
        continue;
      }
      throw mapNetworkFailure(err, timeout.aborted, ctx);
    }
    const body = parseJson(text);
    if (status >= 200 && status < 300 && body?.status === 'success') return body;
    if (status >= 200 && status < 300 && body?.status !== 'error') throw notAnApi(o, text, ctx.requestIds);
    const wait = retryDelayMs(attempt, retryAfter);
    if (attempt < maxAttempts && isRetryableStatus(status, body) && wait <= MAX_RETRY_AFTER_MS) {
      await clock.sleep(wait, call.signal);
      continue;
    }
    throw mapHttpFailure(status, body, text.slice(0, 2000), ctx, errorType);
  }
}

function parseJson(text: string): PromEnvelope | undefined {
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

// A web UI, a login page or a proxy answered instead of the API: almost always a wrong URL. JSON that does not
// parse (cut short) or lacks the envelope is the backend's or a proxy's fault: worth another try, not a config fix.
function notAnApi(o: PrometheusClientOptions, text: string, requestIds: string[]): LookoutError {
  const cause = text.slice(0, 500);
  if (/^\s*[[{]/.test(text)) {
    return new LookoutError('upstream', `${escapeMrkdwn(o.label)} sent an answer Lookout does not understand (incomplete or not a Prometheus API answer).`, {
      cause,
      requestIds,
      hint: 'Try again in a moment; if it persists, check the backend and any proxy in front of it.',
    });
  }
  return new LookoutError('config', `${escapeMrkdwn(o.label)} did not answer like a Prometheus API.`, {
    cause,
    requestIds,
    hint: o.hints?.notFound ?? 'Check the metrics backend URL in the configuration.',
  });
}
