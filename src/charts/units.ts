/**
 * Units-aware number formatting for charts and per-series summaries: 1.21 KiB, 350 ms, 45 %.
 * Pure; shared by the chart's y axis and by views that print min/avg/max/last.
 */
export type ChartUnit = 'bytes' | 'seconds' | 'percent' | 'ratio' | 'none';

/** One display scale: values are divided by `divisor` and shown with `suffix` (which includes its space). */
export interface UnitScale {
  divisor: number;
  suffix: string;
}

const BYTES: UnitScale[] = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'].map((s, i) => ({ divisor: 1024 ** i, suffix: ` ${s}` }));

// Below one second the SI prefixes read best; above a minute people think in minutes, hours and days.
const SECONDS: UnitScale[] = [
  { divisor: 1e-9, suffix: ' ns' },
  { divisor: 1e-6, suffix: ' µs' },
  { divisor: 1e-3, suffix: ' ms' },
  { divisor: 1, suffix: ' s' },
  { divisor: 60, suffix: ' min' },
  { divisor: 3600, suffix: ' h' },
  { divisor: 86400, suffix: ' d' },
];

const SI: UnitScale[] = [
  { divisor: 1, suffix: '' },
  { divisor: 1e3, suffix: 'k' },
  { divisor: 1e6, suffix: 'M' },
  { divisor: 1e9, suffix: 'G' },
  { divisor: 1e12, suffix: 'T' },
  { divisor: 1e15, suffix: 'P' },
];

/**
 * The scale that suits magnitude `maxAbs`: the largest whose divisor does not exceed it. The chart picks one
 * scale for the whole axis (from the data's largest value) so every tick reads in the same unit.
 */
export function pickScale(maxAbs: number, unit: ChartUnit = 'none'): UnitScale {
  if (unit === 'percent') return { divisor: 1, suffix: ' %' };
  if (unit === 'ratio') return { divisor: 0.01, suffix: ' %' };
  const scales = unit === 'bytes' ? BYTES : unit === 'seconds' ? SECONDS : SI;
  const m = Math.abs(maxAbs);
  if (!Number.isFinite(m) || m === 0) return unit === 'seconds' ? SECONDS[3] : scales[0];
  let chosen = scales[0];
  for (const s of scales) if (m >= s.divisor * 0.9995) chosen = s; // 999.96 ms reads as 1 s, not 1000 ms
  return chosen;
}

/** A number with at most `digits` significant digits, no trailing zeros, no exponent for everyday sizes. */
export function formatNumber(n: number, digits = 3): string {
  if (n === 0) return '0';
  if (!Number.isFinite(n)) return formatNonFinite(n);
  const abs = Math.abs(n);
  if (abs >= 1e15 || abs < 1e-6) return n.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
  const fixed = n.toFixed(Math.min(decimals, 20));
  const trimmed = fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

/** One value in its own best scale: `formatValue(1234, 'bytes')` → `1.21 KiB`; NaN and ±Inf spelled out. */
export function formatValue(value: number, unit: ChartUnit = 'none', digits = 3): string {
  if (!Number.isFinite(value)) return formatNonFinite(value);
  const scale = pickScale(value, unit);
  return formatScaled(value, scale, digits);
}

/** A value in a given scale (the axis uses this so all ticks share the unit). */
export function formatScaled(value: number, scale: UnitScale, digits = 3): string {
  if (!Number.isFinite(value)) return formatNonFinite(value);
  return `${formatNumber(value / scale.divisor, digits)}${scale.suffix}`;
}

function formatNonFinite(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  return n > 0 ? '+Inf' : '-Inf';
}

