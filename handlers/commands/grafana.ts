import { GRAFANA_COMMAND, type GrafanaRequest } from '../../src/commands/grafana';
import { GRAFANA_ACTIONS, renderDashboardSearch, renderPanelAnswer } from '../../src/views/grafana';
import { panelChart } from '../../src/views/charts';
import { dashboardSearchFingerprint, panelFingerprint } from '../fingerprints';
import { answer, type CommandDef, type HandlerDeps } from '../types';

export { GRAFANA_ACTIONS };

/** `/grafana search TERMS | panel DASHBOARD PANEL [--range 6h]` (product.md §6): the chart is drawn by Lookout. */
export function grafanaCommand(deps: HandlerDeps): CommandDef<GrafanaRequest> {
  return {
    ...GRAFANA_COMMAND,
    verb: () => 'grafana',
    async run(req, ctx) {
      const { service, close } = await deps.backends.grafana.open(ctx.actor);
      try {
        if (req.kind === 'search') {
          const found = await service.search(req.terms);
          return answer({ visibility: 'channel', result: found, view: (a) => renderDashboardSearch(a), fingerprint: dashboardSearchFingerprint, summary: `${found.dashboards.length} dashboards` });
        }
        const panel = await service.panel({ dashboard: req.dashboard, panel: req.panel, rangeMs: req.rangeMs });
        const view = (a: typeof panel) => renderPanelAnswer(a, { amp: deps.backends.metrics.amp });
        return answer({ visibility: 'channel', result: panel, view, chart: panelChart, fingerprint: panelFingerprint, summary: `panel ${panel.dashboard.uid}/${panel.panel.id}` });
      } finally {
        await close(); // deletes the short-lived Managed Grafana token, also when the panel failed
      }
    },
  };
}
