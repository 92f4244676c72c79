import type { LookoutError } from '../errors';
import { classifyFailure, networkCode } from '../failures';
import { awsSays, escape, failureError } from './errors';

/** What was being done, in the user's terms, for the message: the IAM action, the thing, and where. */
export interface FisCallContext {
  action: string; // 'fis:StartExperiment'
  subject: string; // 'experiment template `EXT1`' (already escaped)
  where: string; // 'account prod (us-east-1)' (already escaped)
}

/** FIS's message table over the one classifier (errors.ts). The cause and the AWS request id are kept. */
export function fisError(err: unknown, c: FisCallContext): LookoutError {
  const said = awsSays(err);
  const denied = {
    message: `Lookout may not call \`${c.action}\` in ${c.where}.${said}`,
    hint: `Allow \`${c.action}\` in the role Lookout uses there (the \`lookout-chaos\` policy has every FIS action it needs).`,
  };
  return failureError(classifyFailure(err), {
    not_found: { message: `No ${c.subject} in ${c.where}.${said}`, hint: '`/chaos list` shows the templates; `/chaos history` recent experiments.' },
    invalid_input: { message: `FIS refused the request for ${c.subject} in ${c.where}.${said}` },
    quota: {
      message: `An FIS quota was reached in ${c.where}.${said}`,
      hint: 'By default at most 5 experiments may be active per account and Region: wait for one to finish or stop one.',
    },
    conflict: { message: `FIS reported a conflict for ${c.subject} in ${c.where}.${said}` },
    throttled: { message: `AWS is rate-limiting FIS calls in ${c.where}; Lookout already retried.`, hint: 'Try again in a minute.' },
    access_denied: denied,
    expired: { message: `The credentials Lookout used for \`${c.action}\` in ${c.where} have expired.`, hint: 'Run the command again: Lookout fetches fresh credentials. If it persists, check the server clock.' },
    timeout: { message: `FIS in ${c.where} did not answer in time.`, hint: 'Try again shortly.' },
    unreachable: { message: `Lookout could not connect to FIS in ${c.where} (\`${escape(networkCode(err) ?? 'unreachable')}\`).`, hint: 'Check Lookout’s network path to AWS (proxy, VPC endpoint, AWS_ENDPOINT_URL_FIS).' },
    reset: { message: `The connection to FIS in ${c.where} dropped (\`${escape(networkCode(err) ?? 'reset')}\`).`, hint: 'Try again shortly; `/chaos history` shows whether a start went through.' },
    // AWS's words for a server failure name nothing the person can act on.
    server: { message: `FIS failed while handling ${c.subject} in ${c.where} (an AWS server error).`, hint: 'Try again later; `/chaos history` shows whether a start went through.' },
    fallback: { message: `FIS failed while handling ${c.subject} in ${c.where}.${said}`, hint: 'Try again later.' },
  }, { cause: err });
}
