import type { KnownBlock } from '@slack/types';
import type { MetricsAnswer, Series, SeriesSummary } from '../metrics/model';
import { context, section, message, withBlocks, type Rendered, type SlackMessage } from './message';
import { ampCurlLines, type AmpCall, type AmpLocation } from './metrics-run';
import { codeTable, commonLabels, formatLabels } from './metrics-table';
import { formatValue, guessUnit } from './metrics-units';
import { code, escapeText, formatDuration, LIMITS, slackDate, truncate } from './text';
import { renderLabelsAnswer, renderSeriesAnswer, type LabelsAnswerView, type SeriesAnswerView } from './metrics-lists';

/** /metrics answers (product.md §5) as Block Kit, over the answer types in src/metrics/model.ts. */
export type SeriesSummaryView = SeriesSummary;
export type MetricsAnswerView = MetricsAnswer;
export type QueryAnswerView = Exclude<MetricsAnswer, { kind: 'labels' } | { kind: 'series' }>;
export type { LabelsAnswerView, SeriesAnswerView, Series };

export interface MetricsViewOptions {
  /** When the backend is AMP: adds "Run it yourself" (awscurl + CloudShell). */
  amp?: AmpLocation;
}

export const METRICS_ACTIONS = { openGrafana: 'metrics_open_grafana' } as const;
// What the table/summary block may use of a section's 3,000 characters.
const TABLE_BUDGET = LIMITS.sectionText - 100;

export function renderMetricsAnswer(answer: MetricsAnswerView, o: MetricsViewOptions = {}): Rendered {
  switch (answer.kind) {
    case 'labels':
      return finish(renderLabelsAnswer(answer), answer.source, undefined, o, ampCall(answer));
    case 'series':
      return finish(renderSeriesAnswer(answer), answer.source, undefined, o, ampCall(answer));
    default:
      return finish(renderQuery(answer), answer.source, answer, o, ampCall(answer));
  }
}

function renderQuery(a: QueryAnswerView): SlackMessage {
  const q = code(truncate(a.query, 300));
  const unit = guessUnit(a.query);
  const fmt = (v: number) => formatValue(v, unit);
  const text = `Metrics: ${escapeText(truncate(a.query, 200))}`;
  switch (a.kind) {
    case 'scalar':
      return message([section(`${q} = *${fmt(a.value)}* at ${slackDate(a.at)}`)], text);
    case 'string':
      return message([section(`${q} = ${code(truncate(a.value, 1000))} at ${slackDate(a.at)}`)], text);
    case 'vector':
      return message(table(`${q} — ${count(a.total)} at ${slackDate(a.at)}`, ['VALUE'], a.rows.map((r) => [fmt(r.value)]), a.rows, a.total, (n) => `(top ${n} by value shown)`), text);
    case 'matrix': {
      const cells = a.rows.map((r) => [fmt(r.last), String(r.points)]);
      return message(table(`${q} — ${count(a.total)} (range vector) at ${slackDate(a.at)}`, ['LAST', 'POINTS'], cells, a.rows, a.total, (n) => `(top ${n} by last value shown)`), text);
    }
    case 'range': {
      const step = `step ${formatDuration(a.stepMs)}${a.stepChosen ? ' (auto)' : ''}`;
      const head = `${q} — ${slackDate(a.start)} → ${slackDate(a.end)} (${formatDuration(a.end - a.start)}), ${step}, ${count(a.total)}`;
      const cells = a.summaries.map((s) => [fmt(s.min), fmt(s.avg), fmt(s.max), fmt(s.last)]);
      if (!a.total) return message([section(head), section('No data in this range.')], text);
      return message(table(head, ['MIN', 'AVG', 'MAX', 'LAST'], cells, a.summaries, a.total, (n) => (n < a.summaries.length ? `(top ${n} by average shown)` : `not drawn (the top ${n} by average are)`)), text);
    }
  }
}

const count = (n: number) => `${n.toLocaleString('en-US')} series`;

/** Header, the ``` table of label sets with their numbers, common labels once, and "and N more". */
function table(head: string, columns: string[], cells: string[][], rows: { labels: Record<string, string> }[], total: number, cut: (shown: number) => string): KnownBlock[] {
  if (!rows.length) return [section(`${head}\nNo series matched. \`/metrics labels\` lists the label names that exist.`)];
  const common = commonLabels(rows.map((r) => r.labels));
  const built = codeTable({
    columns: [...columns, 'SERIES'],
    rows: rows.map((r, i) => [...cells[i], formatLabels(r.labels, common)]),
    budget: TABLE_BUDGET,
  });
  const blocks: KnownBlock[] = [section(head), section(built.text)];
  const notes: string[] = [];
  if (Object.keys(common).length) notes.push(`Every series here: ${code(truncate(formatLabels(common), 500))}`);
  const more = total - built.shown;
  if (more > 0) notes.push(`…and ${more.toLocaleString('en-US')} more ${cut(built.shown)}.`);
  if (notes.length) blocks.push(context(...notes));
  return blocks;
}

function ampCall(a: MetricsAnswerView): AmpCall {
  switch (a.kind) {
    case 'labels':
      return { op: 'labels', metric: a.metric };
    case 'series':
      return { op: 'series', selector: a.selector, start: a.start, end: a.end };
    case 'range':
      return { op: 'query_range', query: a.query, start: a.start, end: a.end, stepMs: a.stepMs };
    default:
      return { op: 'query', query: a.query, at: a.at };
  }
}

/** Grafana button and warnings; where the data came from (source, samples) and "Run it yourself" for the final render. */
function finish(body: SlackMessage, source: string, a: QueryAnswerView | undefined, o: MetricsViewOptions, call: AmpCall): Rendered {
  const blocks: KnownBlock[] = [];
  if (a?.exploreUrl && a.exploreUrl.length <= 3000) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Grafana' }, url: a.exploreUrl, action_id: METRICS_ACTIONS.openGrafana }],
    });
  } else if (a?.exploreUrl) {
    blocks.push(context('The query is too long for a Grafana Explore link.'));
  }
  if (a?.meta.warnings.length) blocks.push(context(`:warning: ${escapeText(truncate(a.meta.warnings.join(' · '), 1000))}`));
  const samples = a?.meta.samples !== undefined ? ` · ${a.meta.samples.toLocaleString('en-US')} samples processed` : '';
  const cli = o.amp ? { lines: ampCurlLines(o.amp, call), region: o.amp.region } : undefined;
  return { message: withBlocks(body, ...blocks), source: `${escapeText(source)}${samples}`, cli };
}
