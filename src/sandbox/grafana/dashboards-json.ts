/**
 * The sandbox's Grafana dashboards, as Grafana's own JSON (what `GET /api/dashboards/uid/<uid>` returns), so the
 * sandbox and the HTTP adapter read them with the same parser. Queries stay within the sandbox PromQL subset
 * (selectors, rate, sum/avg by) and every selector carries `source="lookout-sandbox"`.
 */
const DS = { type: 'prometheus', uid: '${DS_PROMETHEUS}' };
const SRC = 'source="lookout-sandbox"';

const timeseries = (id: number, title: string, expr: string, legendFormat: string, unit: string, y: number, x = 0) => ({
  id,
  title,
  type: 'timeseries',
  datasource: DS,
  gridPos: { h: 8, w: 12, x, y },
  fieldConfig: { defaults: { unit }, overrides: [] },
  targets: [{ refId: 'A', datasource: DS, expr, legendFormat, range: true }],
});

/** A dashboard in the sandbox folder as Grafana returns it; its URL slug is what Grafana derives from the title. */
function dashboard(uid: string, title: string, slug: string, parts: { tags: string[]; from: string; templating: unknown[]; panels: unknown[] }) {
  return {
    dashboard: { uid, title, tags: parts.tags, schemaVersion: 39, time: { from: parts.from, to: 'now' }, templating: { list: parts.templating }, panels: parts.panels },
    meta: { url: `/d/${uid}/${slug}`, slug, folderTitle: 'Sandbox', folderUid: 'sandbox' },
  };
}

export const SANDBOX_OVERVIEW = dashboard('sandbox-overview', 'Sandbox service overview', 'sandbox-service-overview', {
  tags: ['sandbox', 'lookout'],
  from: 'now-6h',
  templating: [
    { name: 'DS_PROMETHEUS', type: 'datasource', query: 'prometheus', current: { text: 'Sandbox', value: 'sandbox' } },
    {
      name: 'service',
      label: 'Service',
      type: 'query',
      datasource: DS,
      query: `label_values(http_requests_total{${SRC}}, service)`,
      multi: true,
      includeAll: true,
      current: { text: ['All'], value: ['$__all'] },
      options: [],
    },
  ],
  panels: [
    timeseries(1, 'Request rate', `sum by (service) (rate(http_requests_total{${SRC}, service=~"$service"}[$__rate_interval]))`, '{{service}}', 'reqps', 0),
    timeseries(2, 'Errors per second', `sum by (service) (rate(http_requests_total{${SRC}, service=~"$service", code="500"}[$__rate_interval]))`, '{{service}}', 'reqps', 0, 12),
    timeseries(3, 'Targets up', `up{${SRC}}`, '{{job}} {{instance}}', 'none', 8),
    timeseries(4, 'CPU busy by mode', `avg by (mode) (rate(node_cpu_seconds_total{${SRC}, mode!="idle"}[$__rate_interval]))`, '{{mode}}', 'percentunit', 8, 12),
    {
      id: 5,
      title: 'Memory',
      type: 'row',
      collapsed: true,
      gridPos: { h: 1, w: 24, x: 0, y: 16 },
      panels: [timeseries(6, 'Memory available', `node_memory_MemAvailable_bytes{${SRC}}`, '{{instance}}', 'bytes', 17)],
    },
  ],
});

export const SANDBOX_NODES = dashboard('sandbox-nodes', 'Sandbox node resources', 'sandbox-node-resources', {
  tags: ['sandbox', 'nodes'],
  from: 'now-24h',
  templating: [],
  panels: [
    timeseries(1, 'CPU seconds by mode', `sum by (mode) (rate(node_cpu_seconds_total{${SRC}}[$__rate_interval]))`, '{{mode}}', 'none', 0),
    timeseries(2, 'Memory available', `node_memory_MemAvailable_bytes{${SRC}}`, '{{instance}}', 'bytes', 0, 12),
  ],
});

/** Search hits as `GET /api/search?type=dash-db` lists them. */
export function searchHitOf(d: typeof SANDBOX_OVERVIEW): Record<string, unknown> {
  return {
    id: 0,
    uid: d.dashboard.uid,
    title: d.dashboard.title,
    url: d.meta.url,
    type: 'dash-db',
    tags: d.dashboard.tags,
    isStarred: false,
    folderUid: d.meta.folderUid,
    folderTitle: d.meta.folderTitle,
  };
}

export const SANDBOX_DASHBOARDS = [SANDBOX_OVERVIEW, SANDBOX_NODES];
