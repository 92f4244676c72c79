import { ManualClock } from '../../helpers/manual-clock';
import { createChartRenderer } from '../../../src/charts/render';
import { createGrafanaService } from '../../../src/grafana/service';
import { createSandboxDashboards } from '../../../src/sandbox/grafana/dashboards';
import { createSandboxPromQuery } from '../../../src/sandbox/metrics';
import { readIhdr } from '../charts/png';

/** The sandbox dashboards must only use what the sandbox metrics backend understands. */
describe('sandbox dashboards against the sandbox metrics', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 29, 9, 0, 0));
  const dashboards = createSandboxDashboards();
  const svc = createGrafanaService({ dashboards, prom: createSandboxPromQuery({ clock }), clock });

  it.each([
    ['sandbox-overview', 'Request rate', 3],
    ['sandbox-overview', 'Errors per second', 3],
    ['sandbox-overview', 'Targets up', 4],
    ['sandbox-overview', 'CPU busy by mode', 2],
    ['sandbox-overview', 'Memory available', 1],
    ['sandbox-nodes', 'CPU seconds by mode', 3],
  ])('%s / %s draws %p series with data', async (dashboard, panel, count) => {
    const a = await svc.panel({ dashboard, panel, rangeMs: 3_600_000 });
    expect(a.totalSeries).toBe(count);
    for (const s of a.series) expect(Number.isFinite(s.stats.max)).toBe(true);
    expect(a.warnings).toEqual([]);
  });

  it('filters by the $service variable when it is set', async () => {
    const a = await svc.panel({ dashboard: 'Sandbox service overview', panel: 'Request rate', rangeMs: 3_600_000, variables: { service: ['web', 'api'] } });
    expect(a.series.map((s) => s.name).sort()).toEqual(['api', 'web']);
    expect(a.link).toContain('var-service=web');
  });

  it('goes from panel to PNG', async () => {
    const a = await svc.panel({ dashboard: 'sandbox-overview', panel: 'CPU busy by mode' });
    expect(a.unit).toBe('ratio');
    const chart = await createChartRenderer().renderLineChart({ title: a.panel.title, subtitle: a.commonLabels, series: a.series, unit: a.unit, range: a.range, notDrawn: a.totalSeries - a.series.length, now: clock.now() });
    expect(readIhdr(chart.png)).toMatchObject({ width: 1000, height: 500 });
  });
});
