import { LookoutError } from '../errors';
import type { InstantResult, InstantSample, QueryMeta, RangeSeries } from '../metrics/model';

/**
 * Turns Prometheus HTTP API envelopes (https://prometheus.io/docs/prometheus/latest/querying/api/) into the
 * PromQuery port's shapes. Sample values arrive as strings ("NaN", "+Inf"); timestamps as float seconds.
 */
export interface PromEnvelope {
  status?: string;
  data?: any;
  errorType?: string;
  error?: string;
  warnings?: string[];
  infos?: string[];
}

/** Prometheus spells infinities `+Inf`/`-Inf`, which Number() does not read. */
export function parseSampleValue(v: unknown): number {
  if (v === '+Inf' || v === 'Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return typeof v === 'string' || typeof v === 'number' ? Number(v) : NaN;
}

const toMs = (seconds: unknown): number => Math.round(Number(seconds) * 1000);

export function decodeMeta(env: PromEnvelope): QueryMeta {
  const meta: QueryMeta = { warnings: [...(env.warnings ?? []), ...(env.infos ?? [])].filter((w) => typeof w === 'string') };
  const samples = env.data?.stats?.samples?.totalQueryableSamples;
  if (typeof samples === 'number') meta.samples = samples;
  return meta;
}

const HISTOGRAM_WARNING = 'Native histogram samples were left out: Lookout shows float samples only.';

export function decodeInstant(env: PromEnvelope): { result: InstantResult; meta: QueryMeta } {
  const meta = decodeMeta(env);
  const data = env.data ?? {};
  const result: InstantResult = decodeInstantData(data, meta);
  return { result, meta };
}

function decodeInstantData(data: any, meta: QueryMeta): InstantResult {
  switch (data.resultType) {
    case 'vector': {
      const samples: InstantSample[] = [];
      for (const r of asArray(data.result)) {
        if (!Array.isArray(r.value)) {
          noteHistogram(meta);
          continue;
        }
        samples.push({ labels: { ...(r.metric ?? {}) }, value: parseSampleValue(r.value[1]) });
      }
      return { type: 'vector', samples };
    }
    case 'matrix':
      return { type: 'matrix', series: decodeMatrix(data.result, meta) };
    case 'scalar':
      return { type: 'scalar', value: parseSampleValue(data.result?.[1]), at: toMs(data.result?.[0]) };
    case 'string':
      return { type: 'string', value: String(data.result?.[1] ?? ''), at: toMs(data.result?.[0]) };
    default:
      throw unexpected(`result type ${String(data.resultType)}`);
  }
}

export function decodeRange(env: PromEnvelope): { series: RangeSeries[]; meta: QueryMeta } {
  const meta = decodeMeta(env);
  if (env.data?.resultType !== 'matrix') throw unexpected(`result type ${String(env.data?.resultType)} for a range query`);
  return { series: decodeMatrix(env.data.result, meta), meta };
}

function decodeMatrix(result: unknown, meta: QueryMeta): RangeSeries[] {
  return asArray(result).map((r) => {
    if (!Array.isArray(r.values)) noteHistogram(meta);
    const points = asArray(r.values).map((p): [number, number] => [toMs(p[0]), parseSampleValue(p[1])]);
    return { labels: { ...(r.metric ?? {}) }, points };
  });
}

export function decodeSeries(env: PromEnvelope): Record<string, string>[] {
  return asArray(env.data).map((labels) => ({ ...labels }));
}

export function decodeStrings(env: PromEnvelope): string[] {
  return asArray(env.data).filter((s): s is string => typeof s === 'string');
}

function noteHistogram(meta: QueryMeta): void {
  if (!meta.warnings.includes(HISTOGRAM_WARNING)) meta.warnings.push(HISTOGRAM_WARNING);
}

function asArray(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

function unexpected(what: string): LookoutError {
  return new LookoutError('upstream', `The metrics backend sent an answer Lookout does not understand (${what}).`);
}
