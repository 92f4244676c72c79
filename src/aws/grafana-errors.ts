import { LookoutError } from '../errors';
import { inlineCode } from '../text';
import { mapAwsError } from './errors';

/**
 * Grafana failures in the user's terms. HTTP calls to Grafana are outside the SDK, so retries are ours
 * (aws-apis.md §6.1): 429 and 5xx only, jittered, honouring Retry-After up to a cap.
 */
const MAX_RETRY_AFTER_MS = 10_000;

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504 || status === 500;
}

/** Retry-After (seconds or an HTTP date) when given, else exponential backoff with full jitter from 200 ms. */
export function retryDelayMs(attempt: number, retryAfter: string | null, random: () => number = Math.random, now = Date.now()): number {
  if (retryAfter) {
    const secs = Number(retryAfter);
    const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(retryAfter) - now;
    if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, MAX_RETRY_AFTER_MS);
  }
  return Math.round(random() * 200 * 2 ** (attempt - 1));
}

/** Grafana's JSON error body is `{ "message": "…" }`; show it only as code, never as markup. */
function grafanaMessage(body: string): string {
  try {
    const m = (JSON.parse(body) as { message?: unknown }).message;
    return typeof m === 'string' ? m.slice(0, 200) : '';
  } catch {
    return '';
  }
}

export function grafanaHttpError(status: number, url: URL, body: string, authHint: string): LookoutError {
  const said = grafanaMessage(body);
  const detail = said ? `: ${inlineCode(said)}` : '';
  const where = `Grafana at ${inlineCode(url.host)}`;
  if (status === 401 || status === 403) {
    return new LookoutError('access_denied', `${where} refused Lookout's token (HTTP ${status})${detail}.`, { hint: authHint });
  }
  if (status === 429) {
    return new LookoutError('throttled', `${where} is rate-limiting Lookout (HTTP 429).`, { hint: 'Try again in a minute.' });
  }
  const code = status >= 500 ? 'upstream' : 'invalid_input';
  return new LookoutError(code, `${where} answered ${inlineCode(url.pathname)} with HTTP ${status}${detail}.`, {
    hint: status >= 500 ? 'Grafana had a problem; try again, and check its health if it persists.' : undefined,
  });
}

export function grafanaNetworkError(err: unknown, url: URL): LookoutError {
  const e = err as { name?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return new LookoutError('timeout', `Grafana at ${inlineCode(url.host)} did not answer in time.`, { cause: err, hint: 'Try again in a minute.' });
  }
  const code = e?.cause?.code ? ` (${e.cause.code})` : '';
  return new LookoutError('upstream', `Lookout could not reach Grafana at ${inlineCode(url.host)}${code}.`, {
    cause: err,
    hint: 'Check the Grafana URL in lookout.yml and that Lookout may connect to it (AMG network access control, proxies).',
  });
}

/** SDK errors from the AMG control plane (token create/delete, DescribeWorkspace), aws-apis.md §4.2. */
export function mapAmgError(err: unknown, what: string, ws: { workspaceId: string; serviceAccountId: string }): LookoutError {
  const name = (err as { name?: string })?.name ?? '';
  const id = (err as { $metadata?: { requestId?: string } })?.$metadata?.requestId;
  const requestIds = id ? [id] : [];
  const where = `workspace ${inlineCode(ws.workspaceId)}, service account ${inlineCode(ws.serviceAccountId)}`;
  if (name === 'ResourceNotFoundException' || name === 'ValidationException') {
    return new LookoutError('config', `Amazon Managed Grafana refused ${what} (${where}): ${inlineCode(name)}.`, {
      cause: err,
      requestIds,
      hint: 'Check `grafana.amg` in lookout.yml: the workspace id, its region, and a service account id from `aws grafana list-workspace-service-accounts`.',
    });
  }
  if (name === 'AccessDeniedException') {
    return new LookoutError('access_denied', `Access denied while ${what} in Amazon Managed Grafana (${where}).`, {
      cause: err,
      requestIds,
      hint: "Lookout's role needs `grafana:DescribeWorkspace`, `grafana:CreateWorkspaceServiceAccountToken` and `grafana:DeleteWorkspaceServiceAccountToken` on the workspace.",
    });
  }
  return mapAwsError(err, what);
}
