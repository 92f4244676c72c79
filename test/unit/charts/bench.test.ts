import { benchChart, makeBenchSeries } from '../../../src/charts/bench';

describe('benchChart', () => {
  it('times real renders and reports the median', async () => {
    const r = await benchChart(3, 2, 60);
    expect(r).toMatchObject({ runs: 3, series: 2, points: 60 });
    expect(r.medianMs).toBeGreaterThan(0);
    expect(r.medianCpuMs).toBeGreaterThan(0);
  });
  it('builds series with a missed scrape and a NaN, like real data', () => {
    const [s] = makeBenchSeries(1, 720, 0);
    expect(s.points).toHaveLength(719);
    expect(s.points.some(([, v]) => Number.isNaN(v))).toBe(true);
  });
});
