/**
 * The one error model. Adapters and services throw LookoutError with a code and a message that is safe to
 * show in Slack; the original exception stays in `cause` for the log only.
 */
export type ErrorCode =
  | 'usage' // the command text could not be parsed; message carries the usage
  | 'forbidden' // policy refused: verb not allowed here, not an approver, freeze window…
  | 'rate_limited' // Lookout's own per-user / per-channel limits
  | 'not_found'
  | 'access_denied' // AWS (or Slack) refused our credentials
  | 'throttled' // AWS/Slack throttling after the SDK's own retries
  | 'invalid_input' // the upstream API rejected a value the user gave
  | 'quota' // an AWS quota or limit was hit
  | 'timeout'
  | 'upstream' // the upstream service failed in a way we cannot explain better
  | 'conflict' // lost a compare-and-set, or already done
  | 'config' // Lookout's own configuration is missing something
  | 'internal'; // a bug: shown only as a reference id

export interface LookoutErrorOptions {
  cause?: unknown;
  /** What the person can do next, in their terms. */
  hint?: string;
  /** AWS request ids seen while failing, for the audit log. */
  requestIds?: string[];
}

export class LookoutError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly requestIds: string[];

  /** `userMessage` is mrkdwn already escaped by whoever built it: it reaches Slack as is. */
  constructor(code: ErrorCode, userMessage: string, options: LookoutErrorOptions = {}) {
    super(userMessage, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LookoutError';
    this.code = code;
    this.hint = options.hint;
    this.requestIds = options.requestIds ?? [];
  }
}

export function isLookoutError(e: unknown): e is LookoutError {
  return e instanceof LookoutError;
}

/** Codes whose message is the person's to act on; everything else also gets a reference id. */
export const EXPECTED_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'usage',
  'forbidden',
  'rate_limited',
  'not_found',
  'invalid_input',
  'conflict',
]);
