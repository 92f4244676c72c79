import { inputTooLong, type Grammar, type ParseResult } from './types';
/**
 * Shared command-line tokenizer for every grammar: whitespace-separated words, with "double", 'single' and Slack's
 * “smart” quotes grouping words. Never throws: an unclosed quote is reported, not raised.
 */
export interface Tokens {
  words: string[];
  /** Set when a quote was opened and never closed. */
  unclosedQuote?: string;
}

const OPEN_TO_CLOSE: Record<string, string> = { '"': '"', "'": "'", '“': '”', '”': '”', '‘': '’', '’': '’' };

export function tokenize(text: string): Tokens {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: string | null = null;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
      continue;
    }
    if (ch in OPEN_TO_CLOSE) {
      quote = OPEN_TO_CLOSE[ch];
      inWord = true;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    cur += ch;
    inWord = true;
  }
  if (inWord) words.push(cur);
  return quote ? { words, unclosedQuote: quote } : { words };
}

export interface FlagSpec {
  /** Flags that take a value: `--region us-east-1` or `--region=us-east-1`. */
  values?: string[];
  /** Flags that stand alone: `--all`. */
  booleans?: string[];
}

export type FlagParse =
  | { ok: true; positional: string[]; flags: Record<string, string>; booleans: Set<string> }
  | { ok: false; error: string };

/** Splits words into positional arguments and known flags; unknown or repeated flags are errors. */
export function parseFlags(words: string[], spec: FlagSpec): FlagParse {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  const booleans = new Set<string>();
  const values = new Set(spec.values ?? []);
  const bools = new Set(spec.booleans ?? []);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!w.startsWith('--') || w === '--') {
      positional.push(w);
      continue;
    }
    const eq = w.indexOf('=');
    const name = (eq > 0 ? w.slice(2, eq) : w.slice(2)).toLowerCase();
    if (bools.has(name) && eq < 0) {
      booleans.add(name);
      continue;
    }
    if (!values.has(name)) return { ok: false, error: `unknown option \`--${name}\`` };
    if (name in flags) return { ok: false, error: `\`--${name}\` is given twice` };
    const value = eq > 0 ? w.slice(eq + 1) : words[++i];
    if (value === undefined || value === '') return { ok: false, error: `\`--${name}\` needs a value` };
    flags[name] = value;
  }
  return { ok: true, positional, flags, booleans };
}

/** True for `help`, `--help`, `-h` anywhere a command expects its first word. */
export function isHelp(word: string | undefined): boolean {
  return word === 'help' || word === '--help' || word === '-h';
}

/**
 * A command's first word and the words after it, or the usage error for text over the cap or a quote left open.
 * `help` is set when the person asked for help: no words, or `help` as the first word or any later one.
 */
export function subcommandOf(text: string): { error: string } | { help: true; sub?: string; rest: string[] } | { help: false; sub: string; rest: string[] } {
  const long = inputTooLong(text);
  if (long) return { error: long };
  const { words, unclosedQuote } = tokenize(text);
  if (unclosedQuote) return { error: `a quote (${unclosedQuote}) is never closed` };
  const [sub, ...rest] = words;
  if (sub === undefined || isHelp(sub) || rest.some(isHelp)) return { help: true, sub, rest };
  return { help: false, sub, rest };
}

/** The front of every subcommand grammar: the cap, quotes and help, then `bySub` with the first word and the rest. */
export function bySubcommand<R>(text: string, g: Grammar<R>, bySub: (sub: string, rest: string[]) => ParseResult<R>): ParseResult<R> {
  const words = subcommandOf(text);
  if ('error' in words) return g.fail(words.error);
  return words.help ? g.help() : bySub(words.sub, words.rest);
}
