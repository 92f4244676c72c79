import type { Verb } from '../config/types';

/** What every grammar returns: a typed request, or a usage error that says what was wrong. Never throws. */
export type ParseResult<R> = { ok: true; request: R } | { ok: false; error: string; usage: string };

/** One line of a command's usage; `verb` decides whether `help` shows it to the caller in this channel. */
export interface UsageLine {
  syntax: string;
  description: string;
  verb: Verb | null; // null: anyone
}

export function formatUsage(command: string, lines: UsageLine[]): string {
  return lines.map((l) => `\`${command} ${l.syntax}\` — ${l.description}`).join('\n');
}

/**
 * What the person typed, quoted in a parse error: cut short and kept inside its code span. Not escaped: the error
 * is plain text, and the view escapes it once (src/views/feedback.ts).
 */
export function quoteInput(s: string): string {
  return '`' + (s.length > 40 ? `${s.slice(0, 39)}…` : s).replace(/`/g, 'ˋ') + '`';
}
