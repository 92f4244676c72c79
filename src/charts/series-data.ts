/**
 * Turning Prometheus points into line data: NaN/±Inf become gaps, and so does a stretch of time with no
 * samples (Prometheus omits steps with no value; drawing straight across them would invent data).
 */
export type Point = [number, number];
export type LinePoint = [number, number | null];

/** The typical spacing of points: the median gap between consecutive timestamps across all series. */
export function inferStepMs(series: Point[][]): number | undefined {
  const gaps: number[] = [];
  for (const points of series) {
    for (let i = 1; i < points.length; i++) {
      const d = points[i][0] - points[i - 1][0];
      if (d > 0) gaps.push(d);
    }
  }
  if (gaps.length === 0) return undefined;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)];
}

/**
 * Points sorted by time with gaps as nulls: non-finite values become null, and a null is inserted wherever the
 * distance between two samples exceeds `gapMs` (2.5 steps by default, as missing one scrape is common).
 */
export function toLineData(points: Point[], gapMs?: number): LinePoint[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0]);
  const out: LinePoint[] = [];
  let prev: number | undefined;
  for (const [t, v] of sorted) {
    if (prev !== undefined && gapMs !== undefined && t - prev > gapMs) out.push([(prev + t) / 2, null]);
    out.push([t, Number.isFinite(v) ? v : null]);
    prev = t;
  }
  return out;
}

/** Largest finite absolute value over all series, 0 when there is none. */
export function maxAbsValue(series: Point[][]): number {
  let m = 0;
  for (const points of series) for (const [, v] of points) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m;
}

/** Earliest and latest timestamps over all series, or undefined when there are no points. */
export function timeExtent(series: Point[][]): { start: number; end: number } | undefined {
  let start = Infinity;
  let end = -Infinity;
  for (const points of series) {
    for (const [t] of points) {
      if (t < start) start = t;
      if (t > end) end = t;
    }
  }
  return start <= end ? { start, end } : undefined;
}
