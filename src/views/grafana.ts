import type { KnownBlock } from '@slack/types';
import type { DashboardSearchAnswer, DashboardSummary, PanelAnswer } from '../grafana/model';
import { formatValue } from '../charts/units';
import { context, message, section, type CliHint, type Rendered } from './message';
import { ampCurlLines, type AmpLocation } from './metrics-run';
import { code, escapeText, formatDuration, link, LIMITS, slackDate, truncate } from './text';

/** /grafana answers (product.md §6) as Block Kit. Everything from Grafana or the user is escaped here. */
export const GRAFANA_ACTIONS = { openPanel: 'grafana_open_panel' } as const;
export const SEARCH_SHOWN = 15;
const SUMMARY_ROWS = 10;

export interface GrafanaViewOptions {
  /** Where the panel's queries ran when the metrics backend is AMP: "Run it yourself" shows the awscurl calls. */
  amp?: AmpLocation;
}

function finish(text: string, blocks: KnownBlock[], source: string, cli?: CliHint): Rendered {
  return { message: message(blocks, text), source: escapeText(source), cli };
}

/**
 * "Run it yourself" for a panel (product.md §2): with AMP, the awscurl query_range call of each of its queries,
 * with CloudShell in AMP's region. Another Prometheus is not AWS: the "Open panel in Grafana" button is the way
 * to see the same data there.
 */
function panelCli(a: PanelAnswer, amp: AmpLocation | undefined): CliHint | undefined {
  if (!amp || a.queries.length === 0) return undefined;
  const calls = a.queries.map((q) => ampCurlLines(amp, { op: 'query_range', query: q.expr, start: a.range.start, end: a.range.end, stepMs: a.range.stepMs }));
  return { lines: [calls[0][0], ...calls.flatMap((c) => c.slice(1))], region: amp.region };
}

function dashboardLine(d: DashboardSummary): string {
  const folder = d.folder ? ` — ${escapeText(truncate(d.folder, 80))}` : '';
  const tags = d.tags.length ? ` · ${d.tags.slice(0, 5).map((t) => code(truncate(t, 40))).join(' ')}` : '';
  return `• ${link(d.url, truncate(d.title, 120))}${folder}${tags} · uid ${code(d.uid)}`;
}

/** `/grafana search`: title (linked), folder, tags, uid; at most SEARCH_SHOWN, then "and N more". */
export function renderDashboardSearch(a: DashboardSearchAnswer, max = SEARCH_SHOWN): Rendered {
  const what = a.terms ? ` matching ${code(truncate(a.terms, 100))}` : '';
  const text = `Grafana dashboards${a.terms ? ` matching ${escapeText(truncate(a.terms, 100))}` : ''}`;
  if (a.dashboards.length === 0) {
    return finish(text, [section(`No Grafana dashboards${what}. Try fewer or shorter words, or \`tag:NAME\`.`)], a.source);
  }
  const lines: string[] = [];
  let used = 0;
  for (const d of a.dashboards.slice(0, max)) {
    const line = dashboardLine(d);
    if (used + line.length + 1 > LIMITS.sectionText - 200) break;
    lines.push(line);
    used += line.length + 1;
  }
  const blocks: KnownBlock[] = [section(`*${a.dashboards.length} Grafana dashboard${a.dashboards.length === 1 ? '' : 's'}*${what}`), section(lines.join('\n'))];
  const more = a.dashboards.length - lines.length;
  if (more > 0) blocks.push(context(`…and ${more} more. Add words to narrow the search.`));
  return finish(text, blocks, a.source);
}

function summaryTable(a: PanelAnswer): string {
  const fmt = (v: number) => formatValue(v, a.unit);
  const rows = a.series.slice(0, SUMMARY_ROWS).map((s) => [fmt(s.stats.min), fmt(s.stats.avg), fmt(s.stats.max), fmt(s.stats.last), truncate(s.name, 80)]);
  const head = ['MIN', 'AVG', 'MAX', 'LAST', 'SERIES'];
  const widths = head.slice(0, 4).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => [...r.slice(0, 4).map((c, i) => c.padStart(widths[i])), r[4]].join('  ');
  const body = [head, ...rows].map(line).join('\n');
  return '```' + escapeText(body).replace(/`/g, 'ˋ') + '```';
}

/** `/grafana panel`: what was charted (the PNG is uploaded beside it), per-series min/avg/max/last, the viewPanel link. */
export function renderPanelAnswer(a: PanelAnswer, o: GrafanaViewOptions = {}): Rendered {
  const title = `${a.panel.title || `Panel ${a.panel.id}`}`;
  const text = `Grafana panel ${escapeText(truncate(title, 100))} — ${escapeText(truncate(a.dashboard.title, 100))}`;
  const folder = a.dashboard.folder ? ` (${escapeText(truncate(a.dashboard.folder, 60))})` : '';
  const head =
    `*${link(a.link, truncate(title, 150))}* on ${link(a.dashboard.url, truncate(a.dashboard.title, 150))}${folder}\n` +
    `${slackDate(a.range.start)} → ${slackDate(a.range.end)} (${formatDuration(a.range.end - a.range.start)}), step ${formatDuration(a.range.stepMs)}, ` +
    `${a.totalSeries} series`;
  const blocks: KnownBlock[] = [section(head)];
  if (a.series.length === 0) blocks.push(section('No data in this range.'));
  else blocks.push(section(summaryTable(a)));

  const notes: string[] = [];
  if (a.totalSeries > Math.min(a.series.length, SUMMARY_ROWS)) {
    notes.push(`…and ${a.totalSeries - Math.min(a.series.length, SUMMARY_ROWS)} more series not shown (highest peaks first).`);
  }
  if (a.commonLabels) notes.push(`Every series here: ${code(truncate(a.commonLabels, 400))}`);
  const queries = a.queries.map((q) => `${escapeText(q.refId)}: ${code(truncate(q.expr, 300))}`).join('\n');
  notes.push(`Queries: ${truncate(queries, 1500)}`);
  blocks.push(context(...notes));
  if (a.warnings.length) blocks.push(context(`:warning: ${truncate(a.warnings.join(' · '), 1500)}`));
  if (a.link.length <= 3000) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open panel in Grafana' }, url: a.link, action_id: GRAFANA_ACTIONS.openPanel }],
    });
  }
  return finish(text, blocks, a.source, panelCli(a, o.amp));
}
