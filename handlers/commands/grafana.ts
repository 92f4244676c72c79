import { GRAFANA_USAGE, parseGrafana, type GrafanaRequest } from '../../src/commands/grafana';
import { GRAFANA_ACTIONS, renderDashboardSearch, renderPanelAnswer } from '../../src/views/grafana';
import { dashboardSearchFingerprint, panelFingerprint } from '../fingerprints';
import type { CommandDef, HandlerDeps } from '../types';

export { GRAFANA_ACTIONS };

/** `/grafana search TERMS | panel DASHBOARD PANEL [--range 6h]` (product.md §6): the chart is drawn by Lookout. */
export function grafanaCommand(deps: HandlerDeps): CommandDef<GrafanaRequest> {
  return {
    command: '/grafana',
    usage: GRAFANA_USAGE,
    parse: parseGrafana,
    isHelp: (req) => req.kind === 'help',
    verb: () => 'grafana',
    async run(req, ctx) {
      if (req.kind === 'help') return;
      const { service, close } = await deps.backends.grafana.open({ teamId: ctx.inv.teamId, userId: ctx.inv.userId });
      try {
        if (req.kind === 'search') {
          const answer = await service.search(req.terms);
          return { visibility: 'channel', message: renderDashboardSearch(answer, { ctx: ctx.resultContext() }), withContext: false, summary: `${answer.dashboards.length} dashboards`, fingerprint: dashboardSearchFingerprint(answer) };
        }
        const answer = await service.panel({ dashboard: req.dashboard, panel: req.panel, rangeMs: req.rangeMs });
        const chart = await deps.backends.charts.renderLineChart({
          title: `${answer.dashboard.title} — ${answer.panel.title}`.slice(0, 150),
          subtitle: answer.commonLabels,
          series: answer.series,
          unit: answer.unit,
          range: answer.range,
          notDrawn: answer.totalSeries - answer.series.length,
          now: deps.clock.now(),
        });
        await ctx.reply.upload({ filename: 'panel.png', data: chart.png, title: `${answer.dashboard.title} — ${answer.panel.title}`.slice(0, 200), altText: `Chart of the Grafana panel ${answer.panel.title.slice(0, 500)}` });
        return { visibility: 'channel', message: renderPanelAnswer(answer, { ctx: ctx.resultContext(), amp: deps.backends.metrics.amp }), withContext: false, summary: `panel ${answer.dashboard.uid}/${answer.panel.id}`, fingerprint: panelFingerprint(answer) };
      } finally {
        await close(); // deletes the short-lived Managed Grafana token, also when the panel failed
      }
    },
  };
}
