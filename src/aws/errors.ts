/**
 * SDK exceptions → LookoutError, classified once (design.md §3, aws-apis.md §6.2). EC2 errors are not modelled:
 * they all arrive as EC2ServiceException with `name` = the EC2 error code, so everything matches on `name`
 * and `$metadata.httpStatusCode`, which works the same for every client.
 */
import { ErrorCode, LookoutError, isLookoutError } from '../errors';
import { escapeText } from '../text';

/** Extra, adapter-specific advice per error class (e.g. the path quota for Reachability Analyzer). */
export type ErrorHints = Partial<Record<ErrorCode, string>>;

interface SdkErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string };
  $retryable?: { throttling?: boolean };
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'EC2ThrottledException',
  'SlowDown',
  'BandwidthLimitExceeded',
  'ProvisionedThroughputExceededException',
]);
const DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'AuthFailure',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'OptInRequired',
]);
const QUOTA = new Set(['ServiceQuotaExceededException', 'LimitExceededException', 'QuotaExceededException']);
const CONFLICT = new Set(['ConflictException', 'IdempotentParameterMismatch', 'IncorrectState', 'AnalysisExistsForNetworkInsightsPath', 'ResourceInUseException']);
const INVALID = new Set(['ValidationException', 'InvalidParameterValue', 'InvalidParameterCombination', 'MissingParameter', 'InvalidParameter', 'BadRequestException']);
const TIMEOUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ETIMEDOUT', 'AbortError']);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH']);

/** Escapes `&`, `<`, `>` in AWS-supplied text. */
const escape = escapeText;

function awsSays(e: SdkErrorLike): string {
  const msg = (e.message ?? '').replace(/\s+/g, ' ').trim();
  return msg ? ` AWS says: “${escape(msg.length > 300 ? `${msg.slice(0, 299)}…` : msg)}”` : '';
}

export function classifyAwsError(e: SdkErrorLike): ErrorCode {
  const name = e.name ?? e.code ?? '';
  const status = e.$metadata?.httpStatusCode;
  if (name === 'CredentialsProviderError') return 'config';
  if (THROTTLING.has(name) || status === 429 || e.$retryable?.throttling) return 'throttled';
  if (DENIED.has(name) || status === 403) return 'access_denied';
  if (QUOTA.has(name) || /LimitExceeded$/.test(name)) return 'quota';
  if (/NotFound(Exception)?$/.test(name) || name === 'ResourceNotFoundException' || status === 404) return 'not_found';
  if (CONFLICT.has(name) || status === 409) return 'conflict';
  if (TIMEOUT.has(name) || TIMEOUT.has(e.code ?? '')) return 'timeout';
  if (NETWORK.has(e.code ?? '') || NETWORK.has(name)) return 'upstream';
  if (INVALID.has(name) || /^Invalid|Malformed$/.test(name) || (status === 400 && e.$fault === 'client')) return 'invalid_input';
  return 'upstream';
}

/** The IAM action named in an UnauthorizedOperation/AccessDenied message, when AWS names one. */
function missingAction(message: string | undefined): string | undefined {
  return /perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message ?? '')?.[1];
}

/**
 * `what` is our own mrkdwn describing the call in the person's terms ("creating the path `web-1 → db-1`");
 * it is used as is, so escape any user text in it. Request ids are kept for the audit log.
 */
export function mapAwsError(err: unknown, what: string, hints: ErrorHints = {}): LookoutError {
  if (isLookoutError(err)) return err;
  const e = (err ?? {}) as SdkErrorLike;
  const name = escape(e.name ?? e.code ?? 'Error');
  const code = classifyAwsError(e);
  const requestIds = [e.$metadata?.requestId].filter((x): x is string => !!x);
  const options = (hint?: string) => ({ cause: err, requestIds, ...(hints[code] ?? hint ? { hint: hints[code] ?? hint } : {}) });
  switch (code) {
    case 'config':
      return new LookoutError('config', `Lookout has no usable AWS credentials for ${what}.`, options('Check the AWS credentials or the account’s roleArn in lookout.yml.'));
    case 'throttled':
      return new LookoutError('throttled', `AWS is rate-limiting Lookout (\`${name}\`) while ${what}, even after retrying.`, options('Try again in a minute.'));
    case 'access_denied': {
      const action = missingAction(e.message);
      const missing = action ? ` Lookout’s role is missing \`${escape(action)}\`.` : '';
      return new LookoutError('access_denied', `AWS refused ${what} (\`${name}\`).${missing}`, options('Grant the permission to Lookout’s role (see the lookout-query policy).'));
    }
    case 'quota':
      return new LookoutError('quota', `An AWS quota was reached while ${what} (\`${name}\`).${awsSays(e)}`, options('Free some capacity or ask for a higher quota in Service Quotas.'));
    case 'not_found':
      return new LookoutError('not_found', `AWS could not find what was needed for ${what} (\`${name}\`).${awsSays(e)}`, options());
    case 'conflict':
      return new LookoutError('conflict', `AWS reported a conflict while ${what} (\`${name}\`).${awsSays(e)}`, options('Try again in a moment.'));
    case 'timeout':
      return new LookoutError('timeout', `AWS did not answer in time while ${what}.`, options('Try again in a minute.'));
    case 'invalid_input':
      return new LookoutError('invalid_input', `AWS rejected ${what} (\`${name}\`).${awsSays(e)}`, options());
    default:
      return new LookoutError('upstream', `AWS failed while ${what} (\`${name}\`).`, options('This is usually temporary; try again shortly.'));
  }
}
