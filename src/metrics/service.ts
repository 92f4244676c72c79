import type { MetricsCommand } from '../commands/metrics';
import { LookoutError } from '../errors';
import type { Clock } from '../ports/clock';
import type { PromQuery } from '../ports/prom-query';
import { buildExploreLink, type ExploreTarget } from './explore-link';
import { assertNotFuture, formatPromDuration, planRange } from './plan';
import { labelKey, rankRangeSeries, rankSamples, rankSummariesByLast, summarizeSeries } from './summarize';
import { DEFAULT_METRICS_LIMITS, type LabelsAnswer, type MetricsAnswer, type MetricsLimits, type SeriesAnswer } from './model';

/** The /metrics use cases (product.md §5) over any PromQuery backend: AMP, Prometheus or the sandbox. */
export interface MetricsServiceDeps {
  prom: PromQuery;
  clock: Clock;
  limits?: Partial<MetricsLimits>;
  /** Grafana base URL + Prometheus datasource uid, for "Open in Grafana" links. */
  explore?: ExploreTarget;
}

export type MetricsQuery = Exclude<MetricsCommand, { kind: 'help' }>;
export type RangeAnswer = Extract<MetricsAnswer, { kind: 'range' }>;

export interface MetricsService {
  readonly limits: MetricsLimits;
  describe(): string;
  /** Runs a parsed `/metrics` command. */
  run(command: MetricsQuery, signal?: AbortSignal): Promise<MetricsAnswer>;
  instant(query: string, at?: number, signal?: AbortSignal): Promise<MetricsAnswer>;
  range(query: string, r: { rangeMs: number; stepMs?: number; end?: number }, signal?: AbortSignal): Promise<RangeAnswer>;
  labels(metric?: string): Promise<LabelsAnswer>;
  series(selector: string, lookbackMs?: number): Promise<SeriesAnswer>;
}

const HOUR = 3_600_000;

export function createMetricsService(deps: MetricsServiceDeps): MetricsService {
  const limits: MetricsLimits = { ...DEFAULT_METRICS_LIMITS, ...deps.limits };
  const { prom, clock } = deps;
  const explore = (query: string, from: number, to: number) =>
    deps.explore ? { exploreUrl: buildExploreLink(deps.explore, query, { from, to }) } : {};

  const service: MetricsService = {
    limits,
    describe: () => prom.describe(),

    run(command, signal) {
      switch (command.kind) {
        case 'instant':
          return service.instant(command.query, command.at, signal);
        case 'range':
          return service.range(command.query, command, signal);
        case 'labels':
          return service.labels(command.metric);
        case 'series':
          return service.series(command.selector, command.lookbackMs);
      }
    },

    async instant(query, at, signal) {
      const now = clock.now();
      if (at !== undefined) assertNotFuture(at, now, limits);
      // Evaluate at an explicit time so the answer, its link and a report's `--on-change` comparison agree.
      const when = at ?? now;
      const { result, meta } = await prom.instant(query, when, signal);
      const base = { query, source: prom.describe(), meta, at: when, ...explore(query, when - HOUR, when) };
      switch (result.type) {
        case 'vector':
          return { ...base, kind: 'vector', rows: rankSamples(result.samples).slice(0, limits.tableRows), total: result.samples.length };
        case 'scalar':
          return { ...base, kind: 'scalar', value: result.value };
        case 'string':
          return { ...base, kind: 'string', value: result.value };
        case 'matrix': {
          const rows = rankSummariesByLast(result.series.map(summarizeSeries));
          return { ...base, kind: 'matrix', rows: rows.slice(0, limits.tableRows), total: rows.length };
        }
      }
    },

    async range(query, r, signal) {
      const plan = planRange(r, clock.now(), limits);
      const { series, meta } = await prom.range(query, { start: plan.start, end: plan.end, stepMs: plan.stepMs }, signal);
      if (series.length > limits.maxSeries) {
        throw new LookoutError(
          'invalid_input',
          `The query returned ${series.length.toLocaleString('en-US')} series; Lookout charts at most ${limits.maxSeries}.`,
          { hint: 'Aggregate (`sum by (job) (…)`), keep the biggest (`topk(10, …)`), or add label matchers.' },
        );
      }
      const drawn = rankRangeSeries(series).slice(0, limits.drawnSeries);
      return {
        kind: 'range',
        query,
        source: prom.describe(),
        meta,
        ...plan,
        series: drawn.map((d) => d.series),
        summaries: drawn.map((d) => d.summary),
        total: series.length,
        ...explore(query, plan.start, plan.end),
      };
    },

    async labels(metric) {
      const source = prom.describe();
      if (metric === undefined) return { kind: 'labels', source, names: [...(await prom.labels())].sort() };
      const names = (await prom.labels(metric)).filter((n) => n !== '__name__').sort();
      const values = await Promise.all(
        names.slice(0, limits.tableRows).map(async (label) => {
          const all = [...(await prom.labelValues(label, metric))].sort();
          return { label, values: all.slice(0, limits.labelValues), total: all.length };
        }),
      );
      return { kind: 'labels', source, metric, names, values };
    },

    async series(selector, lookbackMs = limits.seriesLookbackMs) {
      if (lookbackMs > limits.maxRangeMs) {
        throw new LookoutError('invalid_input', `Lookout looks back at most ${formatPromDuration(limits.maxRangeMs)} for series.`, {
          hint: 'Use a shorter `--range`.',
        });
      }
      const end = clock.now();
      const start = end - lookbackMs;
      const found = await prom.series(selector, { start, end });
      const sorted = [...found].sort((a, b) => labelKey(a.labels).localeCompare(labelKey(b.labels)));
      return { kind: 'series', source: prom.describe(), selector, start, end, series: sorted.slice(0, limits.listed), total: found.length };
    },
  };
  return service;
}
