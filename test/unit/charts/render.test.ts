import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createChartRenderer, findShippedFont, renderLineChart } from '../../../src/charts/render';
import { buildChartOption } from '../../../src/charts/options';
import { countDifferentPixels, countInkPixels, decodePng, PNG_SIGNATURE, readIhdr } from './png';

const end = Date.UTC(2026, 10, 29, 9, 0, 0);
const range = { start: end - 6 * 3_600_000, end };
const wave = (n: number, offset = 0): [number, number][] =>
  Array.from({ length: n }, (_, i) => [range.start + i * 60_000, 50 + 40 * Math.sin(i / 20 + offset)]);

describe('renderLineChart', () => {
  const renderer = createChartRenderer();

  it('returns a PNG whose IHDR matches the requested size', async () => {
    const chart = await renderer.renderLineChart({ title: 'Size', series: [{ name: 'a', points: wave(50) }], width: 640, height: 320, now: end });
    expect(chart.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(readIhdr(chart.png)).toMatchObject({ width: 640, height: 320 });
    expect(chart).toMatchObject({ width: 640, height: 320 });
  });

  it('defaults to 1000×500 on a white background', async () => {
    const chart = await renderLineChart({ title: '', series: [], now: end });
    const img = decodePng(chart.png);
    expect([img.width, img.height]).toEqual([1000, 500]);
    expect(Array.from(img.rgba.subarray(0, 4))).toEqual([255, 255, 255, 255]);
  });

  it('draws the data: a blank chart and a chart with series differ inside the plot', async () => {
    const size = { width: 600, height: 300 };
    const blank = decodePng((await renderer.renderLineChart({ title: 'Same', series: [{ name: 'a', points: [] }], range, now: end, ...size })).png);
    const data = decodePng((await renderer.renderLineChart({ title: 'Same', series: [{ name: 'a', points: wave(360) }], range, now: end, ...size })).png);
    expect(countDifferentPixels(blank, data, { x: 80, y: 60, w: 480, h: 160 })).toBeGreaterThan(500);
  });

  it('renders text with the shipped font: a title changes the pixels of the title area', async () => {
    const input = { series: [{ name: 'a', points: wave(100) }], range, now: end };
    const withTitle = decodePng((await renderer.renderLineChart({ ...input, title: 'Requests per second' })).png);
    const without = decodePng((await renderer.renderLineChart({ ...input, title: '' })).png);
    const titleArea = { x: 0, y: 0, w: 400, h: 40 };
    expect(countInkPixels(without, titleArea)).toBe(0);
    expect(countInkPixels(withTitle, titleArea)).toBeGreaterThan(200);
    expect(countDifferentPixels(withTitle, without, titleArea)).toBeGreaterThan(200);
  });

  it('accepts markup-like titles and names without breaking the SVG', async () => {
    const chart = await renderer.renderLineChart({ title: '<b>"x" & y</b>', series: [{ name: '{a="<&>"}', points: wave(10) }], now: end, width: 300, height: 200 });
    expect(readIhdr(chart.png).width).toBe(300);
  });

  it('labels the time axis in UTC whatever the host time zone', () => {
    const tz = process.env.TZ;
    process.env.TZ = 'Asia/Kolkata';
    try {
      const { svg } = renderer.renderSvg({ title: 'tz', series: [{ name: 'a', points: wave(360) }], range, now: end });
      expect(svg).toContain('>04:00</text>');
      expect(svg).not.toContain('>09:30</text>');
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it('labels the y axis in the chart unit', () => {
    const { svg } = renderer.renderSvg({ title: 'lat', series: [{ name: 'p99', points: wave(50).map(([t, v]) => [t, v / 1000]) }], unit: 'seconds', now: end });
    expect(svg).toMatch(/>\d+ ms<\/text>/);
  });
});

describe('shipped font', () => {
  it('is found from the source tree and from the build output, with its licence beside it', () => {
    const root = join(__dirname, '..', '..', '..');
    const font = join(root, 'assets', 'fonts', 'DejaVuSans.ttf');
    expect(findShippedFont(join(root, 'src', 'charts'))).toBe(font);
    expect(findShippedFont(join(root, 'dist', 'src', 'charts'))).toBe(font);
    expect(existsSync(join(root, 'assets', 'fonts', 'DejaVuSans-LICENSE.txt'))).toBe(true);
  });
  it('fails with a clear message when the font is missing', () => {
    expect(() => findShippedFont('/')).toThrow(/assets\/fonts/);
  });
});

describe('chart markers (an experiment’s start and end)', () => {
  const renderer = createChartRenderer();
  const markers = [
    { at: range.start + 2 * 3_600_000, label: 'start' },
    { at: range.start + 4 * 3_600_000, label: 'end' },
  ];

  it('become a dashed markLine on the first series, at their times, with their labels', () => {
    const option = buildChartOption({ title: 'm', series: [{ name: 'a', points: wave(360) }, { name: 'b', points: wave(360, 1) }], range, now: end, markers }, 1000);
    const series = option.series as Record<string, any>[];
    expect(series[0].markLine).toMatchObject({
      symbol: ['none', 'none'],
      lineStyle: { type: 'dashed' },
      data: [
        { xAxis: markers[0].at, name: 'start', label: { formatter: 'start' } },
        { xAxis: markers[1].at, name: 'end', label: { formatter: 'end' } },
      ],
    });
    expect(series[1].markLine).toBeUndefined();
    expect(series).toHaveLength(2);
  });

  it('are drawn even with no data, on an empty carrier series', () => {
    const series = buildChartOption({ title: 'm', series: [], range, now: end, markers }, 1000).series as Record<string, any>[];
    expect(series).toEqual([expect.objectContaining({ type: 'line', data: [], markLine: expect.objectContaining({ data: expect.any(Array) }) })]);
  });

  it('are drawn into the PNG: the lines and labels change the plot, and the SVG carries the labels', async () => {
    const input = { title: 'Impact', series: [{ name: 'a', points: wave(360) }], range, now: end, width: 600, height: 300 };
    const plain = decodePng((await renderer.renderLineChart(input)).png);
    const marked = await renderer.renderLineChart({ ...input, markers });
    expect(marked.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(countDifferentPixels(plain, decodePng(marked.png), { x: 0, y: 40, w: 600, h: 200 })).toBeGreaterThan(100);
    const { svg } = renderer.renderSvg({ ...input, markers });
    expect(svg).toContain('>start</text>');
    expect(svg).toContain('>end</text>');
  });

  it('leave a chart without markers exactly as before', () => {
    const input = { title: 'same', series: [{ name: 'a', points: wave(60) }], range, now: end };
    expect(JSON.stringify(buildChartOption({ ...input, markers: [] }, 1000))).toBe(JSON.stringify(buildChartOption(input, 1000)));
  });
});
