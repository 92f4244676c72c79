import type { InstantSample, RangeSeries, SeriesSummary } from './model';

/** min/avg/max/last over a series' finite points (NaN and ±Inf say nothing about its level). */
export function summarizeSeries(s: RangeSeries): SeriesSummary {
  const finite = s.points.map((p) => p[1]).filter(Number.isFinite);
  if (!finite.length) return { labels: s.labels, min: NaN, avg: NaN, max: NaN, last: NaN, points: s.points.length };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { labels: s.labels, min, avg: sum / finite.length, max, last: finite[finite.length - 1], points: s.points.length };
}

/** Stable text for a label set, for tie-breaking and sorting: `{a="1", b="2"}` with keys sorted. */
export function labelKey(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(', ');
}

/** Descending by number, NaN last, ties broken by labels so the same data always gives the same order. */
function byValueDesc<T>(value: (t: T) => number, labels: (t: T) => Record<string, string>) {
  return (a: T, b: T): number => {
    const va = value(a);
    const vb = value(b);
    const na = Number.isNaN(va);
    const nb = Number.isNaN(vb);
    if (na !== nb) return na ? 1 : -1;
    if (!na && va !== vb) return vb > va ? 1 : -1;
    return labelKey(labels(a)).localeCompare(labelKey(labels(b)));
  };
}

/** The top samples of an instant vector by value ("top 20 series by value", product.md §5). */
export function rankSamples(samples: InstantSample[]): InstantSample[] {
  return [...samples].sort(byValueDesc((s) => s.value, (s) => s.labels));
}

/**
 * Range series ranked by their average level, biggest first: the series that dominate the chart are the ones
 * worth drawing when there are too many to draw them all.
 */
export function rankRangeSeries(series: RangeSeries[]): { series: RangeSeries; summary: SeriesSummary }[] {
  const rows = series.map((s) => ({ series: s, summary: summarizeSeries(s) }));
  return rows.sort(byValueDesc((r) => r.summary.avg, (r) => r.series.labels));
}

export function rankSummariesByLast(summaries: SeriesSummary[]): SeriesSummary[] {
  return [...summaries].sort(byValueDesc((s) => s.last, (s) => s.labels));
}
