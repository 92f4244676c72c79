import { formatNumber, formatValue, guessUnit } from '../../../src/views/metrics-units';

describe('guessUnit', () => {
  it.each([
    ['node_memory_MemAvailable_bytes', 'bytes'],
    ['sum by (instance) (node_memory_MemAvailable_bytes{job="node"})', 'bytes'],
    ['rate(node_network_receive_bytes_total[5m])', 'bytes/s'],
    ['increase(node_network_receive_bytes_total[1h])', 'bytes'],
    ['http_request_duration_seconds_sum', 'seconds'],
    ['histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))', 'seconds'],
    ['rate(node_cpu_seconds_total{mode!="idle"}[5m])', 'none'],
    ['process_start_time_seconds', 'none'],
    ['cache_hit_ratio', 'ratio'],
    ['disk_used_percent', 'percent'],
    ['http_requests_total', 'none'],
    ['http_request_duration_seconds_count', 'none'],
    ['a_bytes / b_bytes', 'none'],
    ['up_bytes + down_seconds', 'none'],
    ['up{path="/x_bytes"}', 'none'],
    ['sum(rate(x_bytes_total[5m])) by (job)', 'bytes/s'],
  ])('%s → %s', (query, unit) => {
    expect(guessUnit(query)).toBe(unit);
  });
});

describe('formatValue', () => {
  it.each([
    [3 * 1024 ** 3, 'bytes', '3 GiB'],
    [1536, 'bytes', '1.5 KiB'],
    [512, 'bytes/s', '512 B/s'],
    [0.25, 'seconds', '250 ms'],
    [0.0000123, 'seconds', '12.3 µs'],
    [90, 'seconds', '90 s'],
    [5400, 'seconds', '90 min'],
    [0.125, 'ratio', '12.5%'],
    [99.5, 'percent', '99.5%'],
    [34_460_640, 'none', '34.46M'],
    [12_345, 'none', '12.35k'],
    [0.123456, 'none', '0.1235'],
    [1, 'none', '1'],
    [0, 'none', '0'],
    [-2_500_000, 'none', '-2.5M'],
    [NaN, 'bytes', 'NaN'],
    [Infinity, 'seconds', '+Inf'],
    [-Infinity, 'none', '-Inf'],
  ] as const)('%d %s → %s', (v, unit, text) => {
    expect(formatValue(v, unit)).toBe(text);
  });

  it('writes tiny numbers in exponent form', () => {
    expect(formatNumber(0.00001234)).toBe('1.23e-5');
  });
});
