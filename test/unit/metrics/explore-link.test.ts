import { buildExploreLink } from '../../../src/metrics/explore-link';

describe('buildExploreLink', () => {
  it('builds a Grafana Explore URL whose left state carries the query, datasource and range', () => {
    const expr = 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) & <x>';
    const url = new URL(buildExploreLink({ baseUrl: 'https://g-1.grafana-workspace.us-east-1.amazonaws.com/', datasourceUid: 'amp-main' }, expr, { from: 1000, to: 2000 }));
    expect(url.origin + url.pathname).toBe('https://g-1.grafana-workspace.us-east-1.amazonaws.com/explore');
    expect(url.searchParams.get('orgId')).toBe('1');
    expect(JSON.parse(url.searchParams.get('left')!)).toEqual({
      datasource: 'amp-main',
      queries: [{ refId: 'A', expr, range: true, instant: false, datasource: { type: 'prometheus', uid: 'amp-main' } }],
      range: { from: '1000', to: '2000' },
    });
  });

  it('keeps a sub-path and an org id, and accepts relative times', () => {
    const link = buildExploreLink({ baseUrl: 'https://example.com/grafana', datasourceUid: 'p', orgId: 3 }, 'up', { from: 'now-6h', to: 'now' });
    const url = new URL(link);
    expect(url.pathname).toBe('/grafana/explore');
    expect(url.searchParams.get('orgId')).toBe('3');
    expect(JSON.parse(url.searchParams.get('left')!).range).toEqual({ from: 'now-6h', to: 'now' });
    expect(link).not.toMatch(/[<>|\s]/); // safe inside a Slack link or button url
  });
});
