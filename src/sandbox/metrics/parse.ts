import { LookoutError } from '../../errors';
import { escapeText } from '../../text';

/**
 * A deliberately small PromQL subset for the sandbox: selectors with matchers and an optional range,
 * `rate/irate/increase(selector[5m])`, `sum/avg/min/max/count [by|without (…)] (…)`, and one comparison with a
 * number at the end (`… > 5`), which filters like PromQL's: what alerting rules and guards are written with.
 */
export interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}
export type SandboxExpr =
  | { type: 'selector'; matchers: Matcher[]; rangeMs?: number }
  | { type: 'call'; fn: RangeFn; arg: { matchers: Matcher[]; rangeMs: number } }
  | { type: 'agg'; op: AggOp; grouping?: { mode: 'by' | 'without'; labels: string[] }; arg: SandboxExpr }
  | { type: 'compare'; op: CompareOp; arg: SandboxExpr; threshold: number };

const COMPARE_OPS = ['>', '<', '>=', '<=', '==', '!='] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];

const RANGE_FNS = ['rate', 'irate', 'increase'] as const;
const AGG_OPS = ['sum', 'avg', 'min', 'max', 'count'] as const;
export type RangeFn = (typeof RANGE_FNS)[number];
export type AggOp = (typeof AGG_OPS)[number];

export const SANDBOX_SUPPORTED =
  'The sandbox understands only a metric name with optional label matchers (`http_requests_total{service="web"}`), ' +
  '`rate(…[5m])` (also `irate`, `increase`) and `sum by (label) (…)` (also `avg`, `min`, `max`, `count`, `without`), and a comparison with a number (`… > 5`). ' +
  'Configure `metrics.prometheus` or `metrics.amp` for full PromQL.';

type Token = { kind: 'ident' | 'string' | 'duration' | 'number' | 'punct'; text: string; pos: number };
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const escape = (s: string) => escapeText(s).replace(/`/g, 'ˋ');

function fail(query: string, pos: number, what: string): LookoutError {
  return new LookoutError('invalid_input', `Sandbox: ${what} at position ${pos + 1} of \`${escape(query.slice(0, 200))}\`.`, {
    hint: SANDBOX_SUPPORTED,
  });
}

function lex(query: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s+|(\d+(?:ms|s|m|h|d|w))+|([a-zA-Z_:][a-zA-Z0-9_:]*)|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(=~|!~|!=|==|>=|<=|[=(){}[\],<>])|(\d+(?:\.\d+)?)/y;
  while (re.lastIndex < query.length) {
    const pos = re.lastIndex;
    const m = re.exec(query);
    if (!m) throw fail(query, pos, `unexpected character \`${escape(query[pos])}\``);
    if (m[0].trim() === '') continue;
    if (m[2] !== undefined) tokens.push({ kind: 'ident', text: m[2], pos });
    else if (m[3] !== undefined || m[4] !== undefined) tokens.push({ kind: 'string', text: unquote(m[3] ?? m[4]), pos });
    else if (m[5] !== undefined) tokens.push({ kind: 'punct', text: m[5], pos });
    else if (m[6] !== undefined) tokens.push({ kind: 'number', text: m[6], pos });
    else tokens.push({ kind: 'duration', text: m[0], pos });
  }
  return tokens;
}

function unquote(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t' })[c] ?? c);
}

export function parseSandboxQuery(query: string): SandboxExpr {
  const tokens = lex(query);
  let i = 0;
  const peek = () => tokens[i];
  const where = () => peek()?.pos ?? query.length;
  const expect = (text: string) => {
    if (peek()?.text !== text) throw fail(query, where(), `expected \`${text}\``);
    i++;
  };
  const grouping = () => {
    const mode = peek()?.text as 'by' | 'without';
    i++;
    expect('(');
    const labels: string[] = [];
    while (peek()?.kind === 'ident') {
      labels.push(tokens[i++].text);
      if (peek()?.text === ',') i++;
    }
    expect(')');
    return { mode, labels };
  };
  const matchers = (): Matcher[] => {
    const out: Matcher[] = [];
    expect('{');
    while (peek()?.kind === 'ident') {
      const name = tokens[i++].text;
      const op = peek()?.text;
      if (op !== '=' && op !== '!=' && op !== '=~' && op !== '!~') throw fail(query, where(), 'expected a matcher (`=`, `!=`, `=~`, `!~`)');
      i++;
      if (peek()?.kind !== 'string') throw fail(query, where(), 'expected a quoted label value');
      out.push({ name, op, value: tokens[i++].text });
      if (peek()?.text === ',') i++;
    }
    expect('}');
    return out;
  };
  const selector = (): { matchers: Matcher[]; rangeMs?: number } => {
    const out: Matcher[] = [];
    if (peek()?.kind === 'ident') out.push({ name: '__name__', op: '=', value: tokens[i++].text });
    if (peek()?.text === '{') out.push(...matchers());
    if (!out.length) throw fail(query, where(), 'expected a metric name or `{`');
    if (peek()?.text !== '[') return { matchers: out };
    i++;
    const d = peek();
    if (d?.kind !== 'duration') throw fail(query, where(), 'expected a duration like `5m`');
    i++;
    expect(']');
    let rangeMs = 0;
    for (const [, n, unit] of d.text.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) rangeMs += Number(n) * UNIT_MS[unit];
    return { matchers: out, rangeMs };
  };
  const expr = (): SandboxExpr => {
    const t = peek();
    if (t?.kind === 'ident' && (AGG_OPS as readonly string[]).includes(t.text) && ['(', 'by', 'without'].includes(tokens[i + 1]?.text)) {
      i++;
      let group = peek()?.text === 'by' || peek()?.text === 'without' ? grouping() : undefined;
      expect('(');
      const argPos = where();
      const arg = expr();
      if (arg.type === 'selector' && arg.rangeMs !== undefined) throw fail(query, argPos, `\`${t.text}\` needs an instant vector, not a range`);
      expect(')');
      if (!group && (peek()?.text === 'by' || peek()?.text === 'without')) group = grouping();
      return group ? { type: 'agg', op: t.text as AggOp, grouping: group, arg } : { type: 'agg', op: t.text as AggOp, arg };
    }
    if (t?.kind === 'ident' && (RANGE_FNS as readonly string[]).includes(t.text) && tokens[i + 1]?.text === '(') {
      i += 2;
      const argPos = where();
      const arg = selector();
      if (arg.rangeMs === undefined) throw fail(query, argPos, `\`${t.text}\` needs a range like \`[5m]\``);
      expect(')');
      return { type: 'call', fn: t.text as RangeFn, arg: { matchers: arg.matchers, rangeMs: arg.rangeMs } };
    }
    if (t?.kind === 'ident' && tokens[i + 1]?.text === '(') throw fail(query, t.pos, `function \`${escape(t.text)}\` is not supported`);
    return { type: 'selector', ...selector() };
  };
  let result = expr();
  const op = peek();
  if (op?.kind === 'punct' && (COMPARE_OPS as readonly string[]).includes(op.text)) {
    i++;
    const n = peek();
    if (n?.kind !== 'number') throw fail(query, where(), `expected a number after \`${op.text}\``);
    i++;
    if (result.type === 'selector' && result.rangeMs !== undefined) throw fail(query, op.pos, 'a comparison needs an instant vector, not a range');
    result = { type: 'compare', op: op.text as CompareOp, arg: result, threshold: Number(n.text) };
  }
  if (i < tokens.length) throw fail(query, where(), `unexpected \`${escape(tokens[i].text)}\``);
  return result;
}
