import { LookoutError } from '../errors';
import { escapeText } from '../text';

/** What was being done, in the user's terms, for the message: the IAM action, the thing, and where. */
export interface FisCallContext {
  action: string; // 'fis:StartExperiment'
  subject: string; // 'experiment template `EXT1`' (already escaped)
  where: string; // 'account prod (us-east-1)' (already escaped)
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ThrottledException',
  'SlowDown',
]);
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnrecognizedClientException', 'InvalidClientTokenId', 'ExpiredTokenException']);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

// AWS messages can quote values we sent (template ids, tags): escape before they reach Slack. src/aws may not
// import views/, hence this one-liner.
const escape = escapeText;

function awsMessage(e: any): string {
  const m = typeof e?.message === 'string' ? e.message.trim() : '';
  return m && m !== 'UnknownError' ? ` AWS says: “${escape(m.slice(0, 300))}”` : '';
}

/**
 * Classifies any FIS failure once (design.md §3): modeled errors by `name`, throttling by the SDK's own
 * classification or HTTP 429, permissions by name or 403. The cause and the AWS request id are kept.
 */
export function fisError(err: unknown, c: FisCallContext): LookoutError {
  const e = err as any;
  const name: string = typeof e?.name === 'string' ? e.name : '';
  const status: number | undefined = e?.$metadata?.httpStatusCode;
  const requestId: string | undefined = e?.$metadata?.requestId;
  const opts = { cause: err, requestIds: requestId ? [requestId] : [] };
  const said = awsMessage(e);

  if (name === 'ResourceNotFoundException' || status === 404) {
    return new LookoutError('not_found', `No ${c.subject} in ${c.where}.${said}`, { ...opts, hint: '`/chaos list` shows the templates; `/chaos history` recent experiments.' });
  }
  if (name === 'ValidationException') {
    return new LookoutError('invalid_input', `FIS refused the request for ${c.subject} in ${c.where}.${said}`, opts);
  }
  if (name === 'ServiceQuotaExceededException') {
    return new LookoutError('quota', `An FIS quota was reached in ${c.where}.${said}`, {
      ...opts,
      hint: 'By default at most 5 experiments may be active per account and Region: wait for one to finish or stop one.',
    });
  }
  if (name === 'ConflictException' || status === 409) {
    return new LookoutError('conflict', `FIS reported a conflict for ${c.subject} in ${c.where}.${said}`, opts);
  }
  if (THROTTLING.has(name) || e?.$retryable?.throttling || status === 429) {
    return new LookoutError('throttled', `AWS is rate-limiting FIS calls in ${c.where}; Lookout already retried.`, { ...opts, hint: 'Try again in a minute.' });
  }
  if (ACCESS_DENIED.has(name) || status === 403) {
    return new LookoutError('access_denied', `Lookout may not call \`${c.action}\` in ${c.where}.${said}`, {
      ...opts,
      hint: `Allow \`${c.action}\` in the role Lookout uses there (the \`lookout-chaos\` policy has every FIS action it needs).`,
    });
  }
  if (name === 'TimeoutError' || name === 'RequestTimeout' || NETWORK.has(e?.code) || NETWORK.has(name)) {
    return new LookoutError('timeout', `FIS in ${c.where} did not answer in time.`, { ...opts, hint: 'Try again shortly.' });
  }
  return new LookoutError('upstream', `FIS failed while handling ${c.subject} in ${c.where}.${said}`, { ...opts, hint: 'Try again later.' });
}
