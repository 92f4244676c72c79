/**
 * What each chart Lookout uploads draws (the chart engine's input), from the domain result: `/metrics` over a
 * range and `/grafana panel` (an experiment's impact charts draw their series the same way). Pure; the pipeline
 * renders the PNG and uploads it beside the answer.
 */
import type { LineChartInput } from '../charts/options';
import { shortenLabelSets } from '../charts/labels';
import type { PanelAnswer } from '../grafana/model';
import type { MetricsAnswer, RangeSeries } from '../metrics/model';
import { guessUnit } from './metrics-units';

/** A chart to upload: the engine's input and the file's name, title and alt text. */
export interface ChartFile {
  input: LineChartInput;
  filename: string;
  title: string;
  altText: string;
}

/** PromQL series as drawn lines: names shortened to the labels that differ, the unit guessed from the query. */
export function seriesChart(expr: string, series: RangeSeries[], shown: number): Pick<LineChartInput, 'series' | 'unit' | 'notDrawn'> {
  const drawn = series.slice(0, shown);
  const names = shortenLabelSets(drawn.map((s) => s.labels));
  const unit = guessUnit(expr);
  return { series: drawn.map((s, i) => ({ name: names[i], points: s.points })), unit: unit === 'bytes/s' ? 'bytes' : unit, notDrawn: series.length - drawn.length };
}

/** `/metrics` over a range with data: the drawn series (the service already picked the top ones). */
export function metricsChart(a: MetricsAnswer, now: number): ChartFile | undefined {
  if (a.kind !== 'range' || a.series.length === 0) return undefined;
  const drawn = seriesChart(a.query, a.series, a.series.length);
  const input = { title: a.query.length > 120 ? `${a.query.slice(0, 119)}…` : a.query, ...drawn, range: { start: a.start, end: a.end }, notDrawn: a.total - a.series.length, now };
  return { input, filename: 'metrics.png', title: `Metrics: ${a.query.slice(0, 200)}`, altText: `Line chart of ${a.query.slice(0, 900)}` };
}

/** `/grafana panel`: the panel's series in its own unit. */
export function panelChart(a: PanelAnswer, now: number): ChartFile {
  const title = `${a.dashboard.title} — ${a.panel.title}`;
  const input = { title: title.slice(0, 150), subtitle: a.commonLabels, series: a.series, unit: a.unit, range: a.range, notDrawn: a.totalSeries - a.series.length, now };
  return { input, filename: 'panel.png', title: title.slice(0, 200), altText: `Chart of the Grafana panel ${a.panel.title.slice(0, 500)}` };
}
