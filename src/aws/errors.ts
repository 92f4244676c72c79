/**
 * Failures of AWS and other outbound calls → LookoutError: the shared parts of every service's message table, and
 * the generic AWS table. What happened is decided once, by src/failures.ts; the AWS request id stays on the error.
 */
import { ErrorCode, LookoutError, isLookoutError } from '../errors';
import { escapeText } from '../text';
import { CODE_OF, classifyFailure, networkCode, requestIdsOf, type ErrorLike, type Failure } from '../failures';

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
