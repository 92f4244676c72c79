import { LookoutError } from '../../errors';
import type { InstantSample, RangeSeries } from '../../metrics/model';
import { SCRAPE_INTERVAL_MS, type SandboxSeries } from './data';
import type { CompareOp, Matcher, SandboxExpr } from './parse';

/** Evaluates the sandbox's PromQL subset over its sample series, with Prometheus's semantics where they matter. */
export type Evaluated = { kind: 'vector'; samples: InstantSample[] } | { kind: 'matrix'; series: RangeSeries[] };

/** The latest scrape at or before `t` (the sandbox scrapes every 15 s, so one is always within the lookback). */
const scrapeAt = (tMs: number) => Math.floor(tMs / SCRAPE_INTERVAL_MS) * SCRAPE_INTERVAL_MS;

export function matchSeries(all: SandboxSeries[], matchers: Matcher[]): SandboxSeries[] {
  const tests = matchers.map(compileMatcher);
  return all.filter((s) => tests.every((test) => test(s.labels)));
}

function compileMatcher(m: Matcher): (labels: Record<string, string>) => boolean {
  if (m.op === '=' || m.op === '!=') {
    const want = m.op === '=';
    return (labels) => ((labels[m.name] ?? '') === m.value) === want;
  }
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${m.value})$`);
  } catch (err) {
    throw new LookoutError('invalid_input', `Sandbox: \`${m.name}\` has an invalid regular expression.`, { cause: err });
  }
  const want = m.op === '=~';
  return (labels) => re.test(labels[m.name] ?? '') === want;
}

/** Scrapes of a series inside (t - range, t], oldest first. */
function window(s: SandboxSeries, tMs: number, rangeMs: number): [number, number][] {
  const points: [number, number][] = [];
  for (let at = scrapeAt(tMs); at > tMs - rangeMs; at -= SCRAPE_INTERVAL_MS) points.unshift([at, s.valueAt(at / 1000)]);
  return points;
}

function withoutName(labels: Record<string, string>): Record<string, string> {
  const { __name__: _name, ...rest } = labels;
  return rest;
}

// Counter increase over the window, counting a drop as a reset (as Prometheus does).
function increaseOf(points: [number, number][]): number {
  let inc = 0;
  for (let k = 1; k < points.length; k++) {
    const d = points[k][1] - points[k - 1][1];
    inc += d >= 0 ? d : points[k][1];
  }
  return inc;
}

function applyRangeFn(fn: string, points: [number, number][], rangeMs: number): number | undefined {
  if (points.length < 2) return undefined;
  if (fn === 'irate') {
    const [a, b] = points.slice(-2);
    const d = b[1] >= a[1] ? b[1] - a[1] : b[1];
    return d / ((b[0] - a[0]) / 1000);
  }
  const perSec = increaseOf(points) / ((points[points.length - 1][0] - points[0][0]) / 1000);
  return fn === 'rate' ? perSec : perSec * (rangeMs / 1000);
}

export function evaluateAt(expr: SandboxExpr, all: SandboxSeries[], tMs: number): Evaluated {
  switch (expr.type) {
    case 'selector': {
      const found = matchSeries(all, expr.matchers);
      if (expr.rangeMs !== undefined) {
        const rangeMs = expr.rangeMs;
        return { kind: 'matrix', series: found.map((s) => ({ labels: { ...s.labels }, points: window(s, tMs, rangeMs) })) };
      }
      return { kind: 'vector', samples: found.map((s) => ({ labels: { ...s.labels }, value: s.valueAt(scrapeAt(tMs) / 1000) })) };
    }
    case 'call': {
      const samples: InstantSample[] = [];
      for (const s of matchSeries(all, expr.arg.matchers)) {
        const value = applyRangeFn(expr.fn, window(s, tMs, expr.arg.rangeMs), expr.arg.rangeMs);
        if (value !== undefined) samples.push({ labels: withoutName(s.labels), value });
      }
      return { kind: 'vector', samples };
    }
    case 'compare': {
      const inner = evaluateAt(expr.arg, all, tMs);
      if (inner.kind !== 'vector') throw new LookoutError('invalid_input', `Sandbox: \`${expr.op}\` needs an instant vector.`);
      return { kind: 'vector', samples: inner.samples.filter((s) => compare(expr.op, s.value, expr.threshold)) };
    }
    case 'agg': {
      const inner = evaluateAt(expr.arg, all, tMs);
      if (inner.kind !== 'vector') throw new LookoutError('invalid_input', `Sandbox: \`${expr.op}\` needs an instant vector.`);
      return { kind: 'vector', samples: aggregate(expr, inner.samples) };
    }
  }
}

function aggregate(expr: Extract<SandboxExpr, { type: 'agg' }>, samples: InstantSample[]): InstantSample[] {
  const groups = new Map<string, { labels: Record<string, string>; values: number[] }>();
  for (const s of samples) {
    const labels = groupLabels(s.labels, expr.grouping);
    const key = JSON.stringify(Object.entries(labels).sort());
    const g = groups.get(key) ?? { labels, values: [] };
    g.values.push(s.value);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ labels: g.labels, value: combine(expr.op, g.values) }));
}

function groupLabels(labels: Record<string, string>, grouping?: { mode: 'by' | 'without'; labels: string[] }): Record<string, string> {
  if (!grouping) return {};
  if (grouping.mode === 'by') {
    return Object.fromEntries(grouping.labels.filter((l) => labels[l] !== undefined).map((l) => [l, labels[l]]));
  }
  return Object.fromEntries(Object.entries(withoutName(labels)).filter(([k]) => !grouping.labels.includes(k)));
}

function combine(op: string, values: number[]): number {
  switch (op) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    default:
      return values.length;
  }
}

// A comparison without `bool` filters: samples for which it holds keep their value, the others drop out.
function compare(op: CompareOp, a: number, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    case '==':
      return a === b;
    default:
      return a !== b;
  }
}
