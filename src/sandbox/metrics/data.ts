/**
 * The sandbox's sample metrics: a few services, their request counters, CPU and memory, all smooth functions of
 * time so any window gives the same numbers every run. Every series carries `source="lookout-sandbox"` so nobody
 * mistakes it for real data.
 */
export const SANDBOX_SOURCE_LABEL = { source: 'lookout-sandbox' } as const;
export const SCRAPE_INTERVAL_MS = 15_000;

export interface SandboxSeries {
  labels: Record<string, string>;
  /** Value at a time in seconds (counters: the integral of a positive rate, so they only go up). */
  valueAt(tSec: number): number;
}

const DAY = 86_400;
// Counters start counting here, so their values look like a process that has been up for a while.
const COUNTER_ORIGIN = Date.UTC(2026, 0, 1) / 1000;
const TAU = 2 * Math.PI;

/** ∫ base·(1 + a·sin(2πt/P + φ)) dt from the origin: a daily wave, always increasing while a < 1. */
function waveIntegral(base: number, amplitude: number, periodSec: number, phase: number, tSec: number): number {
  const t = tSec - COUNTER_ORIGIN;
  const w = TAU / periodSec;
  return base * (t - (amplitude / w) * (Math.cos(w * t + phase) - Math.cos(phase)));
}

function series(name: string, labels: Record<string, string>, valueAt: (t: number) => number): SandboxSeries {
  return { labels: { __name__: name, ...labels, ...SANDBOX_SOURCE_LABEL }, valueAt };
}

/** Fault windows of sandbox experiments (SandboxFis.faults), by template name. */
export type FaultSource = () => { template: string; start: number; end: number }[];

/** While `cpu-stress-web` runs, the web tier answers this many more 500s per second (a guard's threshold is 5/s). */
export const STRESSED_WEB_ERRORS_PER_SEC = 25;
export const STRESS_TEMPLATE = 'cpu-stress-web';

/** Seconds of `template`'s faults between the counter origin and t (so a counter of them only goes up). */
function faultSeconds(faults: FaultSource, template: string, tSec: number): number {
  let total = 0;
  for (const f of faults()) {
    if (f.template !== template) continue;
    const from = Math.max(f.start / 1000, COUNTER_ORIGIN);
    const to = Math.min(f.end / 1000, tSec);
    if (to > from) total += to - from;
  }
  return total;
}

function requests(faults: FaultSource): SandboxSeries[] {
  const services: [string, number, number][] = [
    ['web', 120, 0],
    ['api', 80, 1.3],
    ['db', 40, 2.1],
  ];
  return services.flatMap(([service, perSec, phase]) => [
    series('http_requests_total', { job: 'app', service, code: '200' }, (t) => waveIntegral(perSec, 0.4, DAY, phase, t)),
    series('http_requests_total', { job: 'app', service, code: '500' }, (t) =>
      // Errors follow a faster, spikier wave than traffic: something to find on a chart. The web tier's jump
      // while the CPU-stress experiment runs, so a guard on them trips in the playground.
      waveIntegral(perSec / 100, 0.9, 1800, phase, t) + (service === 'web' ? STRESSED_WEB_ERRORS_PER_SEC * faultSeconds(faults, STRESS_TEMPLATE, t) : 0),
    ),
  ]);
}

function cpu(): SandboxSeries[] {
  return ['0', '1'].flatMap((cpuId, i) => {
    const user = (t: number) => waveIntegral(0.3, 0.5, DAY / 4, i, t);
    const system = (t: number) => waveIntegral(0.08, 0.4, DAY / 4, i + 0.5, t);
    const labels = (mode: string) => ({ job: 'node', instance: 'web-1:9100', cpu: cpuId, mode });
    return [
      series('node_cpu_seconds_total', labels('user'), user),
      series('node_cpu_seconds_total', labels('system'), system),
      series('node_cpu_seconds_total', labels('idle'), (t) => t - COUNTER_ORIGIN - user(t) - system(t)),
    ];
  });
}

const GIB = 1024 ** 3;

export function buildSandboxSeries(faults: FaultSource = () => []): SandboxSeries[] {
  return [
    series('up', { job: 'app', instance: 'web-1:8080' }, () => 1),
    series('up', { job: 'app', instance: 'api-1:8080' }, () => 1),
    series('up', { job: 'node', instance: 'web-1:9100' }, () => 1),
    // A target that is down, to find with `up == 0`-style questions in the playground.
    series('up', { job: 'batch', instance: 'batch-1:9100' }, () => 0),
    ...requests(faults),
    ...cpu(),
    series('node_memory_MemAvailable_bytes', { job: 'node', instance: 'web-1:9100' }, (t) =>
      Math.round(4 * GIB + GIB * Math.sin((TAU * t) / (DAY / 2))),
    ),
  ];
}
