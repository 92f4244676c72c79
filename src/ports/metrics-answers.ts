import type { InstantSample, QueryMeta, RangeSeries, Series } from './prom-query';

/** What the metrics service answers (domain data in a port, so src/views/metrics.ts can render the same types; src/charts draws `range`). */
export interface SeriesSummary {
  labels: Record<string, string>;
  /** Over the finite points only; NaN when a series has none. */
  min: number;
  avg: number;
  max: number;
  last: number;
  points: number;
}

interface Answered {
  query: string;
  source: string; // PromQuery.describe()
  meta: QueryMeta;
  /** Opens the same query and time range in Grafana Explore, when Grafana is configured. */
  exploreUrl?: string;
}

export type MetricsAnswer =
  | (Answered & { kind: 'vector'; at: number; rows: InstantSample[]; total: number })
  | (Answered & { kind: 'scalar'; at: number; value: number })
  | (Answered & { kind: 'string'; at: number; value: string })
  | (Answered & { kind: 'matrix'; at: number; rows: SeriesSummary[]; total: number })
  | (Answered & {
      kind: 'range';
      start: number;
      end: number;
      stepMs: number;
      /** True when Lookout chose the step (no --step given). */
      stepChosen: boolean;
      /** The series to draw, best first (at most limits.drawnSeries). */
      series: RangeSeries[];
      /** min/avg/max/last of each drawn series, same order. */
      summaries: SeriesSummary[];
      total: number;
    })
  | LabelsAnswer
  | SeriesAnswer;

export interface LabelsAnswer {
  kind: 'labels';
  source: string;
  metric?: string;
  /** Label names, sorted (without __name__ when a metric is given). */
  names: string[];
  /** For one metric: the values of each label (at most limits.labelValues each). */
  values?: { label: string; values: string[]; total: number }[];
}

export interface SeriesAnswer {
  kind: 'series';
  source: string;
  selector: string;
  start: number;
  end: number;
  series: Series[]; // at most limits.listed, sorted
  total: number;
}

