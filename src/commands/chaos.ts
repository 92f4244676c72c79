import { ACCOUNT_NAME } from '../config/fields';
import { DURATION_HINT, tryParseDurationOrZero } from '../config/duration';
import { extractGuard } from './chaos-guard';
import { isHelp, parseFlags, tokenize, type FlagParse } from './tokenize';
import { CAPS, inputTooLong, quoteInput, tooLong, type ParseResult, type UsageLine } from './types';

/** `/chaos` requests (product.md §4). TEMPLATE is a template id or its `Name` tag; the service resolves it. */
export type ChaosCommand =
  | { kind: 'help' }
  | (ChaosScope & { kind: 'list' })
  | (ChaosScope & { kind: 'show'; template: string })
  | (ChaosScope & { kind: 'run'; template: string; reason?: string; guard?: AdHocGuard })
  | (ChaosScope & { kind: 'status'; experiment?: string })
  | (ChaosScope & { kind: 'stop'; experiment: string })
  | (ChaosScope & { kind: 'stop-all' })
  | (ChaosScope & { kind: 'history'; limit: number })
  | { kind: 'halt'; reason?: string }
  | { kind: 'resume' };

/** `--account A`: one of the channel's `accounts` (the pipeline checks which). */
export interface ChaosScope {
  account?: string;
}

/** `--guard "EXPR" [--guard-for 1m]`: one guard for this run only. */
export interface AdHocGuard {
  expr: string;
  forMs: number;
}

export const CHAOS_USAGE: UsageLine[] = [
  { syntax: 'list', description: 'experiment templates: name, id, actions, targets, stop conditions', verb: 'chaos:read' },
  { syntax: 'show TEMPLATE', description: 'template details and which resources it would hit now (verified dry run)', verb: 'chaos:read' },
  { syntax: 'run TEMPLATE [--reason "…"] [--guard "PROMQL" [--guard-for 1m]]', description: 'ask for approval to run an experiment', verb: 'chaos:run' },
  { syntax: 'status [EXPERIMENT]', description: 'running experiments with their action states', verb: 'chaos:read' },
  { syntax: 'stop EXPERIMENT | --all', description: 'stop an experiment (or every running one) now, after confirmation', verb: 'chaos:stop' },
  { syntax: 'history [--limit N]', description: 'recent experiments and how they ended', verb: 'chaos:read' },
  { syntax: 'halt [--reason "…"]', description: 'stop every running experiment in every account and refuse runs until resumed', verb: 'admin' },
  { syntax: 'resume', description: 'allow runs again after a halt', verb: 'admin' },
  { syntax: 'help', description: 'this help', verb: null },
];

export const HISTORY_DEFAULT_LIMIT = 10;
export const HISTORY_MAX_LIMIT = 50;
/** `--guard-for` at most a day, as `for:` in lookout.yml. */
export const GUARD_FOR_MAX_MS = 86_400_000;
// FIS ids are EXP…/EXT… alphanumerics; the sandbox uses the same shape. Anything else cannot name an experiment.
const EXPERIMENT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const fail = (error: string): ParseResult<ChaosCommand> => ({ ok: false, error });
const ok = (request: ChaosCommand): ParseResult<ChaosCommand> => ({ ok: true, request });
const shown = quoteInput;

/** Parses the text after `/chaos`. Never throws; empty text means help. */
export function parseChaos(text: string): ParseResult<ChaosCommand> {
  const long = inputTooLong(text);
  if (long) return fail(long);
  const guard = extractGuard(text);
  if ('error' in guard) return fail(guard.error);
  const { words, unclosedQuote } = tokenize(guard.rest);
  if (unclosedQuote) return fail(`a quote (${unclosedQuote}) is never closed`);
  const [sub, ...rest] = words;
  if (sub === undefined || isHelp(sub)) return ok({ kind: 'help' });
  if (rest.some((w) => isHelp(w))) return ok({ kind: 'help' });
  if (guard.expr !== undefined && sub.toLowerCase() !== 'run') return fail('`--guard` applies only to `run`');
  switch (sub.toLowerCase()) {
    case 'list':
      return parseList(rest);
    case 'show':
      return parseShow(rest);
    case 'run':
      return parseRun(rest, guard.expr);
    case 'status':
      return parseStatus(rest);
    case 'stop':
      return parseStop(rest);
    case 'history':
      return parseHistory(rest);
    case 'halt':
      return parseHalt(rest);
    case 'resume':
      return rest.length ? fail('`resume` takes no arguments') : ok({ kind: 'resume' });
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

type Flags = Extract<FlagParse, { ok: true }>;

/** `--account A` when given: an account name as lookout.yml spells them (whether the channel may use it is policy). */
function scopeOf(flags: Flags): ChaosScope | { error: string } {
  const account = flags.flags.account;
  if (account === undefined) return {};
  return ACCOUNT_NAME.test(account) ? { account } : { error: `${shown(account)} is not an account name from the configuration` };
}

/** Flags plus `--account`, or the first problem with either. */
function withScope(rest: string[], spec: { values?: string[]; booleans?: string[] }): { flags: Flags; scope: ChaosScope } | { error: string } {
  const flags = parseFlags(rest, { ...spec, values: [...(spec.values ?? []), 'account'] });
  if (!flags.ok) return { error: flags.error };
  const scope = scopeOf(flags);
  return 'error' in scope ? scope : { flags, scope };
}

function parseList(rest: string[]): ParseResult<ChaosCommand> {
  const parsed = withScope(rest, {});
  if ('error' in parsed) return fail(parsed.error);
  return parsed.flags.positional.length ? fail('`list` takes no arguments but `--account`') : ok({ kind: 'list', ...parsed.scope });
}

function parseShow(rest: string[]): ParseResult<ChaosCommand> {
  const parsed = withScope(rest, {});
  if ('error' in parsed) return fail(parsed.error);
  const template = templateRef(parsed.flags.positional);
  return typeof template === 'string' ? ok({ kind: 'show', template, ...parsed.scope }) : fail(template.error);
}

function parseReason(raw: string | undefined): { reason?: string } | { error: string } {
  const reason = raw?.trim();
  if (reason === undefined) return {};
  if (reason.length === 0) return { error: '`--reason` needs some text' };
  if (reason.length > CAPS.reason) return { error: tooLong('`--reason`', CAPS.reason) };
  return { reason };
}

function parseRun(rest: string[], guardExpr: string | undefined): ParseResult<ChaosCommand> {
  const parsed = withScope(rest, { values: ['reason', 'guard-for'] });
  if ('error' in parsed) return fail(parsed.error);
  const { flags, scope } = parsed;
  const template = templateRef(flags.positional);
  if (typeof template !== 'string') return fail(template.error);
  const reason = parseReason(flags.flags.reason);
  if ('error' in reason) return fail(reason.error);
  const rawFor = flags.flags['guard-for'];
  if (rawFor !== undefined && guardExpr === undefined) return fail('`--guard-for` needs `--guard "PROMQL"`');
  const forMs = rawFor === undefined ? 0 : tryParseDurationOrZero(rawFor);
  if (forMs === null || forMs > GUARD_FOR_MAX_MS) return fail(`\`--guard-for\` ${DURATION_HINT.replace('expected', 'expects')} (at most 1d), got ${shown(rawFor ?? '')}`);
  const guard = guardExpr === undefined ? {} : { guard: { expr: guardExpr, forMs } };
  return ok({ kind: 'run', template, ...reason, ...scope, ...guard });
}

function parseHalt(rest: string[]): ParseResult<ChaosCommand> {
  const flags = parseFlags(rest, { values: ['reason'] });
  if (!flags.ok) return fail(flags.error);
  if (flags.positional.length) return fail('`halt` takes only `--reason "…"`');
  const reason = parseReason(flags.flags.reason);
  return 'error' in reason ? fail(reason.error) : ok({ kind: 'halt', ...reason });
}

function parseStatus(rest: string[]): ParseResult<ChaosCommand> {
  const parsed = withScope(rest, {});
  if ('error' in parsed) return fail(parsed.error);
  const { flags, scope } = parsed;
  if (flags.positional.length === 0) return ok({ kind: 'status', ...scope });
  if (flags.positional.length > 1) return fail('`status` takes at most one experiment id');
  const id = flags.positional[0];
  return EXPERIMENT_ID.test(id) ? ok({ kind: 'status', experiment: id, ...scope }) : fail(`${shown(id)} is not an experiment id`);
}

function parseStop(rest: string[]): ParseResult<ChaosCommand> {
  const parsed = withScope(rest, { booleans: ['all'] });
  if ('error' in parsed) return fail(parsed.error);
  const { flags, scope } = parsed;
  const all = flags.booleans.has('all');
  if (all && flags.positional.length) return fail('use either an experiment id or `--all`, not both');
  if (all) return ok({ kind: 'stop-all', ...scope });
  if (flags.positional.length !== 1) return fail('name one experiment id, or `--all` for every running experiment');
  const id = flags.positional[0];
  return EXPERIMENT_ID.test(id) ? ok({ kind: 'stop', experiment: id, ...scope }) : fail(`${shown(id)} is not an experiment id`);
}

function parseHistory(rest: string[]): ParseResult<ChaosCommand> {
  const parsed = withScope(rest, { values: ['limit'] });
  if ('error' in parsed) return fail(parsed.error);
  const { flags, scope } = parsed;
  if (flags.positional.length) return fail('`history` takes only `--limit N` and `--account A`');
  const raw = flags.flags.limit ?? String(HISTORY_DEFAULT_LIMIT);
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > HISTORY_MAX_LIMIT) {
    return fail(`\`--limit\` must be a whole number from 1 to ${HISTORY_MAX_LIMIT}`);
  }
  return ok({ kind: 'history', limit, ...scope });
}
