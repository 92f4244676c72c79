import { isHelp } from './tokenize';
import { CAPS, grammar, HELP_ROW, inputTooLong, quoteInput, tooLong, usageTable, type ParseResult, type CommandGrammar } from './types';

/** `/metrics` requests (product.md §5). Times are epoch ms; durations ms. The service applies limits and defaults. */
export type MetricsCommand =
  | { kind: 'help' }
  | { kind: 'instant'; query: string; at?: number }
  | { kind: 'range'; query: string; rangeMs: number; stepMs?: number; end?: number }
  | { kind: 'labels'; metric?: string }
  | { kind: 'series'; selector: string; lookbackMs?: number };

export const METRICS_USAGE = usageTable('metrics', [
  ['QUERY', 'instant PromQL query → a table of the top series'],
  ['QUERY --range 6h [--step 1m]', 'range query → a chart and min/avg/max/last per series'],
  ['QUERY --at 2026-11-29T09:00Z', 'instant query at a time (with --range: the range ends then)'],
  ['labels [METRIC]', 'label names (and values, for one metric)'],
  ['series SELECTOR [--range 1h]', 'series matching a selector, seen in the last hour (or --range)'],
  HELP_ROW,
]);

const FLAG_NAMES = ['range', 'step', 'at'] as const;
type FlagName = (typeof FLAG_NAMES)[number];
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

const { fail, ok } = grammar<MetricsCommand>('/metrics', METRICS_USAGE);

/**
 * Parses the text after `/metrics` (already entity-decoded). Never throws. PromQL keeps its quotes and spaces:
 * options are recognised only as whole words at the end of the text, so `--` inside a query is left alone.
 */
export function parseMetrics(text: string): ParseResult<MetricsCommand> {
  const long = inputTooLong(text);
  if (long) return fail(long);
  const body = unwrapCode(normaliseQuotes(text).trim());
  const firstWord = body.split(/\s+/, 1)[0];
  if (!body || isHelp(firstWord)) return ok({ kind: 'help' });
  const peeled = peelFlags(body);
  if ('error' in peeled) return fail(peeled.error);
  const { rest, flags } = peeled;
  if (flags.help) return ok({ kind: 'help' });
  const [sub, ...args] = rest.split(/\s+/);
  if (sub === 'labels') return parseLabels(args, flags);
  if (sub === 'series') return parseSeries(rest.slice('series'.length).trim(), flags);
  return parseQuery(rest, flags);
}

interface Flags {
  help?: boolean;
  range?: number;
  step?: number;
  at?: number;
}

function parseLabels(args: string[], flags: Flags): ParseResult<MetricsCommand> {
  if (flags.range !== undefined || flags.step !== undefined || flags.at !== undefined) return fail('`labels` takes no options');
  if (args.length > 1) return fail('`labels` takes at most one metric name');
  const metric = args[0];
  if (metric === undefined) return ok({ kind: 'labels' });
  if (metric.length > CAPS.name) return fail(tooLong('the metric name', CAPS.name));
  if (!METRIC_NAME.test(metric)) return fail(`${quoteInput(metric)} is not a metric name (letters, digits, \`_\` and \`:\`)`);
  return ok({ kind: 'labels', metric });
}

function parseSeries(selector: string, flags: Flags): ParseResult<MetricsCommand> {
  if (flags.step !== undefined || flags.at !== undefined) return fail('`series` takes only `--range` (how far back to look)');
  if (!selector) return fail('`series` needs a selector, e.g. `/metrics series up{job="api"}`');
  if (selector.length > CAPS.promql) return fail(tooLong('the selector', CAPS.promql));
  return ok(flags.range === undefined ? { kind: 'series', selector } : { kind: 'series', selector, lookbackMs: flags.range });
}

function parseQuery(query: string, flags: Flags): ParseResult<MetricsCommand> {
  if (!query) return fail('give a PromQL query before the options, e.g. `/metrics up --range 1h`');
  if (query.length > CAPS.promql) return fail(tooLong('the query', CAPS.promql));
  const misplaced = query.split(/\s+/).find((w) => FLAG_NAMES.some((f) => w === `--${f}` || w.startsWith(`--${f}=`)));
  if (misplaced) return fail(`options go after the query: move ${quoteInput(misplaced)} to the end`);
  if (flags.range === undefined) {
    if (flags.step !== undefined) return fail('`--step` needs `--range`, e.g. `--range 6h --step 1m`');
    return ok(flags.at === undefined ? { kind: 'instant', query } : { kind: 'instant', query, at: flags.at });
  }
  if (flags.step !== undefined && flags.step > flags.range) return fail('`--step` must be shorter than `--range`');
  const request: MetricsCommand = { kind: 'range', query, rangeMs: flags.range };
  if (flags.step !== undefined) request.stepMs = flags.step;
  if (flags.at !== undefined) request.end = flags.at;
  return ok(request);
}

/** Takes `--name value`, `--name=value` and `--help` off the end of the text, leaving the query untouched. */
function peelFlags(body: string): { rest: string; flags: Flags } | { error: string } {
  const flags: Flags = {};
  let rest = body;
  for (;;) {
    const m = /(?:^|\s)(--[^\s=]+)(?:=(\S*)|\s+(\S+))?\s*$/.exec(rest);
    if (!m) return { rest: rest.trim(), flags };
    const name = m[1].slice(2).toLowerCase();
    const value = m[2] ?? m[3];
    if (name === 'help' && m[3] === undefined) {
      flags.help = true;
    } else if (!(FLAG_NAMES as readonly string[]).includes(name)) {
      // A value-looking word after an unknown `--x` may be query text (`a --x b` is not PromQL anyway).
      return { error: `unknown option ${quoteInput(m[1])}; options are \`--range\`, \`--step\` and \`--at\`` };
    } else {
      const error = setFlag(flags, name as FlagName, value);
      if (error) return { error };
    }
    rest = rest.slice(0, m.index);
  }
}

function setFlag(flags: Flags, name: FlagName, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return `\`--${name}\` needs a value`;
  if (flags[name] !== undefined) return `\`--${name}\` is given twice`;
  if (name === 'at') {
    const at = parseTime(value);
    if (at === null) return `${quoteInput(value)} is not a time: use ISO 8601 like \`2026-11-29T09:00Z\` or Unix seconds`;
    flags.at = at;
    return undefined;
  }
  const ms = parsePromDuration(value);
  if (ms === null) return `${quoteInput(value)} is not a duration: use e.g. \`30s\`, \`5m\`, \`6h\`, \`7d\` or \`1h30m\``;
  flags[name] = ms;
  return undefined;
}

/** Prometheus-style durations (`90s`, `5m`, `1h30m`, `2w`); null when malformed or zero. */
export function parsePromDuration(text: string): number | null {
  if (!/^(\d+(ms|s|m|h|d|w))+$/.test(text)) return null;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) total += Number(n) * UNIT_MS[unit];
  return total > 0 && Number.isSafeInteger(total) ? total : null;
}

/** ISO 8601 (a time without a zone is taken as UTC, not the server's zone) or Unix seconds. */
export function parseTime(text: string): number | null {
  if (/^\d{9,11}(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(text);
  if (!m) return null;
  const zone = (m[3] ?? 'Z').toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const iso = `${m[1]}T${m[2] ?? '00:00'}${zone}`;
  const ms = Date.parse(iso);
  // Date.parse rolls 2026-02-31 over to March: compare the date part back to refuse it.
  if (Number.isNaN(ms) || new Date(ms + offsetMs(zone)).toISOString().slice(0, 10) !== m[1]) return null;
  return ms;
}

function offsetMs(zone: string): number {
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
}

// Slack's clients turn typed quotes into “smart” ones, which PromQL does not accept.
function normaliseQuotes(s: string): string {
  return s.replace(/[“”„]/g, '"').replace(/[‘’]/g, "'");
}

// People paste queries as `code` or ```code```; the backticks are Slack formatting, not PromQL.
function unwrapCode(s: string): string {
  const fenced = /^```([\s\S]*?)```(\s.*)?$/.exec(s);
  if (fenced) return `${fenced[1].trim()}${fenced[2] ?? ''}`.trim();
  const inline = /^`([^`]+)`(\s.*)?$/.exec(s);
  return inline ? `${inline[1].trim()}${inline[2] ?? ''}`.trim() : s;
}

export const METRICS_COMMAND: CommandGrammar<MetricsCommand> = { command: '/metrics', usage: METRICS_USAGE, parse: parseMetrics };
