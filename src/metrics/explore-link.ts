/**
 * Grafana Explore links with a prefilled PromQL query (aws-apis.md §4.4). The `left` (v0) URL state is used on
 * purpose: Grafana 9 reads it directly and 10+ migrate it to `panes`, so one link works on every AMG version.
 */
export interface ExploreTarget {
  baseUrl: string; // https://g-abc.grafana-workspace.us-east-1.amazonaws.com or any Grafana
  datasourceUid: string; // grafana.datasourceUid
  orgId?: number;
}

/** Times are epoch ms (absolute, so a link in an old report still shows that report's window) or `now-6h`. */
export function buildExploreLink(target: ExploreTarget, expr: string, range: { from: number | string; to: number | string }): string {
  const datasource = { type: 'prometheus', uid: target.datasourceUid };
  const left = {
    datasource: target.datasourceUid,
    queries: [{ refId: 'A', expr, range: true, instant: false, datasource }],
    range: { from: String(range.from), to: String(range.to) },
  };
  const base = target.baseUrl.replace(/\/+$/, '');
  return `${base}/explore?orgId=${target.orgId ?? 1}&left=${encodeURIComponent(JSON.stringify(left))}`;
}
