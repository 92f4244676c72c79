import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as echarts from 'echarts';
import { buildChartOption, FONT_FAMILY, type LineChartInput } from './options';
import { fontSizeOf, loadFontMetrics } from './font-metrics';
import { loadResvg } from './resvg';

const { renderAsync } = loadResvg();

export type { ChartMarker, LineChartInput } from './options';
export { MAX_SERIES } from './options';

export interface RenderedChart {
  png: Buffer;
  width: number;
  height: number;
}

export interface RenderOptions {
  /** Font files to draw text with; defaults to the DejaVu Sans shipped in assets/fonts. */
  fontFiles?: string[];
}

const FONT_REL = join('assets', 'fonts', 'DejaVuSans.ttf');

/**
 * The shipped font, found by walking up from this file: the same code runs from src/charts (ts-jest) and from
 * dist/src/charts (the build), and the image must copy assets/ next to package.json.
 */
export function findShippedFont(from: string = __dirname): string {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, FONT_REL);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`chart font ${FONT_REL} not found above ${from}; ship assets/fonts with the app`);
}

/** Draws charts with one font; build it once (main.ts) so the font is read and parsed once. */
export interface ChartRenderer {
  /** The chart as SVG (ECharts' server-side renderer: no DOM, no browser). */
  renderSvg(input: LineChartInput): { svg: string; width: number; height: number };
  renderLineChart(input: LineChartInput): Promise<RenderedChart>;
}

export function createChartRenderer(opts: RenderOptions = {}): ChartRenderer {
  const fontFiles = opts.fontFiles ?? [findShippedFont()];
  const metrics = loadFontMetrics(fontFiles[0]);
  const measure = (text: string, px: number) => metrics.measure(text, px);

  const renderSvg = (input: LineChartInput) => {
    const width = Math.round(input.width ?? 1000);
    const height = Math.round(input.height ?? 500);
    // ECharts keeps one process-wide text measurer; pointing it at our font before each (synchronous) render
    // keeps layout and rasterisation in agreement.
    echarts.setPlatformAPI({ measureText: (text, font) => ({ width: measure(text ?? '', fontSizeOf(font)) }) });
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
    try {
      chart.setOption(buildChartOption(input, width, measure) as echarts.EChartsCoreOption);
      return { svg: chart.renderToSVGString(), width, height };
    } finally {
      chart.dispose();
    }
  };

  return {
    renderSvg,
    async renderLineChart(input) {
      const { svg } = renderSvg(input);
      // resvg rasterises on libuv's thread pool, so the event loop keeps acking Slack meanwhile.
      const image = await renderAsync(svg, {
        fitTo: { mode: 'original' },
        background: '#ffffff',
        font: { fontFiles, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
      });
      return { png: image.asPng(), width: image.width, height: image.height };
    },
  };
}

/**
 * A PNG line chart of Prometheus-style series (product.md §5: Lookout draws its own charts; Managed Grafana has
 * no image renderer), with only the shipped font so a slim container without system fonts still renders text.
 * Convenience for one-off renders; long-lived callers keep a createChartRenderer().
 */
export function renderLineChart(input: LineChartInput, opts: RenderOptions = {}): Promise<RenderedChart> {
  return createChartRenderer(opts).renderLineChart(input);
}
