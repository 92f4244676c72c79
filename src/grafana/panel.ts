import { MAX_RANGE_MS, MIN_RANGE_MS } from '../commands/grafana';
import { LookoutError } from '../errors';
import type { Dashboard, DashboardPanel, TimeRange } from './model';
import { ALL, interpolate, resolveVariable, type ResolvedVariable } from './interpolate';
import { computeIntervals, formatPromDuration, parseGrafanaDuration, type PanelIntervals } from './intervals';
import { viewPanelUrl } from '../common/grafana-links';
import { panelAmbiguous, panelNotFound, pickByTitle } from '../common/title-match';
import { inlineCode } from '../text';

export const DEFAULT_SCRAPE_INTERVAL_MS = 15_000;
/** Grafana uses the panel's width in px; half our chart's width keeps lines smooth at half the query cost. */
export const DEFAULT_MAX_DATA_POINTS = 500;
export const DEFAULT_RANGE_MS = 6 * 3_600_000;

export interface PreparedQuery {
  refId: string;
  expr: string; // variables filled
  legendFormat?: string;
  stepMs: number;
}

export interface PreparedPanel {
  panel: DashboardPanel;
  queries: PreparedQuery[];
  /** The panel-level range and step (targets with their own "Min step" may use a larger one). */
  range: TimeRange & { stepMs: number };
  intervals: PanelIntervals;
  /** Dashboard variable values used, for the link (`var-name=value`). */
  variables: Record<string, string[]>;
  warnings: string[];
  link: string;
}

export interface PrepareOptions {
  scrapeIntervalMs?: number;
  maxDataPoints?: number;
  /** Values chosen by the caller instead of the saved ones. */
  variables?: Record<string, string | string[]>;
  /** Builds the viewPanel link; adapters know the Grafana version. Defaults to a numeric-id link. */
  panelUrl?: (dashboard: Dashboard, panelId: number, range: TimeRange, variables: Record<string, string[]>) => string;
}

/** A panel by numeric id, else by title (case-insensitive; a unique partial title is accepted). */
export function findPanel(dashboard: Dashboard, ref: string): DashboardPanel {
  const wanted = ref.trim();
  if (/^\d+$/.test(wanted)) {
    const byId = dashboard.panels.find((p) => p.id === Number(wanted));
    if (byId) return byId;
  }
  const match = pickByTitle(wanted, dashboard.panels);
  if (match.kind === 'one') return match.item;
  if (match.kind === 'many') throw panelAmbiguous(dashboard.title, wanted, match.items);
  throw panelNotFound(dashboard.title, wanted, dashboard.panels);
}

/**
 * The dashboard's own relative range (`now-24h` → `now`), else 6 h, held to the bounds `--range` has: a dashboard
 * saved with `now-5y` gets 32 days, not five years of points.
 */
export function defaultRangeMs(dashboard: Dashboard): number {
  const t = dashboard.time;
  const m = t && t.to === 'now' ? /^now-(\w+)$/.exec(t.from) : null;
  const own = (m && parseGrafanaDuration(m[1])) || DEFAULT_RANGE_MS;
  return Math.min(Math.max(own, MIN_RANGE_MS), MAX_RANGE_MS);
}

function builtins(range: TimeRange, rangeMs: number, iv: PanelIntervals): Record<string, string> {
  const rangeS = Math.round(rangeMs / 1000);
  return {
    __interval: formatPromDuration(iv.intervalMs),
    __interval_ms: String(iv.intervalMs),
    __rate_interval: formatPromDuration(iv.rateIntervalMs),
    __rate_interval_ms: String(iv.rateIntervalMs),
    __range: `${rangeS}s`,
    __range_s: String(rangeS),
    __range_ms: String(Math.round(rangeMs)),
    __from: String(range.start),
    __to: String(range.end),
  };
}

/**
 * The panel's Prometheus queries ready to run over the `rangeMs` before `now`: variables filled, step chosen by
 * Grafana's rules (see intervals.ts), range aligned to the step as Grafana does so repeated runs hit caches.
 */
export function preparePanelQueries(dashboard: Dashboard, panelRef: string, rangeMs: number, now: number, opts: PrepareOptions = {}): PreparedPanel {
  const panel = findPanel(dashboard, panelRef);
  const scrapeIntervalMs = opts.scrapeIntervalMs ?? DEFAULT_SCRAPE_INTERVAL_MS;
  const maxDataPoints = panel.maxDataPoints ?? opts.maxDataPoints ?? DEFAULT_MAX_DATA_POINTS;
  const panelMin = parseGrafanaDuration(panel.interval);
  const intervals = computeIntervals({ rangeMs, maxDataPoints, minIntervalMs: panelMin, scrapeIntervalMs });
  const end = Math.floor(now / intervals.stepMs) * intervals.stepMs;
  const range = { start: end - rangeMs, end };
  const warnings: string[] = [];

  const resolved = new Map<string, ResolvedVariable>();
  const used: Record<string, string[]> = {};
  for (const v of dashboard.variables) {
    if (v.type === 'adhoc') {
      warnings.push(`Ad hoc filters (${inlineCode(v.name)}) are not applied by Lookout.`);
      continue;
    }
    const r = resolveVariable(v, opts.variables?.[v.name]);
    if (!r) continue;
    if (v.type === 'interval' && /^(auto|\$__auto_interval)/.test(r.values[0])) r.values = [formatPromDuration(intervals.intervalMs)];
    resolved.set(v.name, r);
    if (v.type !== 'constant' && v.type !== 'datasource') used[v.name] = r.values[0] === ALL ? [ALL] : r.values;
  }

  const queries: PreparedQuery[] = [];
  const unresolved = new Set<string>();
  for (const t of panel.targets) {
    if (t.hide) continue;
    const targetMin = parseGrafanaDuration(t.interval);
    const iv = targetMin ? computeIntervals({ rangeMs, maxDataPoints, minIntervalMs: targetMin, scrapeIntervalMs }) : intervals;
    const filled = interpolate(t.expr, resolved, builtins(range, rangeMs, iv));
    filled.unresolved.forEach((n) => unresolved.add(n));
    queries.push({ refId: t.refId, expr: filled.text, legendFormat: t.legendFormat, stepMs: iv.stepMs });
  }
  if (unresolved.size) {
    const names = [...unresolved].map((n) => inlineCode(`$${n}`)).join(', ');
    warnings.push(`The dashboard defines no ${names}; the query was sent as written.`);
  }
  if (queries.length === 0) {
    const other = panel.otherTargets ? ` Its ${panel.otherTargets} other ${panel.otherTargets === 1 ? 'query uses' : 'queries use'} a data source that is not Prometheus.` : '';
    throw new LookoutError('invalid_input', `Panel ${inlineCode(panel.title)} has no Prometheus query Lookout can run.${other}`);
  }
  if (panel.otherTargets) warnings.push(`${panel.otherTargets} non-Prometheus ${panel.otherTargets === 1 ? 'query was' : 'queries were'} skipped.`);

  const rangeWithStep = { ...range, stepMs: intervals.stepMs };
  const panelUrl = opts.panelUrl ?? ((d, id, r, vars) => viewPanelUrl(d.url, id, r, vars));
  return { panel, queries, range: rangeWithStep, intervals, variables: used, warnings, link: panelUrl(dashboard, panel.id, range, used) };
}
