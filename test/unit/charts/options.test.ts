import { buildChartOption, estimateLegendRows, fitText, legendNames, MAX_SERIES } from '../../../src/charts/options';

const now = Date.UTC(2026, 10, 29, 9, 0, 0);
const series = (n: number, value = (s: number, i: number) => s + i) =>
  Array.from({ length: n }, (_, s) => ({
    name: `s${s}`,
    points: Array.from({ length: 10 }, (_, i): [number, number] => [now - (10 - i) * 60_000, value(s, i)]),
  }));

describe('buildChartOption', () => {
  it('is static: no animation, white background, UTC time axis over the requested range', () => {
    const o: any = buildChartOption({ title: 't', series: series(2), now, range: { start: now - 3_600_000, end: now } }, 1000);
    expect(o.animation).toBe(false);
    expect(o.useUTC).toBe(true);
    expect(o.backgroundColor).toBe('#ffffff');
    expect(o.xAxis).toMatchObject({ type: 'time', min: now - 3_600_000, max: now });
  });
  it('draws at most MAX_SERIES and says how many were left out, adding the caller’s count', () => {
    const o: any = buildChartOption({ title: 't', series: series(13), now, notDrawn: 4 }, 1000);
    expect(o.series).toHaveLength(MAX_SERIES);
    expect(o.graphic[0].style.text).toContain('+7 more series not drawn');
  });
  it('says nothing about hidden series when none were', () => {
    const o: any = buildChartOption({ title: 't', series: series(2), now }, 1000);
    expect(o.graphic[0].style.text).not.toContain('more series');
    expect(o.graphic[0].style.text).toContain('UTC · 2026-11-29 09:00');
  });
  it('scales the data to one unit and labels ticks with it', () => {
    const o: any = buildChartOption({ title: 't', series: series(1, () => 3 * 1024 * 1024), unit: 'bytes', now }, 1000);
    expect(o.series[0].data[0][1]).toBe(3);
    expect(o.yAxis.axisLabel.formatter(1.5)).toBe('1.5 MiB');
  });
  it('shows "No data" only when nothing finite is drawn', () => {
    const empty: any = buildChartOption({ title: 't', series: series(1, () => NaN), now }, 1000);
    const full: any = buildChartOption({ title: 't', series: series(1), now }, 1000);
    expect(JSON.stringify(empty.graphic)).toContain('No data in this range');
    expect(JSON.stringify(full.graphic)).not.toContain('No data');
  });
  it('makes room below the plot for every legend row', () => {
    const long = series(10).map((s, i) => ({ ...s, name: `{instance="web-${i}.internal:9100", code="20${i}"}` }));
    const few: any = buildChartOption({ title: 't', series: series(2), now }, 1000);
    const many: any = buildChartOption({ title: 't', series: long, now }, 1000);
    expect(many.grid.bottom).toBeGreaterThan(few.grid.bottom);
  });
});

describe('legend helpers', () => {
  it('wraps legend items into rows by measured width', () => {
    const measure = (t: string) => t.length * 10;
    expect(estimateLegendRows([], 500, measure)).toBe(0);
    expect(estimateLegendRows(['a'.repeat(10), 'b'.repeat(10)], 500, measure)).toBe(1);
    expect(estimateLegendRows(['a'.repeat(30), 'b'.repeat(30)], 500, measure)).toBe(2);
  });
  it('cuts long names and keeps names unique', () => {
    const names = legendNames(['x'.repeat(80), 'same', 'same']);
    expect(names[0]).toHaveLength(48);
    expect(names[0].endsWith('…')).toBe(true);
    expect(names.slice(1)).toEqual(['same', 'same (2)']);
  });
});

describe('fitText', () => {
  const measure = (t: string) => t.length * 10;
  it('keeps text that fits and cuts the rest with an ellipsis', () => {
    expect(fitText('short', 100, 12, measure)).toBe('short');
    expect(fitText('a'.repeat(30), 100, 12, measure)).toBe(`${'a'.repeat(9)}…`);
  });
  it('cuts a long title in the chart option', () => {
    const o: any = buildChartOption({ title: 'T'.repeat(500), series: [], now }, 600);
    expect(o.title.text.length).toBeLessThan(100);
    expect(o.title.text.endsWith('…')).toBe(true);
  });
});
