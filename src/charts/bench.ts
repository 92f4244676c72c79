import { createChartRenderer } from './render';

export interface ChartBench {
  medianMs: number;
  p99Ms: number;
  /** CPU time (all threads) per render: steadier than wall time on a busy machine. */
  medianCpuMs: number;
  runs: number;
  series: number;
  points: number;
}

/** Synthetic Prometheus-like series: smooth waves with noise, a missed scrape and a NaN, 30 s apart. */
export function makeBenchSeries(series: number, points: number, end: number): { name: string; points: [number, number][] }[] {
  return Array.from({ length: series }, (_, s) => ({
    name: `{instance="web-${s}:9100"}`,
    points: Array.from({ length: points }, (_, i): [number, number] => [
      end - (points - i) * 30_000,
      i === 100 ? NaN : 200 + s * 40 + 80 * Math.sin(i / 40 + s) + ((i * 7919 + s * 104729) % 23),
    ]).filter((_, i) => i !== 300),
  }));
}

/**
 * Median and p99 wall time to render a 10-series × 720-point chart to PNG (what a 6 h range at 30 s steps gives), after
 * one warm-up render. Called by `npm run bench`.
 */
export async function benchChart(runs = 7, series = 10, points = 720): Promise<ChartBench> {
  const renderer = createChartRenderer();
  const end = Date.UTC(2026, 10, 29, 9, 0, 0);
  const input = { title: 'Bench: requests per second', series: makeBenchSeries(series, points, end), unit: 'none' as const, now: end };
  await renderer.renderLineChart(input);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await renderer.renderLineChart(input);
    const c = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  const at = (xs: number[], q: number) => Math.round([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]);
  return { medianMs: at(wall, 0.5), p99Ms: at(wall, 0.99), medianCpuMs: at(cpu, 0.5), runs, series, points };
}
