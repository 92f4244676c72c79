/**
 * Units guessed from Prometheus naming conventions (https://prometheus.io/docs/practices/naming/#base-units):
 * `_bytes`, `_seconds`, `_ratio`, `_percent`. Pure; also usable by the chart renderer for its axis.
 */
export type MetricUnit = 'bytes' | 'bytes/s' | 'seconds' | 'ratio' | 'percent' | 'none';

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless']);
const PER_SECOND = /\b(rate|irate|deriv)\s*\(/;

/**
 * The unit of a query's result, or 'none' when unsure. Only queries over metrics of one unit and without
 * arithmetic that changes it (`/`, `*`) get a unit: a wrong unit is worse than a plain number.
 */
export function guessUnit(query: string): MetricUnit {
  const bare = query
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""') // strings may contain anything
    .replace(/\{[^}]*\}/g, '') // label matchers
    .replace(/\[[^\]]*\]/g, '') // ranges and subqueries
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  if (/[*/^%]/.test(bare)) return 'none';
  const metrics = [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(?!\s*\(|[a-zA-Z0-9_:])/g)]
    .map((m) => m[0])
    .filter((name) => !KEYWORDS.has(name));
  const quantile = /\bhistogram_quantile\s*\(/.test(bare);
  const units = new Set(metrics.map((name) => baseUnit(name, quantile)));
  if (units.size !== 1) return 'none';
  const unit = [...units][0];
  // A quantile of rate(…_bucket) is in the bucket's unit: the rate only weighs the buckets.
  if (quantile || !PER_SECOND.test(bare)) return unit;
  return unit === 'bytes' ? 'bytes/s' : 'none'; // rate of seconds_total is a fraction (e.g. CPU cores), not seconds
}

function baseUnit(name: string, quantile: boolean): MetricUnit {
  let base = name.replace(/_total$/, '');
  if (/_(count)$/.test(base)) return 'none';
  if (/_bucket$/.test(base)) {
    if (!quantile) return 'none';
    base = base.replace(/_bucket$/, '');
  }
  base = base.replace(/_sum$/, '');
  if (/(_timestamp|_time)_seconds$/.test(base)) return 'none'; // points in time, not durations
  if (/_bytes$/.test(base)) return 'bytes';
  if (/_seconds$/.test(base)) return 'seconds';
  if (/_ratio$/.test(base)) return 'ratio';
  if (/_percent$/.test(base)) return 'percent';
  return 'none';
}

/** Short human number for tables: 4 significant digits, SI suffix from 10,000 on. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const abs = Math.abs(v);
  const si: [number, string][] = [[1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e4, 'k']];
  for (const [size, suffix] of si) {
    if (abs >= size) return `${trim(v / (suffix === 'k' ? 1e3 : size))}${suffix}`;
  }
  if (abs !== 0 && abs < 1e-3) return v.toExponential(2);
  return trim(v);
}

const trim = (v: number): string => String(Number(v.toPrecision(4)));

function formatBytes(v: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  let x = Math.abs(v);
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${v < 0 ? '-' : ''}${String(Number(x.toPrecision(3)))} ${units[i]}`;
}

function formatSeconds(v: number): string {
  const abs = Math.abs(v);
  if (abs === 0) return '0 s';
  if (abs < 1e-3) return `${trim(v * 1e6)} µs`;
  if (abs < 1) return `${trim(v * 1e3)} ms`;
  if (abs < 120) return `${trim(v)} s`;
  if (abs < 7200) return `${trim(v / 60)} min`;
  if (abs < 172_800) return `${trim(v / 3600)} h`;
  return `${trim(v / 86_400)} d`;
}

/** A value in its unit: `1.5 GiB`, `250 ms`, `12.5%`, `3.42k`; NaN and infinities as Prometheus writes them. */
export function formatValue(v: number, unit: MetricUnit): string {
  if (!Number.isFinite(v)) return formatNumber(v);
  switch (unit) {
    case 'bytes':
      return formatBytes(v);
    case 'bytes/s':
      return `${formatBytes(v)}/s`;
    case 'seconds':
      return formatSeconds(v);
    case 'ratio':
      return `${trim(v * 100)}%`;
    case 'percent':
      return `${trim(v)}%`;
    default:
      return formatNumber(v);
  }
}
