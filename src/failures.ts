/**
 * The one failure classifier for every outbound call (design.md §3, aws-apis.md §6.2, issue 11 item 5): SDK
 * exceptions (matched on `name` and `$metadata.httpStatusCode`, which works the same for every client — EC2 errors
 * all arrive as EC2ServiceException with `name` = the EC2 error code), fetch() failures (by `cause.code`), a body
 * over its byte limit (src/outbound.ts), and plain HTTP statuses. Adapters word the result with their own message
 * tables (src/aws/errors.ts and the per-service files); the Slack retry policy asks it whether a call may have
 * taken effect.
 */
import type { ErrorCode } from './errors';

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

export interface ErrorLike {
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
