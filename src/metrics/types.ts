
export type { SeriesSummary, MetricsAnswer, LabelsAnswer, SeriesAnswer } from '../ports/metrics-answers';

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
