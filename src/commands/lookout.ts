import { bySubcommand, parseFlags } from './tokenize';
import { grammar, quoteInput, usageTable, type ParseResult, type CommandGrammar } from './types';

export type LookoutRequest =
  | { kind: 'help' }
  | { kind: 'whoami' }
  | { kind: 'status' }
  | { kind: 'audit'; limit: number };

export const LOOKOUT_USAGE = usageTable(null, [
  ['help', 'what you can run in this channel'],
  ['whoami', "this channel's AWS account and region, and what you may do here"],
  ['status', 'health of Slack, AWS, the store and the metrics backends'],
  ['audit [--limit N]', "this channel's recent audit log (admins)", 'admin'],
]);

const g = grammar<LookoutRequest>('/lookout', LOOKOUT_USAGE);
const { fail, ok } = g;

/** `/lookout help|whoami|status|audit [--limit N]`; empty text means help. */
export function parseLookout(text: string): ParseResult<LookoutRequest> {
  return bySubcommand(text, g, (sub, rest) => {
    const verb = sub.toLowerCase();
    if (verb === 'whoami' || verb === 'status') return rest.length ? fail(`\`${verb}\` takes no arguments`) : ok({ kind: verb });
    return verb === 'audit' ? parseAudit(rest) : fail(`unknown subcommand ${quoteInput(sub)}`);
  });
}

function parseAudit(rest: string[]): ParseResult<LookoutRequest> {
  const flags = parseFlags(rest, { values: ['limit'] });
  if (!flags.ok) return fail(flags.error);
  if (flags.positional.length) return fail('`audit` takes only `--limit N`');
  const raw = flags.flags.limit ?? '20';
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return fail('`--limit` must be a whole number from 1 to 100');
  return ok({ kind: 'audit', limit });
}

export const LOOKOUT_COMMAND: CommandGrammar<LookoutRequest> = { command: '/lookout', usage: LOOKOUT_USAGE, parse: parseLookout };
