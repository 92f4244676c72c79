import { isHelp, parseFlags, tokenize } from './tokenize';
import { inputTooLong, quoteInput, type ParseResult, type UsageLine } from './types';

export type LookoutRequest =
  | { kind: 'help' }
  | { kind: 'whoami' }
  | { kind: 'status' }
  | { kind: 'audit'; limit: number };

export const LOOKOUT_USAGE: UsageLine[] = [
  { syntax: 'help', description: 'what you can run in this channel', verb: null },
  { syntax: 'whoami', description: "this channel's AWS account and region, and what you may do here", verb: null },
  { syntax: 'status', description: 'health of Slack, AWS, the store and the metrics backends', verb: null },
  { syntax: 'audit [--limit N]', description: "this channel's recent audit log (admins)", verb: 'admin' },
];

const fail = (error: string): ParseResult<LookoutRequest> => ({ ok: false, error });

/** `/lookout help|whoami|status|audit [--limit N]`; empty text means help. */
export function parseLookout(text: string): ParseResult<LookoutRequest> {
  const long = inputTooLong(text);
  if (long) return fail(long);
  const { words, unclosedQuote } = tokenize(text);
  if (unclosedQuote) return fail(`a quote (${unclosedQuote}) is never closed`);
  const [sub, ...rest] = words;
  if (sub === undefined || isHelp(sub)) return { ok: true, request: { kind: 'help' } };
  const verb = sub.toLowerCase();
  if (rest.some((w) => isHelp(w))) return { ok: true, request: { kind: 'help' } };
  if (verb === 'whoami' || verb === 'status') {
    if (rest.length) return fail(`\`${verb}\` takes no arguments`);
    return { ok: true, request: { kind: verb } };
  }
  if (verb === 'audit') {
    const flags = parseFlags(rest, { values: ['limit'] });
    if (!flags.ok) return fail(flags.error);
    if (flags.positional.length) return fail('`audit` takes only `--limit N`');
    const raw = flags.flags.limit ?? '20';
    const limit = Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return fail('`--limit` must be a whole number from 1 to 100');
    return { ok: true, request: { kind: 'audit', limit } };
  }
  return fail(`unknown subcommand ${quoteInput(sub)}`);
}
