import { formatScaled, pickScale, type ChartUnit } from './units';
import { inferStepMs, maxAbsValue, timeExtent, toLineData, type Point } from './series-data';

/** What a chart shows. Times are epoch ms, drawn in UTC. */
export interface LineChartInput {
  title: string;
  /** A second line under the title, e.g. the labels every series shares. */
  subtitle?: string;
  series: { name: string; points: Point[] }[];
  unit?: ChartUnit;
  width?: number;
  height?: number;
  /** When the data was fetched; printed in the caption and used for the axis when there is no data. */
  now?: number;
  /** The queried range: the x axis spans it even where data is missing. Defaults to the data's extent. */
  range?: { start: number; end: number };
  /** Series the caller left out (it passes the top ones): the chart says "+N more series not drawn". */
  notDrawn?: number;
  /** Vertical lines at given times with a short label, e.g. an experiment's start and end. */
  markers?: ChartMarker[];
}

export interface ChartMarker {
  at: number; // epoch ms
  label: string;
}

export const MAX_SERIES = 10;
export const FONT_FAMILY = 'DejaVu Sans';
const LEGEND_NAME_MAX = 48;
// Tableau 10: distinguishable on white, including for the common forms of colour blindness.
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
/** Text width in px; the renderer passes the shipped font's real metrics, the fallback is DejaVu's average. */
export type MeasureText = (text: string, fontSizePx: number) => number;
const roughMeasure: MeasureText = (text, px) => text.length * px * 0.62;

/** Legend names cut to a readable length and made unique (ECharts merges legend entries that share a name). */
export function legendNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const base = name.length <= LEGEND_NAME_MAX ? name : `${name.slice(0, LEGEND_NAME_MAX - 1)}…`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

/** How many legend rows `names` need at `width` px, wrapping the way a left-to-right legend does. */
export function estimateLegendRows(names: string[], width: number, measure: MeasureText = roughMeasure): number {
  if (names.length === 0) return 0;
  let rows = 1;
  let x = 0;
  for (const n of names) {
    const w = 18 + 5 + measure(n, 12) + 16; // icon + gap + text + item gap
    if (x > 0 && x + w > width) {
      rows++;
      x = 0;
    }
    x += w;
  }
  return rows;
}

/** Cuts `text` with an ellipsis so it fits `maxPx` at `px` size (titles must leave room for the notes). */
export function fitText(text: string, maxPx: number, px: number, measure: MeasureText = roughMeasure): string {
  if (measure(text, px) <= maxPx) return text;
  let n = text.length;
  while (n > 0 && measure(`${text.slice(0, n)}…`, px) > maxPx) n--;
  return `${text.slice(0, n)}…`;
}

function formatUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** The ECharts option for a static (SSR) line chart: no animation, white background, UTC axis, unit-aware y. */
export function buildChartOption(input: LineChartInput, width: number, measure: MeasureText = roughMeasure): Record<string, unknown> {
  const drawn = input.series.slice(0, MAX_SERIES);
  const notDrawn = (input.notDrawn ?? 0) + Math.max(0, input.series.length - MAX_SERIES);
  const pointSets = drawn.map((s) => s.points);
  const step = inferStepMs(pointSets);
  const scale = pickScale(maxAbsValue(pointSets), input.unit ?? 'none');
  const hasData = pointSets.some((p) => p.some(([, v]) => Number.isFinite(v)));
  const now = input.now ?? Date.now();
  const extent = input.range ?? timeExtent(pointSets) ?? { start: now - 3_600_000, end: now };
  const names = legendNames(drawn.map((s) => s.name));
  const legendRows = estimateLegendRows(names, width - 32, measure);
  const top = input.subtitle ? 64 : 48;
  const notes = [notDrawn > 0 ? `+${notDrawn} more series not drawn` : '', `UTC · ${formatUtc(now)}`].filter(Boolean);

  return {
    animation: false,
    useUTC: true,
    backgroundColor: '#ffffff',
    color: PALETTE,
    textStyle: { fontFamily: FONT_FAMILY, color: '#333333' },
    title: {
      text: fitText(input.title, width - 260, 16, measure),
      subtext: fitText(input.subtitle ?? '', width - 260, 11, measure),
      left: 16,
      top: 10,
      textStyle: { fontSize: 16, fontWeight: 'normal', fontFamily: FONT_FAMILY, color: '#222222' },
      subtextStyle: { fontSize: 11, fontFamily: FONT_FAMILY, color: '#666666' },
    },
    graphic: [
      { type: 'text', right: 16, top: 14, style: { text: notes.join('\n'), fill: '#777777', fontSize: 11, fontFamily: FONT_FAMILY, align: 'right' } },
      ...(hasData
        ? []
        : [{ type: 'text', left: 'center', top: 'middle', style: { text: 'No data in this range', fill: '#999999', fontSize: 16, fontFamily: FONT_FAMILY } }]),
    ],
    legend: {
      show: names.length > 0,
      type: 'plain',
      left: 16,
      right: 16,
      bottom: 8,
      icon: 'roundRect',
      itemWidth: 18,
      itemHeight: 4,
      itemGap: 16,
      textStyle: { fontSize: 12, fontFamily: FONT_FAMILY },
    },
    grid: { left: 16, right: 24, top, bottom: 36 + legendRows * 22, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: {
      type: 'time',
      min: extent.start,
      max: extent.end,
      axisLabel: {
        hideOverlap: true,
        fontSize: 11,
        formatter: { year: '{yyyy}', month: '{MMM} {yyyy}', day: '{MMM} {d}', hour: '{HH}:{mm}', minute: '{HH}:{mm}', second: '{HH}:{mm}:{ss}' },
      },
      splitLine: { show: true, lineStyle: { color: '#eeeeee' } },
      axisLine: { onZero: false, lineStyle: { color: '#999999' } },
    },
    yAxis: {
      type: 'value',
      axisLabel: { fontSize: 11, formatter: (v: number) => formatScaled(v * scale.divisor, scale) },
      splitLine: { lineStyle: { color: '#e6e6e6' } },
    },
    series: withMarkers(drawn.map((s, i) => ({
      type: 'line',
      name: names[i],
      data: toLineData(s.points, step === undefined ? undefined : step * 2.5).map(([t, v]) => [t, v === null ? null : v / scale.divisor]),
      showSymbol: false,
      symbol: 'none',
      connectNulls: false,
      lineStyle: { width: 1.5 },
      emphasis: { disabled: true },
      sampling: 'lttb',
    })), input.markers ?? []),
  };
}

/**
 * ECharts draws vertical lines as a series' markLine (xAxis values); they go on the first series, or on an empty
 * carrier series when there is no data, so "nothing happened" charts still show when the experiment ran.
 */
function withMarkers(series: Record<string, unknown>[], markers: ChartMarker[]): Record<string, unknown>[] {
  if (markers.length === 0) return series;
  const markLine = {
    silent: true,
    animation: false,
    symbol: ['none', 'none'],
    lineStyle: { color: '#555555', type: 'dashed', width: 1 },
    label: { show: true, position: 'insideEndTop', fontSize: 11, fontFamily: FONT_FAMILY, color: '#444444' },
    data: markers.map((m) => ({ xAxis: m.at, name: m.label, label: { formatter: m.label } })),
  };
  const [first, ...rest] = series;
  return first ? [{ ...first, markLine }, ...rest] : [{ type: 'line', name: '', data: [], symbol: 'none', markLine }];
}
