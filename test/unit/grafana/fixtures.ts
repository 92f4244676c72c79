/** Grafana dashboard JSON covering the shapes the parser must read (several schema versions mixed on purpose). */
export const BASE = 'https://grafana.example.com';

export function checkoutDashboardJson(): Record<string, unknown> {
  return {
    dashboard: {
      uid: 'checkout-1',
      title: 'Checkout service',
      tags: ['team-pay', 'prod'],
      time: { from: 'now-24h', to: 'now' },
      templating: {
        list: [
          { name: 'ds', type: 'datasource', query: 'prometheus', current: { value: 'amp-main' } },
          { name: 'env', type: 'custom', query: 'prod,staging', options: [{ value: 'prod', selected: false }, { value: 'staging', selected: true }], current: { text: 'prod', value: 'prod' } },
          { name: 'service', type: 'query', multi: true, includeAll: true, current: { text: ['api', 'web'], value: ['api', 'web'] } },
          { name: 'cluster', type: 'query', includeAll: true, allValue: 'eu-.*', current: { text: 'All', value: '$__all' } },
          { name: 'job', type: 'constant', query: 'checkout' },
          { name: 'path', type: 'textbox', query: '/pay' },
          { name: 'win', type: 'interval', query: 'auto,1m,5m', current: { value: '$__auto_interval_win' } },
        ],
      },
      panels: [
        {
          id: 2,
          title: 'Request rate',
          type: 'timeseries',
          datasource: { type: 'prometheus', uid: '${ds}' },
          fieldConfig: { defaults: { unit: 'reqps' } },
          targets: [
            { refId: 'A', expr: 'sum by (code) (rate(http_requests_total{job="$job", service=~"$service"}[$__rate_interval]))', legendFormat: '{{code}}' },
            { refId: 'B', expr: 'sum(rate(http_requests_total{job="$job"}[5m]))', hide: true },
          ],
        },
        {
          id: 3,
          title: 'Logs volume',
          type: 'timeseries',
          datasource: { type: 'loki', uid: 'loki-1' },
          targets: [{ refId: 'A', expr: 'sum(count_over_time({app="checkout"}[1m]))' }],
        },
        {
          id: 4,
          title: 'Mixed',
          type: 'timeseries',
          datasource: { type: 'datasource', uid: '-- Mixed --' },
          interval: '1m',
          maxDataPoints: 100,
          targets: [
            { refId: 'A', datasource: { type: 'prometheus', uid: 'amp-main' }, expr: 'up{job="$job"}', interval: '5m' },
            { refId: 'B', datasource: { type: 'cloudwatch', uid: 'cw' }, namespace: 'AWS/EC2' },
          ],
        },
        {
          id: 10,
          type: 'row',
          title: 'Latency',
          collapsed: true,
          panels: [
            {
              id: 11,
              title: 'p99 latency',
              type: 'timeseries',
              fieldConfig: { defaults: { unit: 's' } },
              targets: [{ refId: 'A', expr: 'histogram_quantile(0.99, sum by (le) (rate(latency_bucket{env="$env"}[$__interval])))' }],
            },
          ],
        },
        { id: 12, title: 'Notes', type: 'text' },
      ],
    },
    meta: { url: '/d/checkout-1/checkout-service', slug: 'checkout-service', folderTitle: 'Payments', folderUid: 'pay' },
  };
}

/** An old (schemaVersion < 16) dashboard: panels under rows[], datasource by name, graph panel y-axis units. */
export function legacyDashboardJson(): Record<string, unknown> {
  return {
    dashboard: {
      uid: 'old-1',
      title: 'Old board',
      rows: [{ panels: [{ id: 1, title: 'Memory', type: 'graph', datasource: 'Prometheus', yaxes: [{ format: 'bytes' }], targets: [{ refId: 'A', expr: 'node_memory_MemAvailable_bytes' }] }] }],
    },
    meta: { url: '/d/old-1/old-board', folderTitle: 'General' },
  };
}
