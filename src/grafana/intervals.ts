/**
 * Grafana's interval arithmetic for Prometheus panels, so `$__interval` and `$__rate_interval` mean here what they
 * mean in Grafana (public/app/core/utils/kbn + the Prometheus data source):
 *
 *   $__interval      = max(roundInterval(range / maxDataPoints), minInterval)
 *                      minInterval: the target's "Min step", else the panel's "Min interval", else the scrape interval
 *   step             = max($__interval, ceil(range / 11,000))   (Prometheus refuses more than 11,000 points)
 *   $__rate_interval = max($__interval + scrape, 4 × scrape)  (scrape: 15 s, Prometheus' default; 60 s for AMP)
 *   $__range         = range in whole seconds + 's'; $__range_s, $__range_ms the bare numbers
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** A Grafana/Prometheus duration (`30s`, `1m30s`, `250ms`, `>=1m`) in ms; undefined when it is not one. */
export function parseGrafanaDuration(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const s = text.trim().replace(/^>=?/, '');
  if (!/^(\d+(\.\d+)?(ms|s|m|h|d|w|y))+$/.test(s)) return undefined;
  let total = 0;
  for (const [, n, , unit] of s.matchAll(/(\d+(\.\d+)?)(ms|s|m|h|d|w|y)/g)) total += Number(n) * UNIT_MS[unit];
  return total > 0 ? Math.round(total) : undefined;
}

/** A duration as Prometheus reads it, in the largest unit that divides it exactly: `20s`, `5m`, `2h`, `1500ms`. */
export function formatPromDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const u = UNIT_MS[unit];
    if (ms >= u && ms % u === 0) return `${ms / u}${unit}`;
  }
  return `${Math.max(1, Math.round(ms))}ms`;
}

// Grafana's roundInterval table: raw interval upper bound → the "nice" interval used.
const ROUND: [number, number][] = [
  [15, 10], [35, 20], [75, 50], [150, 100], [350, 200], [750, 500], [1500, 1000], [3500, 2000], [7500, 5000],
  [12_500, 10_000], [17_500, 15_000], [25_000, 20_000], [45_000, 30_000], [90_000, 60_000], [210_000, 120_000],
  [450_000, 300_000], [750_000, 600_000], [1_050_000, 900_000], [1_500_000, 1_200_000], [2_700_000, 1_800_000],
  [5_400_000, 3_600_000], [9_000_000, 7_200_000], [16_200_000, 10_800_000], [32_400_000, 21_600_000],
  [86_400_000, 43_200_000], [604_800_000, 86_400_000], [1_814_400_000, 604_800_000], [3_628_800_000, 2_592_000_000],
];

/** Grafana's rounding of a raw interval to a familiar one (21.6 s → 20 s, 43 s → 30 s, 80 s → 1 m). */
export function roundInterval(ms: number): number {
  for (const [below, nice] of ROUND) if (ms < below) return nice;
  return 31_536_000_000;
}

export const MAX_POINTS = 11_000;

export interface PanelIntervals {
  intervalMs: number;
  stepMs: number;
  rateIntervalMs: number;
}

/** The intervals for one query over `rangeMs`, with the formulas in this file's header. */
export function computeIntervals(p: { rangeMs: number; maxDataPoints: number; minIntervalMs?: number; scrapeIntervalMs: number }): PanelIntervals {
  const minInterval = p.minIntervalMs ?? p.scrapeIntervalMs;
  const intervalMs = Math.max(roundInterval(p.rangeMs / Math.max(1, p.maxDataPoints)), minInterval);
  const safeMs = Math.ceil(p.rangeMs / MAX_POINTS / 1000) * 1000;
  const stepMs = Math.max(intervalMs, safeMs);
  const rateIntervalMs = Math.max(intervalMs + p.scrapeIntervalMs, 4 * p.scrapeIntervalMs);
  return { intervalMs, stepMs, rateIntervalMs };
}
