import type { Dashboards } from '../../ports/dashboards';
import { parseDashboardJson, parseSearchHits } from '../../common/grafana-json';
import { viewPanelUrl } from '../../common/grafana-links';
import { dashboardAmbiguous, dashboardNotFound, pickByTitle, splitSearchTerms } from '../../common/title-match';
import { SANDBOX_DASHBOARDS, searchHitOf } from './dashboards-json';

export interface SandboxDashboardsOptions {
  /** Where links point; the sandbox has no Grafana, so by default they go to a reserved, never-resolving host. */
  baseUrl?: string;
  /** Grafana JSON documents ({ dashboard, meta }); defaults to the sandbox's own. */
  documents?: unknown[];
}

export const SANDBOX_GRAFANA_URL = 'https://grafana.sandbox.invalid';

/** The sandbox's Dashboards: Grafana JSON in memory, searched and resolved with the same rules as Grafana's API. */
export function createSandboxDashboards(o: SandboxDashboardsOptions = {}): Dashboards {
  const baseUrl = o.baseUrl ?? SANDBOX_GRAFANA_URL;
  const docs = (o.documents ?? SANDBOX_DASHBOARDS) as (typeof SANDBOX_DASHBOARDS)[number][];
  const dashboards = docs.map((d) => parseDashboardJson(d, baseUrl));
  const hits = parseSearchHits(docs.map(searchHitOf), baseUrl);

  return {
    describe: () => 'sandbox Grafana',
    async search(terms) {
      const { query, tags } = splitSearchTerms(terms);
      const q = query.toLowerCase();
      return hits
        .filter((h) => h.title.toLowerCase().includes(q) && tags.every((t) => h.tags.includes(t)))
        .sort((a, b) => a.title.localeCompare(b.title));
    },
    async getDashboard(ref) {
      const wanted = ref.trim();
      const byUid = dashboards.find((d) => d.uid === wanted);
      if (byUid) return byUid;
      const match = pickByTitle(wanted, hits);
      if (match.kind === 'many') throw dashboardAmbiguous(wanted, match.items);
      if (match.kind === 'one') return dashboards.find((d) => d.uid === match.item.uid)!;
      throw dashboardNotFound(wanted, hits.map((h) => h.title));
    },
    panelUrl: (dashboard, panelId, range, variables) => viewPanelUrl(dashboard.url, panelId, range, variables),
    close: async () => undefined,
  };
}
