import type { TimeRange } from '../grafana/model';

/**
 * Links into Grafana (aws-apis.md §4.4). Scenes-based dashboards (Grafana 11+) address a panel as `panel-<id>`;
 * numeric ids still work there for compatibility (grafana PR #74005), so numeric is the safe default.
 */
export function usesSceneIds(grafanaVersion: string | undefined): boolean {
  const major = Number(/^(\d+)\./.exec(grafanaVersion ?? '')?.[1]);
  return Number.isFinite(major) && major >= 11;
}

export interface ViewPanelOptions {
  sceneIds?: boolean;
  /** Only where the organisation is known (AMG has one, id 1); elsewhere Grafana uses the person's own. */
  orgId?: number;
}

/** One panel alone over an absolute time range, with the variable values the chart used (`var-name=value`). */
export function viewPanelUrl(
  dashboardUrl: string,
  panelId: number,
  range: TimeRange,
  variables: Record<string, string[]> = {},
  opts: ViewPanelOptions = {},
): string {
  const u = new URL(dashboardUrl);
  if (opts.orgId !== undefined) u.searchParams.set('orgId', String(opts.orgId));
  u.searchParams.set('from', String(Math.round(range.start)));
  u.searchParams.set('to', String(Math.round(range.end)));
  for (const [name, values] of Object.entries(variables)) for (const v of values) u.searchParams.append(`var-${name}`, v);
  u.searchParams.set('viewPanel', opts.sceneIds ? `panel-${panelId}` : String(panelId));
  return u.toString();
}
