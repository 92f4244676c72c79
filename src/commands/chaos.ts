import { isHelp, parseFlags, tokenize } from './tokenize';
import { CAPS, formatUsage, inputTooLong, quoteInput, tooLong, type ParseResult, type UsageLine } from './types';

/** `/chaos` requests (product.md §4). TEMPLATE is a template id or its `Name` tag; the service resolves it. */
export type ChaosCommand =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'show'; template: string }
  | { kind: 'run'; template: string; reason?: string }
  | { kind: 'status'; experiment?: string }
  | { kind: 'stop'; experiment: string }
  | { kind: 'stop-all' }
  | { kind: 'history'; limit: number };

export const CHAOS_USAGE: UsageLine[] = [
  { syntax: 'list', description: 'experiment templates: name, id, actions, targets, stop conditions', verb: 'chaos:read' },
  { syntax: 'show TEMPLATE', description: 'template details and which resources it would hit now (verified dry run)', verb: 'chaos:read' },
  { syntax: 'run TEMPLATE [--reason "…"]', description: 'ask for approval to run an experiment', verb: 'chaos:run' },
  { syntax: 'status [EXPERIMENT]', description: 'running experiments with their action states', verb: 'chaos:read' },
  { syntax: 'stop EXPERIMENT | --all', description: 'stop an experiment (or every running one) now, after confirmation', verb: 'chaos:stop' },
  { syntax: 'history [--limit N]', description: 'recent experiments and how they ended', verb: 'chaos:read' },
  { syntax: 'help', description: 'this help', verb: null },
];

export const HISTORY_DEFAULT_LIMIT = 10;
export const HISTORY_MAX_LIMIT = 50;
// FIS ids are EXP…/EXT… alphanumerics; the sandbox uses the same shape. Anything else cannot name an experiment.
const EXPERIMENT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const usage = formatUsage('/chaos', CHAOS_USAGE);
const fail = (error: string): ParseResult<ChaosCommand> => ({ ok: false, error, usage });
const ok = (request: ChaosCommand): ParseResult<ChaosCommand> => ({ ok: true, request });
const shown = quoteInput;

/** Parses the text after `/chaos`. Never throws; empty text means help. */
export function parseChaos(text: string): ParseResult<ChaosCommand> {
  const long = inputTooLong(text);
  if (long) return fail(long);
  const { words, unclosedQuote } = tokenize(text);
  if (unclosedQuote) return fail(`a quote (${unclosedQuote}) is never closed`);
  const [sub, ...rest] = words;
  if (sub === undefined || isHelp(sub)) return ok({ kind: 'help' });
  if (rest.some((w) => isHelp(w))) return ok({ kind: 'help' });
  switch (sub.toLowerCase()) {
    case 'list':
      return rest.length ? fail('`list` takes no arguments') : ok({ kind: 'list' });
    case 'show':
      return parseShow(rest);
    case 'run':
      return parseRun(rest);
    case 'status':
      return parseStatus(rest);
    case 'stop':
      return parseStop(rest);
    case 'history':
      return parseHistory(rest);
    default:
      return fail(`unknown subcommand ${shown(sub)}`);
  }
}

// Name tags may contain spaces: unquoted words after the subcommand are joined back into one name.
function templateRef(positional: string[]): string | { error: string } {
  const ref = positional.join(' ').trim();
  if (!ref) return { error: 'name a template (its id or `Name` tag); `/chaos list` shows them' };
  if (ref.length > CAPS.name) return { error: tooLong('a template name', CAPS.name) };
  return ref;
}

function parseShow(rest: string[]): ParseResult<ChaosCommand> {
  const flags = parseFlags(rest, {});
  if (!flags.ok) return fail(flags.error);
  const template = templateRef(flags.positional);
  return typeof template === 'string' ? ok({ kind: 'show', template }) : fail(template.error);
}

function parseRun(rest: string[]): ParseResult<ChaosCommand> {
  const flags = parseFlags(rest, { values: ['reason'] });
  if (!flags.ok) return fail(flags.error);
  const template = templateRef(flags.positional);
  if (typeof template !== 'string') return fail(template.error);
  const reason = flags.flags.reason?.trim();
  if (reason !== undefined && reason.length === 0) return fail('`--reason` needs some text');
  if (reason !== undefined && reason.length > CAPS.reason) return fail(tooLong('`--reason`', CAPS.reason));
  return ok(reason === undefined ? { kind: 'run', template } : { kind: 'run', template, reason });
}

function parseStatus(rest: string[]): ParseResult<ChaosCommand> {
  const flags = parseFlags(rest, {});
  if (!flags.ok) return fail(flags.error);
  if (flags.positional.length === 0) return ok({ kind: 'status' });
  if (flags.positional.length > 1) return fail('`status` takes at most one experiment id');
  const id = flags.positional[0];
  return EXPERIMENT_ID.test(id) ? ok({ kind: 'status', experiment: id }) : fail(`${shown(id)} is not an experiment id`);
}

function parseStop(rest: string[]): ParseResult<ChaosCommand> {
  const flags = parseFlags(rest, { booleans: ['all'] });
  if (!flags.ok) return fail(flags.error);
  const all = flags.booleans.has('all');
  if (all && flags.positional.length) return fail('use either an experiment id or `--all`, not both');
  if (all) return ok({ kind: 'stop-all' });
  if (flags.positional.length !== 1) return fail('name one experiment id, or `--all` for every running experiment');
  const id = flags.positional[0];
  return EXPERIMENT_ID.test(id) ? ok({ kind: 'stop', experiment: id }) : fail(`${shown(id)} is not an experiment id`);
}

function parseHistory(rest: string[]): ParseResult<ChaosCommand> {
  const flags = parseFlags(rest, { values: ['limit'] });
  if (!flags.ok) return fail(flags.error);
  if (flags.positional.length) return fail('`history` takes only `--limit N`');
  const raw = flags.flags.limit ?? String(HISTORY_DEFAULT_LIMIT);
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > HISTORY_MAX_LIMIT) {
    return fail(`\`--limit\` must be a whole number from 1 to ${HISTORY_MAX_LIMIT}`);
  }
  return ok({ kind: 'history', limit });
}
