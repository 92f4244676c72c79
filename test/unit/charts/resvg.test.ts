/**
 * resvg-js's loader calls process.report.getReport() to tell glibc from musl. By default a report resolves the peer
 * of every open socket, synchronously: in a loaded replica that blocked the event loop for 5–10 s at the first
 * chart (replicas-kill full size: every pending Postgres query timed out on the pool). Loading the chart renderer
 * must build that report with the network left out, and leave the setting as it found it.
 */
type Report = NodeJS.ProcessReport & { excludeNetwork: boolean };
const report = process.report as Report;

afterEach(() => jest.restoreAllMocks());

it.each([false, true])('the chart renderer loads resvg with the network left out of the report, then puts excludeNetwork (%s) back', (before) => {
  report.excludeNetwork = before;
  const real = report.getReport.bind(report);
  const seen: boolean[] = [];
  jest.spyOn(report, 'getReport').mockImplementation((err?: Error) => {
    seen.push(report.excludeNetwork);
    return real(err);
  });
  let render: typeof import('../../../src/charts/render') | undefined;
  jest.isolateModules(() => {
    render = require('../../../src/charts/render');
  });
  expect(seen).toEqual([true]); // resvg asked once, without the network
  expect(report.excludeNetwork).toBe(before);
  expect(typeof render!.createChartRenderer).toBe('function');
  report.excludeNetwork = false;
});

it('a chart still renders through the renderer loaded that way', async () => {
  let render: typeof import('../../../src/charts/render') | undefined;
  jest.isolateModules(() => {
    render = require('../../../src/charts/render');
  });
  const chart = await render!.renderLineChart({ title: 't', series: [{ name: 'a', points: [[0, 1], [60_000, 2]] }], width: 200, height: 100, now: 60_000 });
  expect(chart).toMatchObject({ width: 200, height: 100 });
});
