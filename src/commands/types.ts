import type { Verb } from '../config/types';
import { CAPS } from '../text';

/** Every grammar caps its fields at CAPS (src/text.ts, documented in README "Limits"): no input makes work grow. */
export { CAPS };

/** What every grammar returns: a typed request, or a usage error that says what was wrong. Never throws. */
export type ParseResult<R> = { ok: true; request: R } | { ok: false; error: string };

/** A command's grammar as handlers register it: the command, its usage lines, its parser (pure, never throws). */
export interface CommandGrammar<R> {
  command: string; // '/reach'
  usage: UsageLine[];
  parse(text: string): ParseResult<R>;
}

/** One line of a command's usage; `verb` decides whether `help` shows it to the caller in this channel. */
export interface UsageLine {
  syntax: string;
  description: string;
  verb: Verb | null; // null: anyone
}

export function formatUsage(command: string, lines: UsageLine[]): string {
  return lines.map((l) => `\`${command} ${l.syntax}\` — ${l.description}`).join('\n');
}

/** A usage row: syntax, description, and the verb when it is not the command's usual one. */
export type UsageRow = [syntax: string, description: string, verb?: Verb | null];

/** The last row of most tables: anyone may ask for help. */
export const HELP_ROW: UsageRow = ['help', 'this help', null];

/** A command's usage lines from compact rows: most lines of a command need the same verb, so a row names its verb only when it differs. */
export function usageTable(verb: Verb | null, rows: UsageRow[]): UsageLine[] {
  return rows.map(([syntax, description, own]) => ({ syntax, description, verb: own === undefined ? verb : own }));
}

/** What every grammar's parser returns with: a usage error, a request, or the help request. */
export interface Grammar<R> {
  usage: string;
  fail: (error: string) => ParseResult<R>;
  ok: (request: R) => ParseResult<R>;
  help: () => ParseResult<R>;
}

export function grammar<R extends { kind: string }>(command: string, lines: UsageLine[]): Grammar<R> {
  const usage = formatUsage(command, lines);
  const ok = (request: R): ParseResult<R> => ({ ok: true, request });
  // Every request type has `{ kind: 'help' }` (asking for help is always valid); R's union cannot say so generically.
  return { usage, ok, fail: (error) => ({ ok: false, error }), help: () => ok({ kind: 'help' } as R) };
}

/**
 * What the person typed, quoted in a parse error: cut short and kept inside its code span. Not escaped: the error
 * is plain text, and the view escapes it once (src/views/feedback.ts).
 */
export function quoteInput(s: string): string {
  return '`' + (s.length > 40 ? `${s.slice(0, 39)}…` : s).replace(/`/g, 'ˋ') + '`';
}

/** The usage error for a field longer than its cap: says the cap, so the person can fix it. */
export function tooLong(what: string, cap: number): string {
  return `${what} is too long: at most ${cap.toLocaleString('en-US')} characters`;
}

/** The first check of every grammar: the whole text within CAPS.input, before any other work on it. */
export function inputTooLong(text: string): string | undefined {
  return text.length > CAPS.input ? tooLong('the command', CAPS.input) : undefined;
}
