import type { DashboardSearchAnswer, DashboardSummary, PanelAnswer } from '../../../src/grafana/model';
import { blockTextLength } from '../../../src/views/message';
import { LIMITS } from '../../../src/views/text';
import { GRAFANA_ACTIONS } from '../../../src/views/grafana';
import { renderDashboardSearch, renderPanelAnswer } from '../../helpers/views';

const ctx = { userId: 'U0ALICE', durationMs: 1234 };
const end = Date.UTC(2026, 10, 29, 9, 0, 0);

const dash = (i: number, extra: Partial<DashboardSummary> = {}): DashboardSummary => ({
  uid: `uid-${i}`,
  title: `Dashboard ${i}`,
  folder: i % 2 ? 'Payments' : undefined,
  tags: i % 3 ? ['prod', `team-${i}`] : [],
  url: `https://grafana.example.com/d/uid-${i}/dashboard-${i}`,
  ...extra,
});
const search = (dashboards: DashboardSummary[], terms = 'checkout'): DashboardSearchAnswer => ({ terms, dashboards, source: 'Grafana https://grafana.example.com' });

const panel = (over: Partial<PanelAnswer> = {}): PanelAnswer => ({
  dashboard: { uid: 'checkout-1', title: 'Checkout service', url: 'https://grafana.example.com/d/checkout-1/checkout-service', folder: 'Payments' },
  panel: { id: 2, title: 'Request rate', type: 'timeseries' },
  link: 'https://grafana.example.com/d/checkout-1/checkout-service?from=1&to=2&viewPanel=2',
  range: { start: end - 6 * 3_600_000, end, stepMs: 30_000 },
  queries: [{ refId: 'A', expr: 'sum by (code) (rate(http_requests_total{job="checkout"}[1m]))' }],
  series: [
    { name: '200', refId: 'A', labels: { code: '200' }, points: [], stats: { min: 10, avg: 12.5, max: 15, last: 11 } },
    { name: '500', refId: 'A', labels: { code: '500' }, points: [], stats: { min: 0, avg: 0.25, max: 1.5, last: NaN } },
  ],
  totalSeries: 2,
  unit: 'none',
  commonLabels: '{job="checkout"}',
  warnings: [],
  source: 'AMP ws-0123 (us-east-1)',
  ...over,
});

describe('renderDashboardSearch', () => {
  it('lists title (linked), folder, tags and uid', () => {
    expect(renderDashboardSearch(search([dash(1), dash(2), dash(3)]), { ctx })).toMatchSnapshot();
  });
  it('says so when nothing matches', () => {
    const m = renderDashboardSearch(search([], 'nothing'), { ctx });
    expect(m).toMatchSnapshot();
    expect(JSON.stringify(m.blocks)).toContain('No Grafana dashboards matching `nothing`');
  });
  it('cuts long lists with "and N more" and stays within Slack limits', () => {
    const many = Array.from({ length: 120 }, (_, i) => dash(i, { title: `Dashboard ${i} ${'x'.repeat(150)}` }));
    const m = renderDashboardSearch(search(many), { ctx });
    const json = JSON.stringify(m.blocks);
    expect(json).toMatch(/…and \d+ more/);
    expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
    for (const b of m.blocks) if (b.type === 'section') expect(b.text!.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    expect(blockTextLength(m.blocks)).toBeLessThanOrEqual(LIMITS.totalBlockText);
  });
  it('escapes titles, folders, tags and terms from Grafana and users', () => {
    const evil = dash(1, { title: '<!channel> & <https://evil.example|click>', folder: '<@U123>', tags: ['<!here>'] });
    const json = JSON.stringify(renderDashboardSearch(search([evil], '<!everyone>'), { ctx }));
    expect(json).not.toMatch(/<!channel>|<!here>|<!everyone>|<@U123>/);
    expect(json).toContain('&lt;!channel&gt;');
  });
});

describe('renderPanelAnswer', () => {
  it('shows the panel, its link, range, a per-series summary and the queries', () => {
    const m = renderPanelAnswer(panel(), { ctx });
    expect(m).toMatchSnapshot();
    const actions = m.blocks.find((b) => b.type === 'actions') as any;
    expect(actions.elements[0]).toMatchObject({ url: panel().link, action_id: GRAFANA_ACTIONS.openPanel });
  });
  it('offers "Run it yourself" with AMP: the awscurl query_range of each query and CloudShell in its region; none without AMP', () => {
    const json = JSON.stringify(renderPanelAnswer(panel(), { ctx, amp: { region: 'eu-west-1', workspaceId: 'ws-0123' } }).blocks);
    expect(json).toContain('Run it yourself');
    expect(json).toContain('cloudshell/home?region=eu-west-1');
    expect(json).toContain('https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-0123/api/v1/query_range');
    expect(json).toContain(`query=${panel().queries[0].expr.slice(0, 10)}`);
    expect(JSON.stringify(renderPanelAnswer(panel(), { ctx }).blocks)).not.toContain('Run it yourself');
  });
  it('formats numbers in the panel’s unit', () => {
    const json = JSON.stringify(renderPanelAnswer(panel({ unit: 'seconds', series: [{ ...panel().series[0], stats: { min: 0.2, avg: 0.35, max: 1.5, last: 90 } }] }), { ctx }));
    expect(json).toContain('200 ms');
    expect(json).toContain('350 ms');
    expect(json).toContain('1.5 min');
  });
  it('says when there is no data, and when series were left out', () => {
    expect(JSON.stringify(renderPanelAnswer(panel({ series: [], totalSeries: 0 }), { ctx }).blocks)).toContain('No data in this range.');
    expect(JSON.stringify(renderPanelAnswer(panel({ totalSeries: 40 }), { ctx }).blocks)).toContain('…and 38 more series not shown');
  });
  it('keeps warnings and escapes series names and titles', () => {
    const m = renderPanelAnswer(
      panel({ panel: { id: 2, title: '<!channel>', type: 'x' }, warnings: ['The dashboard defines no `$x`.'], series: [{ ...panel().series[0], name: '<@U1> `code`' }] }),
      { ctx },
    );
    const json = JSON.stringify(m);
    expect(json).not.toMatch(/<!channel>|<@U1>/);
    expect(json).toContain(':warning: The dashboard defines no `$x`.');
  });
  it('drops the button when the link is longer than Slack allows', () => {
    const m = renderPanelAnswer(panel({ link: `https://g.example/d/x?${'a'.repeat(3100)}` }), { ctx });
    expect(m.blocks.some((b) => b.type === 'actions')).toBe(false);
  });
});
