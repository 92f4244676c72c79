import { LookoutError } from '../errors';
import { inlineCode } from '../text';
import { BodyTooLargeError, MAX_RETRY_AFTER_MS, formatBytes, retryDelayMs as policyDelay } from '../outbound';
import { classifyFailure, classifyStatus, networkCode } from '../failures';
import { failureError, mapAwsError } from './errors';

/**
 * Grafana failures in the user's terms. HTTP calls to Grafana are outside the SDK, so retries are ours
 * (aws-apis.md §6.1): 429 and 5xx only, jittered, honouring Retry-After up to a cap.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504 || status === 500;
}

/** The policy's delay (src/outbound.ts), capped: Grafana is retried after at most MAX_RETRY_AFTER_MS. */
export function retryDelayMs(attempt: number, retryAfter: string | null, random: () => number = Math.random, now = Date.now()): number {
  return Math.min(policyDelay(attempt, retryAfter, random, now), MAX_RETRY_AFTER_MS);
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

/** Grafana's message table for an HTTP answer; the status is classified by the one classifier (errors.ts). */
export function grafanaHttpError(status: number, url: URL, body: string, authHint: string): LookoutError {
  const said = grafanaMessage(body);
  const detail = said ? `: ${inlineCode(said)}` : '';
  const where = `Grafana at ${inlineCode(url.host)}`;
  const answered = `${where} answered ${inlineCode(url.pathname)} with HTTP ${status}${detail}.`;
  // A server failure's text is Grafana's internals, not something the person can act on.
  const failed = `${where} answered ${inlineCode(url.pathname)} with HTTP ${status}.`;
  const kind = classifyStatus(status);
  return failureError(kind === 'not_found' || kind === 'conflict' ? 'invalid_input' : kind, {
    access_denied: { message: `${where} refused Lookout's token (HTTP ${status})${detail}.`, hint: authHint },
    throttled: { message: `${where} is rate-limiting Lookout (HTTP 429).`, hint: 'Try again in a minute.' },
    timeout: { message: failed, hint: 'Grafana did not answer in time; try again, and check its health if it persists.' },
    server: { message: failed, hint: 'Grafana had a problem; try again, and check its health if it persists.' },
    oversized: { message: answered, hint: 'A proxy in front of Grafana refused the request.' },
    invalid_input: { message: answered },
    fallback: { message: answered },
  });
}

/** fetch() failures and bodies over the limit, worded for Grafana. */
export function grafanaNetworkError(err: unknown, url: URL): LookoutError {
  const code = networkCode(err);
  const where = `Grafana at ${inlineCode(url.host)}`;
  const reach = {
    message: `Lookout could not reach ${where}${code ? ` (${code})` : ''}.`,
    hint: 'Check the Grafana URL in lookout.yml and that Lookout may connect to it (AMG network access control, proxies).',
  };
  return failureError(classifyFailure(err), {
    timeout: { message: `${where} did not answer in time.`, hint: 'Try again in a minute.' },
    oversized: {
      message: `${where} sent more than ${formatBytes((err as BodyTooLargeError).limitBytes ?? 0)} for ${inlineCode(url.pathname)}; Lookout stopped reading.`,
      hint: 'Open the dashboard in Grafana, or split it into smaller dashboards.',
    },
    unreachable: reach,
    fallback: reach,
  }, { cause: err });
}

/** SDK errors from the AMG control plane (token create/delete, DescribeWorkspace), aws-apis.md §4.2. */
export function mapAmgError(err: unknown, what: string, ws: { workspaceId: string; serviceAccountId: string }): LookoutError {
  const kind = classifyFailure(err);
  const where = `workspace ${inlineCode(ws.workspaceId)}, service account ${inlineCode(ws.serviceAccountId)}`;
  const name = inlineCode((err as { name?: string })?.name ?? 'Error');
  if (kind === 'not_found' || kind === 'invalid_input') {
    return failureError(kind, {
      fallback: {
        code: 'config',
        message: `Amazon Managed Grafana refused ${what} (${where}): ${name}.`,
        hint: 'Check `grafana.amg` in lookout.yml: the workspace id, its region, and a service account id from `aws grafana list-workspace-service-accounts`.',
      },
    }, { cause: err });
  }
  if (kind === 'access_denied') {
    return failureError(kind, {
      fallback: {
        message: `Access denied while ${what} in Amazon Managed Grafana (${where}).`,
        hint: "Lookout's role needs `grafana:DescribeWorkspace`, `grafana:CreateWorkspaceServiceAccountToken` and `grafana:DeleteWorkspaceServiceAccountToken` on the workspace.",
      },
    }, { cause: err });
  }
  return mapAwsError(err, `${what} in Amazon Managed Grafana (${where})`);
}
