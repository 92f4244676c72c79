/** PromQL backend port (AMP, any Prometheus-compatible URL, or the sandbox). Domain shapes, not HTTP ones. */
import type { InstantResult, QueryMeta, RangeSeries, Series } from '../metrics/model';

export interface PromQuery {
  /** Where the data comes from, for the context line: 'AMP ws-0123 (us-east-1)', 'Prometheus http://…', 'sandbox'. */
  describe(): string;
  instant(query: string, at?: number, signal?: AbortSignal): Promise<{ result: InstantResult; meta: QueryMeta }>;
  range(
    query: string,
    range: { start: number; end: number; stepMs: number },
    signal?: AbortSignal,
  ): Promise<{ series: RangeSeries[]; meta: QueryMeta }>;
  series(selector: string, range?: { start: number; end: number }): Promise<Series[]>;
  labels(metric?: string): Promise<string[]>;
  labelValues(label: string, metric?: string): Promise<string[]>;
}
