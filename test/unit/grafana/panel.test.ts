import { parseDashboardJson } from '../../../src/common/grafana-json';
import { defaultRangeMs, findPanel, preparePanelQueries } from '../../../src/grafana/panel';
import { BASE, checkoutDashboardJson } from './fixtures';

const H = 3_600_000;
const now = Date.UTC(2026, 10, 29, 9, 0, 7);
const dashboard = () => parseDashboardJson(checkoutDashboardJson(), BASE);

describe('findPanel', () => {
  const d = dashboard();
  it('finds by id, by exact title in any case, and by a unique partial title', () => {
    expect(findPanel(d, '11').title).toBe('p99 latency');
    expect(findPanel(d, 'REQUEST RATE').id).toBe(2);
    expect(findPanel(d, 'latency').id).toBe(11);
  });
  it('refuses an ambiguous title, listing the candidates', () => {
    const twice = { ...d, panels: [...d.panels, { ...d.panels[0], id: 99 }] };
    expect(() => findPanel(twice, 'request rate')).toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringContaining('(id 99)') }));
  });
  it('names the closest titles when nothing matches', () => {
    expect(() => findPanel(d, 'Reqest rate')).toThrow(expect.objectContaining({ code: 'not_found', message: expect.stringContaining('`Request rate`') }));
  });
});

describe('preparePanelQueries', () => {
  it('fills variables and Grafana’s built-ins, skips hidden targets, and aligns the range to the step', () => {
    const p = preparePanelQueries(dashboard(), 'Request rate', 6 * H, now);
    expect(p.queries).toEqual([
      { refId: 'A', expr: 'sum by (code) (rate(http_requests_total{job="checkout", service=~"(api|web)"}[1m]))', legendFormat: '{{code}}', stepMs: 30_000 },
    ]);
    expect(p.range).toEqual({ start: Date.UTC(2026, 10, 29, 3, 0, 0), end: Date.UTC(2026, 10, 29, 9, 0, 0), stepMs: 30_000 });
    expect(p.intervals.rateIntervalMs).toBe(60_000);
  });

  it('uses the AMP scrape interval for $__rate_interval when told', () => {
    const p = preparePanelQueries(dashboard(), '2', 6 * H, now, { scrapeIntervalMs: 60_000 });
    expect(p.queries[0].expr).toContain('[4m]');
    expect(p.range.stepMs).toBe(60_000);
  });

  it('honours the panel’s min interval and max data points and a target’s own min step', () => {
    const p = preparePanelQueries(dashboard(), 'Mixed', 6 * H, now);
    expect(p.range.stepMs).toBe(5 * 60_000); // 6 h / 100 points = 3.6 min → 5 min (rounded), above the 1 m minimum
    expect(p.queries[0].stepMs).toBe(5 * 60_000);
    expect(p.warnings.join(' ')).toContain('1 non-Prometheus query was skipped');
  });

  it('fills interval variables set to auto with $__interval, and applies overrides', () => {
    const p = preparePanelQueries(dashboard(), 'p99 latency', H, now, { variables: { env: 'staging' } });
    expect(p.queries[0].expr).toBe('histogram_quantile(0.99, sum by (le) (rate(latency_bucket{env="staging"}[15s])))');
    expect(p.variables.env).toEqual(['staging']);
    const d = dashboard();
    d.panels.find((x) => x.id === 11)!.targets[0].expr = 'rate(x[$win])';
    expect(preparePanelQueries(d, '11', 6 * H, now).queries[0].expr).toBe('rate(x[30s])');
  });

  it('builds the viewPanel link with the values it used', () => {
    const p = preparePanelQueries(dashboard(), 'Request rate', 6 * H, now);
    const u = new URL(p.link);
    expect(u.origin + u.pathname).toBe('https://grafana.example.com/d/checkout-1/checkout-service');
    expect(u.searchParams.get('viewPanel')).toBe('2');
    expect(u.searchParams.getAll('var-service')).toEqual(['api', 'web']);
    expect(u.searchParams.get('var-cluster')).toBe('$__all');
    expect(u.searchParams.get('var-job')).toBeNull(); // constants are not URL state
    expect(Number(u.searchParams.get('from'))).toBe(p.range.start);
  });

  it('uses the adapter’s link builder when given', () => {
    const p = preparePanelQueries(dashboard(), '2', H, now, { panelUrl: (d, id) => `${d.uid}#${id}` });
    expect(p.link).toBe('checkout-1#2');
  });

  it('warns about undefined variables and ad hoc filters instead of failing', () => {
    const d = dashboard();
    d.panels[0].targets[0].expr = 'up{x="$undefined_var"}';
    d.variables.push({ name: 'filters', type: 'adhoc' });
    const p = preparePanelQueries(d, '2', H, now);
    expect(p.queries[0].expr).toBe('up{x="$undefined_var"}');
    expect(p.warnings.join(' ')).toMatch(/no `\$undefined_var`/);
    expect(p.warnings.join(' ')).toContain('Ad hoc filters');
  });

  it('refuses a panel without Prometheus queries, saying why', () => {
    expect(() => preparePanelQueries(dashboard(), 'Logs volume', H, now)).toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringContaining('not Prometheus') }));
    expect(() => preparePanelQueries(dashboard(), 'Notes', H, now)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});

describe('defaultRangeMs', () => {
  it('uses the dashboard’s relative range, else 6 h', () => {
    expect(defaultRangeMs(dashboard())).toBe(24 * H);
    expect(defaultRangeMs({ ...dashboard(), time: { from: '2026-01-01', to: '2026-01-02' } })).toBe(6 * H);
    expect(defaultRangeMs({ ...dashboard(), time: undefined })).toBe(6 * H);
  });

  it.each([
    ['now-5y', 32 * 24 * H],
    ['now-90d', 32 * 24 * H],
    ['now-32d', 32 * 24 * H],
    ['now-5s', 60_000],
  ])('caps the dashboard’s own %s like --range (1m to 32d)', (from, ms) => {
    expect(defaultRangeMs({ ...dashboard(), time: { from, to: 'now' } })).toBe(ms);
  });
});
