import { ACCOUNT_NAME } from '../config/fields';
import { DURATION_HINT, tryParseDurationOrZero } from '../config/duration';
import { extractGuard } from './chaos-guard';
import { bySubcommand, parseFlags, type FlagParse } from './tokenize';
import { CAPS, grammar, HELP_ROW, inputTooLong, quoteInput, tooLong, usageTable, type ParseResult, type CommandGrammar } from './types';

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

export const CHAOS_USAGE = usageTable('chaos:read', [
  ['list', 'experiment templates: name, id, actions, targets, stop conditions'],
  ['show TEMPLATE', 'template details and which resources it would hit now (verified dry run)'],
  ['run TEMPLATE [--reason "…"] [--guard "PROMQL" [--guard-for 1m]]', 'ask for approval to run an experiment', 'chaos:run'],
  ['status [EXPERIMENT]', 'running experiments with their action states'],
  ['stop EXPERIMENT | --all', 'stop an experiment (or every running one) now, after confirmation', 'chaos:stop'],
  ['history [--limit N]', 'recent experiments and how they ended'],
  ['halt [--reason "…"]', 'stop every running experiment in every account and refuse runs until resumed', 'admin'],
  ['resume', 'allow runs again after a halt', 'admin'],
  HELP_ROW,
]);

export const HISTORY_DEFAULT_LIMIT = 10;
export const HISTORY_MAX_LIMIT = 50;
/** `--guard-for` at most a day, as `for:` in lookout.yml. */
export const GUARD_FOR_MAX_MS = 86_400_000;
// FIS ids are EXP…/EXT… alphanumerics; the sandbox uses the same shape. Anything else cannot name an experiment.
const EXPERIMENT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const g = grammar<ChaosCommand>('/chaos', CHAOS_USAGE);
const { fail, ok } = g;

/** Parses the text after `/chaos`. Never throws; empty text means help. */
export function parseChaos(text: string): ParseResult<ChaosCommand> {
  const long = inputTooLong(text);
  if (long) return fail(long);
  const guard = extractGuard(text);
  if ('error' in guard) return fail(guard.error);
  return bySubcommand(guard.rest, g, (sub, rest) => (guard.expr !== undefined && sub.toLowerCase() !== 'run' ? fail('`--guard` applies only to `run`') : bySub(sub, rest, guard.expr)));
}

function bySub(sub: string, rest: string[], guardExpr: string | undefined): ParseResult<ChaosCommand> {
  switch (sub.toLowerCase()) {
    case 'list':
      return parseList(rest);
    case 'show':
      return parseShow(rest);
    case 'run':
      return parseRun(rest, guardExpr);
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
      return fail(`unknown subcommand ${quoteInput(sub)}`);
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
  return ACCOUNT_NAME.test(account) ? { account } : { error: `${quoteInput(account)} is not an account name from the configuration` };
}

/** Parses flags plus `--account`, then builds the request; the first problem with either is the usage error. */
function scoped(rest: string[], spec: { values?: string[]; booleans?: string[] }, build: (flags: Flags, scope: ChaosScope) => ParseResult<ChaosCommand>): ParseResult<ChaosCommand> {
  const flags = parseFlags(rest, { ...spec, values: [...(spec.values ?? []), 'account'] });
  if (!flags.ok) return fail(flags.error);
  const scope = scopeOf(flags);
  return 'error' in scope ? fail(scope.error) : build(flags, scope);
}

/** A request about one experiment, when `id` can name one. */
function aboutExperiment(kind: 'status' | 'stop', id: string, scope: ChaosScope): ParseResult<ChaosCommand> {
  return EXPERIMENT_ID.test(id) ? ok({ kind, experiment: id, ...scope }) : fail(`${quoteInput(id)} is not an experiment id`);
}

function parseList(rest: string[]): ParseResult<ChaosCommand> {
  return scoped(rest, {}, (flags, scope) => (flags.positional.length ? fail('`list` takes no arguments but `--account`') : ok({ kind: 'list', ...scope })));
}

function parseShow(rest: string[]): ParseResult<ChaosCommand> {
  return scoped(rest, {}, (flags, scope) => {
    const template = templateRef(flags.positional);
    return typeof template === 'string' ? ok({ kind: 'show', template, ...scope }) : fail(template.error);
  });
}

function parseReason(raw: string | undefined): { reason?: string } | { error: string } {
  const reason = raw?.trim();
  if (reason === undefined) return {};
  if (reason.length === 0) return { error: '`--reason` needs some text' };
  if (reason.length > CAPS.reason) return { error: tooLong('`--reason`', CAPS.reason) };
  return { reason };
}

function parseRun(rest: string[], guardExpr: string | undefined): ParseResult<ChaosCommand> {
  return scoped(rest, { values: ['reason', 'guard-for'] }, (flags, scope) => runRequest(flags, scope, guardExpr));
}

function runRequest(flags: Flags, scope: ChaosScope, guardExpr: string | undefined): ParseResult<ChaosCommand> {
  const template = templateRef(flags.positional);
  if (typeof template !== 'string') return fail(template.error);
  const reason = parseReason(flags.flags.reason);
  if ('error' in reason) return fail(reason.error);
  const rawFor = flags.flags['guard-for'];
  if (rawFor !== undefined && guardExpr === undefined) return fail('`--guard-for` needs `--guard "PROMQL"`');
  const forMs = rawFor === undefined ? 0 : tryParseDurationOrZero(rawFor);
  if (forMs === null || forMs > GUARD_FOR_MAX_MS) return fail(`\`--guard-for\` ${DURATION_HINT.replace('expected', 'expects')} (at most 1d), got ${quoteInput(rawFor ?? '')}`);
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
  return scoped(rest, {}, ({ positional }, scope) => {
    if (positional.length === 0) return ok({ kind: 'status', ...scope });
    return positional.length > 1 ? fail('`status` takes at most one experiment id') : aboutExperiment('status', positional[0], scope);
  });
}

function parseStop(rest: string[]): ParseResult<ChaosCommand> {
  return scoped(rest, { booleans: ['all'] }, ({ positional, booleans }, scope) => {
    const all = booleans.has('all');
    if (all && positional.length) return fail('use either an experiment id or `--all`, not both');
    if (all) return ok({ kind: 'stop-all', ...scope });
    if (positional.length !== 1) return fail('name one experiment id, or `--all` for every running experiment');
    return aboutExperiment('stop', positional[0], scope);
  });
}

function parseHistory(rest: string[]): ParseResult<ChaosCommand> {
  return scoped(rest, { values: ['limit'] }, (flags, scope) => {
    if (flags.positional.length) return fail('`history` takes only `--limit N` and `--account A`');
    const raw = flags.flags.limit ?? String(HISTORY_DEFAULT_LIMIT);
    const limit = Number(raw);
    if (!/^\d+$/.test(raw) || limit < 1 || limit > HISTORY_MAX_LIMIT) {
      return fail(`\`--limit\` must be a whole number from 1 to ${HISTORY_MAX_LIMIT}`);
    }
    return ok({ kind: 'history', limit, ...scope });
  });
}

export const CHAOS_COMMAND: CommandGrammar<ChaosCommand> = { command: '/chaos', usage: CHAOS_USAGE, parse: parseChaos };
