/**
 * The one failure classifier for every outbound call (design.md §3, aws-apis.md §6.2, issue 11 item 5): SDK
 * exceptions (matched on `name` and `$metadata.httpStatusCode`, which works the same for every client — EC2 errors
 * all arrive as EC2ServiceException with `name` = the EC2 error code), fetch() failures (by `cause.code`), a body
 * over its byte limit, and plain HTTP statuses. Each adapter words the result with its own message table; this file
 * decides what happened, once, and keeps the AWS request id for the audit row.
 */
import { ErrorCode, LookoutError, isLookoutError } from '../errors';
import { escapeText } from '../text';

/** What went wrong, finer than ErrorCode: also the label of the AWS call metric. */
export type Failure =
  | 'timeout'
  | 'unreachable' // the connection was never made (refused, no such host): nothing happened upstream
  | 'reset' // the connection dropped mid-call
  | 'throttled'
  | 'access_denied'
  | 'expired' // credentials that have expired
  | 'no_credentials'
  | 'not_found'
  | 'quota'
  | 'conflict'
  | 'invalid_input'
  | 'server' // 5xx
  | 'oversized' // the answer was larger than Lookout reads
  | 'unknown';

export const CODE_OF: Record<Failure, ErrorCode> = {
  timeout: 'timeout',
  unreachable: 'upstream',
  reset: 'upstream',
  throttled: 'throttled',
  access_denied: 'access_denied',
  expired: 'access_denied',
  no_credentials: 'config',
  not_found: 'not_found',
  quota: 'quota',
  conflict: 'conflict',
  invalid_input: 'invalid_input',
  server: 'upstream',
  oversized: 'quota',
  unknown: 'upstream',
};

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  cause?: { code?: string; name?: string };
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $retryable?: { throttling?: boolean };
}

const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'ThrottledException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled', 'RequestThrottledException', 'EC2ThrottledException', 'SlowDown', 'BandwidthLimitExceeded', 'ProvisionedThroughputExceededException']);
const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnrecognizedClientException', 'AuthFailure', 'InvalidClientTokenId', 'OptInRequired', 'SignatureDoesNotMatch']);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const QUOTA = new Set(['ServiceQuotaExceededException', 'LimitExceededException', 'QuotaExceededException']);
const CONFLICT = new Set(['ConflictException', 'IdempotentParameterMismatch', 'IncorrectState', 'AnalysisExistsForNetworkInsightsPath', 'ResourceInUseException']);
const INVALID = new Set(['ValidationException', 'InvalidParameterValue', 'InvalidParameterCombination', 'MissingParameter', 'InvalidParameter', 'BadRequestException']);
const TIMEOUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ETIMEDOUT', 'AbortError', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED']);

/** The system error code of a failed connection, from the error or its cause (fetch wraps it). */
export function networkCode(err: unknown): string | undefined {
  // Only string codes: a DOMException (TimeoutError, AbortError) has a numeric `code`.
  const e = err as ErrorLike | undefined;
  const code = [e?.cause?.code, e?.code].find((c) => typeof c === 'string');
  return code;
}

export function classifyFailure(err: unknown): Failure {
  const e = (err ?? {}) as ErrorLike;
  const name = e.name ?? '';
  const net = networkCode(err) ?? '';
  const status = e.$metadata?.httpStatusCode;
  if (e.code === 'BODY_TOO_LARGE') return 'oversized';
  if (name === 'CredentialsProviderError') return 'no_credentials';
  if (UNREACHABLE.has(net)) return 'unreachable';
  if (TIMEOUT.has(name) || TIMEOUT.has(net) || e.cause?.name === 'TimeoutError') return 'timeout';
  if (RESET.has(net)) return 'reset';
  if (THROTTLING.has(name) || status === 429 || e.$retryable?.throttling) return 'throttled';
  if (EXPIRED.has(name)) return 'expired';
  if (DENIED.has(name)) return 'access_denied';
  if (QUOTA.has(name) || /LimitExceeded$/.test(name)) return 'quota';
  if (/NotFound(Exception)?$/.test(name)) return 'not_found';
  if (CONFLICT.has(name)) return 'conflict';
  if (INVALID.has(name) || /^Invalid|Malformed$/.test(name)) return 'invalid_input';
  if (status !== undefined) return classifyStatus(status, e.$fault);
  return 'unknown';
}

/** An HTTP answer that is not a success, for adapters outside the SDK. */
export function classifyStatus(status: number, fault?: 'client' | 'server'): Failure {
  if (status === 429) return 'throttled';
  if (status === 401 || status === 403) return 'access_denied';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 413) return 'oversized';
  if (status >= 500) return 'server';
  if (status === 400 || status === 422 || fault === 'client') return 'invalid_input';
  return 'unknown';
}

export function requestIdsOf(err: unknown): string[] {
  const id = (err as ErrorLike | undefined)?.$metadata?.requestId;
  return id ? [id] : [];
}

/** One service's words for each kind of failure; a kind it leaves out falls back to `fallback`. */
export interface Said {
  message: string;
  hint?: string;
  /** When the service means something else by it (a 404 from a configured URL is a configuration problem). */
  code?: ErrorCode;
}
export type MessageTable = Partial<Record<Failure, Said>> & { fallback: Said };

/** The LookoutError for a classified failure, worded by the service's table, with the cause and request ids kept. */
export function failureError(kind: Failure, table: MessageTable, options: { cause?: unknown; requestIds?: string[] } = {}): LookoutError {
  const said = table[kind] ?? table.fallback;
  return new LookoutError(said.code ?? CODE_OF[kind], said.message, { cause: options.cause, requestIds: options.requestIds ?? requestIdsOf(options.cause), hint: said.hint });
}

/** Extra, adapter-specific advice per error class (e.g. the path quota for Reachability Analyzer). */
export type ErrorHints = Partial<Record<ErrorCode, string>>;

export const escape = escapeText;

/** AWS's own words, escaped and shortened, for messages where they help (quota, invalid input). */
export function awsSays(err: unknown): string {
  const msg = String((err as ErrorLike | undefined)?.message ?? '').replace(/\s+/g, ' ').trim();
  if (!msg || msg === 'UnknownError') return '';
  return ` AWS says: “${escape(msg.length > 300 ? `${msg.slice(0, 299)}…` : msg)}”`;
}

/** The IAM action named in an UnauthorizedOperation/AccessDenied message, when AWS names one. */
function missingAction(message: string | undefined): string | undefined {
  return /perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message ?? '')?.[1];
}

/**
 * The generic AWS table (EC2, STS, AMP and AMG control planes). `what` is our own mrkdwn describing the call in the
 * person's terms ("creating the path `web-1 → db-1`"); it is used as is, so escape any user text in it.
 */
export function mapAwsError(err: unknown, what: string, hints: ErrorHints = {}): LookoutError {
  if (isLookoutError(err)) return err;
  const e = (err ?? {}) as ErrorLike;
  const name = escape(e.name ?? e.code ?? 'Error');
  const net = escape(networkCode(err) ?? name);
  const kind = classifyFailure(err);
  const action = missingAction(e.message);
  const said = (message: string, hint?: string): Said => ({ message, hint: hints[CODE_OF[kind]] ?? hint });
  const retry = 'Try again in a minute.';
  const table: MessageTable = {
    no_credentials: said(`Lookout has no usable AWS credentials for ${what}.`, 'Check the AWS credentials or the account’s roleArn in lookout.yml.'),
    throttled: said(`AWS is rate-limiting Lookout (\`${name}\`) while ${what}, even after retrying.`, retry),
    access_denied: said(`AWS refused ${what} (\`${name}\`).${action ? ` Lookout’s role is missing \`${escape(action)}\`.` : ''}`, 'Grant the permission to Lookout’s role (see the lookout-query policy).'),
    expired: said(`The AWS credentials Lookout used for ${what} have expired (\`${name}\`).`, 'Run the command again: Lookout fetches fresh credentials. If it persists, check the server clock and the role’s maximum session duration.'),
    quota: said(`An AWS quota was reached while ${what} (\`${name}\`).${awsSays(err)}`, 'Free some capacity or ask for a higher quota in Service Quotas.'),
    not_found: said(`AWS could not find what was needed for ${what} (\`${name}\`).${awsSays(err)}`),
    conflict: said(`AWS reported a conflict while ${what} (\`${name}\`).${awsSays(err)}`, 'Try again in a moment.'),
    timeout: said(`AWS did not answer in time while ${what}.`, retry),
    unreachable: said(`Lookout could not connect to AWS while ${what} (\`${net}\`).`, 'Check Lookout’s network path to AWS (proxy, VPC endpoint, AWS_ENDPOINT_URL_* settings).'),
    reset: said(`The connection to AWS dropped while ${what} (\`${net}\`).`, 'This is usually temporary; try again shortly.'),
    invalid_input: said(`AWS rejected ${what} (\`${name}\`).${awsSays(err)}`),
    fallback: said(`AWS failed while ${what} (\`${name}\`).`, 'This is usually temporary; try again shortly.'),
  };
  return failureError(kind, table, { cause: err });
}
