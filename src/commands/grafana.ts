import { tryParseDuration } from '../config/duration';
import { isHelp, parseFlags, tokenize } from './tokenize';
import { CAPS, inputTooLong, quoteInput, tooLong, type ParseResult, type UsageLine } from './types';

/** `/grafana` grammar (product.md §6). Pure; never throws. */
export type GrafanaRequest =
  | { kind: 'help' }
  | { kind: 'search'; terms: string }
  | { kind: 'panel'; dashboard: string; panel: string; rangeMs?: number };

export const GRAFANA_USAGE: UsageLine[] = [
  { syntax: 'search TERMS', description: 'dashboards whose title matches (add `tag:NAME` to filter by tag): title, folder, tags, link', verb: 'grafana' },
  {
    syntax: 'panel DASHBOARD PANEL [--range 6h]',
    description: 'chart one panel’s Prometheus queries; DASHBOARD is a uid or title, PANEL an id or title (quote titles with spaces)',
    verb: 'grafana',
  },
  { syntax: 'help', description: 'this help', verb: null },
];

export const MIN_RANGE_MS = 60_000;
/** AMP's "Query time range in days" quota was 32 days (aws-apis.md §3.5). */
export const MAX_RANGE_MS = 32 * 86_400_000;

const fail = (error: string): ParseResult<GrafanaRequest> => ({ ok: false, error });

const shown = quoteInput;

export function parseGrafana(text: string): ParseResult<GrafanaRequest> {
  const long = inputTooLong(text);
  if (long) return fail(long);
  const { words, unclosedQuote } = tokenize(text);
  if (unclosedQuote) return fail(`a quote (${unclosedQuote}) is never closed`);
  const [sub, ...rest] = words;
  if (sub === undefined || isHelp(sub) || rest.some(isHelp)) return { ok: true, request: { kind: 'help' } };
  switch (sub.toLowerCase()) {
    case 'search':
      return parseSearch(rest);
    case 'panel':
      return parsePanel(rest);
    default:
      return fail(`unknown subcommand ${shown(sub)} (use \`search\` or \`panel\`)`);
  }
}

function parseSearch(rest: string[]): ParseResult<GrafanaRequest> {
  const flag = rest.find((w) => w.startsWith('--') && w.length > 2);
  if (flag) return fail(`\`search\` takes no options (${shown(flag)})`);
  const terms = rest.join(' ').trim();
  if (terms.length > CAPS.searchTerms) return fail(tooLong('the search terms', CAPS.searchTerms));
  return { ok: true, request: { kind: 'search', terms } };
}

function parsePanel(rest: string[]): ParseResult<GrafanaRequest> {
  const flags = parseFlags(rest, { values: ['range'] });
  if (!flags.ok) return fail(flags.error);
  const [dashboard, panel, ...extra] = flags.positional.map((w) => w.trim());
  if (dashboard === undefined || panel === undefined) return fail('`panel` needs a dashboard and a panel: `panel DASHBOARD PANEL`');
  if (extra.length) return fail('too many words: quote titles with spaces, e.g. `panel "Service overview" "Request rate"`');
  if (!dashboard || !panel) return fail('the dashboard and the panel may not be empty');
  if (dashboard.length > CAPS.name) return fail(tooLong('the dashboard name', CAPS.name));
  if (panel.length > CAPS.name) return fail(tooLong('the panel name', CAPS.name));
  const request: GrafanaRequest = { kind: 'panel', dashboard, panel };
  const raw = flags.flags.range;
  if (raw === undefined) return { ok: true, request };
  const rangeMs = tryParseDuration(raw);
  if (rangeMs === null) return fail(`\`--range\` ${shown(raw)} is not a duration: expected something like 30m, 6h or 7d`);
  if (rangeMs < MIN_RANGE_MS || rangeMs > MAX_RANGE_MS) return fail('`--range` must be between 1m and 32d');
  return { ok: true, request: { ...request, rangeMs } };
}
