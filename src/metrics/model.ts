/**
 * The metrics domain: PromQL results as the PromQuery port returns them, and what `/metrics` answers. Any layer may
 * import a model; a model imports nothing but other models.
 */
export interface Series {
  labels: Record<string, string>; // includes __name__ when present
}

export interface InstantSample extends Series {
  value: number; // NaN/±Inf kept as numbers
}

export interface RangeSeries extends Series {
  points: [number, number][]; // [epoch ms, value]
}

export type InstantResult =
  | { type: 'vector'; samples: InstantSample[] }
  | { type: 'scalar'; value: number; at: number }
  | { type: 'string'; value: string; at: number }
  | { type: 'matrix'; series: RangeSeries[] }; // a range-vector selector evaluated instantly

export interface QueryMeta {
  warnings: string[];
  /** Samples processed, when the backend reports it (stats=all / AMP). */
  samples?: number;
}


/** What the metrics service answers; src/views/metrics.ts renders it, src/charts draws `range`. */
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

export interface MetricsLimits {
  /** Prometheus refuses more than 11,000 points a series; so do we, before asking. */
  maxPointsPerSeries: number;
  /** Points a series when Lookout picks the step: enough for a 720 px chart without wasting samples. */
  targetPoints: number;
  minStepMs: number;
  /** AMP's "Query time range in days" quota was 32 days (aws-apis.md §3.5). */
  maxRangeMs: number;
  /** More series than this is refused with advice instead of drawn. */
  maxSeries: number;
  drawnSeries: number;
  tableRows: number;
  listed: number;
  labelValues: number;
  seriesLookbackMs: number;
  /** How far past now an --at may be (clock skew), before it is refused. */
  maxFutureMs: number;
}

export const DEFAULT_METRICS_LIMITS: MetricsLimits = {
  maxPointsPerSeries: 11_000,
  targetPoints: 240,
  minStepMs: 1_000,
  maxRangeMs: 32 * 86_400_000,
  maxSeries: 500,
  drawnSeries: 10,
  tableRows: 20,
  listed: 50,
  labelValues: 10,
  seriesLookbackMs: 3_600_000,
  maxFutureMs: 60_000,
};
