/**
 * The Grafana domain: dashboards as the Dashboards port returns them (panels inside collapsed rows flattened,
 * variables with their saved values, absolute URLs) and what `/grafana` answers. Any layer may import a model.
 */
export interface DashboardSummary {
  uid: string;
  title: string;
  folder?: string; // folder title; absent for the General folder
  tags: string[];
  url: string; // absolute
}

/** One query of a panel. Only Prometheus targets (`expr`) are kept; `datasourceType` when the JSON says it. */
export interface PanelTarget {
  refId: string;
  expr: string;
  legendFormat?: string;
  datasourceUid?: string;
  datasourceType?: string; // 'prometheus' (AMP data sources too); other types are dropped by the adapter
  /** Per-query minimum step ("Min step"), a Grafana duration such as `30s`. */
  interval?: string;
  hide?: boolean;
  instant?: boolean;
}

export interface DashboardPanel {
  id: number;
  title: string;
  type: string; // 'timeseries', 'graph', 'stat', …
  targets: PanelTarget[];
  /** Panel "Min interval" (a Grafana duration); it bounds `$__interval` from below. */
  interval?: string;
  maxDataPoints?: number;
  /** Grafana's unit id from fieldConfig.defaults.unit ('bytes', 's', 'percent', 'percentunit', 'reqps', …). */
  unit?: string;
  /** Targets that are not Prometheus queries (CloudWatch, Loki, …), counted so the answer can say so. */
  otherTargets: number;
}

export interface DashboardVariable {
  name: string;
  type: string; // 'query' | 'custom' | 'constant' | 'textbox' | 'interval' | 'datasource' | 'adhoc' | …
  current?: string | string[]; // the saved selection; '$__all' means All
  default?: string | string[]; // what Grafana falls back to: a constant's value, a custom variable's first option…
  options?: string[];
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string; // custom "All" value; without it Lookout uses `.*`
}

export interface Dashboard {
  uid: string;
  title: string;
  url: string; // absolute, without query string
  folder?: string;
  tags: string[];
  panels: DashboardPanel[];
  variables: DashboardVariable[];
  /** The dashboard's saved time range, e.g. { from: 'now-6h', to: 'now' }. */
  time?: { from: string; to: string };
}

export interface TimeRange {
  start: number; // epoch ms
  end: number;
}


/** Units the panel answer's values are in (the chart renderer's units). */
export type PanelValueUnit = 'bytes' | 'seconds' | 'percent' | 'ratio' | 'none';

export interface PanelSeries {
  name: string; // legend: the target's legendFormat, else the labels that differ between series
  refId: string;
  labels: Record<string, string>;
  points: [number, number][];
  /** Over finite points; NaN when there are none. */
  stats: { min: number; avg: number; max: number; last: number };
}

/** What `/grafana panel` answers (domain data: the handler draws the chart and renders the view). */
export interface PanelAnswer {
  dashboard: { uid: string; title: string; url: string; folder?: string };
  panel: { id: number; title: string; type: string };
  link: string; // viewPanel URL
  range: TimeRange & { stepMs: number };
  queries: { refId: string; expr: string }[]; // as run, variables filled
  series: PanelSeries[]; // best first, at most the service's maxSeries
  totalSeries: number;
  unit: PanelValueUnit;
  /** Labels every series shares, e.g. `job="api"`: a chart subtitle. */
  commonLabels?: string;
  warnings: string[]; // safe mrkdwn
  source: string; // PromQuery.describe()
}

export interface DashboardSearchAnswer {
  terms: string;
  dashboards: DashboardSummary[];
  source: string;
}
