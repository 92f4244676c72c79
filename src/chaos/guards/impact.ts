import { niceStepAtLeast, pointsFor } from '../../metrics/plan';
import type { GuardSpec } from './evaluate';

/**
 * The impact summary's charts (product.md §4): each guard's `value:` (or its expression) and each
 * `chaos.watchMetrics` expression, from 10 minutes before the experiment started to its end, with start and end
 * marked. Pure: the caller runs the range queries and draws the charts (charts/ ChartMarker has the same shape).
 */
export const IMPACT_LEAD_MS = 10 * 60_000;
/** Enough points for a 1000 px chart; far under Prometheus's 11,000 points a series. */
export const IMPACT_TARGET_POINTS = 300;
export const PROMETHEUS_MAX_POINTS = 11_000;
const MIN_STEP_MS = 15_000; // the usual scrape interval: finer steps only repeat samples

export interface ImpactChart {
  title: string;
  expr: string;
  source: { kind: 'guard'; guard: string } | { kind: 'watch' };
}

export interface ImpactPlan {
  range: { start: number; end: number; stepMs: number };
  charts: ImpactChart[];
  markers: { at: number; label: string }[];
}

export function planImpactCharts(input: { startedAt: number; endedAt: number; guards: GuardSpec[]; watchMetrics: string[] }): ImpactPlan {
  const start = input.startedAt - IMPACT_LEAD_MS;
  const end = Math.max(input.endedAt, input.startedAt);
  const span = end - start;
  let stepMs = niceStepAtLeast(Math.max(MIN_STEP_MS, span / IMPACT_TARGET_POINTS));
  if (pointsFor(span, stepMs) > PROMETHEUS_MAX_POINTS) stepMs = Math.ceil(span / (PROMETHEUS_MAX_POINTS - 1));
  const seen = new Set<string>();
  const charts: ImpactChart[] = [];
  for (const g of input.guards) {
    const expr = g.value ?? g.expr;
    charts.push({ title: `Guard ${g.name}: ${expr}`, expr, source: { kind: 'guard', guard: g.name } });
    seen.add(expr);
  }
  for (const expr of input.watchMetrics) {
    if (seen.has(expr)) continue; // a watched metric that is also a guard's value is charted once
    seen.add(expr);
    charts.push({ title: expr, expr, source: { kind: 'watch' } });
  }
  const markers = [{ at: input.startedAt, label: 'start' }, ...(input.endedAt > input.startedAt ? [{ at: input.endedAt, label: 'end' }] : [])];
  return { range: { start, end, stepMs }, charts, markers };
}
