import { tryParseDuration } from '../config/duration';
import { bySubcommand, parseFlags } from './tokenize';
import { CAPS, grammar, HELP_ROW, quoteInput, tooLong, usageTable, type ParseResult, type CommandGrammar } from './types';

/** `/grafana` grammar (product.md §6). Pure; never throws. */
export type GrafanaRequest =
  | { kind: 'help' }
  | { kind: 'search'; terms: string }
  | { kind: 'panel'; dashboard: string; panel: string; rangeMs?: number };

export const GRAFANA_USAGE = usageTable('grafana', [
  ['search TERMS', 'dashboards whose title matches (add `tag:NAME` to filter by tag): title, folder, tags, link'],
  [
    'panel DASHBOARD PANEL [--range 6h]',
    'chart one panel’s Prometheus queries; DASHBOARD is a uid or title, PANEL an id or title (quote titles with spaces)',
  ],
  HELP_ROW,
]);

export const MIN_RANGE_MS = 60_000;
/** AMP's "Query time range in days" quota was 32 days (aws-apis.md §3.5). */
export const MAX_RANGE_MS = 32 * 86_400_000;

const g = grammar<GrafanaRequest>('/grafana', GRAFANA_USAGE);
const { fail, ok } = g;

export function parseGrafana(text: string): ParseResult<GrafanaRequest> {
  return bySubcommand(text, g, (sub, rest) => {
    switch (sub.toLowerCase()) {
      case 'search':
        return parseSearch(rest);
      case 'panel':
        return parsePanel(rest);
      default:
        return fail(`unknown subcommand ${quoteInput(sub)} (use \`search\` or \`panel\`)`);
    }
  });
}

function parseSearch(rest: string[]): ParseResult<GrafanaRequest> {
  const flag = rest.find((w) => w.startsWith('--') && w.length > 2);
  if (flag) return fail(`\`search\` takes no options (${quoteInput(flag)})`);
  const terms = rest.join(' ').trim();
  if (terms.length > CAPS.searchTerms) return fail(tooLong('the search terms', CAPS.searchTerms));
  return ok({ kind: 'search', terms });
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
  if (raw === undefined) return ok(request);
  const rangeMs = tryParseDuration(raw);
  if (rangeMs === null) return fail(`\`--range\` ${quoteInput(raw)} is not a duration: expected something like 30m, 6h or 7d`);
  if (rangeMs < MIN_RANGE_MS || rangeMs > MAX_RANGE_MS) return fail('`--range` must be between 1m and 32d');
  return ok({ ...request, rangeMs });
}

export const GRAFANA_COMMAND: CommandGrammar<GrafanaRequest> = { command: '/grafana', usage: GRAFANA_USAGE, parse: parseGrafana };
