import { isLookoutError, LookoutError } from '../errors';
import type { Clock } from '../ports/clock';
import type { Dashboards } from '../ports/dashboards';
import type { DashboardSearchAnswer, PanelAnswer, PanelSeries, PanelValueUnit } from './model';
import type { PromQuery } from '../ports/prom-query';
import type { RangeSeries } from '../metrics/model';
import { commonLabels, formatLabelSet } from '../charts/labels';
import { nameSeries } from './legend';
import { inlineCode } from '../text';
import { defaultRangeMs, preparePanelQueries } from './panel';

export interface GrafanaServiceDeps {
  dashboards: Dashboards;
  prom: PromQuery;
  clock: Clock;
  /** The metrics backend's scrape interval, for `$__rate_interval`: 15 s (Prometheus' default), 60 s for AMP. */
  scrapeIntervalMs?: number;
  maxDataPoints?: number;
  /** Series drawn; the rest are counted (the chart says "+N more"). */
  maxSeries?: number;
  /** grafana.datasourceUid from lookout.yml: a panel on another data source gets a warning. */
  datasourceUid?: string;
}

export interface PanelRequest {
  dashboard: string; // uid or title
  panel: string; // id or title
  rangeMs?: number; // default: the dashboard's own range, else 6 h
  variables?: Record<string, string | string[]>;
  signal?: AbortSignal;
}

export interface GrafanaService {
  search(terms: string): Promise<DashboardSearchAnswer>;
  /** Runs one panel's Prometheus queries; the handler draws `series` with src/charts and renders the view. */
  panel(req: PanelRequest): Promise<PanelAnswer>;
}

/** Grafana's unit ids (fieldConfig.defaults.unit) that the chart can show; others are plain numbers. */
export function unitFromGrafana(unit: string | undefined): PanelValueUnit {
  if (unit === 'bytes') return 'bytes';
  if (unit === 's') return 'seconds';
  if (unit === 'percent') return 'percent';
  if (unit === 'percentunit') return 'ratio';
  return 'none';
}

export function seriesStats(points: [number, number][]): PanelSeries['stats'] {
  const finite = points.map((p) => p[1]).filter(Number.isFinite);
  if (!finite.length) return { min: NaN, avg: NaN, max: NaN, last: NaN };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of finite) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, avg: sum / finite.length, max, last: finite[finite.length - 1] };
}

// Best first: the highest peak; series with no finite value last; the name breaks ties so the order is stable.
function byPeak(a: PanelSeries, b: PanelSeries): number {
  const am = Number.isNaN(a.stats.max) ? -Infinity : a.stats.max;
  const bm = Number.isNaN(b.stats.max) ? -Infinity : b.stats.max;
  return bm - am || a.name.localeCompare(b.name);
}

export function createGrafanaService(deps: GrafanaServiceDeps): GrafanaService {
  const maxSeries = deps.maxSeries ?? 10;

  async function runQuery(panelTitle: string, q: { refId: string; expr: string; stepMs: number }, range: { start: number; end: number }, signal?: AbortSignal) {
    try {
      return await deps.prom.range(q.expr, { start: range.start, end: range.end, stepMs: q.stepMs }, signal);
    } catch (e) {
      if (!isLookoutError(e)) throw e;
      const msg = `Query ${inlineCode(q.refId)} of panel ${inlineCode(panelTitle)} failed: ${e.message}`;
      throw new LookoutError(e.code, msg, { cause: e, hint: e.hint, requestIds: e.requestIds });
    }
  }

  return {
    async search(terms) {
      const dashboards = await deps.dashboards.search(terms);
      return { terms, dashboards, source: deps.dashboards.describe() };
    },

    async panel(req) {
      const dashboard = await deps.dashboards.getDashboard(req.dashboard);
      const rangeMs = req.rangeMs ?? defaultRangeMs(dashboard);
      const prepared = preparePanelQueries(dashboard, req.panel, rangeMs, deps.clock.now(), {
        scrapeIntervalMs: deps.scrapeIntervalMs,
        maxDataPoints: deps.maxDataPoints,
        variables: req.variables,
        panelUrl: (d, id, r, vars) => deps.dashboards.panelUrl(d, id, r, vars),
      });
      const { panel, range } = prepared;
      const results = await Promise.all(prepared.queries.map((q) => runQuery(panel.title, q, range, req.signal)));

      const raw: { refId: string; legendFormat?: string; expr: string; s: RangeSeries }[] = [];
      results.forEach((r, i) => r.series.forEach((s) => raw.push({ ...prepared.queries[i], s })));
      const names = nameSeries(raw.map((r) => ({ labels: r.s.labels, legendFormat: r.legendFormat, expr: r.expr })));
      const all: PanelSeries[] = raw.map((r, i) => ({
        name: names[i],
        refId: r.refId,
        labels: r.s.labels,
        points: r.s.points,
        stats: seriesStats(r.s.points),
      }));
      all.sort(byPeak);

      const warnings = [...prepared.warnings, ...results.flatMap((r) => r.meta.warnings.map((w) => `Prometheus: ${inlineCode(w)}`))];
      const otherDs = panel.targets.find((t) => t.datasourceUid && deps.datasourceUid && t.datasourceUid !== deps.datasourceUid);
      if (otherDs) warnings.push(`The panel uses data source ${inlineCode(otherDs.datasourceUid!)}; Lookout ran its queries against ${inlineCode(deps.prom.describe())}.`);
      const common = all.length > 1 ? commonLabels(all.map((s) => s.labels)) : {};
      const commonText = Object.keys(common).length ? formatLabelSet(common) : undefined;

      return {
        dashboard: { uid: dashboard.uid, title: dashboard.title, url: dashboard.url, folder: dashboard.folder },
        panel: { id: panel.id, title: panel.title, type: panel.type },
        link: prepared.link,
        range,
        queries: prepared.queries.map((q) => ({ refId: q.refId, expr: q.expr })),
        series: all.slice(0, maxSeries),
        totalSeries: all.length,
        unit: unitFromGrafana(panel.unit),
        commonLabels: commonText,
        warnings,
        source: deps.prom.describe(),
      };
    },
  };
}
