import { GUARD_EXPR_MAX_LENGTH } from '../config/schema';

/**
 * `--guard "EXPR"` of `/chaos run`, cut out of the raw text before it is split into words: PromQL keeps its own
 * double quotes (`{code="500"}`), which the shared tokenizer would eat. Pure and total.
 *
 * The guard's closing quote is the first double quote that cannot open a PromQL string: one that follows an
 * expression (`)`, `}`, `]`, a name or a number) rather than `=`, `~`, `(` or `,`. Quotes inside PromQL strings
 * (escaped or not double) are skipped. Slack's smart quotes count as double quotes and become straight ones.
 */
export type GuardExtraction = { rest: string; expr?: string } | { error: string };

const DOUBLE = new Set(['"', '“', '”', '„']);
const FLAG = /(^|\s)--guard(?:=|\s+|$)/i;
const OPENS_STRING = /^[=~(,{]$/;

export function extractGuard(text: string): GuardExtraction {
  const flag = FLAG.exec(text);
  if (!flag) return { rest: text };
  const start = flag.index + flag[1].length;
  const open = flag.index + flag[0].length;
  if (open >= text.length) return { error: '`--guard` needs a PromQL expression in double quotes: `--guard "…"`' };
  if (!DOUBLE.has(text[open])) return { error: '`--guard` takes its PromQL in double quotes: `--guard "rate(errors[1m]) > 5"`' };
  const close = findClose(text, open + 1);
  if (close < 0) return { error: 'the double quote after `--guard` is never closed' };
  const expr = normalise(text.slice(open + 1, close)).trim();
  if (!expr) return { error: '`--guard` needs some PromQL' };
  if (expr.length > GUARD_EXPR_MAX_LENGTH) return { error: `\`--guard\` is at most ${GUARD_EXPR_MAX_LENGTH} characters of PromQL` };
  const rest = `${text.slice(0, start)} ${text.slice(close + 1)}`;
  if (FLAG.test(rest)) return { error: '`--guard` is given twice: a run takes one ad-hoc guard (configure more under `chaos.guards`)' };
  return { rest, expr };
}

/** `--guard "EXPR"` as a person would type it: the inverse of extractGuard. */
export function formatGuardFlag(expr: string): string {
  return `--guard "${expr}"`;
}

function findClose(text: string, from: number): number {
  let inString: string | null = null;
  let before = ''; // the last character outside strings that is not a space
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === inString || (inString === '"' && DOUBLE.has(ch))) [inString, before] = [null, '"'];
      continue;
    }
    if (DOUBLE.has(ch)) {
      if (!OPENS_STRING.test(before)) return i;
      inString = '"';
    } else if (ch === "'" || ch === '`' || ch === '‘' || ch === '’') {
      inString = ch === '‘' || ch === '’' ? '’' : ch;
    }
    if (!/\s/.test(ch)) before = ch;
  }
  return -1;
}

function normalise(s: string): string {
  return s.replace(/[“”„]/g, '"').replace(/[‘’]/g, "'");
}
