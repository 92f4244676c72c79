import { computeIntervals, formatPromDuration, parseGrafanaDuration, roundInterval } from '../../../src/grafana/intervals';

const H = 3_600_000;

describe('roundInterval (Grafana’s table)', () => {
  it.each([
    [10, 10],
    [21_600, 20_000],
    [43_200, 30_000],
    [80_000, 60_000],
    [172_800, 120_000],
    [3 * H, 3 * H],
    [40 * 86_400_000, 2_592_000_000],
    [50 * 86_400_000, 31_536_000_000],
  ])('%p ms → %p ms', (raw, nice) => {
    expect(roundInterval(raw)).toBe(nice);
  });
});

describe('computeIntervals', () => {
  it('6 h over 500 points with a 15 s scrape: $__interval 30s, $__rate_interval 1m', () => {
    expect(computeIntervals({ rangeMs: 6 * H, maxDataPoints: 500, scrapeIntervalMs: 15_000 })).toEqual({ intervalMs: 30_000, stepMs: 30_000, rateIntervalMs: 60_000 });
  });
  it('never goes below the minimum interval (the scrape interval by default)', () => {
    const r = computeIntervals({ rangeMs: H, maxDataPoints: 1000, scrapeIntervalMs: 60_000 });
    expect(r.intervalMs).toBe(60_000);
    expect(r.rateIntervalMs).toBe(240_000); // 4 × scrape beats interval + scrape
    expect(computeIntervals({ rangeMs: H, maxDataPoints: 1000, scrapeIntervalMs: 15_000, minIntervalMs: 300_000 }).intervalMs).toBe(300_000);
  });
  it('$__rate_interval is $__interval + scrape once that exceeds 4 × scrape', () => {
    expect(computeIntervals({ rangeMs: 7 * 24 * H, maxDataPoints: 500, scrapeIntervalMs: 15_000 }).rateIntervalMs).toBe(20 * 60_000 + 15_000);
  });
  it('keeps a query under Prometheus’ 11,000 points', () => {
    const r = computeIntervals({ rangeMs: 30 * 24 * H, maxDataPoints: 100_000, scrapeIntervalMs: 1000 });
    expect(30 * 24 * H / r.stepMs).toBeLessThanOrEqual(11_000);
  });
});

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['250ms', 250],
    ['>=2m', 120_000],
    ['1.5h', 5_400_000],
    ['', undefined],
    ['5', undefined],
    ['$__auto', undefined],
  ])('parse %p', (text, ms) => {
    expect(parseGrafanaDuration(text)).toBe(ms);
  });
  it.each([
    [20_000, '20s'],
    [60_000, '1m'],
    [75_000, '75s'],
    [7_200_000, '2h'],
    [86_400_000, '1d'],
    [1500, '1500ms'],
  ])('format %p', (ms, text) => {
    expect(formatPromDuration(ms)).toBe(text);
  });
});
