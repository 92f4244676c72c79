import { inferStepMs, maxAbsValue, timeExtent, toLineData } from '../../../src/charts/series-data';

describe('toLineData', () => {
  it('turns NaN and ±Inf into gaps', () => {
    expect(toLineData([[0, 1], [1000, NaN], [2000, Infinity], [3000, 2]])).toEqual([[0, 1], [1000, null], [2000, null], [3000, 2]]);
  });
  it('breaks the line where samples are missing for longer than the gap threshold', () => {
    const data = toLineData([[0, 1], [15_000, 1], [90_000, 2], [105_000, 3]], 37_500);
    expect(data).toEqual([[0, 1], [15_000, 1], [52_500, null], [90_000, 2], [105_000, 3]]);
  });
  it('sorts points by time and leaves regular data alone', () => {
    expect(toLineData([[2000, 3], [0, 1], [1000, 2]], 2500)).toEqual([[0, 1], [1000, 2], [2000, 3]]);
  });
});

describe('inferStepMs / extents', () => {
  it('uses the median spacing so one hole does not change the step', () => {
    expect(inferStepMs([[[0, 1], [15_000, 1], [30_000, 1], [120_000, 1]], [[0, 1], [15_000, 2]]])).toBe(15_000);
    expect(inferStepMs([[[0, 1]]])).toBeUndefined();
  });
  it('finds the largest finite magnitude and the time extent', () => {
    expect(maxAbsValue([[[0, -5], [1, NaN]], [[2, 3], [3, Infinity]]])).toBe(5);
    expect(timeExtent([[[5, 1]], [[2, 1], [9, 1]]])).toEqual({ start: 2, end: 9 });
    expect(timeExtent([[], []])).toBeUndefined();
  });
});
