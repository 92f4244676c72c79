import { LookoutError } from '../errors';
import type { Dashboard, DashboardPanel, DashboardSummary, DashboardVariable, PanelTarget } from '../grafana/model';

/**
 * Reading Grafana's dashboard JSON model (https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/
 * view-dashboard-json-model/) into domain shapes. Shared by the HTTP adapter and the sandbox, which keeps its
 * dashboards as Grafana JSON. Defensive: dashboards are hand-edited and span many schema versions.
 */
type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strs = (v: unknown): string[] => arr(v).filter((x): x is string => typeof x === 'string');

/** An absolute URL for a path Grafana returns (`/d/uid/slug`, which already includes any sub-path). */
export function absoluteUrl(baseUrl: string, path: string): string {
  return new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
}

/** Items of `GET /api/search?type=dash-db` (aws-apis.md §4.3). */
export function parseSearchHits(body: unknown, baseUrl: string): DashboardSummary[] {
  return arr(body)
    .map(obj)
    .filter((h) => (h.type === undefined || h.type === 'dash-db') && typeof h.uid === 'string')
    .map((h) => ({
      uid: h.uid as string,
      title: str(h.title) ?? (h.uid as string),
      folder: str(h.folderTitle) || undefined,
      tags: strs(h.tags),
      url: absoluteUrl(baseUrl, str(h.url) ?? `/d/${encodeURIComponent(h.uid as string)}`),
    }));
}

const VAR_REF = /^\$\{?(\w+)\}?$/;

/** The plugin type a datasource reference points to, following `${DS}` datasource variables. */
function datasourceOf(ref: unknown, dsVars: Map<string, string>): { uid?: string; type?: string } | undefined {
  if (ref === undefined || ref === null) return undefined;
  const viaVar = (s: string) => {
    const m = VAR_REF.exec(s);
    return m ? { type: dsVars.get(m[1]) } : undefined;
  };
  if (typeof ref === 'string') {
    if (ref === '-- Mixed --') return undefined;
    if (ref === '-- Grafana --') return { type: 'grafana' };
    return viaVar(ref) ?? {}; // a data source name: its type is unknown here
  }
  const o = obj(ref);
  const uid = str(o.uid);
  if (uid === '-- Mixed --') return undefined;
  const fromVar = uid ? viaVar(uid) : undefined;
  return { uid: fromVar ? undefined : uid, type: str(o.type) ?? fromVar?.type };
}

function parseTargets(panel: Json, dsVars: Map<string, string>): { targets: PanelTarget[]; other: number } {
  const panelDs = datasourceOf(panel.datasource, dsVars);
  const targets: PanelTarget[] = [];
  let other = 0;
  for (const t of arr(panel.targets).map(obj)) {
    const ds = datasourceOf(t.datasource, dsVars) ?? panelDs;
    const expr = str(t.expr);
    if (!expr?.trim() || (ds?.type !== undefined && ds.type !== 'prometheus')) {
      other++;
      continue;
    }
    targets.push({
      refId: str(t.refId) ?? String.fromCharCode(65 + targets.length),
      expr,
      legendFormat: str(t.legendFormat) || undefined,
      datasourceUid: ds?.uid,
      datasourceType: ds?.type,
      interval: str(t.interval) || undefined,
      hide: t.hide === true || undefined,
      instant: t.instant === true || undefined,
    });
  }
  return { targets, other };
}

/** Panels in layout order, with panels of collapsed rows (nested `panels`) and old `rows[]` flattened. */
function walkPanels(list: unknown[], dsVars: Map<string, string>, out: DashboardPanel[]): DashboardPanel[] {
  for (const p of list.map(obj)) {
    if (p.type === 'row') {
      walkPanels(arr(p.panels), dsVars, out);
      continue;
    }
    if (typeof p.id !== 'number') continue;
    const { targets, other } = parseTargets(p, dsVars);
    const unit = str(obj(obj(p.fieldConfig).defaults).unit) ?? str(obj(arr(p.yaxes)[0]).format);
    const maxDataPoints = typeof p.maxDataPoints === 'number' && p.maxDataPoints > 0 ? p.maxDataPoints : undefined;
    out.push({
      id: p.id,
      title: str(p.title) ?? '',
      type: str(p.type) ?? 'unknown',
      targets,
      interval: str(p.interval) || undefined,
      maxDataPoints,
      unit: unit || undefined,
      otherTargets: other,
    });
    walkPanels(arr(p.panels), dsVars, out);
  }
  return out;
}

function values(v: unknown): string | string[] | undefined {
  if (Array.isArray(v)) {
    const list = strs(v);
    return list.includes('$__all') ? '$__all' : list;
  }
  return str(v);
}

function parseVariable(v: Json): DashboardVariable {
  const type = str(v.type) ?? 'query';
  const options = arr(v.options).map(obj);
  const optionValues = options.map((o) => str(o.value)).filter((x): x is string => x !== undefined);
  const query = typeof v.query === 'string' ? v.query : undefined;
  let fallback: string | string[] | undefined;
  if (type === 'constant' || type === 'textbox') fallback = query;
  else if (type === 'custom' || type === 'interval') {
    const selected = options.filter((o) => o.selected === true).map((o) => str(o.value) ?? '');
    fallback = selected.length ? selected : query?.split(',').map((s) => s.trim())[0];
  }
  return {
    name: str(v.name) ?? '',
    type,
    current: values(obj(v.current).value),
    default: Array.isArray(fallback) && fallback.length === 1 ? fallback[0] : fallback,
    options: optionValues.length ? optionValues : undefined,
    multi: v.multi === true || undefined,
    includeAll: v.includeAll === true || undefined,
    allValue: str(v.allValue) || undefined,
  };
}

/** `GET /api/dashboards/uid/<uid>` → Dashboard (aws-apis.md §4.3). */
export function parseDashboardJson(body: unknown, baseUrl: string): Dashboard {
  const root = obj(body);
  const d = obj(root.dashboard);
  const meta = obj(root.meta);
  const uid = str(d.uid);
  if (!uid) throw new LookoutError('upstream', 'Grafana answered with a dashboard Lookout cannot read (no uid).');
  const templating = arr(obj(d.templating).list).map(obj);
  const dsVars = new Map<string, string>();
  for (const v of templating) if (v.type === 'datasource' && typeof v.name === 'string') dsVars.set(v.name, str(v.query) ?? '');
  const panels = walkPanels([...arr(d.panels), ...arr(d.rows).flatMap((r) => arr(obj(r).panels))], dsVars, []);
  const time = obj(d.time);
  return {
    uid,
    title: str(d.title) ?? uid,
    url: absoluteUrl(baseUrl, str(meta.url) ?? `/d/${encodeURIComponent(uid)}`),
    folder: str(meta.folderTitle) && meta.folderTitle !== 'General' ? str(meta.folderTitle) : undefined,
    tags: strs(d.tags),
    panels,
    variables: templating.map(parseVariable).filter((v) => v.name),
    time: str(time.from) && str(time.to) ? { from: time.from as string, to: time.to as string } : undefined,
  };
}
