/** PromQL backend port (AMP, any Prometheus-compatible URL, or the sandbox). Domain shapes, not HTTP ones. */
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
