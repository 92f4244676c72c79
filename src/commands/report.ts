/**
 * `/report` grammar (product.md §7): text (already entity-decoded) → a typed request or a usage error.
 * Pure and total: nothing throws. Error text is plain with backticks; views/feedback escapes it.
 */
import type { Verb } from '../config/types';
import { canonicalTimeZone, cronProblem, isCronNickname } from '../common/cron';
import { scheduledCommandProblem } from './schedulable';
import { isHelp, parseFlags, subcommandOf } from './tokenize';
import { CAPS, grammar, HELP_ROW, inputTooLong, quoteInput, tooLong, usageTable, type ParseResult, type CommandGrammar } from './types';

export type ReportRequest =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'add'; cron: string; tz?: string; onChange: boolean; command: string }
  | { kind: 'run' | 'pause' | 'resume' | 'remove'; id: string }
  | { kind: 'edit'; id: string; cron?: string; tz?: string };

export const REPORT_USAGE = usageTable('report:write', [
  ['add "CRON" [--tz Europe/Berlin] [--on-change] -- COMMAND', 'run a query command on a schedule and post it here, e.g. `-- /metrics up`'],
  ['list', "this channel's reports, their schedules and last results", 'report:read'],
  ['run ID', 'run a report now, once'],
  ['pause ID', 'stop running it until resumed'],
  ['resume ID', 'run it on its schedule again'],
  ['remove ID', 'delete a report'],
  ['edit ID "CRON" [--tz ZONE]', 'change its schedule'],
  HELP_ROW,
]);

const REPORT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const ID_VERBS = new Set(['run', 'pause', 'resume', 'remove']);
const ALIASES: Record<string, string> = { delete: 'remove', rm: 'remove', ls: 'list' };

const { fail, ok } = grammar<ReportRequest>('/report', REPORT_USAGE);

/** The permission a request needs in the channel (product.md §8): list reads, everything else writes. */
export function reportVerb(req: ReportRequest): Verb | null {
  if (req.kind === 'help') return null;
  return req.kind === 'list' ? 'report:read' : 'report:write';
}

/** Parses the text after `/report`. Never throws; empty text means help. */
export function parseReport(text: string): ParseResult<ReportRequest> {
  try {
    return parseText(text);
  } catch {
    // The grammar is meant to be total; a usage error still beats an exception in Slack.
    return fail('that command could not be read');
  }
}

function parseText(text: string): ParseResult<ReportRequest> {
  const long = inputTooLong(text);
  if (long) return fail(long);
  const { head, command } = splitCommand(text);
  const words = subcommandOf(head);
  if ('error' in words) return fail(words.error);
  const { sub: first, rest } = words;
  if (first === undefined || isHelp(first)) return ok({ kind: 'help' });
  const sub = ALIASES[first.toLowerCase()] ?? first.toLowerCase();
  if (sub !== 'add' && command !== null) return fail('only `add` takes a command after `--`');
  if (sub === 'add') return parseAdd(rest, command);
  if (rest.some(isHelp)) return ok({ kind: 'help' });
  if (sub === 'list') return rest.length ? fail('`list` takes no arguments') : ok({ kind: 'list' });
  if (ID_VERBS.has(sub)) {
    if (rest.length !== 1) return fail(`\`${sub}\` takes one report id, e.g. \`/report ${sub} r-1a2b3c\` (see \`/report list\`)`);
    const id = checkId(rest[0]);
    return typeof id === 'string' ? ok({ kind: sub as 'run', id }) : fail(id.error);
  }
  if (sub === 'edit') return parseEdit(rest);
  return fail(`unknown subcommand ${quoteInput(first)} (use add, list, run, pause, resume, remove or edit)`);
}

function checkId(word: string): string | { error: string } {
  return REPORT_ID.test(word) ? word : { error: `${quoteInput(word)} is not a report id (see \`/report list\`)` };
}

function parseAdd(rest: string[], command: string | null): ParseResult<ReportRequest> {
  if (command === null) {
    if (rest.some(isHelp)) return ok({ kind: 'help' });
    return fail('put the command to run after `--`, e.g. `/report add "0 9 * * 1-5" -- /chaos history`');
  }
  const flags = parseFlags(rest, { values: ['tz'], booleans: ['on-change'] });
  if (!flags.ok) return fail(flags.error);
  const schedule = checkSchedule(flags.positional, flags.flags.tz, true);
  if ('error' in schedule) return fail(schedule.error);
  if (!command) return fail('the command after `--` is missing, e.g. `-- /metrics up`');
  if (command.length > CAPS.command) return fail(tooLong('the command after `--`', CAPS.command));
  const problem = scheduledCommandProblem(command);
  if (problem) return fail(problem);
  const request: ReportRequest = { kind: 'add', cron: schedule.cron as string, onChange: flags.booleans.has('on-change'), command };
  if (schedule.tz) request.tz = schedule.tz;
  return ok(request);
}

function parseEdit(rest: string[]): ParseResult<ReportRequest> {
  const flags = parseFlags(rest, { values: ['tz'] });
  if (!flags.ok) return fail(flags.error);
  const [idWord, ...cronWords] = flags.positional;
  if (idWord === undefined) return fail('`edit` needs a report id and a schedule, e.g. `/report edit r-1a2b3c "0 8 * * 1-5"`');
  const id = checkId(idWord);
  if (typeof id !== 'string') return fail(id.error);
  if (!cronWords.length && flags.flags.tz === undefined) return fail('give a new schedule (`"CRON"`) and/or `--tz ZONE`');
  const schedule = checkSchedule(cronWords, flags.flags.tz, false);
  if ('error' in schedule) return fail(schedule.error);
  const request: ReportRequest = { kind: 'edit', id };
  if (schedule.cron) request.cron = schedule.cron;
  if (schedule.tz) request.tz = schedule.tz;
  return ok(request);
}

/** The cron is one quoted word, a nickname, or five bare fields; the zone an IANA name Intl knows. */
function checkSchedule(words: string[], tzRaw: string | undefined, required: boolean): { cron?: string; tz?: string } | { error: string } {
  const out: { cron?: string; tz?: string } = {};
  if (words.length) {
    const cron = words.join(' ').trim().replace(/\s+/g, ' ');
    if (cron.length > CAPS.cron) return { error: tooLong('the schedule', CAPS.cron) };
    if (words.length !== 1 && words.length !== 5) {
      return { error: `${quoteInput(cron)} is not a schedule: quote the cron expression, e.g. \`"0 9 * * 1-5"\`` };
    }
    const problem = cronProblem(cron);
    if (problem) return { error: `${quoteInput(cron)}: ${problem}` };
    out.cron = isCronNickname(cron) ? cron.toLowerCase() : cron;
  } else if (required) {
    return { error: 'the schedule is missing: `/report add "CRON" -- COMMAND`, e.g. `"0 9 * * 1-5"` for 09:00 on weekdays' };
  }
  if (tzRaw !== undefined) {
    if (tzRaw.length > CAPS.name) return { error: tooLong('`--tz`', CAPS.name) };
    const tz = canonicalTimeZone(tzRaw);
    if (!tz) return { error: `${quoteInput(tzRaw)} is not a time zone: use an IANA name such as \`Europe/Berlin\` or \`America/New_York\`` };
    out.tz = tz;
  }
  return out;
}

/**
 * Splits `add … -- COMMAND` at the first unquoted `--` word, keeping the command exactly as typed (its quotes
 * and spaces matter to PromQL). Without `--`, a word starting with `/` begins the command.
 */
export function splitCommand(text: string): { head: string; command: string | null } {
  const quotes: Record<string, string> = { '"': '"', "'": "'", '“': '”', '”': '”', '‘': '’', '’': '’' };
  let quote: string | null = null;
  let start = -1; // UTF-16 offset where the current word began
  let index = 0; // words seen before the current one
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    const space = ch === undefined || (!quote && /\s/.test(ch));
    if (space) {
      if (start >= 0) {
        const word = text.slice(start, i);
        if (word === '--') return { head: text.slice(0, start), command: text.slice(i).trim() };
        if (word.startsWith('/') && index > 0) return { head: text.slice(0, start), command: text.slice(start).trim() };
        index++;
      }
      start = -1;
      continue;
    }
    if (start < 0) start = i;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch in quotes) quote = quotes[ch];
  }
  return { head: text, command: null };
}

export const REPORT_COMMAND: CommandGrammar<ReportRequest> = { command: '/report', usage: REPORT_USAGE, parse: parseReport };
