import { LookoutError } from '../../errors';
import type { Clock } from '../../ports/clock';
import type { PromQuery } from '../../ports/prom-query';
import type { RangeSeries } from '../../metrics/model';
import { buildSandboxSeries, SANDBOX_SOURCE_LABEL, type FaultSource } from './data';
import { evaluateAt, matchSeries } from './evaluate';
import { parseSandboxQuery, SANDBOX_SUPPORTED } from './parse';

export { SANDBOX_SOURCE_LABEL, SANDBOX_SUPPORTED };

/**
 * The playground's metrics backend (product.md §9): deterministic sample series behind the same PromQuery port as
 * AMP and Prometheus. Anything outside its PromQL subset is refused with a message that says so.
 */
export interface SandboxPromQueryOptions {
  clock: Clock;
  /** The sandbox FIS's fault windows (SandboxFis.faults): the web tier's error rate rises while `cpu-stress-web` runs. */
  faults?: FaultSource;
}

const MAX_POINTS = 11_000;

export function createSandboxPromQuery(options: SandboxPromQueryOptions): PromQuery {
  const all = buildSandboxSeries(options.faults);
  const meta = () => ({ warnings: [] as string[] });
  return {
    describe: () => 'sandbox (sample data)',

    async instant(query, at) {
      const t = at ?? options.clock.now();
      const result = evaluateAt(parseSandboxQuery(query), all, t);
      return result.kind === 'vector'
        ? { result: { type: 'vector', samples: result.samples }, meta: meta() }
        : { result: { type: 'matrix', series: result.series }, meta: meta() };
    },

    async range(query, r) {
      const expr = parseSandboxQuery(query);
      if (expr.type === 'selector' && expr.rangeMs !== undefined) {
        throw new LookoutError('invalid_input', 'A range query needs an instant vector, not a range selector like `[5m]`.', {
          hint: 'Drop the `[…]`, or wrap it: `rate(…[5m])`.',
        });
      }
      if (r.stepMs <= 0 || Math.floor((r.end - r.start) / r.stepMs) + 1 > MAX_POINTS) {
        throw new LookoutError('invalid_input', 'exceeded maximum resolution of 11,000 points per timeseries.');
      }
      const bySeries = new Map<string, RangeSeries>();
      for (let t = r.start; t <= r.end; t += r.stepMs) {
        const step = evaluateAt(expr, all, t);
        if (step.kind !== 'vector') continue;
        for (const s of step.samples) {
          const key = JSON.stringify(Object.entries(s.labels).sort());
          const series = bySeries.get(key) ?? { labels: s.labels, points: [] };
          series.points.push([t, s.value]);
          bySeries.set(key, series);
        }
      }
      return { series: [...bySeries.values()], meta: meta() };
    },

    async series(selector) {
      const expr = parseSandboxQuery(selector);
      if (expr.type !== 'selector' || expr.rangeMs !== undefined) {
        throw new LookoutError('invalid_input', '`series` takes a selector such as `up{job="app"}`, not an expression.');
      }
      return matchSeries(all, expr.matchers).map((s) => ({ labels: { ...s.labels } }));
    },

    async labels(metric) {
      const names = new Set<string>();
      for (const s of forMetric(metric)) Object.keys(s.labels).forEach((k) => names.add(k));
      return [...names].sort();
    },

    async labelValues(label, metric) {
      const values = new Set<string>();
      for (const s of forMetric(metric)) if (s.labels[label] !== undefined) values.add(s.labels[label]);
      return [...values].sort();
    },
  };

  function forMetric(metric?: string) {
    return metric === undefined ? all : all.filter((s) => s.labels.__name__ === metric);
  }
}
